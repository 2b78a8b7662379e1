"""Agenda items: what happens when, for the whole school or for chosen groups."""

import hashlib
import secrets
from datetime import datetime, time, timedelta

from dateutil import rrule
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from schoolportal.people.models import Group, School


class Repeat(models.TextChoices):
    NEVER = "", _("niet herhalen")
    WEEKLY = "weekly", _("elke week")
    FORTNIGHTLY = "fortnightly", _("om de week")
    MONTHLY = "monthly", _("elke maand (zelfde dag van de maand)")


RRULE_FREQUENCIES = {
    Repeat.WEEKLY: (rrule.WEEKLY, 1),
    Repeat.FORTNIGHTLY: (rrule.WEEKLY, 2),
    Repeat.MONTHLY: (rrule.MONTHLY, 1),
}
# Nothing a school plans repeats for longer than this; a longer series is a typo.
LONGEST_SERIES = timedelta(days=2 * 366)


class AgendaItem(ClusterableModel):
    """An activity on the school agenda, possibly all-day, several days long or repeating."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("school")
    )
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    location = models.CharField(_("locatie"), max_length=200, blank=True)
    all_day = models.BooleanField(_("hele dag"), default=False)
    start_date = models.DateField(_("begindatum"))
    start_time = models.TimeField(_("begintijd"), null=True, blank=True)
    # Most items last one day: left empty, the item ends on the day it starts (``clean``).
    end_date = models.DateField(
        _("einddatum"), blank=True, help_text=_("Leeg: dezelfde dag als de begindatum.")
    )
    end_time = models.TimeField(_("eindtijd"), null=True, blank=True)
    whole_school = models.BooleanField(
        _("hele school"), default=True, help_text=_("Uit: alleen voor de gekozen groepen.")
    )
    groups = ParentalManyToManyField(
        Group, blank=True, related_name="agenda_items", verbose_name=_("groepen")
    )
    # School days are what absences count in: a whole-school holiday is no school day.
    is_holiday = models.BooleanField(
        _("vakantie"),
        default=False,
        help_text=_("Geen les voor de hele school, bijvoorbeeld de herfstvakantie."),
    )
    repeat = models.CharField(
        _("herhalen"), max_length=20, choices=Repeat.choices, default=Repeat.NEVER, blank=True
    )
    repeat_until = models.DateField(_("herhalen tot en met"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("gemaakt door"),
    )
    updated_at = models.DateTimeField(_("laatst gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        ordering = ["start_date", "start_time", "title"]
        indexes = [models.Index(fields=["school", "start_date"])]

    def __str__(self):
        return f"{self.title} ({self.start_date:%d-%m-%Y})"

    def clean(self):
        if self.end_date is None:
            self.end_date = self.start_date
        errors = {}
        if not self.all_day and (self.start_time is None or self.end_time is None):
            errors["start_time"] = _("Vul een begin- en eindtijd in, of kies 'hele dag'.")
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                errors["end_date"] = _("De einddatum ligt vóór de begindatum.")
            elif (
                not self.all_day
                and self.start_time
                and self.end_time
                and self.end_date == self.start_date
                and self.end_time <= self.start_time
            ):
                errors["end_time"] = _("Het agendapunt eindigt voordat het begint.")
        if self.is_holiday and not self.whole_school:
            errors["is_holiday"] = _("Een vakantie geldt voor de hele school.")
        if self.repeat:
            if not self.repeat_until:
                errors["repeat_until"] = _(
                    "Een herhaling moet een einddatum hebben, bijvoorbeeld de laatste schooldag."
                )
            elif self.start_date and self.repeat_until < self.start_date:
                errors["repeat_until"] = _("Herhalen tot ligt vóór de begindatum.")
            elif self.start_date and self.repeat_until - self.start_date > LONGEST_SERIES:
                errors["repeat_until"] = _("Een herhaling mag hoogstens twee jaar duren.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.end_date is None:
            self.end_date = self.start_date
        if self.all_day:
            self.start_time = self.end_time = None
        if not self.repeat:
            self.repeat_until = None
        super().save(*args, **kwargs)

    # -- time ----------------------------------------------------------------------

    @property
    def timezone(self):
        return timezone.get_default_timezone()

    @property
    def starts_at(self):
        """First occurrence's start: an aware datetime, or a date for all-day items."""
        if self.all_day:
            return self.start_date
        return datetime.combine(self.start_date, self.start_time, tzinfo=self.timezone)

    @property
    def ends_at(self):
        """First occurrence's end; for all-day items the (exclusive) day after the last day."""
        if self.all_day:
            return self.end_date + timedelta(days=1)
        return datetime.combine(self.end_date, self.end_time, tzinfo=self.timezone)

    def exception_dates(self):
        return {exception.date for exception in self.exceptions.all()}

    def occurrence_dates(self, first=None, last=None):
        """Start dates of the occurrences between ``first`` and ``last`` (inclusive)."""
        if not self.repeat:
            dates = [self.start_date]
        else:
            frequency, interval = RRULE_FREQUENCIES[self.repeat]
            rule = rrule.rrule(
                frequency,
                interval=interval,
                dtstart=datetime.combine(self.start_date, time()),
                until=datetime.combine(self.repeat_until, time()),
            )
            skipped = self.exception_dates()
            dates = [moment.date() for moment in rule if moment.date() not in skipped]
        span = self.end_date - self.start_date
        return [
            day
            for day in dates
            if (first is None or day + span >= first) and (last is None or day <= last)
        ]

    def occurrences(self, first=None, last=None):
        return [Occurrence(self, day) for day in self.occurrence_dates(first, last)]


class Occurrence:
    """One date on which a (possibly repeating) agenda item happens."""

    def __init__(self, item, start_date):
        self.item = item
        self.start_date = start_date
        self.end_date = start_date + (item.end_date - item.start_date)

    @property
    def sort_key(self):
        return (self.start_date, self.item.start_time or time.min, self.item.title)

    @property
    def is_multi_day(self):
        return self.end_date != self.start_date


class AgendaException(models.Model):
    """A date on which a repeating item does not happen (a holiday, a study day)."""

    item = ParentalKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="exceptions",
        verbose_name=_("agendapunt"),
    )
    date = models.DateField(_("datum"))

    class Meta:
        verbose_name = _("uitzondering")
        verbose_name_plural = _("uitzonderingen")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["item", "date"], name="agenda_exception_unique")
        ]

    def __str__(self):
        return f"{self.item.title}: {self.date:%d-%m-%Y}"


class CalendarFeed(models.Model):
    """A parent's secret subscription link. Only the token's hash is stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agenda-abonnement")
        verbose_name_plural = _("agenda-abonnementen")

    def __str__(self):
        return str(self.user)

    @staticmethod
    def hash_token(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def renew(cls, user):
        """A new 256-bit token for ``user``; the previous link stops working at once."""
        token = secrets.token_urlsafe(32)
        cls.objects.update_or_create(user=user, defaults={"token_hash": cls.hash_token(token)})
        return token
