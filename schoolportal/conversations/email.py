"""The e-mail of a message: one per other party, through the outbox.

It carries the whole message and its attachments, and links to the conversation (the
portal for guardians, the admin for staff; both through the login). It comes from the
school's no-reply address with the sender's name as display name: a parent never sees a
staff member's own address, and replying by e-mail is not possible (the e-mail says so).
"""

import mimetypes
from email.utils import formataddr, make_msgid, parseaddr

from django.conf import settings
from django.urls import reverse

from schoolportal.accounts.models import normalise_email
from schoolportal.notifications import outbox
from schoolportal.notifications.email import absolute, render_email

from .models import Message, Participant
from .sending import KIND

# The admin's conversation view (snippets/conversations.py): staff read and answer there.
STAFF_CONVERSATION_URL = "conversations_admin:conversation"


def no_reply_address():
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def _domain():
    return no_reply_address().rpartition("@")[2] or "localhost"


def conversation_link(conversation_id, for_staff):
    if for_staff:
        return absolute(reverse(STAFF_CONVERSATION_URL, args=[conversation_id]))
    return absolute(reverse("conversations:conversation", args=[conversation_id]))


def _recipient(message, outbox_message):
    """The party an outbox row is addressed to: matched on the address it was queued for,
    else on its account (the address changed since)."""
    others = list(
        Participant.objects.filter(conversation_id=message.conversation_id)
        .exclude(pk=message.sender_id)
        .select_related("guardian__user", "staff_member")
    )
    address = normalise_email(outbox_message.recipient_email)
    for row in others:
        if row.staff_member_id:
            candidate = row.staff_member.email
        else:
            login = row.guardian.user.email if row.guardian.user_id else ""
            candidate = row.guardian.email or login
        if candidate and normalise_email(candidate) == address:
            return row
    user_id = outbox_message.recipient_user_id
    for row in others:
        if user_id is not None and row.user_id == user_id:
            return row
    raise Participant.DoesNotExist(f"nobody in conversation {message.conversation_id}")


def _attachment(attachment):
    with attachment.file.open("rb") as handle:
        content = handle.read()
    mimetype = mimetypes.guess_type(attachment.name)[0] or "application/octet-stream"
    return (attachment.name, content, mimetype)


@outbox.renderer(KIND)
def render_message(outbox_message):
    message = (
        Message.objects.select_related(
            "conversation__school", "sender__guardian", "sender__staff_member"
        )
        .prefetch_related("attachments")
        .get(pk=outbox_message.cause_id)
    )
    recipient = _recipient(message, outbox_message)
    sender_name = message.sender.display_name
    attachments = list(message.attachments.all())
    context = {
        "conversation": message.conversation,
        "school": message.conversation.school,
        "message": message,
        "sender_name": sender_name,
        "attachments": attachments,
        "link": conversation_link(message.conversation_id, recipient.is_staff),
        "for_staff": recipient.is_staff,
    }
    email = render_email(
        "conversation_message",
        context,
        outbox_message.recipient_email,
        from_email=formataddr((sender_name, no_reply_address())),
        headers={
            "Message-ID": make_msgid(
                idstring=f"{KIND}.{message.pk}.{outbox_message.pk}", domain=_domain()
            )
        },
    )
    for attachment in attachments:
        email.attach(*_attachment(attachment))
    return email
