"""Berichten, the staff side: a staff member's conversations in the admin, and whom they
may write to.

A staff member reads only the conversations they take part in (as one of their staff
memberships): management and superusers included, nobody reads another's. They write, from
one school they work at, to the guardians of pupils in the groups they teach (management
and administration: of any group of that school) and to their colleagues there. Whom they
add to a conversation later are the other guardians of a child whose guardian already takes
part: both parents of a child may read one conversation, two families never share one.
"""

from django.db.models import Q

from schoolportal.conversations.models import Participant
from schoolportal.people.models import Group, Guardian, Guardianship, StaffMember, still_at_school

from .conversations import (
    STAFF_ROLE,
    conversations_for,
    message_attachments_for,
    own_participants,
    with_unread,
)
from .scope import is_anonymous, scope

__all__ = [
    "addable_co_guardians",
    "addressable_colleagues",
    "addressable_groups",
    "addressable_guardians",
    "addressable_guardianships",
    "families_among",
    "membership_at",
    "own_staff_participants",
    "staff_conversations",
    "staff_message_attachments",
    "unread_staff_conversation_count",
    "writing_schools",
]


def staff_conversations(user):
    """Conversations the user takes part in as staff: what the admin's Berichten lists."""
    return conversations_for(user, STAFF_ROLE)


def own_staff_participants(user):
    """The user's participant rows as staff, each annotated with ``unread``."""
    return with_unread(own_participants(user, STAFF_ROLE))


def unread_staff_conversation_count(user):
    """How many of the user's conversations (as staff) have a message they have not read:
    the number on the admin's menu item. One query."""
    unread = own_staff_participants(user).filter(unread=True)
    return unread.values("conversation_id").distinct().count()


def staff_message_attachments(user):
    """Files of the messages in the user's conversations as staff: what the admin serves."""
    return message_attachments_for(user, STAFF_ROLE)


def writing_schools(user):
    """Schools the user writes from: those they work at (a superuser with no membership
    takes part in no conversation)."""
    if is_anonymous(user):
        return []
    return scope(user).staff_school_ids


def membership_at(user, school_id):
    """The user's staff membership at the school: who they write as. None if they do not
    work there."""
    if is_anonymous(user):
        return None
    memberships = StaffMember.objects.filter(user_id=user.pk, school_id=school_id)
    return memberships.select_related("school").order_by().first()


def addressable_groups(user, school_id):
    """Groups of the school whose guardians the user may write to: the groups they teach
    there; management and administration: every group of the school."""
    if is_anonymous(user) or school_id not in scope(user).staff_school_ids:
        return Group.objects.none()
    rights = scope(user)
    if school_id in rights.managed_school_ids:
        return Group.objects.filter(school_id=school_id)
    return Group.objects.filter(school_id=school_id, pk__in=rights.taught_group_ids)


def addressable_guardianships(user, school_id):
    """Guardian–child pairs of the school the user may write to (see ``addressable_groups``;
    management and administration also reach a pupil without a group)."""
    if is_anonymous(user) or school_id not in scope(user).staff_school_ids:
        return Guardianship.objects.none()
    # Not themselves: a teacher whose child is in her group writes as staff, not to herself.
    pairs = Guardianship.objects.filter(
        still_at_school("pupil__"), pupil__school_id=school_id
    ).exclude(guardian__user_id=user.pk)
    if school_id in scope(user).managed_school_ids:
        return pairs
    return pairs.filter(pupil__group_id__in=scope(user).taught_group_ids)


def addressable_guardians(user, school_id):
    """Guardians the user may write to from the school."""
    pairs = addressable_guardianships(user, school_id)
    return Guardian.objects.filter(pk__in=pairs.values("guardian_id"))


def addressable_colleagues(user, school_id):
    """Staff of the school the user may write to: everybody working there but themselves."""
    if is_anonymous(user) or school_id not in scope(user).staff_school_ids:
        return StaffMember.objects.none()
    return StaffMember.objects.filter(school_id=school_id).exclude(user_id=user.pk)


def addable_co_guardians(conversation):
    """Guardians who may join the conversation: the other guardians of a child (at the
    conversation's school) whose guardian already takes part. Ask it only for a
    conversation of ``staff_conversations``."""
    present = Participant.objects.filter(conversation=conversation, guardian__isnull=False)
    children = Guardianship.objects.filter(
        guardian_id__in=present.values("guardian_id"),
        pupil__school_id=conversation.school_id,
    ).values("pupil_id")
    return Guardian.objects.filter(
        Q(pk__in=Guardianship.objects.filter(pupil_id__in=children).values("guardian_id"))
        & ~Q(pk__in=present.values("guardian_id"))
    )


def families_among(guardian_ids, school_id):
    """The guardians split into the groups that may share one conversation, each a list of
    ids: guardians of one child (at the school) together, two families never.

    Largest first: both parents of a child share one, and a parent with children of two
    relationships is in the first of them only, so every guardian is in exactly one."""
    pairs = Guardianship.objects.filter(
        guardian_id__in=guardian_ids, pupil__school_id=school_id
    ).values_list("pupil_id", "guardian_id")
    by_child = {}
    for pupil_id, guardian_id in pairs:
        by_child.setdefault(pupil_id, set()).add(guardian_id)
    candidates = sorted(
        {frozenset(ids) for ids in by_child.values()}, key=lambda ids: (-len(ids), min(ids))
    )
    families, placed = [], set()
    for ids in candidates:
        if rest := ids - placed:
            families.append(sorted(rest))
            placed |= rest
    families.extend([pk] for pk in sorted(set(guardian_ids) - placed))
    return families
