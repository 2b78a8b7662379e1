"""The django-q2 schedules the notifications need, created (idempotently) after migrate."""

SWEEP = "schoolportal.notifications.outbox.sweep"


def ensure_schedules(**kwargs):
    from django_q.models import Schedule

    Schedule.objects.get_or_create(
        name="Outbox: verzending controleren",
        defaults={"func": SWEEP, "schedule_type": Schedule.MINUTES, "minutes": 1, "repeats": -1},
    )
