"""The schedule that keeps the promise "gone after a week": expired downloads are deleted
with their files, and an export whose worker never finished is marked failed so the parent
can ask again."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from .models import KEPT_FOR, DataExport

RUN = "schoolportal.dataexport.cleanup.run"
NAME = "Mijn gegevens: verlopen downloads verwijderen"
# Far beyond any task's timeout: a worker that held an export this long is gone.
STUCK_AFTER = timedelta(minutes=30)


def run(now=None):
    """Delete expired downloads (and failed requests after a week); fail stuck ones."""
    now = now or timezone.now()
    # Through the models, so each file goes with its row (``files``).
    deleted, _by_model = DataExport.objects.filter(
        Q(status=DataExport.Status.READY, expires_at__lte=now)
        | Q(status=DataExport.Status.FAILED, requested_at__lte=now - KEPT_FOR)
    ).delete()
    DataExport.objects.unfinished().filter(requested_at__lte=now - STUCK_AFTER).update(
        status=DataExport.Status.FAILED, finished_at=now
    )
    return deleted


def ensure_schedule(**kwargs):
    from django_q.models import Schedule

    Schedule.objects.get_or_create(
        name=NAME,
        defaults={"func": RUN, "schedule_type": Schedule.MINUTES, "minutes": 15, "repeats": -1},
    )
