"""The absences' django-q2 schedule, created (idempotently) after migrate.

Every 15 minutes: each run asks what is due now, so the interval only sets how soon after
midnight a child is back in the register and how soon a reminder goes out.
"""

RUN = "schoolportal.absences.lifecycle.run"
NAME = "Absenties: herinneren en terugmelden"


def ensure_schedule(**kwargs):
    from django_q.models import Schedule

    Schedule.objects.get_or_create(
        name=NAME,
        defaults={"func": RUN, "schedule_type": Schedule.MINUTES, "minutes": 15, "repeats": -1},
    )
