"""The reactions' django-q2 schedule, created (idempotently) after migrate.

Every five minutes: each run asks who has reactions they were not told of and no digest in
the last hour, so a missed or repeated run neither skips nor repeats anything.
"""

RUN = "schoolportal.reactions.digest.send_digests"
NAME = "Reacties: overzicht per e-mail"


def ensure_schedule(**kwargs):
    from django_q.models import Schedule

    Schedule.objects.get_or_create(
        name=NAME,
        defaults={"func": RUN, "schedule_type": Schedule.MINUTES, "minutes": 5, "repeats": -1},
    )
