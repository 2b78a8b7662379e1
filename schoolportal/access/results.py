"""Resultaten: which reports and test results a parent reads, and which staff manage.

A parent reads the released reports and results of their own children at a school that
uses the module (``School.results_enabled``); nothing before its release moment. Staff
manage them as they follow absences: a teacher the children of the groups they teach,
management and administration their whole school.
"""

from django.db.models import Count, Q
from django.utils import timezone

from schoolportal.people.models import Pupil
from schoolportal.results.models import SchoolReport, TestResult

from .absences import staff_absence_groups
from .people import children_at_schools_using
from .scope import is_anonymous, scope


def results_pupils(user):
    """The user's children at a school that uses Resultaten."""
    return children_at_schools_using(user, "results_enabled")


def uses_results(user):
    """Whether one of the user's children is at a school that uses Resultaten."""
    return results_pupils(user).exists()


def results_pupil_for(user, pk):
    """Child ``pk`` of the user (with school and group) at a school using the module; else
    None."""
    return results_pupils(user).select_related("school", "group").filter(pk=pk).first()


def _own(model, user, now=None):
    if is_anonymous(user):
        return model.objects.none()
    # The child's school now decides, as for the child's page: a report from a school the
    # child left shows while the current school uses the module.
    return model.objects.released(now).filter(
        pupil_id__in=scope(user).pupil_ids, pupil__school__results_enabled=True
    )


def released_reports(user, now=None):
    """Released reports of the user's children, while their school uses the module."""
    return _own(SchoolReport, user, now)


def released_test_results(user, now=None):
    """Released test results of the user's children, while their school uses the module."""
    return _own(TestResult, user, now)


def children_with_new_results(user, since, now=None):
    """The user's children (at a school using the module) with reports or test results
    released after ``since``, annotated ``new_reports`` and ``new_tests``: one query."""
    now = now or timezone.now()
    counts = {}
    for relation in ("school_reports", "test_results"):
        released = Q(
            **{f"{relation}__released_at__gt": since, f"{relation}__released_at__lte": now}
        )
        counts[relation] = Count(relation, filter=released, distinct=True)
    return (
        results_pupils(user)
        .annotate(new_reports=counts["school_reports"], new_tests=counts["test_results"])
        .filter(Q(new_reports__gt=0) | Q(new_tests__gt=0))
    )


def _staff_rows(model, user):
    if is_anonymous(user):
        return model.objects.none()
    if user.is_superuser:
        return model.objects.all()
    rights = scope(user)
    return model.objects.filter(
        Q(school_id__in=rights.managed_school_ids)
        | Q(school_id__in=rights.staff_school_ids, pupil__group_id__in=rights.taught_group_ids)
    )


def staff_reports(user):
    """Reports the admin shows: a managed school's, or of a child in a taught group."""
    return _staff_rows(SchoolReport, user)


def staff_test_results(user):
    """Test results the admin shows: a managed school's, or of a child in a taught group."""
    return _staff_rows(TestResult, user)


def staff_results_pupils(user):
    """Pupils a staff member publishes results for: a managed school's, or of a taught
    group."""
    if is_anonymous(user):
        return Pupil.objects.none()
    if user.is_superuser:
        return Pupil.objects.all()
    rights = scope(user)
    return Pupil.objects.filter(
        Q(school_id__in=rights.managed_school_ids)
        | Q(school_id__in=rights.staff_school_ids, group_id__in=rights.taught_group_ids)
    )


def staff_results_groups(user):
    """Groups whose results a staff member imports: those whose absences they follow (a
    managed school's, or taught ones)."""
    return staff_absence_groups(user)
