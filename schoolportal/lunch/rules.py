"""What happens to lunch days: registered, cancelled by a parent before the school's
cut-off, cancelled by an absence report.

A change to a day is possible until the school's cut-off time on that day
(``School.lunch_cutoff``, 09:00 unless the school says otherwise); after it the school has
planned the lunch. A registration is all or nothing: one day too late refuses all of it.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from schoolportal.absences.schooldays import SchoolCalendar
from schoolportal.people.models import Pupil

from .models import CancelledBy, LunchDay


class TooLate(Exception):
    """A day whose cut-off has passed (or that lies in the past)."""

    def __init__(self, day):
        super().__init__(day)
        self.day = day


def cutoff(school, day):
    """The moment after which ``day`` can no longer be changed."""
    return timezone.make_aware(datetime.combine(day, school.lunch_cutoff))


def is_changeable(school, day, now=None):
    return (now or timezone.now()) < cutoff(school, day)


def first_changeable_day(school, now=None):
    """Today before the cut-off, else tomorrow."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return today if is_changeable(school, today, now) else today + timedelta(days=1)


def weekday_dates(first, last, weekdays):
    """Every date from ``first`` to ``last`` (both included) on one of ``weekdays`` (0 is
    Monday)."""
    wanted = set(weekdays)
    day, found = first, []
    while day <= last:
        if day.weekday() in wanted:
            found.append(day)
        day += timedelta(days=1)
    return found


def school_days(school_id, dates):
    """``dates`` without weekends and the school's holidays, sorted."""
    dates = sorted(set(dates))
    if not dates:
        return []
    calendar = SchoolCalendar({school_id}, dates[0], dates[-1])
    return [day for day in dates if calendar.is_school_day(school_id, day)]


def _lock_pupil(pupil_id):
    # One child's days are written one registration at a time (see absences.lifecycle).
    Pupil.objects.select_for_update().filter(pk=pupil_id).exists()


def register(pupil, dates, user=None, now=None):
    """Register ``pupil`` for the school days among ``dates``; returns the days registered.

    Raises ``TooLate`` (nothing saved) when one of them is past its cut-off. A day
    cancelled earlier is registered again.
    """
    now = now or timezone.now()
    school = pupil.school
    for day in sorted(dates):
        if not is_changeable(school, day, now):
            raise TooLate(day)
    days = school_days(pupil.school_id, dates)
    by_user = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        _lock_pupil(pupil.pk)
        existing = {row.date: row for row in LunchDay.objects.filter(pupil=pupil, date__in=days)}
        new = [
            LunchDay(pupil=pupil, school_id=pupil.school_id, date=day, registered_by_user=by_user)
            for day in days
            if day not in existing
        ]
        LunchDay.objects.bulk_create(new)
        again = [row.pk for row in existing.values() if not row.is_active]
        LunchDay.objects.filter(pk__in=again).update(
            cancelled_at=None, cancelled_by="", registered_by_user=by_user
        )
    return days


def cancel(lunch_day, by=CancelledBy.PARENT, now=None):
    """Cancel one day before its cut-off; raises ``TooLate``. Returns whether this call
    cancelled it (of two at once, one does)."""
    now = now or timezone.now()
    if not is_changeable(lunch_day.school, lunch_day.date, now):
        raise TooLate(lunch_day.date)
    return bool(
        LunchDay.objects.active().filter(pk=lunch_day.pk).update(cancelled_at=now, cancelled_by=by)
    )


def cancel_for_absence(sender, report, **kwargs):
    """An absence report cancels the lunch days it covers, from today on.

    The child is not at school whatever the time: the day's list must not count them, so
    this ignores the cut-off. Past days stay as they were (the school's lists of those
    days were used already).
    """
    first = max(report.first_day, timezone.localdate())
    days = LunchDay.objects.active().filter(pupil_id=report.pupil_id, date__gte=first)
    if report.expected_return is not None:
        days = days.filter(date__lt=report.expected_return)
    return days.update(cancelled_at=timezone.now(), cancelled_by=CancelledBy.ABSENCE)
