"""Delivering the outbox: every e-mail once, also when a worker dies half-way.

- ``queue`` writes the rows in the caller's transaction and, after commit, asks django-q2
  workers to deliver them (a large cause is split over the workers by row id). Task
  arguments are a kind, an id and the split: nothing personal.
- ``deliver_pending`` renders a message, then claims its row (pending → sending, committed),
  sends it over one SMTP connection for the whole batch and marks it sent. A failed send goes
  back to pending with exponential backoff, and to failed after EMAIL_SEND_ATTEMPTS.
- ``sweep`` (a django-q2 schedule, every minute) re-queues pending rows nobody picked up, and
  marks rows left "sending" by a dead worker as interrupted: such a message may well have been
  delivered, so it is shown to staff rather than sent again. Rendering happens before the
  claim, so that window is only the SMTP call itself.
- A task sends for half the task timeout at most, then hands the rest to a new task; a mail
  server that hangs up is reconnected, one that cannot be reached ends the task.
"""

import logging
import math
import smtplib
import socket
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import get_connection
from django.db.models import F
from django.db.models.functions import Mod
from django.utils import timezone

from schoolportal.accounts.models import normalise_email

from . import smtp
from .models import OutboxMessage
from .queue import enqueue, enqueue_now

logger = logging.getLogger(__name__)

DELIVER = "schoolportal.notifications.outbox.deliver_pending"
RENDERERS = {}
BATCH_SIZE = 100
# A worker that has not marked its message after this long is gone (task timeout + margin).
STALE_AFTER = timedelta(seconds=settings.Q_CLUSTER["timeout"] * 2)
# How long one task sends before handing the rest to a new task (well inside its timeout).
TIME_BUDGET = settings.Q_CLUSTER["timeout"] / 2
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
        normalise_email(email): OutboxMessage(
            kind=kind,
            cause_id=cause_id,
            recipient_email=normalise_email(email),
            recipient_user_id=user_id,
        )
        for email, user_id in recipients
        if email
    }
    OutboxMessage.objects.bulk_create(rows.values(), ignore_conflicts=True, batch_size=500)
    deliver_later(kind, cause_id, parts=parallel_parts(len(rows)))
    return len(rows)


def parallel_parts(count):
    """How many workers share a cause's e-mails: a slow mail server is the bottleneck of a
    large mailing, and every worker keeps its own connection to it."""
    return max(1, min(settings.OUTBOX_SENDERS, math.ceil(count / BATCH_SIZE)))


def deliver_later(kind, cause_id, parts=1):
    """Ask workers, after the current transaction commits, to send what is due for a cause.

    With ``parts`` > 1 each worker takes the rows whose id leaves its remainder.
    """
    if parts == 1:
        enqueue(DELIVER, kind, cause_id)
        return
    for part in range(parts):
        enqueue(DELIVER, kind, cause_id, part, parts)


def backoff(attempts):
    return timedelta(minutes=2 ** min(attempts - 1, 6))


def deliver_pending(kind, cause_id, part=0, parts=1):
    """Send every due message of one cause; returns how many were sent.

    A large mailing over a slow mail server takes longer than a task may run: after half
    the task timeout the rest goes to a new task, so no worker is killed mid-mailing.
    When the mail server cannot be reached the task stops; the sweeper tries again.
    """
    sent = 0
    stop_at = time.monotonic() + TIME_BUDGET
    with get_connection(fail_silently=False) as connection:
        while True:
            due = OutboxMessage.objects.filter(
                kind=kind,
                cause_id=cause_id,
                status=OutboxMessage.Status.PENDING,
                next_attempt_at__lte=timezone.now(),
            )
            if parts > 1:
                due = due.annotate(part=Mod("id", parts)).filter(part=part)
            batch = list(due.order_by("pk")[:BATCH_SIZE])
            if not batch:
                return sent
            progressed = False
            for message in batch:
                if time.monotonic() > stop_at:
                    enqueue_now(DELIVER, kind, cause_id, *((part, parts) if parts > 1 else ()))
                    return sent
                outcome = deliver_one(message, connection)
                if outcome == SERVER_UNREACHABLE:
                    return sent
                if outcome == SENT:
                    sent += 1
                    progressed = True
            if not progressed:
                return sent


SENT, SKIPPED, FAILED, UNKNOWN = "sent", "skipped", "failed", "unknown"
SERVER_UNREACHABLE = "unreachable"
# The server hung up (providers limit messages per connection): reconnect and go on.
RECONNECT_ERRORS = (smtplib.SMTPServerDisconnected,)
UNREACHABLE_ERRORS = (smtplib.SMTPConnectError, ConnectionError, socket.timeout, OSError)


