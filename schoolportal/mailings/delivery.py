"""Sending mailings: the first publication queues one e-mail per guardian in the outbox.

The e-mail carries the whole mailing (HTML and text, attachments) so a parent can read it
without logging in, and links to it in the portal (and to its reply slip).
"""

import mimetypes
import time
from datetime import timedelta
from email.utils import formataddr, make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.rich_text import expand_db_html
from wagtail.signals import published

from schoolportal.notifications import outbox
from schoolportal.notifications.email import absolute, render_email
from schoolportal.notifications.models import OutboxMessage
from schoolportal.parentviews.caching import bump_version

from . import recipients
from .models import AddressedPupil, Mailing, ReplySlipReminder
from .replying import write_about
from .text import html_to_text

MAILING = "mailing"
REMINDER = "mailing-reminder"


@receiver(published, sender=Mailing, dispatch_uid="mailing-send-on-publish")
def send_on_first_publication(sender, instance, **kwargs):
    if instance.live:  # a publication scheduled for later also sends this signal
        send(instance)


def send(mailing):
    """Queue the e-mails of the mailing's first publication; returns how many.

    Later publications (new revisions) send nothing; a double-clicked publish queues
    nobody twice (``sent_at`` is set once, and the outbox is unique per recipient).
    """
    with transaction.atomic():
        sent_at = timezone.now()
        first = Mailing.objects.filter(pk=mailing.pk, sent_at__isnull=True).update(sent_at=sent_at)
        if not first:
            return 0
        mailing.sent_at = sent_at
        record_audience(mailing)
        return outbox.queue(MAILING, mailing.pk, recipients.mailing_recipients(mailing))


def record_audience(mailing):
    """Fix the pupils the mailing is sent for (today's audience; earlier ones stay)."""
    pupils = recipients.current_audience_pupils(mailing).values_list("pk", flat=True)
    AddressedPupil.objects.bulk_create(
        [AddressedPupil(mailing=mailing, pupil_id=pk) for pk in pupils],
        ignore_conflicts=True,
        batch_size=1000,
    )
    # bulk_create sends no signals: who received the mailing shows on parents' pages (their
    # lists, the slip's families), so the data version must change with it.
    bump_version()


@outbox.also_on_sweep
def send_published_but_unsent():
    """Wagtail saves a publication before it signals it, in two transactions: a worker
    that died between them left a live mailing whose e-mails were never queued."""
    for mailing in Mailing.objects.filter(live=True, sent_at__isnull=True):
        send(mailing)


def send_to_new_recipients(mailing):
    """Staff's "send to whoever has not received it": pupils who joined the audience since,
    guardians added since, and rows not sent yet."""
    with transaction.atomic():
        record_audience(mailing)
        return outbox.queue_missing(MAILING, mailing.pk, recipients.mailing_recipients(mailing))


def send_again_to_everybody(mailing):
    """Staff's explicit resend: every current recipient gets the mailing once more."""
    with transaction.atomic():
        record_audience(mailing)
        return outbox.resend(MAILING, mailing.pk, recipients.mailing_recipients(mailing))


class RemindedRecently(Exception):
    """A reminder went out moments ago (a double click): another one would be a duplicate."""


REMINDER_PAUSE = timedelta(minutes=10)


def remind_non_responders(mailing, user, units):
    """E-mail a reminder to the guardians of ``units`` (children or families) of the slip."""
    guardian_ids = {guardian.pk for unit in units for guardian in unit.guardians}
    with transaction.atomic():
        # One reminder at a time per mailing (a row lock; SQLite's writes queue anyway).
        Mailing.objects.select_for_update().filter(pk=mailing.pk).exists()
        recent = timezone.now() - REMINDER_PAUSE
        if mailing.reminders.filter(created_at__gte=recent).exists():
            raise RemindedRecently
        reminder = ReplySlipReminder.objects.create(mailing=mailing, sent_by=user)
        return outbox.queue(REMINDER, reminder.pk, recipients.guardian_addresses(guardian_ids))


def reminder_deliveries(mailing):
    """Each reminder with its e-mails per status: [(reminder, {status: count})]."""
    reminders = list(mailing.reminders.select_related("sent_by").order_by("-created_at"))
    rows = OutboxMessage.objects.filter(kind=REMINDER, cause_id__in=[r.pk for r in reminders])
    counts = {reminder.pk: dict.fromkeys(OutboxMessage.Status.values, 0) for reminder in reminders}
    for cause_id, status in rows.values_list("cause_id", "status"):
        counts[cause_id][status] += 1
    return [(reminder, counts[reminder.pk]) for reminder in reminders]


