from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AbsencesConfig(AppConfig):
    name = "schoolportal.absences"
    label = "absences"
    verbose_name = _("Absenties")

    def ready(self):
        from . import notices  # noqa: F401  (the outbox renderers)
        from .schedule import ensure_schedule

        post_migrate.connect(ensure_schedule, sender=self, dispatch_uid="absences-schedule")
