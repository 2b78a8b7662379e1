"""The demo school's absences: Daan Jansen is ill today and expected back the day after
tomorrow, a pupil's parent phoned in this morning, and other pupils have a history of
reports that ended in each of the ways a report ends.

Loaded once: Daan gets his report when he has none, the history when nobody else has
any, so a second run (or a run on another day) adds nothing. No e-mail is queued: the
demo's reports are history.
"""

from datetime import timedelta

from django.utils import timezone

from schoolportal.absences.models import AbsenceReport, EndedBy, Reason, ReportedBy
from schoolportal.people.models import Pupil

# (weeks ago, reason, explanation, school days away, how it ended)
HISTORY = [
    (1, Reason.ILLNESS, "", 2, EndedBy.AUTOMATIC),
    (2, Reason.DOCTOR, "Orthodontist", 1, EndedBy.AUTOMATIC),
    (3, Reason.ILLNESS, "Buikgriep", 3, EndedBy.PARENT),
    (4, Reason.FAMILY, "Begrafenis van opa", 1, EndedBy.AUTOMATIC),
    (5, Reason.OTHER, "Topsporttoernooi", 2, EndedBy.STAFF),
    (6, Reason.ILLNESS, "Waterpokken", 4, EndedBy.PARENT),
]
HISTORY_PUPILS = 12


def _monday(day):
    return day - timedelta(days=day.weekday())


def _report(builder, pupil, **fields):
    report = AbsenceReport.objects.create(
        pupil=pupil, school_id=pupil.school_id, group_id=pupil.group_id, **fields
    )
    builder.report.count(AbsenceReport._meta.verbose_name_plural, True)
    return report


def build_absences(builder, school):
    today = timezone.localdate()
    daan = Pupil.objects.get(school=school, first_name="Daan", last_name="Jansen")
    if not daan.absence_reports.exists():
        _report(
            builder,
            daan,
            reason=Reason.ILLNESS,
            explanation="Koorts",
            first_day=today,
            expected_return=today + timedelta(days=2),
            reported_by=ReportedBy.PARENT,
            reported_by_user=daan.guardians.filter(user__isnull=False).first().user,
        )
    if AbsenceReport.objects.filter(school=school).exclude(pupil=daan).exists():
        return
    others = list(
        Pupil.objects.filter(school=school, group__isnull=False)
        .exclude(last_name__in=["Jansen", "Vries"])
        .order_by("group__lowest_year_level", "last_name", "first_name", "pk")
    )
    chosen = builder.rng.sample(others, min(HISTORY_PUPILS, len(others)))
    for number, pupil in enumerate(chosen):
        weeks, reason, explanation, away, ended_by = HISTORY[number % len(HISTORY)]
        first_day = _monday(today) - timedelta(weeks=weeks) + timedelta(days=number % 3)
        back = first_day + timedelta(days=away)
        _report(
            builder,
            pupil,
            reason=reason,
            explanation=explanation,
            first_day=first_day,
            expected_return=back if ended_by == EndedBy.AUTOMATIC else None,
            returned_on=back,
            ended_at=timezone.now(),
            ended_by=ended_by,
            reported_by=ReportedBy.STAFF if number % 4 == 0 else ReportedBy.PARENT,
        )
        if number == 0:
            # This morning's phone call: still away today, back tomorrow.
            _report(
                builder,
                pupil,
                reason=Reason.DOCTOR,
                explanation="Ziekenhuisbezoek",
                first_day=today,
                expected_return=today + timedelta(days=1),
                reported_by=ReportedBy.STAFF,
            )
