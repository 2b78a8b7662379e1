from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DataExportConfig(AppConfig):
    name = "schoolportal.dataexport"
    label = "dataexport"
    verbose_name = _("Mijn gegevens downloaden")

    def ready(self):
        from . import files, notices  # noqa: F401  (the file goes with its row; the e-mail)
        from .cleanup import ensure_schedule

        post_migrate.connect(ensure_schedule, sender=self, dispatch_uid="dataexport-schedule")
