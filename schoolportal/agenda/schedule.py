"""Which occurrences a user sees in a period: expands repeating items, skips exceptions."""

import hashlib
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Max, Q

from schoolportal import access
from schoolportal.people.models import School

SHARED_SECONDS = 60 * 10


def in_period(items, first, last):
    """Of ``items`` (a queryset), those that may have an occurrence between ``first`` and
    ``last``, with what expanding them reads (two queries)."""
    return (
        items.filter(start_date__lte=last)
        .filter(Q(end_date__gte=first) | Q(repeat_until__gte=first))
        .select_related("school")
        .prefetch_related("exceptions", "groups")
    )


def items_in_period(user, first, last):
    """Items the user sees that may have an occurrence between ``first`` and ``last``."""
    return in_period(access.agenda_items_for(user), first, last)


def expand(items, first, last):
    """The occurrences of ``items`` between ``first`` and ``last``, in date order."""
    return sorted(
        (occurrence for item in items for occurrence in item.occurrences(first, last)),
        key=lambda occurrence: occurrence.sort_key,
    )


def school_occurrences(school_id, first, last):
    """What a newsletter's agenda block shows: the school's whole-school occurrences
    (``access.newsletter_agenda_items``) between ``first`` and ``last``."""
    return expand(in_period(access.newsletter_agenda_items(school_id), first, last), first, last)


def occurrences(user, first, last):
    """The user's occurrences between ``first`` and ``last``, in date order.

    Expanding recurrences is the costly part of every agenda page, and families with the
    same groups see the same agenda: the result is cached per audience (``access``) and
    per version of the schools' agendas (``School.agenda_changed_at``, moved by every
    agenda change), so it is computed once per class rather than once per family.
    """
    audience = access.agenda_audience(user)
    if audience is None:
        return []
    key = _cache_key(audience, first, last)
    found = cache.get(key) if key else None
    if found is None:
        found = expand(items_in_period(user, first, last), first, last)
        if key:
            cache.set(key, found, SHARED_SECONDS)
    return found


def _cache_key(audience, first, last):
    if audience == ("all",):
        return None  # superusers: every school, rarely looked at, not worth a key
    staff_schools, child_schools, _groups = audience
    version = School.objects.filter(pk__in=set(staff_schools) | set(child_schools)).aggregate(
        changed=Max("agenda_changed_at")
    )["changed"]
    raw = repr((audience, first.isoformat(), last.isoformat(), version and version.isoformat()))
    return "agenda-occurrences:" + hashlib.sha256(raw.encode()).hexdigest()


def by_week(occurrence_list):
    """[(monday, [occurrences])] in date order: the agenda's weekly grouping."""
    weeks = {}
    for occurrence in occurrence_list:
        monday = occurrence.start_date - timedelta(days=occurrence.start_date.weekday())
        weeks.setdefault(monday, []).append(occurrence)
    return sorted(weeks.items())


def month_grid(year, month, occurrence_list):
    """Weeks (Monday first) of day cells for a month view; each cell lists its occurrences."""
    first = date(year, month, 1)
    start = first - timedelta(days=first.weekday())
    next_month = (first + timedelta(days=32)).replace(day=1)
    end = next_month + timedelta(days=(6 - next_month.weekday()) % 7)
    per_day = {}
    for occurrence in occurrence_list:
        day = max(occurrence.start_date, start)
        while day <= min(occurrence.end_date, end):
            per_day.setdefault(day, []).append(occurrence)
            day += timedelta(days=1)
    weeks, day = [], start
    while day < end or not weeks:
        week = []
        for _ in range(7):
            week.append(
                {"date": day, "in_month": day.month == month, "occurrences": per_day.get(day, [])}
            )
            day += timedelta(days=1)
        weeks.append(week)
    return weeks
