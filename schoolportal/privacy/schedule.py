"""The retention run's django-q2 schedule, created (idempotently) after migrate.

Once a day is enough: periods are counted in days, and a run removes everything that is
due by then, however long ago it became due.
"""

RUN = "schoolportal.privacy.retention.run_scheduled"
NAME = "Bewaartermijnen: verlopen gegevens opruimen"


def ensure_schedule(**kwargs):
    from django_q.models import Schedule

    Schedule.objects.get_or_create(
        name=NAME,
        defaults={"func": RUN, "schedule_type": Schedule.DAILY, "repeats": -1},
    )
