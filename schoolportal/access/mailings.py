"""Mailings: which a parent reads and answers, which a klassenouder writes, which staff change.

Whom a mailing is addressed to is no rule about users: ``schoolportal.mailings.recipients``.
"""

from django.db.models import Q

from schoolportal.mailings.models import (
    AddressedPupil,
    Audience,
    Mailing,
    MailingAttachment,
    ReplySlipAnswer,
    Sender,
)
from schoolportal.people.models import Group, Pupil, School

from .scope import editable_by_group, is_anonymous, scope


def mailings_for(user):
    """Sent mailings that were sent for one of the user's children."""
    if is_anonymous(user):
        return Mailing.objects.none()
    # Subqueries on the user's id: a parent's list needs no read of their ``Scope``.
    addressed = AddressedPupil.objects.filter(pupil__guardianships__guardian__user_id=user.pk)
    return Mailing.objects.sent().filter(pk__in=addressed.values("mailing_id"))


def mailing_for(user, pk):
    """Mailing ``pk`` with its school, if it is one of ``mailings_for``; else None."""
    if is_anonymous(user):
        return None
    return mailings_for(user).filter(pk=pk).select_related("school").first()


def attachments_for(user, mailing):
    """The attachments of a mailing the user may read (``mailing`` from ``mailings_for``)."""
    if not mailings_for(user).filter(pk=mailing.pk).exists():
        return MailingAttachment.objects.none()
    return MailingAttachment.objects.filter(mailing=mailing)


def own_pupils_addressed_by(user, mailing):
    """The user's children a sent mailing was addressed to, youngest last: whom they answer
    its reply slip for. Nobody answers a mailing that is not sent."""
    if is_anonymous(user) or mailing.sent_at is None:
        return []
    addressed = AddressedPupil.objects.filter(mailing_id=mailing.pk).values("pupil_id")
    own = Pupil.objects.filter(pk__in=addressed, guardianships__guardian__user_id=user.pk)
    return list(own.order_by("date_of_birth"))


def class_parent_groups(user):
    """The groups the user is klassenouder of: they write mailings to those groups' parents."""
    if is_anonymous(user):
        return Group.objects.none()
    return Group.objects.filter(class_parents__guardian__user=user)


def is_class_parent(user):
    """Whether the user is klassenouder of a group (and so writes mailings to it)."""
    return not is_anonymous(user) and bool(scope(user).class_parent_group_ids)


def _class_parents_mailings(user):
    """Mailings the user wrote as klassenouder, to a group they still are klassenouder of."""
    if is_anonymous(user):
        return Mailing.objects.none()
    for_their_groups = Mailing.groups.through.objects.filter(
        group__class_parents__guardian__user_id=user.pk
    ).values("mailing_id")
    return Mailing.objects.filter(
        created_by_id=user.pk, sender=Sender.CLASS_PARENTS, pk__in=for_their_groups
    )


def own_mailing_drafts(user):
    """Mailings a class parent wrote and has not sent yet: only they see and send them."""
    return _class_parents_mailings(user).filter(sent_at__isnull=True)


def own_mailing_drafts_newest_first(user):
    """``own_mailing_drafts`` as a list, newest first (the Mailings page lists them)."""
    return list(own_mailing_drafts(user).order_by("-created_at"))


def own_sent_mailings(user):
    """Mailings a class parent wrote and sent: they see the answers to their reply slips."""
    return _class_parents_mailings(user).sent()


def is_own_sent_mailing(user, mailing):
    """Whether ``mailing`` is one of ``own_sent_mailings(user)``; asks the database only
    when the mailing's author and sender leave it possible."""
    if is_anonymous(user) or mailing.created_by_id != user.pk:
        return False
    if mailing.sender != Sender.CLASS_PARENTS:
        return False
    return own_sent_mailings(user).filter(pk=mailing.pk).exists()


def open_reply_slips_of_taught_groups(user, now):
    """Sent mailings to a group the user teaches whose reply slip is still open."""
    if is_anonymous(user):
        return Mailing.objects.none()
    to_taught = Mailing.groups.through.objects.filter(
        group_id__in=scope(user).taught_group_ids
    ).values("mailing_id")
    return (
        Mailing.objects.sent()
        .filter(pk__in=to_taught, audience=Audience.GROUPS, reply_fields__isnull=False)
        .filter(Q(reply_deadline__isnull=True) | Q(reply_deadline__gt=now))
        .distinct()
    )


def writes_to_every_school(user):
    """Whether the user writes to the families of every school at once (the school board):
    a superuser, or management or administration of every school, where there are several."""
    if is_anonymous(user):
        return False
    schools = set(School.objects.values_list("pk", flat=True))
    if len(schools) < 2:
        return False
    return user.is_superuser or schools <= set(scope(user).managed_school_ids)


def _without_other_schools_families(user, rows, audience_field):
    """A mailing to every school reaches families of schools where the user does not work:
    only who writes to every school follows it up (its delivery, its answers)."""
    if writes_to_every_school(user):
        return rows
    return rows.exclude(**{audience_field: Audience.EVERY_SCHOOL})


def editable_mailings(user):
    """Mailings a staff member may change: all of a managed school's, or a teacher's groups'.

    Like the agenda: a teacher's mailing is for groups they teach only.
    """
    mailings = editable_by_group(Mailing, user, for_groups=Q(audience=Audience.GROUPS))
    return _without_other_schools_families(user, mailings, "audience")


def staff_mailings(user):
    """Mailings the admin shows a staff member: their schools', with delivery and answers."""
    mailings = Mailing.objects.filter(school_id__in=scope(user).staff_school_ids)
    return _without_other_schools_families(user, mailings, "audience")


def staff_reply_slip_answers(user):
    """Answers to the reply slips of ``staff_mailings``."""
    answers = ReplySlipAnswer.objects.filter(mailing__school_id__in=scope(user).staff_school_ids)
    return _without_other_schools_families(user, answers, "mailing__audience")
