"""Oudergesprekken: which rounds, slots and bookings a parent, teacher or manager reaches.

A parent books for their own children at a school that uses the module
(``School.interviews_enabled``), in rounds for the child's group, with one of that group's
teachers. Management and administration see and change their whole school's rounds; a
teacher sees the rounds of their school, their own slots and the bookings made with them
or for the children they teach.
"""

from django.db.models import Q

from schoolportal.interviews.models import InterviewBooking, InterviewRound, InterviewSlot
from schoolportal.people.models import Pupil, StaffMember

from .people import children_at_schools_using
from .scope import is_anonymous, scope


def interview_pupils(user):
    """The user's children at a school that uses oudergesprekken."""
    return children_at_schools_using(user, "interviews_enabled")


def uses_interviews(user):
    """Whether one of the user's children is at a school that uses oudergesprekken."""
    return interview_pupils(user).exists()


def interview_pupil_for(user, pk):
    """Child ``pk`` of the user (with school and group) at a school using the module; else
    None."""
    return interview_pupils(user).select_related("school", "group").filter(pk=pk).first()


def interview_rounds_for(user):
    """Rounds for the groups of the user's children, at schools that use the module."""
    if is_anonymous(user):
        return InterviewRound.objects.none()
    rights = scope(user)
    rounds = InterviewRound.objects.filter(
        school__interviews_enabled=True,
        school_id__in=rights.child_school_ids,
        groups__in=rights.group_ids,
    ).values("pk")
    return InterviewRound.objects.filter(pk__in=rounds)


def interview_round_for(user, pupil, pk):
    """Round ``pk`` if it is for ``pupil``'s group (``pupil`` from ``interview_pupil_for``);
    else None."""
    if pupil.group_id is None:
        return None
    return (
        interview_rounds_for(user)
        .filter(pk=pk, groups=pupil.group_id)
        .select_related("school")
        .first()
    )


def offered_slots(pupil, interview_round):
    """The round's slots of ``pupil``'s group teachers: the times a parent chooses from."""
    if pupil.group_id is None:
        return InterviewSlot.objects.none()
    return InterviewSlot.objects.filter(
        round=interview_round,
        round__groups=pupil.group_id,
        teacher__groups=pupil.group_id,
    )


def offered_slot(pupil, interview_round, pk):
    """Slot ``pk`` if it is one of ``offered_slots``; else None (another round, group or
    teacher)."""
    return offered_slots(pupil, interview_round).select_related("round").filter(pk=pk).first()


def own_interview_bookings(user):
    """Bookings of the user's children, while their school uses the module."""
    if is_anonymous(user):
        return InterviewBooking.objects.none()
    return InterviewBooking.objects.filter(
        pupil_id__in=scope(user).pupil_ids, round__school__interviews_enabled=True
    )


def own_interview_booking(user, pk):
    """Booking ``pk`` of one of the user's children, with slot, round and child; else None."""
    return (
        own_interview_bookings(user)
        .select_related("slot", "slot__teacher", "round", "pupil")
        .filter(pk=pk)
        .first()
    )


def teacher_interview_bookings(user):
    """Bookings with the user as the teacher: their schedule and their calendar feed."""
    if is_anonymous(user):
        return InterviewBooking.objects.none()
    return InterviewBooking.objects.filter(slot__teacher__user_id=user.pk)


def feed_interview_bookings(user):
    """Bookings in the user's personal calendar feed: their children's and their own as
    the teacher."""
    if is_anonymous(user):
        return InterviewBooking.objects.none()
    return InterviewBooking.objects.filter(
        Q(pupil_id__in=scope(user).pupil_ids, round__school__interviews_enabled=True)
        | Q(slot__teacher__user_id=user.pk)
    )


def staff_interview_rounds(user):
    """Rounds the admin shows: every round of a school the user works at."""
    if is_anonymous(user):
        return InterviewRound.objects.none()
    if user.is_superuser:
        return InterviewRound.objects.all()
    return InterviewRound.objects.filter(school_id__in=scope(user).staff_school_ids)


def editable_interview_rounds(user):
    """Rounds a staff member plans (days, times, groups): a managed school's."""
    if is_anonymous(user):
        return InterviewRound.objects.none()
    if user.is_superuser:
        return InterviewRound.objects.all()
    return InterviewRound.objects.filter(school_id__in=scope(user).managed_school_ids)


def staff_interview_slots(user):
    """Slots the admin shows and changes: a managed school's, or the teacher's own."""
    if is_anonymous(user):
        return InterviewSlot.objects.none()
    if user.is_superuser:
        return InterviewSlot.objects.all()
    rights = scope(user)
    return InterviewSlot.objects.filter(
        Q(round__school_id__in=rights.managed_school_ids)
        | Q(round__school_id__in=rights.staff_school_ids, teacher__user_id=user.pk)
    )


def staff_interview_bookings(user):
    """Bookings the admin shows: a managed school's, with the teacher, or of a child they
    teach."""
    if is_anonymous(user):
        return InterviewBooking.objects.none()
    if user.is_superuser:
        return InterviewBooking.objects.all()
    rights = scope(user)
    return InterviewBooking.objects.filter(
        Q(round__school_id__in=rights.managed_school_ids)
        | Q(round__school_id__in=rights.staff_school_ids, slot__teacher__user_id=user.pk)
        | Q(
            round__school_id__in=rights.staff_school_ids,
            pupil__group_id__in=rights.taught_group_ids,
        )
    )


def staff_interview_pupils(user):
    """Pupils staff book for on a parent's behalf: a managed school's, or of a taught group."""
    if is_anonymous(user):
        return Pupil.objects.none()
    if user.is_superuser:
        return Pupil.objects.all()
    rights = scope(user)
    return Pupil.objects.filter(
        Q(school_id__in=rights.managed_school_ids)
        | Q(school_id__in=rights.staff_school_ids, group_id__in=rights.taught_group_ids)
    )


def interview_teachers(user):
    """Staff a user plans interview times for: everyone at a managed school, else themselves."""
    if is_anonymous(user):
        return StaffMember.objects.none()
    if user.is_superuser:
        return StaffMember.objects.all()
    return StaffMember.objects.filter(
        Q(school_id__in=scope(user).managed_school_ids) | Q(user_id=user.pk)
    )
