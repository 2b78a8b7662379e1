"""The demo school's oudergesprekken: the tienminutengesprekken of groep 3 with juf Bakker
open now, some times taken by other families and plenty still free (Emma Jansen's parents
choose one), and the startgesprekken of groepen 3 and 7 early in the school year, closed.

Loaded once: when the school has interview rounds, nothing is added.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from schoolportal.interviews import rules
from schoolportal.interviews.models import InterviewDay, InterviewRound
from schoolportal.people.models import Pupil

SUBJECTS = ["", "Hoe gaat het met lezen?", "", "Samenwerken in de groep", "Rekenen", ""]


def _weekday_after(day, weekday):
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def _round(school, title, groups, opens, closes, days):
    made = InterviewRound.objects.create(
        school=school,
        title=title,
        slot_minutes=10,
        location="in het lokaal van de groep",
        booking_opens_at=opens,
        booking_closes_at=closes,
    )
    made.groups.set(groups)
    made.save()
    for teacher, day, room in days:
        InterviewDay.objects.create(
            round=made,
            teacher=teacher,
            date=day,
            start_time=time(18, 0),
            end_time=time(20, 0),
            breaks="19:00-19:15",
            room=room,
        )
    rules.generate_slots(made)
    return made


def _book(builder, made, pupils, every):
    """Book every ``every``-th slot of the pupils' teachers for ``pupils``, in turn."""
    slots, used = list(made.slots.order_by("starts_at")), set()
    for n, pupil in enumerate(pupils):
        teachers = set(pupil.group.teachers.values_list("pk", flat=True))
        free = [s for s in slots[n * every :] if s.teacher_id in teachers and s.pk not in used]
        if not free:
            continue
        booking = rules.book(pupil, free[0], subject=SUBJECTS[n % len(SUBJECTS)], by_staff=True)
        used.add(free[0].pk)
        builder.report.count(booking._meta.verbose_name_plural, True)


def build_interviews(builder, school, year, groups):
    if InterviewRound.objects.filter(school=school).exists():
        return
    bakker = groups[3].teachers.filter(display_name="juf Bakker").first()
    visser = groups[7].teachers.filter(display_name="meester Visser").first()
    if bakker is None or visser is None:
        return
    now = timezone.now()
    today = timezone.localdate()
    others = list(
        Pupil.objects.filter(group=groups[3])
        .exclude(last_name__in=["Jansen", "Vries"])
        .order_by("last_name", "first_name", "pk")[:5]
    )

    def at(day, hour):
        return timezone.make_aware(datetime.combine(day, time(hour)))

    # Earlier in the year: startgesprekken, closed and held.
    start = _weekday_after(year.start_date + timedelta(days=21), 1)
    if at(start, 20) < now:
        past = _round(
            school,
            "Startgesprekken",
            [groups[3], groups[7]],
            at(start - timedelta(days=14), 8),
            at(start - timedelta(days=3), 17),
            [(bakker, start, "lokaal groep 3"), (visser, start, "lokaal groep 7")],
        )
        everyone = others + list(Pupil.objects.filter(group__in=[groups[3], groups[7]])[:8])
        _book(builder, past, list(dict.fromkeys(everyone)), 1)

    # Now: open for a week, the evening a few days after it closes.
    day = _weekday_after(today + timedelta(days=10), 1)
    current = _round(
        school,
        "Tienminutengesprekken groep 3",
        [groups[3]],
        now - timedelta(days=2),
        at(day - timedelta(days=2), 17),
        [(bakker, day, "lokaal groep 3")],
    )
    _book(builder, current, others, 2)
