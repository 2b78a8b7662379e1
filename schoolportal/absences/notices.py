"""The absences' e-mails, rendered by the outbox worker from the report's current state."""

from django.urls import reverse

from schoolportal.notifications import outbox
from schoolportal.notifications.email import absolute, render_email

from .lifecycle import CONFIRMATION, REMINDER, TEACHER_NOTICE
from .models import AbsenceReminder, AbsenceReport
from .schooldays import SchoolCalendar


def _report(pk):
    return AbsenceReport.objects.select_related("pupil", "school", "group").get(pk=pk)


def _context(report):
    calendar = SchoolCalendar([report.school_id], report.first_day, report.first_day)
    return {
        "report": report,
        "pupil": report.pupil,
        "school": report.school,
        "back_on": calendar.back_on(report),
        "link": absolute(reverse("absences:index")) + f"#kind-{report.pupil_id}",
    }


@outbox.renderer(CONFIRMATION)
def render_confirmation(message):
    report = _report(message.cause_id)
    return render_email("absence_confirmation", _context(report), message.recipient_email)


@outbox.renderer(TEACHER_NOTICE)
def render_teacher_notice(message):
    report = _report(message.cause_id)
    context = _context(report)
    context["link"] = absolute(
        reverse(AbsenceReport.snippet_viewset.get_url_name("list"))
        + f"?group={report.group_id or ''}"
    )
    return render_email("absence_teacher", context, message.recipient_email)


@outbox.renderer(REMINDER)
def render_reminder(message):
    reminder = AbsenceReminder.objects.get(pk=message.cause_id)
    report = _report(reminder.report_id)
    context = _context(report)
    context["change_link"] = absolute(reverse("absences:change", args=[report.pk]))
    return render_email("absence_reminder", context, message.recipient_email)
