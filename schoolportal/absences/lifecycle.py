"""What happens to an absence report: reported, changed, ended; and the daily run that
reminds guardians and brings children back.

Every change is one conditional UPDATE (or a row lock around a check and an insert), so a
double click, two browser tabs or two workers make one change and queue one e-mail. The
reminder and the automatic return are questions about the current state, not timers: a
run that was missed is made up by the next one, and a run repeated changes nothing.
"""

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from schoolportal.notifications import outbox
from schoolportal.people.models import Guardian, Pupil, StaffMember

from .models import AbsenceReminder, AbsenceReport, EndedBy
from .schooldays import LONGEST_BREAK, calendar_for
from .signals import absence_days_changed

CONFIRMATION = "absence-confirmation"
# Reminders wait for the morning of their day (a run just after midnight would wake people).
REMINDER_FROM_HOUR = 7
TEACHER_NOTICE = "absence-teacher"
REMINDER = "absence-reminder"


class Overlap(Exception):
    """The child has an open report for some of the same days."""

    def __init__(self, report):
        super().__init__(report.pk)
        self.report = report


class AlreadyEnded(Exception):
    """The report was ended meanwhile (by the other parent, school or the daily run)."""


def guardian_addresses(pupil_id):
    """(e-mail address, user id) of the child's guardians: their profile's address, else
    their login's; guardians with neither are left out."""
    return (
        Guardian.objects.filter(guardianships__pupil_id=pupil_id)
        .annotate(address=Coalesce(NullIf("email", Value("")), "user__email"))
        .exclude(address__isnull=True)
        .exclude(address="")
        .values_list("address", "user_id")
    )


def teacher_addresses(report):
    """The teachers of the group the child is in, as (e-mail address, user id)."""
    if report.group_id is None:
        return []
    return StaffMember.objects.filter(groups=report.group_id).values_list("email", "user_id")


def overlapping_open_report(pupil_id, first_day, expected_return, exclude=None):
    reports = AbsenceReport.objects.open().filter(pupil_id=pupil_id).exclude(pk=exclude)
    return next((report for report in reports if report.covers(first_day, expected_return)), None)


def _lock_pupil(pupil_id):
    # Reports of one child are checked for overlap and written one at a time (a row lock on
    # PostgreSQL; SQLite's IMMEDIATE transactions queue writers anyway).
    Pupil.objects.select_for_update().filter(pk=pupil_id).exists()


def report_absence(pupil, *, reason, explanation, first_day, expected_return, user, by):
    """Record an absence and queue its e-mails (guardians, teachers); raises ``Overlap``."""
    with transaction.atomic():
        _lock_pupil(pupil.pk)
        clash = overlapping_open_report(pupil.pk, first_day, expected_return)
        if clash is not None:
            raise Overlap(clash)
        report = AbsenceReport.objects.create(
            pupil=pupil,
            school_id=pupil.school_id,
            group_id=pupil.group_id,
            reason=reason,
            explanation=explanation,
            first_day=first_day,
            expected_return=expected_return,
            reported_by=by,
            reported_by_user=user if user is not None and user.is_authenticated else None,
        )
        notify_reported(report)
        days_changed(report)
    return report


def days_changed(report):
    """Tell whoever follows absences (overblijven) which days ``report`` covers now; call it
    inside the transaction that changed them."""
    absence_days_changed.send(sender=AbsenceReport, report=report)


def notify_reported(report):
    """The confirmation to every guardian and the notice to the child's teachers, once."""
    outbox.queue(CONFIRMATION, report.pk, guardian_addresses(report.pupil_id))
    outbox.queue(TEACHER_NOTICE, report.pk, teacher_addresses(report))


def change_return(report, expected_return):
    """A new expected return date (extended or shortened); a new date gets its own reminder.

    Raises ``AlreadyEnded`` or ``Overlap``.
    """
    with transaction.atomic():
        _lock_pupil(report.pupil_id)
        clash = overlapping_open_report(
            report.pupil_id, report.first_day, expected_return, exclude=report.pk
        )
        if clash is not None:
            raise Overlap(clash)
        changed = AbsenceReport.objects.open().filter(pk=report.pk)
        fields = {"expected_return": expected_return, "updated_at": timezone.now()}
        if expected_return != report.expected_return:
            fields["reminder_sent_at"] = None
        if not changed.update(**fields):
            raise AlreadyEnded
        report.refresh_from_db()
        days_changed(report)
    return report


def end(report, by, today=None):
    """The child is back today (or on the first day, for a report of days still to come).

    Returns whether this call ended it: of two at once, one does.
    """
    today = today or timezone.localdate()
    return bool(
        AbsenceReport.objects.open()
        .filter(pk=report.pk)
        .update(
            ended_at=timezone.now(),
            ended_by=by,
            returned_on=max(today, report.first_day),
            updated_at=timezone.now(),
        )
    )


# --- The daily run ----------------------------------------------------------------------------


def run():
    """Bring back whoever is due, then remind the guardians of who is back after the next
    school day. Returns (ended, reminded)."""
    now = timezone.localtime()
    return return_due(now.date()), remind_due(now.date(), now.hour)


def return_due(today):
    """End the open reports whose child is present today (the expected return date, moved
    to the next school day)."""
    due = list(AbsenceReport.objects.open().filter(expected_return__lte=today))
    calendar = calendar_for(due, today)
    ended = 0
    for report in due:
        back = calendar.back_on(report)
        if back > today:
            continue
        ended += (
            AbsenceReport.objects.open()
            .filter(pk=report.pk, expected_return=report.expected_return)
            .update(
                ended_at=timezone.now(),
                ended_by=EndedBy.AUTOMATIC,
                returned_on=back,
                updated_at=timezone.now(),
            )
        )
    return ended


def remind_due(today, hour=REMINDER_FROM_HOUR):
    """One reminder per expected return date, from the last school day before the child is
    back until that day."""
    candidates = list(
        AbsenceReport.objects.open().filter(
            reminder_sent_at__isnull=True,
            expected_return__isnull=False,
            expected_return__lte=today + LONGEST_BREAK,
        )
    )
    calendar = calendar_for(candidates, today)
    reminded = 0
    for report in candidates:
        day = calendar.reminder_day(report)
        woken = day < today or (day == today and hour >= REMINDER_FROM_HOUR)
        if woken and today < calendar.back_on(report):
            reminded += remind(report)
    return reminded


def remind(report):
    """Claim the report's reminder and queue it, in one transaction; 1 if this call sent it.

    The UPDATE matches only a report still without a reminder for this date: of two
    workers, one changes the row, and only that one queues the e-mails.
    """
    with transaction.atomic():
        claimed = (
            AbsenceReport.objects.open()
            .filter(
                pk=report.pk,
                reminder_sent_at__isnull=True,
                expected_return=report.expected_return,
            )
            .update(reminder_sent_at=timezone.now())
        )
        if not claimed:
            return 0
        reminder, _created = AbsenceReminder.objects.get_or_create(
            report_id=report.pk, expected_return=report.expected_return
        )
        outbox.queue(REMINDER, reminder.pk, guardian_addresses(report.pupil_id))
    return 1
