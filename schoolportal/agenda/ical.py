"""The agenda as RFC 5545 iCalendar: one feed per parent, or one item as a download."""

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone
from icalendar import Calendar, Event, Timezone

PRODID = "-//Schoolportal//Agenda//NL"


def new_calendar(name, uid):
    # Calendar.new also writes X-WR-CALNAME beside NAME, for the apps that know only that one.
    calendar = Calendar.new(prodid=PRODID, name=name, uid=uid)
    # RFC 7986 requires VALUE=DURATION on REFRESH-INTERVAL.
    calendar.add("refresh-interval", timedelta(hours=4), parameters={"VALUE": "DURATION"})
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-timezone", str(timezone.get_default_timezone()))
    calendar.add("x-published-ttl", "PT4H")
    return calendar


def item_uid(item, domain):
    """Stable across edits and exports, unique across installations."""
    return f"agenda-{item.pk}@{domain}"


def item_event(item, domain, stamp):
    event = Event()
    event.add("uid", item_uid(item, domain))
    event.add("dtstamp", stamp)
    event.add("summary", item.title)
    if item.description:
        event.add("description", item.description)
    if item.location:
        event.add("location", item.location)
    event.add("last-modified", item.updated_at)
    if item.all_day:
        # Plain dates become VALUE=DATE; DTEND is exclusive: the day after the last day.
        event.add("dtstart", item.start_date)
        event.add("dtend", item.end_date + timedelta(days=1))
    else:
        event.add("dtstart", item.starts_at)
        event.add("dtend", item.ends_at)
    if item.repeat:
        event.add("rrule", _rrule(item))
        for day in sorted(item.exception_dates()):
            event.add("exdate", day if item.all_day else _at(day, item.start_time, item))
    return event


def _rrule(item):
    from .models import Repeat

    until = item.repeat_until
    rule = {
        Repeat.WEEKLY: {"freq": "WEEKLY"},
        Repeat.FORTNIGHTLY: {"freq": "WEEKLY", "interval": 2},
        Repeat.MONTHLY: {"freq": "MONTHLY"},
    }[item.repeat]
    if item.all_day:
        rule["until"] = until
    else:
        # UNTIL must be UTC when DTSTART has a time zone (RFC 5545 3.3.10).
        rule["until"] = _at(until, item.start_time, item).astimezone(UTC)
    return rule


def _at(day, moment, item):
    return datetime.combine(day, moment or time(), tzinfo=item.timezone)


# Yearly rules rather than a list of transition dates: dateutil- and vobject-based readers
# (and old Outlooks) ignore RDATE lists and would show summer times an hour off.
AMSTERDAM = Timezone.from_ical(
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Amsterdam\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n"
    "DTSTART:19810329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n"
    "DTSTART:19961027T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
)


def timed_event(uid, summary, start, end, stamp, location="", description="", modified=None):
    """An event that is not an agenda item (an interview): a start and an end, no repeats."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    if modified:
        event.add("last-modified", modified)
    event.add("dtstart", timezone.localtime(start))
    event.add("dtend", timezone.localtime(end))
    return event


def build_calendar(items, name, domain, uid, events=()):
    """``items``: agenda items; ``events``: functions ``(stamp) -> Event`` of other things."""
    calendar = new_calendar(name, f"{uid}@{domain}")
    if str(timezone.get_default_timezone()) == "Europe/Amsterdam":
        calendar.add_component(AMSTERDAM)
    stamp = timezone.now()
    for item in items:
        calendar.add_component(item_event(item, domain, stamp))
    for event in events:
        calendar.add_component(event(stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()
