from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PupilImportConfig(AppConfig):
    name = "schoolportal.pupilimport"
    label = "pupilimport"
    verbose_name = _("Leerlingimport")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import invitations  # noqa: F401  (registers the invitation e-mail's renderer)
