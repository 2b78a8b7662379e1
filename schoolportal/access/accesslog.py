"""Inzagelog: who reads the access log, and which school a guardian's row belongs to.

Management and administration read the rows of the schools they manage (a superuser every
school's); teachers do not: the log tells who looked at whom, which is management's to
check. Nobody changes a row: only ``schoolportal.accesslog.recording`` writes them.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from schoolportal.accesslog.models import AccessLogEntry
from schoolportal.people.models import Guardianship, Pupil, StaffMember

from .scope import is_anonymous, scope


def may_read_access_log(user):
    return not is_anonymous(user) and (user.is_superuser or bool(scope(user).managed_school_ids))


def access_log_entries(user):
    """The log rows the user may read."""
    if not may_read_access_log(user):
        return AccessLogEntry.objects.none()
    if user.is_superuser:
        return AccessLogEntry.objects.all()
    return AccessLogEntry.objects.filter(school_id__in=scope(user).managed_school_ids)


def access_log_pupils(user):
    """Pupils the log screen filters on: every pupil of the schools whose log the user reads,
    those who left included (their rows stay until they expire)."""
    if not may_read_access_log(user):
        return Pupil.objects.none()
    if user.is_superuser:
        return Pupil.objects.all()
    return Pupil.objects.filter(school_id__in=scope(user).managed_school_ids)


def access_log_staff(user):
    """Accounts of the staff of the schools whose log the user reads, to filter on."""
    if not may_read_access_log(user):
        return get_user_model().objects.none()
    staff = StaffMember.objects.filter(user__isnull=False).order_by()
    if not user.is_superuser:
        staff = staff.filter(school_id__in=scope(user).managed_school_ids)
    return get_user_model().objects.filter(pk__in=staff.values("user_id"))


def log_schools_of_guardians(user, guardian_ids):
    """{guardian id: [school id]}: the schools a row about each guardian belongs to.

    The schools of the guardian's children: for their own profile all of them; for a staff
    member only those where they work (management of another school has no business with
    what happened here). One query.
    """
    links = Guardianship.objects.filter(guardian_id__in=guardian_ids).order_by()
    if not is_anonymous(user) and not user.is_superuser:
        rights = scope(user)
        if rights.staff_school_ids:
            links = links.filter(
                Q(guardian__user_id=user.pk) | Q(pupil__school_id__in=rights.staff_school_ids)
            )
    schools = {}
    for guardian_id, school_id in links.values_list("guardian_id", "pupil__school_id").distinct():
        schools.setdefault(guardian_id, []).append(school_id)
    return schools
