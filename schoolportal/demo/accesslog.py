"""The demo school's Inzagelog: juf Bakker opened the class list of groep 3 two days ago,
directie opened Emma Jansen's record and changed her allergies yesterday, Marieke Jansen
changed her phone number this morning. Written through ``accesslog.recording``, so
"Inzagelog" in the admin shows what the screens themselves write.

Loaded once: when the school has log rows already, nothing is added.
"""

from datetime import timedelta

from django.utils import timezone

from schoolportal.accesslog.models import AccessLogEntry, Action, Screen
from schoolportal.accesslog.recording import entries
from schoolportal.people.models import Group, Guardian, Pupil, School, StaffMember


def _staff(school, email):
    member = StaffMember.objects.filter(school=school, user__email=email).select_related("user")
    return member.first()


def build_accesslog(builder, school: School):
    if AccessLogEntry.objects.filter(school=school).exists():
        return
    now = timezone.now()
    rows = []
    teacher = _staff(school, "juf.bakker@example.org")
    group = Group.objects.filter(school=school, teachers=teacher).first() if teacher else None
    if group is not None:
        pupils = list(Pupil.objects.filter(group=group))
        guardians = Guardian.objects.filter(guardianships__pupil__in=pupils).distinct()
        for row in entries(
            teacher.user,
            Action.VIEWED,
            where=Screen.ADMIN_CLASS_LIST,
            pupils=pupils,
            guardians=guardians,
            school=school,
        ):
            row.at = now - timedelta(days=2)
            rows.append(row)
    management = _staff(school, "directie@example.org")
    emma = Pupil.objects.filter(school=school, first_name="Emma", last_name="Jansen").first()
    if management is not None and emma is not None:
        for action, fields in ((Action.VIEWED, ()), (Action.CHANGED, ("allergies",))):
            for row in entries(
                management.user, action, where=Screen.ADMIN_PUPIL, pupils=[emma], fields=fields
            ):
                row.at = now - timedelta(days=1)
                rows.append(row)
    marieke = Guardian.objects.filter(user__email="ouder.jansen@example.org").first()
    if marieke is not None:
        for row in entries(
            marieke.user,
            Action.CHANGED,
            where=Screen.PORTAL_PROFILE,
            guardians=[marieke],
            fields=("phone",),
        ):
            row.at = now - timedelta(hours=2)
            rows.append(row)
    AccessLogEntry.objects.bulk_create(rows)
    for _row in rows:
        builder.report.count(AccessLogEntry._meta.verbose_name_plural, True)
