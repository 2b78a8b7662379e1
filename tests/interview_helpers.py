"""What the interview tests share: a family of groep 3 with juf Bakker and an open round."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings

from schoolportal.interviews import rules
from schoolportal.interviews.models import InterviewDay, InterviewRound

MONDAY = date(2027, 3, 8)
INTERVIEW_DAY = date(2027, 3, 16)  # the Tuesday after


def moment(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE))


def open_round(home, *, start=time(18, 0), end=time(19, 0), breaks="", room="lokaal 3", **kw):
    """A round for ``home``'s group, open from Monday 08:00 until Friday 17:00, with one
    evening of ``home.teacher``; its slots generated."""
    fields = {
        "school": home.group.school,
        "title": "Tienminutengesprekken maart",
        "slot_minutes": 10,
        "booking_opens_at": moment(MONDAY, 8),
        "booking_closes_at": moment(date(2027, 3, 12), 17),
        **kw,
    }
    interview_round = InterviewRound.objects.create(**fields)
    interview_round.groups.add(home.group)
    interview_round.save()  # a ParentalManyToManyField is written on save
    InterviewDay.objects.create(
        round=interview_round,
        teacher=home.teacher,
        date=INTERVIEW_DAY,
        start_time=start,
        end_time=end,
        breaks=breaks,
        room=room,
    )
    rules.generate_slots(interview_round)
    return interview_round
