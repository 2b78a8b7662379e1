from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "schoolportal.results"
    label = "results"
    verbose_name = _("Resultaten")

    def ready(self):
        from . import files  # noqa: F401  (stored report files deleted with their row)