def retry_reminders(mailing):
    """Send the failed and interrupted reminder e-mails of a mailing again."""
    statuses = (OutboxMessage.Status.FAILED, OutboxMessage.Status.INTERRUPTED)
    return sum(
        outbox.retry(REMINDER, pk, statuses=statuses)
        for pk in mailing.reminders.values_list("pk", flat=True)
    )


def delivery_counts(mailing):
    return outbox.status_counts(MAILING, mailing.pk)


# --- Rendering -------------------------------------------------------------------------------

# Rendered once per mailing and reused for every recipient (a 2,000-family mailing renders
# once); kept briefly so an edit made during a long send reaches the later e-mails.
_PROTOTYPES = {}
PROTOTYPE_SECONDS = 10


def _prototype(mailing_id):
    cached = _PROTOTYPES.get(mailing_id)
    if cached and time.monotonic() - cached[0] < PROTOTYPE_SECONDS:
        return cached[1]
    mailing = (
        Mailing.objects.select_related("school")
        .prefetch_related("groups__teachers", "attachments__document", "reply_fields")
        .get(pk=mailing_id)
    )
    prototype = _render_mailing(mailing)
    _PROTOTYPES.clear()
    _PROTOTYPES[mailing_id] = (time.monotonic(), prototype)
    return prototype


def _absolute_links(html):
    """Rich-text links to the site are relative: in an e-mail they need the site's address."""
    return html.replace('href="/', f'href="{absolute("/")}')


def _render_mailing(mailing):
    with translation.override(settings.LANGUAGE_CODE):
        link = absolute(reverse("mailings:detail", args=[mailing.pk]))
        body_html = _absolute_links(expand_db_html(mailing.body))
        write_url, write_to = write_about(mailing)
        context = {
            "write_link": absolute(write_url),
            "write_to": write_to,
            "mailing": mailing,
            "sender_name": mailing.sender_name(),
            "body_html": body_html,
            "body_text": html_to_text(body_html),
            "link": link,
            "slip_link": link + "#antwoordbriefje",
            "has_reply_slip": mailing.has_reply_slip,
            "attachments": list(mailing.attachments.all()),
            "subject": mailing.title,
        }
        text = render_to_string("email/mailing.txt", context)
        html = render_to_string("email/mailing.html", context)
    return {
        "subject": " ".join(mailing.title.splitlines()),
        "text": text,
        "html": html,
        "from": _from_address(mailing.sender_name()),
        "list_id": f"{mailing.school.name} <mailings.{mailing.school_id}.{_domain()}>",
        "attachments": [_attachment(attachment) for attachment in mailing.attachments.all()],
    }


def _attachment(attachment):
    document = attachment.document
    with document.open_file() as handle:
        content = handle.read()
    mimetype = mimetypes.guess_type(attachment.filename)[0] or "application/octet-stream"
    return (attachment.filename, content, mimetype)


def _domain():
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


def _from_address(name):
    """The school's sending address, shown with the mailing's sender as its name."""
    return formataddr((name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


def _message_id(message):
    # New for every attempt and every resend: mailboxes drop a message whose id they know.
    return make_msgid(idstring=f"{message.kind}.{message.cause_id}.{message.pk}", domain=_domain())


@outbox.renderer(MAILING)
def render_mailing(message):
    prototype = _prototype(message.cause_id)
    email = EmailMultiAlternatives(
        subject=prototype["subject"],
        body=prototype["text"],
        from_email=prototype["from"],
        to=[message.recipient_email],
        headers={
            "Message-ID": _message_id(message),
            "List-Id": prototype["list_id"],
            "Precedence": "bulk",
        },
        attachments=list(prototype["attachments"]),
    )
    email.attach_alternative(prototype["html"], "text/html")
    return email


@outbox.renderer(REMINDER)
def render_reminder(message):
    reminder = ReplySlipReminder.objects.select_related("mailing__school").get(pk=message.cause_id)
    mailing = reminder.mailing
    with translation.override(settings.LANGUAGE_CODE):
        sender_name = mailing.sender_name()
    context = {
        "mailing": mailing,
        "sender_name": sender_name,
        "link": absolute(reverse("mailings:detail", args=[mailing.pk])) + "#antwoordbriefje",
    }
    return render_email(
        "reply_slip_reminder",
        context,
        message.recipient_email,
        from_email=_from_address(sender_name),
        headers={"Message-ID": _message_id(message)},
    )
