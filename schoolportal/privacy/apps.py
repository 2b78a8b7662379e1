from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "schoolportal.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from . import kinds  # noqa: F401  (registers the retention rules)
        from .schedule import ensure_schedule

        post_migrate.connect(ensure_schedule, sender=self, dispatch_uid="privacy-schedule")
