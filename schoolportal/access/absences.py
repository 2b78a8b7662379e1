"""Absences: whose absences a parent reports and reads, and which reports staff see.

A parent reports and reads absences of their own children at a school that uses the
module (``School.absences_enabled``). Staff see the reports of the schools they manage,
a teacher those of the groups they teach (the group the child was in when it was
reported, or the child's group today).
"""

from django.db.models import Q

from schoolportal.absences.models import AbsenceReport
from schoolportal.people.models import Group, Pupil

from .people import children_at_schools_using, children_with_authority
from .scope import is_anonymous, scope


def absence_pupils(user):
    """The user's children an absence may be reported for: at a school using the module."""
    return children_at_schools_using(user, "absences_enabled")


def uses_absences(user):
    """Whether one of the user's children is at a school that uses absence reports."""
    return absence_pupils(user).exists()


def reports_absences(user):
    """Whether the user reports one of their children absent: at a school using the module,
    a child they have parental authority over (reporting is in the school's name)."""
    if is_anonymous(user):
        return False
    return absence_pupils(user).filter(pk__in=children_with_authority(user)).exists()


def own_absence_reports(user):
    """Reports of the user's children, while their school uses the module."""
    if is_anonymous(user):
        return AbsenceReport.objects.none()
    return AbsenceReport.objects.filter(
        pupil_id__in=scope(user).pupil_ids, school__absences_enabled=True
    )


def own_open_absence_report(user, pk):
    """Open report ``pk`` of one of the user's children, with child and school; else None."""
    return own_absence_reports(user).open().select_related("pupil", "school").filter(pk=pk).first()


def staff_absence_reports(user):
    """Reports the admin shows: a managed school's, or of a group the user teaches."""
    if is_anonymous(user):
        return AbsenceReport.objects.none()
    if user.is_superuser:
        return AbsenceReport.objects.all()
    rights = scope(user)
    taught = rights.taught_group_ids
    return AbsenceReport.objects.filter(
        Q(school_id__in=rights.managed_school_ids)
        | Q(school_id__in=rights.staff_school_ids, group_id__in=taught)
        | Q(school_id__in=rights.staff_school_ids, pupil__group_id__in=taught)
    )


def staff_absence_pupils(user):
    """Pupils a staff member records an absence for (a call to school): a managed school's,
    or of a group they teach."""
    if is_anonymous(user):
        return Pupil.objects.none()
    if user.is_superuser:
        return Pupil.objects.current()
    rights = scope(user)
    return Pupil.objects.current().filter(
        Q(school_id__in=rights.managed_school_ids)
        | Q(school_id__in=rights.staff_school_ids, group_id__in=rights.taught_group_ids)
    )


def staff_absence_groups(user):
    """Groups whose absences a staff member follows: a managed school's, or taught ones."""
    if is_anonymous(user):
        return Group.objects.none()
    if user.is_superuser:
        return Group.objects.all()
    rights = scope(user)
    return Group.objects.filter(
        Q(school_id__in=rights.managed_school_ids)
        | Q(school_id__in=rights.staff_school_ids, pk__in=rights.taught_group_ids)
    )