def deliver_one(message, connection):
    """Render, claim, send and mark one message; returns one of the outcomes above."""
    if message.status != OutboxMessage.Status.PENDING:
        return SKIPPED
    try:
        email = RENDERERS[message.kind](message)
    except ObjectDoesNotExist:  # the mailing (or other cause) was deleted before sending
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.PENDING).update(
            status=OutboxMessage.Status.FAILED, last_error="cause deleted before sending"
        )
        return FAILED
    email.to = [message.recipient_email]
    if not _claim(message.pk):
        return SKIPPED  # another worker has it
    try:
        _send(connection, email)
    except Exception as error:
        if smtp.handed_over(connection) and not isinstance(error, smtplib.SMTPResponseException):
            _interrupted(message.pk, error)  # the server may have it: never send it twice
            return UNKNOWN
        _failed(message.pk, error)
        if isinstance(error, UNREACHABLE_ERRORS) and not isinstance(
            error, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused
        ):
            return SERVER_UNREACHABLE
        return FAILED
    _mark_sent(message.pk)
    return SENT


def _send(connection, email):
    smtp.forget_hand_over(connection)
    try:
        connection.send_messages([email])
    except RECONNECT_ERRORS:
        if smtp.handed_over(connection):
            raise  # lost after the data went out: whether it arrived is unknown
        # The server had hung up before this message (a limit of messages per connection).
        connection.close()
        connection.open()
        connection.send_messages([email])


def _claim(pk):
    """Pending → sending, committed before the e-mail goes out; False if another worker won.

    One UPDATE that only matches a still pending row: of two workers, one changes it.
    """
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=pk, status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now
    ).update(status=OutboxMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    return claimed == 1


def _mark_sent(pk):
    OutboxMessage.objects.filter(pk=pk).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error=""
    )


def _interrupted(pk, error):
    logger.warning("outbox %s: connection lost after sending: %s", pk, type(error).__name__)
    OutboxMessage.objects.filter(pk=pk).update(
        status=OutboxMessage.Status.INTERRUPTED,
        last_error=f"{type(error).__name__} after the message was handed over: {error}"[:200],
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


SWEEP_STEPS = []


def also_on_sweep(function):
    """Register ``function()`` to run with every sweep (a feature's own repair work)."""
    SWEEP_STEPS.append(function)
    return function


def sweep():
    """Mark what dead workers left half-done, and queue again what nobody picked up."""
    for step in SWEEP_STEPS:
        step()
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


def status_counts(kind, cause_id):
    """{status: number of messages} of one cause, every status present (a delivery screen)."""
    counts = dict.fromkeys(OutboxMessage.Status.values, 0)
    rows = OutboxMessage.objects.filter(kind=kind, cause_id=cause_id).values_list("status")
    for (status,) in rows:
        counts[status] += 1
    return counts


def queue_missing(kind, cause_id, recipients):
    """Queue ``recipients`` who have no message of the cause yet; returns how many were new."""
    messages = OutboxMessage.objects.filter(kind=kind, cause_id=cause_id)
    before = messages.count()
    queue(kind, cause_id, recipients)
    return messages.count() - before


def resend(kind, cause_id, recipients):
    """Staff's "send again to everybody": the current ``recipients`` get the message once
    more (new ones once). Not who was a recipient once: an address that changed since, or a
    guardian no longer in the audience, gets nothing. Returns how many are sent."""
    recipients = list(recipients)
    queue_missing(kind, cause_id, recipients)
    current = [normalise_email(address) for address, _user in recipients if address]
    count = (
        OutboxMessage.objects.filter(kind=kind, cause_id=cause_id, recipient_email__in=current)
        .exclude(status=OutboxMessage.Status.SENDING)
        .update(status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=timezone.now())
    )
    deliver_later(kind, cause_id, parts=parallel_parts(count))
    return count


def retry(kind, cause_id, statuses=(OutboxMessage.Status.FAILED,)):
    """Staff's explicit "send again" for failed (or interrupted) messages of one cause."""
    count = OutboxMessage.objects.filter(kind=kind, cause_id=cause_id, status__in=statuses).update(
        status=OutboxMessage.Status.PENDING, next_attempt_at=timezone.now()
    )
    deliver_later(kind, cause_id)
    return count
