"""Keeping the access log for ``ACCESS_LOG_RETENTION_DAYS`` (365 unless the environment says
otherwise), then removing it: a daily django-q2 schedule, made after migrate."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import AccessLogEntry

REMOVE = "schoolportal.accesslog.retention.remove_expired"


def expiry_cutoff(now=None):
    """Rows from before this moment have been kept long enough."""
    return (now or timezone.now()) - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)


def remove_expired(now=None):
    """Delete the rows older than the retention period; returns how many went."""
    deleted, _per_model = AccessLogEntry.objects.filter(at__lt=expiry_cutoff(now)).delete()
    return deleted


def ensure_schedule(**kwargs):
    from django_q.models import Schedule

    Schedule.objects.get_or_create(
        name="Inzagelog: verlopen regels verwijderen",
        defaults={"func": REMOVE, "schedule_type": Schedule.DAILY, "repeats": -1},
    )
