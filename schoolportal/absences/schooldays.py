"""School days: weekdays that are no whole-school holiday of the school's agenda.

An absence counts in school days: a child expected back on a Saturday is present on
Monday, and the reminder goes out on the last school day before that.
"""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Q

from schoolportal.agenda.models import AgendaItem

SATURDAY = 5
# The longest stretch without school (the summer holiday and its weekends), with a margin:
# how far a search for the next or previous school day looks.
LONGEST_BREAK = timedelta(days=70)


class SchoolCalendar:
    """The holidays of some schools around a period, read with one query.

    Dates outside ``first``…``last`` (widened by ``LONGEST_BREAK``) count as school days
    on weekdays.
    """

    def __init__(self, school_ids, first, last):
        self.first = first - LONGEST_BREAK
        self.last = last + LONGEST_BREAK
        self.holidays = defaultdict(set)
        items = (
            AgendaItem.objects.filter(
                school_id__in=set(school_ids), is_holiday=True, whole_school=True
            )
            .filter(start_date__lte=self.last)
            .filter(Q(end_date__gte=self.first) | Q(repeat_until__gte=self.first))
            .prefetch_related("exceptions")
        )
        for item in items:
            span = (item.end_date - item.start_date).days
            for start in item.occurrence_dates(self.first, self.last):
                for offset in range(span + 1):
                    self.holidays[item.school_id].add(start + timedelta(days=offset))

    def is_school_day(self, school_id, day):
        return day.weekday() < SATURDAY and day not in self.holidays[school_id]

    def first_school_day_from(self, school_id, day):
        """``day`` if it is a school day, else the next one: when a child expected back on
        ``day`` is present."""
        limit = day + LONGEST_BREAK
        while not self.is_school_day(school_id, day) and day < limit:
            day += timedelta(days=1)
        return day

    def last_school_day_before(self, school_id, day):
        limit = day - LONGEST_BREAK
        day -= timedelta(days=1)
        while not self.is_school_day(school_id, day) and day > limit:
            day -= timedelta(days=1)
        return day

    def back_on(self, report):
        """The school day a report's child is present again (None: no date given)."""
        if report.expected_return is None:
            return None
        return self.first_school_day_from(report.school_id, report.expected_return)

    def reminder_day(self, report):
        """The last school day before the child is back: when the guardians are reminded."""
        back = self.back_on(report)
        return None if back is None else self.last_school_day_before(report.school_id, back)


def calendar_for(reports, today):
    """A calendar covering ``reports`` (a list) around ``today``."""
    returns = [report.expected_return for report in reports if report.expected_return]
    return SchoolCalendar(
        {report.school_id for report in reports},
        min([today, *returns]),
        max([today, *returns]),
    )
