from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    label = "pages"
    verbose_name = _("Pagina's")

    def ready(self):
        from . import renditions, signals

        signals.connect()
        renditions.connect()
