"""What is waiting to be done: the outbox per kind and status, and django-q2's queue.

Read by ``manage.py backlog`` (for an operator, or a monitor that runs it with
``--max-age``). Counts and ages only: no recipient, no subject.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Min
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import Failure, Schedule

from schoolportal.notifications.models import OutboxMessage

# A schedule this late means no cluster is running (they run every minute or more often).
SCHEDULE_LATE_AFTER = timedelta(minutes=5)


@dataclass
class Backlog:
    # {kind: {status: count}}, messages still to be sent or needing a look (sent rows left out)
    outbox: dict = field(default_factory=dict)
    due: int = 0  # pending and due now
    retrying: int = 0  # pending, waiting for a later attempt
    oldest_due: timedelta | None = None
    queued_tasks: int | None = None  # None: the broker could not be asked
    failed_tasks_last_day: int = 0
    late_schedules: list = field(default_factory=list)

    def too_old(self, limit):
        return self.oldest_due is not None and self.oldest_due > limit


def measure(now=None):
    now = now or timezone.now()
    backlog = Backlog()
    open_messages = OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT)
    for row in open_messages.values("kind", "status").annotate(count=Count("pk")).order_by():
        backlog.outbox.setdefault(row["kind"], {})[row["status"]] = row["count"]
    pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
    due = pending.filter(next_attempt_at__lte=now).aggregate(
        count=Count("pk"), first=Min("created_at")
    )
    backlog.due = due["count"]
    backlog.oldest_due = now - due["first"] if due["first"] else None
    backlog.retrying = pending.filter(next_attempt_at__gt=now).count()
    try:
        backlog.queued_tasks = get_broker().queue_size()
    except Exception:
        backlog.queued_tasks = None
    backlog.failed_tasks_last_day = Failure.objects.filter(
        stopped__gte=now - timedelta(days=1)
    ).count()
    backlog.late_schedules = list(
        Schedule.objects.filter(next_run__lt=now - SCHEDULE_LATE_AFTER)
        .exclude(repeats=0)
        .order_by("next_run")
        .values_list("func", "next_run")
    )
    return backlog
