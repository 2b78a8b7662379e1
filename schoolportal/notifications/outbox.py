"""Delivering the outbox: every e-mail once, also when a worker dies half-way.

- ``queue`` writes the rows in the caller's transaction and, after commit, asks a django-q2
  worker to deliver them. Task arguments are a kind and an id: nothing personal.
- ``deliver_pending`` renders a message, then claims its row (pending → sending, committed),
  sends it over one SMTP connection for the whole batch and marks it sent. A failed send goes
  back to pending with exponential backoff, and to failed after EMAIL_SEND_ATTEMPTS.
- ``sweep`` (a django-q2 schedule, every minute) re-queues pending rows nobody picked up, and
  marks rows left "sending" by a dead worker as interrupted: such a message may well have been
  delivered, so it is shown to staff rather than sent again. Rendering happens before the
  claim, so that window is only the SMTP call itself.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import OutboxMessage
from .queue import enqueue

logger = logging.getLogger(__name__)

RENDERERS = {}
BATCH_SIZE = 100
# A worker that has not marked its message after this long is gone (task timeout + margin).
STALE_AFTER = timedelta(seconds=settings.Q_CLUSTER["timeout"] * 2)
# Pending rows older than this were not picked up by a worker: the sweeper queues them again.
UNCLAIMED_AFTER = timedelta(minutes=2)


def renderer(kind):
    """Register ``function(outbox_message) -> EmailMessage`` for a kind of message."""

    def register(function):
        RENDERERS[kind] = function
        return function

    return register


def queue(kind, cause_id, recipients):
    """Queue one message per (e-mail, user id) in ``recipients``; duplicates are ignored."""
    rows = {
        email.strip().lower(): OutboxMessage(
            kind=kind,
            cause_id=cause_id,
            recipient_email=email.strip().lower(),
            recipient_user_id=user_id,
        )
        for email, user_id in recipients
        if email
    }
    OutboxMessage.objects.bulk_create(rows.values(), ignore_conflicts=True, batch_size=500)
    deliver_later(kind, cause_id)
    return len(rows)


def deliver_later(kind, cause_id):
    """Ask a worker, after the current transaction commits, to send what is due for a cause."""
    enqueue("schoolportal.notifications.outbox.deliver_pending", kind, cause_id)


def backoff(attempts):
    return timedelta(minutes=2 ** min(attempts - 1, 6))


def deliver_pending(kind, cause_id):
    """Send every due message of one cause; returns how many were sent."""
    sent = 0
    with get_connection(fail_silently=False) as connection:
        while True:
            batch = list(
                OutboxMessage.objects.filter(
                    kind=kind,
                    cause_id=cause_id,
                    status=OutboxMessage.Status.PENDING,
                    next_attempt_at__lte=timezone.now(),
                ).values_list("pk", flat=True)[:BATCH_SIZE]
            )
            if not batch:
                return sent
            progress = [deliver_one(pk, connection) for pk in batch]
            sent += sum(progress)
            if not any(progress):
                return sent


def deliver_one(pk, connection):
    message = OutboxMessage.objects.filter(pk=pk).first()
    if message is None or message.status != OutboxMessage.Status.PENDING:
        return False
    email = RENDERERS[message.kind](message)
    email.to = [message.recipient_email]
    if not _claim(pk):
        return False  # another worker has it
    try:
        connection.send_messages([email])
    except Exception as error:
        _failed(pk, error)
        return False
    _mark_sent(pk)
    return True


def _claim(pk):
    with transaction.atomic():
        return bool(
            OutboxMessage.objects.filter(
                pk=pk, status=OutboxMessage.Status.PENDING, next_attempt_at__lte=timezone.now()
            ).update(
                status=OutboxMessage.Status.SENDING,
                claimed_at=timezone.now(),
                attempts=F("attempts") + 1,
            )
        )


def _mark_sent(pk):
    OutboxMessage.objects.filter(pk=pk).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error=""
    )


def _failed(pk, error):
    message = OutboxMessage.objects.get(pk=pk)
    final = message.attempts >= settings.EMAIL_SEND_ATTEMPTS
    logger.warning("outbox %s attempt %s failed: %s", pk, message.attempts, type(error).__name__)
    OutboxMessage.objects.filter(pk=pk).update(
        status=OutboxMessage.Status.FAILED if final else OutboxMessage.Status.PENDING,
        next_attempt_at=timezone.now() + backoff(message.attempts),
        last_error=f"{type(error).__name__}: {error}"[:200],
    )


def sweep():
    """Mark what dead workers left half-done, and queue again what nobody picked up."""
    now = timezone.now()
    interrupted = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=now - STALE_AFTER
    ).update(status=OutboxMessage.Status.INTERRUPTED, last_error="worker stopped while sending")
    causes = set(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.PENDING,
            next_attempt_at__lte=now,
            created_at__lt=now - UNCLAIMED_AFTER,
        ).values_list("kind", "cause_id")
    )
    for kind, cause_id in causes:
        deliver_later(kind, cause_id)
    return interrupted, len(causes)


def retry(kind, cause_id, statuses=(OutboxMessage.Status.FAILED,)):
    """Staff's explicit "send again" for failed (or interrupted) messages of one cause."""
    count = OutboxMessage.objects.filter(kind=kind, cause_id=cause_id, status__in=statuses).update(
        status=OutboxMessage.Status.PENDING, next_attempt_at=timezone.now()
    )
    deliver_later(kind, cause_id)
    return count
