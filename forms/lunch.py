"""Overblijven: a parent registers a child on chosen dates or on fixed weekdays until a
date.

The checks about dates live here (past, after the cut-off, end before start, too far
ahead); which of the dates are school days is ``schoolportal.lunch.rules``'s.
"""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from schoolportal.lunch import rules

from .absences import DateInput

# Chosen dates are offered for the coming four weeks; further ahead, fixed weekdays.
DAYS_OFFERED = 28
# A registration reaches at most a school year ahead.
DAYS_AHEAD = 365
WEEKDAYS = [
    (0, _("maandag")),
    (1, _("dinsdag")),
    (2, _("woensdag")),
    (3, _("donderdag")),
    (4, _("vrijdag")),
]


class AnyDateChoiceField(forms.TypedMultipleChoiceField):
    """Checkboxes for the offered days that accept any date, so a day that was offered when
    the page was loaded and is too late now gets its own message, not "no valid choice"."""

    def valid_value(self, value):
        try:
            date.fromisoformat(str(value))
        except ValueError:
            return False
        return True


class LunchDatesMixin:
    def check_day(self, field, day):
        """Add a Dutch error to ``field`` when ``day`` cannot be registered; True if it can."""
        if day < self.today:
            self.add_error(field, _("U kunt geen dag in het verleden aanmelden."))
        elif not rules.is_changeable(self.school, day, self.now):
            self.add_error(
                field,
                _(
                    "Na %(time)s op de dag zelf kunt u %(day)s niet meer wijzigen. Neem "
                    "contact op met school."
                )
                % {"time": self.cutoff_text, "day": date_format(day, "l j F")},
            )
        elif day > self.today + timedelta(days=DAYS_AHEAD):
            self.add_error(field, _("U kunt hooguit een schooljaar (365 dagen) vooruit aanmelden."))
        else:
            return True
        return False

    def setup(self, school, now):
        self.school = school
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self.cutoff_text = school.lunch_cutoff.strftime("%H:%M")


class LunchDatesForm(LunchDatesMixin, forms.Form):
    """Losse dagen: the chosen school days of the coming weeks."""

    days = AnyDateChoiceField(
        label=_("Dagen"),
        coerce=date.fromisoformat,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één dag.")},
    )

    def __init__(self, *args, school, offered, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup(school, now)
        self.fields["days"].choices = [
            (day.isoformat(), date_format(day, "l j F")) for day in offered
        ]

    def clean_days(self):
        days = self.cleaned_data["days"]
        for day in sorted(days):
            if not self.check_day("days", day):
                break  # one message is enough: the whole registration waits for a fix
        return days


class LunchWeekdaysForm(LunchDatesMixin, forms.Form):
    """Vaste dagen: the same weekdays every week, from a first day until a last one."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("Op deze dagen"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één dag van de week.")},
    )
    first_day = forms.DateField(label=_("Vanaf"), widget=DateInput())
    until = forms.DateField(
        label=_("Tot en met"),
        widget=DateInput(),
        help_text=_("Hooguit een schooljaar vooruit."),
    )

    def __init__(self, *args, school, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup(school, now)
        self.fields["first_day"].initial = rules.first_changeable_day(school, self.now)

    def clean(self):
        cleaned = super().clean()
        first_day, until = cleaned.get("first_day"), cleaned.get("until")
        if first_day and not self.check_day("first_day", first_day):
            return cleaned
        if first_day and until:
            if until < first_day:
                self.add_error("until", _("'Tot en met' ligt vóór de eerste dag."))
            elif until > self.today + timedelta(days=DAYS_AHEAD):
                self.add_error(
                    "until", _("U kunt hooguit een schooljaar (365 dagen) vooruit aanmelden.")
                )
        return cleaned

    def dates(self):
        data = self.cleaned_data
        return rules.weekday_dates(data["first_day"], data["until"], data["weekdays"])
