"""Berichten: who takes part in which conversation, and whom a parent may write to.

Conversations are private to their parties. Nobody reads a conversation they do not take
part in: not management, not a superuser. A user takes part as a guardian (the portal) or
as one of their staff memberships (the admin); ``role`` picks one side, None both.

Parents write only to staff of the schools their children attend, never to other
parents. Which guardians and staff a staff member may address is the staff side's rule
(``staff_conversations``).
"""

from datetime import UTC, datetime

from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce

from schoolportal.conversations.models import (
    Conversation,
    Message,
    MessageAttachment,
    Participant,
)
from schoolportal.people.models import StaffMember

from .scope import is_anonymous, scope

GUARDIAN_ROLE = "guardian"
STAFF_ROLE = "staff"
# "Never read" compares like "read before anything was sent".
_NEVER = Value(datetime(1970, 1, 1, tzinfo=UTC))


def own_participants(user, role=None):
    """The user's own participant rows: as guardian, as any staff membership, or both."""
    if is_anonymous(user):
        return Participant.objects.none()
    guardian = Q(guardian__user_id=user.pk)
    staff = Q(staff_member__user_id=user.pk)
    condition = {GUARDIAN_ROLE: guardian, STAFF_ROLE: staff, None: guardian | staff}[role]
    return Participant.objects.filter(condition)


def conversations_for(user, role=None):
    """Conversations the user takes part in (nobody else's, whatever their role)."""
    return Conversation.objects.filter(
        pk__in=own_participants(user, role).values("conversation_id")
    )


def with_unread(participants):
    """Participant rows annotated with ``unread``: a message from someone else arrived
    after they last read the conversation (or they never did)."""
    newer = Message.objects.filter(
        conversation_id=OuterRef("conversation_id"),
        sent_at__gt=Coalesce(OuterRef("last_read_at"), _NEVER),
    ).exclude(sender_id=OuterRef("pk"))
    return participants.annotate(unread=Exists(newer))


def unread_messages(user, role=None):
    """Messages to the user that they have not read yet (for the menu's count)."""
    participants = own_participants(user, role)
    reading = participants.filter(conversation_id=OuterRef("conversation_id")).filter(
        Q(last_read_at__isnull=True) | Q(last_read_at__lt=OuterRef("sent_at"))
    )
    return Message.objects.filter(Exists(reading)).exclude(sender_id__in=participants.values("pk"))


def addressable_staff(user):
    """Staff a parent may write to: everybody working at a school their children attend
    (not the parent's own staff memberships)."""
    if is_anonymous(user):
        return StaffMember.objects.none()
    return StaffMember.objects.filter(school_id__in=scope(user).child_school_ids).exclude(
        user_id=user.pk
    )


def message_attachments_for(user, role=None):
    """Files of messages in the user's conversations."""
    return MessageAttachment.objects.filter(
        message__conversation_id__in=own_participants(user, role).values("conversation_id")
    )


def may_read_conversation(user, conversation, role=None):
    return own_participants(user, role).filter(conversation_id=conversation.pk).exists()
