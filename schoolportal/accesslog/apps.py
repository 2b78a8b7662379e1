from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessLogConfig(AppConfig):
    """The log is kept for ACCESS_LOG_RETENTION_DAYS by the daily retention run
    (``schoolportal.privacy``, kind "access_log")."""

    name = "schoolportal.accesslog"
    label = "accesslog"
    verbose_name = _("Inzagelog")
