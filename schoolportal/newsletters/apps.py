from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewslettersConfig(AppConfig):
    name = "schoolportal.newsletters"
    label = "newsletters"
    verbose_name = _("Nieuwsbrieven")

    def ready(self):
        from . import delivery  # noqa: F401  (publish signal and the outbox renderer)
