from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassPostsConfig(AppConfig):
    name = "schoolportal.classposts"
    label = "classposts"
    verbose_name = _("Berichten van klassenouders")

    def ready(self):
        from . import notices, signals  # noqa: F401  (workflow signals, outbox renderers)
