"""The demo school's overblijven: the module on, Emma Jansen staying on Tuesdays and
Thursdays, and a few other pupils on their own fixed weekdays, for the coming weeks.

Loaded once: when the school has lunch days already, nothing is added (a run on another
day adds no second series).
"""

from datetime import timedelta

from django.utils import timezone

from schoolportal.lunch.models import LunchDay
from schoolportal.lunch.rules import school_days, weekday_dates
from schoolportal.people.models import Pupil, School

WEEKS = 6
# Fixed weekdays (0 is Monday) of the pupils chosen at random.
PATTERNS = [(0, 1, 3), (1, 3), (0, 2, 4), (3,), (0, 1, 3, 4), (2,), (1, 4), (0, 3)]


def _register(pupil, weekdays, first, last):
    days = school_days(pupil.school_id, weekday_dates(first, last, weekdays))
    LunchDay.objects.bulk_create(
        LunchDay(pupil=pupil, school_id=pupil.school_id, date=day) for day in days
    )
    return len(days)


def build_lunch(builder, school):
    if not school.lunch_enabled:
        School.objects.filter(pk=school.pk).update(lunch_enabled=True)
    if LunchDay.objects.filter(school=school).exists():
        return
    first = timezone.localdate()
    last = first + timedelta(weeks=WEEKS)
    emma = Pupil.objects.filter(school=school, first_name="Emma", last_name="Jansen").first()
    chosen = [(emma, (1, 3))] if emma else []
    others = list(
        Pupil.objects.filter(school=school, group__isnull=False)
        .exclude(last_name__in=["Jansen", "Vries"])
        .order_by("group__lowest_year_level", "last_name", "first_name", "pk")
    )
    sample = builder.rng.sample(others, min(len(PATTERNS), len(others)))
    chosen += list(zip(sample, PATTERNS, strict=False))
    for pupil, weekdays in chosen:
        for _number in range(_register(pupil, weekdays, first, last)):
            builder.report.count(LunchDay._meta.verbose_name_plural, True)
