from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "schoolportal.operations"
    label = "operations"
    verbose_name = _("Beheer van de installatie")
