"""The django-q2 schedules the notifications need, created (idempotently) after migrate."""

SWEEP = "schoolportal.notifications.outbox.sweep"
# Wagtail publishes scheduled content (a mailing planned for Monday 8:00) only when asked.
PUBLISH_SCHEDULED = "django.core.management.call_command"


def ensure_schedules(**kwargs):
    from django_q.models import Schedule

    Schedule.objects.get_or_create(
        name="Outbox: verzending controleren",
        defaults={"func": SWEEP, "schedule_type": Schedule.MINUTES, "minutes": 1, "repeats": -1},
    )
    Schedule.objects.get_or_create(
        name="Geplande publicaties",
        defaults={
            "func": PUBLISH_SCHEDULED,
            "args": "'publish_scheduled'",
            "schedule_type": Schedule.MINUTES,
            "minutes": 1,
            "repeats": -1,
        },
    )
