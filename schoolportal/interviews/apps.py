from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "schoolportal.interviews"
    label = "interviews"
    verbose_name = _("Oudergesprekken")

    def ready(self):
        from . import notices  # noqa: F401  (the outbox renderer of the confirmation)
        from .signals import connect

        connect()
