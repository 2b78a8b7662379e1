from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccessLogConfig(AppConfig):
    name = "schoolportal.accesslog"
    label = "accesslog"
    verbose_name = _("Inzagelog")

    def ready(self):
        from .retention import ensure_schedule

        post_migrate.connect(ensure_schedule, sender=self, dispatch_uid="accesslog-schedule")
