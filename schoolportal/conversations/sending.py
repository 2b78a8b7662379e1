"""Sending a message: the one way a message comes into being, for parents and staff alike.

The message, its attachments, the conversation's ``last_message_at`` and the sender's
"read up to here" are written in one transaction with one outbox row per other party, so
each of them gets exactly one e-mail, sent after the commit (``email.py`` renders it).
"""

import os
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from schoolportal.notifications import outbox
from schoolportal.parentviews.caching import forget_user_pages
from schoolportal.people.models import Guardian, StaffMember

from .models import Conversation, Message, MessageAttachment, Participant

KIND = "conversation-message"
UNSAFE_IN_FILENAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def validate_upload(upload):
    """The rules of mailing attachments: office documents, PDFs and images, and at most
    ``MAILING_ATTACHMENT_MAX_SIZE`` per file."""
    extension = os.path.splitext(upload.name)[1].lstrip(".").lower()
    if extension not in settings.WAGTAILDOCS_EXTENSIONS:
        raise ValidationError(
            _("Bestanden van het type .%(extension)s kunnen niet worden meegestuurd.")
            % {"extension": extension or "?"}
        )
    limit = settings.MAILING_ATTACHMENT_MAX_SIZE
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is te groot (%(size)s); het maximum is %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            }
        )


def validate_uploads(uploads):
    """Each file's rules, and all files of one message together within the e-mail limit."""
    for upload in uploads:
        validate_upload(upload)
    total = sum(upload.size for upload in uploads)
    limit = settings.MAILING_ATTACHMENT_MAX_SIZE
    if total > limit:
        raise ValidationError(
            _("De bijlagen zijn samen te groot (%(size)s); het maximum is %(limit)s.")
            % {"size": filesizeformat(total), "limit": filesizeformat(limit)}
        )


def safe_filename(name):
    base = os.path.basename(name or "")
    return UNSAFE_IN_FILENAMES.sub(" ", base).strip(" .")[:200] or _("bijlage")


def participant(conversation, person):
    """The person's row in the conversation (a Guardian or StaffMember), added if new."""
    field = "guardian" if isinstance(person, Guardian) else "staff_member"
    if not isinstance(person, Guardian | StaffMember):
        raise TypeError(f"not a guardian or staff member: {person!r}")
    row, _created = Participant.objects.get_or_create(conversation=conversation, **{field: person})
    return row


def start_conversation(*, school, subject, sender, recipients, body, files=()):
    """A new conversation of ``sender`` with ``recipients`` (Guardians and StaffMembers,
    already checked against ``access`` by the caller), and its first message."""
    with transaction.atomic():
        now = timezone.now()
        conversation = Conversation.objects.create(
            school=school, subject=subject.strip(), started_at=now, last_message_at=now
        )
        sender_row = participant(conversation, sender)
        for person in recipients:
            participant(conversation, person)
        return send_message(conversation, sender_row, body, files)


def send_message(conversation, sender, body, files=()):
    """Add a message by ``sender`` (a Participant of ``conversation``) and queue its e-mails:
    one to every other party with an address. Returns the Message."""
    if sender.conversation_id != conversation.pk:
        raise ValueError("the sender does not take part in this conversation")
    with transaction.atomic():
        now = timezone.now()
        message = Message.objects.create(
            conversation=conversation, sender=sender, body=body.strip(), sent_at=now
        )
        for upload in files:
            MessageAttachment.objects.create(
                message=message, file=upload, name=safe_filename(upload.name), size=upload.size
            )
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
        conversation.last_message_at = now
        Participant.objects.filter(pk=sender.pk).update(last_read_at=now)
        sender.last_read_at = now
        outbox.queue(KIND, message.pk, recipient_addresses(conversation, sender))
        # Their menus count one more unread message (and the sender's pages show it sent).
        users = party_user_ids(conversation)
        transaction.on_commit(lambda: forget_user_pages(users))
    return message


def party_user_ids(conversation):
    """Accounts of everybody in the conversation (guardians and staff)."""
    rows = Participant.objects.filter(conversation=conversation).values_list(
        "guardian__user_id", "staff_member__user_id"
    )
    return {user for pair in rows for user in pair if user is not None}


def recipient_addresses(conversation, sender):
    """(e-mail, user id) of every party but the sender: a guardian's profile address, else
    their login; a staff member's own address (they read their messages in the admin)."""
    others = (
        Participant.objects.filter(conversation=conversation)
        .exclude(pk=sender.pk)
        .select_related("guardian__user", "staff_member")
    )
    addresses = []
    for row in others:
        if row.staff_member_id:
            addresses.append((row.staff_member.email, row.staff_member.user_id))
        else:
            guardian = row.guardian
            login = guardian.user.email if guardian.user_id else ""
            addresses.append((guardian.email or login, guardian.user_id))
    return [(email, user_id) for email, user_id in addresses if email]


def mark_read(participant_row, user_id=None):
    """The participant (the account ``user_id``, when the caller knows it) has read the
    conversation up to now."""
    now = timezone.now()
    Participant.objects.filter(pk=participant_row.pk).update(last_read_at=now)
    participant_row.last_read_at = now
    user_id = user_id or participant_row.user_id
    transaction.on_commit(lambda: forget_user_pages([user_id]))


def sent_recently(participants, hours=1):
    """How many messages these participant rows (one person's) sent within ``hours``."""
    since = timezone.now() - timedelta(hours=hours)
    return Message.objects.filter(sender__in=participants, sent_at__gte=since).count()
