"""Overblijven: whose lunch days a parent registers and cancels, and which staff see.

A parent registers and cancels lunch days of their own children at a school that uses
the module (``School.lunch_enabled``). Management and administration see their whole
school's days, a teacher those of the children in the groups they teach.
"""

from django.db.models import Q

from schoolportal.lunch.models import LunchDay
from schoolportal.people.models import Pupil

from .absences import staff_absence_groups
from .people import children_at_schools_using
from .scope import is_anonymous, scope


def lunch_pupils(user):
    """The user's children at a school that uses overblijven."""
    return children_at_schools_using(user, "lunch_enabled")


def uses_lunch(user):
    """Whether one of the user's children is at a school that uses overblijven."""
    return lunch_pupils(user).exists()


def lunch_pupil_for(user, pk):
    """Child ``pk`` of the user (with school and group) at a school using the module; else
    None."""
    return lunch_pupils(user).select_related("school", "group").filter(pk=pk).first()


def own_lunch_days(user):
    """Lunch days of the user's children, while their school uses the module."""
    if is_anonymous(user):
        return LunchDay.objects.none()
    return LunchDay.objects.filter(pupil_id__in=scope(user).pupil_ids, school__lunch_enabled=True)


def own_active_lunch_day(user, pk):
    """Lunch day ``pk`` (not cancelled) of one of the user's children, with child and
    school; else None."""
    return own_lunch_days(user).active().select_related("pupil", "school").filter(pk=pk).first()


def staff_lunch_days(user):
    """Lunch days the admin shows: a managed school's, or of a child in a taught group."""
    if is_anonymous(user):
        return LunchDay.objects.none()
    if user.is_superuser:
        return LunchDay.objects.all()
    rights = scope(user)
    return LunchDay.objects.filter(
        Q(school_id__in=rights.managed_school_ids)
        | Q(school_id__in=rights.staff_school_ids, pupil__group_id__in=rights.taught_group_ids)
    )


def staff_lunch_groups(user):
    """Groups whose lunch lists a staff member reads, at schools that use overblijven."""
    # The same staff as follow a group's absences: its school's management or its teachers.
    return staff_absence_groups(user).filter(school__lunch_enabled=True)


def staff_lunch_pupils(user):
    """Pupils a staff member registers lunch days for: a managed school's, or of a taught
    group."""
    if is_anonymous(user):
        return Pupil.objects.none()
    if user.is_superuser:
        return Pupil.objects.current()
    rights = scope(user)
    return Pupil.objects.current().filter(
        Q(school_id__in=rights.managed_school_ids)
        | Q(school_id__in=rights.staff_school_ids, group_id__in=rights.taught_group_ids)
    )
