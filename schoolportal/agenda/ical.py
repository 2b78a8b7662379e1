"""The agenda as RFC 5545 iCalendar: one feed per parent, or one item as a download."""

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone
from icalendar import Calendar, Event, vDate

PRODID = "-//Schoolportal//Agenda//NL"


def new_calendar(name, uid):
    # Calendar.new also writes X-WR-CALNAME beside NAME, for the apps that know only that one.
    calendar = Calendar.new(
        prodid=PRODID,
        name=name,
        uid=uid,
        refresh_interval=timedelta(hours=4),
    )
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
        event.add("dtstart", vDate(item.start_date))
        event.add("dtend", vDate(item.end_date + timedelta(days=1)))
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


def build_calendar(items, name, domain, uid):
    calendar = new_calendar(name, f"{uid}@{domain}")
    stamp = timezone.now()
    for item in items:
        calendar.add_component(item_event(item, domain, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()
