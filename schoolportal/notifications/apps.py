from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "schoolportal.notifications"
    label = "notifications"
    verbose_name = _("Meldingen")

    def ready(self):
        from . import account_emails  # noqa: F401  (the outbox renderers)
        from .schedules import ensure_schedules

        post_migrate.connect(ensure_schedules, sender=self, dispatch_uid="outbox-schedules")
