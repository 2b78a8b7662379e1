"""Oudergesprekken: interview rounds, their slots and the bookings parents make.

A round belongs to one school and invites the parents of some of its groups. Per teacher
it has days (date, start, end, breaks); the slots are generated from those days and the
round's slot length, and a teacher blocks or adds single slots. The database itself keeps
a slot to one booking (``InterviewBooking.slot`` is one-to-one) and a child to one booking
per round (``round`` is copied from the slot onto the booking for that constraint).
"""

import re
from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from schoolportal.people.models import Group, Guardian, Pupil, School, StaffMember

SUBJECT_MAX_LENGTH = 300
BREAK_PATTERN = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*-\s*(\d{1,2})[:.](\d{2})\s*$")


def parse_breaks(text):
    """``"10:15-10:30, 12:00-12:45"`` as [(time, time)]; ValueError on anything else."""
    found = []
    for part in (text or "").replace(";", ",").split(","):
        if not part.strip():
            continue
        match = BREAK_PATTERN.match(part)
        if match is None:
            raise ValueError(part.strip())
        h1, m1, h2, m2 = (int(value) for value in match.groups())
        start, end = time(h1, m1), time(h2, m2)  # ValueError for 25:00 too
        if end <= start:
            raise ValueError(part.strip())
        found.append((start, end))
    return sorted(found)


class InterviewRoundQuerySet(models.QuerySet):
    def open_at(self, moment):
        return self.filter(booking_opens_at__lte=moment, booking_closes_at__gt=moment)


class InterviewRound(ClusterableModel):
    """One round of parent–teacher interviews for some of a school's groups."""

    wagtail_reference_index_ignore = True

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="interview_rounds", verbose_name=_("school")
    )
    title = models.CharField(
        _("titel"), max_length=200, help_text=_("Bijvoorbeeld 'Tienminutengesprekken maart'.")
    )
    groups = ParentalManyToManyField(
        Group, related_name="interview_rounds", verbose_name=_("groepen")
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("duur van een gesprek (minuten)"),
        default=10,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
    )
    location = models.CharField(
        _("locatie"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld 'in het lokaal van de groep'. Per dag kunt u een lokaal kiezen."),
    )
    video_link = models.URLField(
        _("videolink"), blank=True, help_text=_("Voor gesprekken op afstand.")
    )
    booking_opens_at = models.DateTimeField(_("inschrijven vanaf"))
    booking_closes_at = models.DateTimeField(
        _("inschrijven tot"),
        help_text=_("Tot dit moment kunnen ouders een tijd kiezen, wijzigen of afzeggen."),
    )
    early_booking_days = models.PositiveSmallIntegerField(
        _("eerder inschrijven voor gezinnen met meer kinderen (dagen)"),
        default=0,
        validators=[MaxValueValidator(30)],
        help_text=_(
            "Gezinnen met meer kinderen in deze ronde kunnen zoveel dagen eerder kiezen. 0: niet."
        ),
    )
    send_confirmation = models.BooleanField(
        _("bevestiging per e-mail"),
        default=False,
        help_text=_("Ouders krijgen een e-mail als zij een gesprek kiezen, wijzigen of afzeggen."),
    )
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)

    objects = InterviewRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("gespreksronde")
        verbose_name_plural = _("gespreksrondes")
        ordering = ["-booking_opens_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(booking_closes_at__gt=F("booking_opens_at")),
                name="interviews_round_closes_after_opening",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if (
            self.booking_opens_at
            and self.booking_closes_at
            and self.booking_closes_at <= self.booking_opens_at
        ):
            raise ValidationError(
                {"booking_closes_at": _("'Inschrijven tot' ligt niet na 'inschrijven vanaf'.")}
            )

    def is_closed(self, now=None):
        return (now or timezone.now()) >= self.booking_closes_at


class InterviewDay(models.Model):
    """A teacher's interview day in a round: from start to end, without the breaks."""

    round = ParentalKey(
        InterviewRound, on_delete=models.CASCADE, related_name="days", verbose_name=_("ronde")
    )
    teacher = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="+", verbose_name=_("leerkracht")
    )
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("van"))
    end_time = models.TimeField(_("tot"))
    breaks = models.CharField(
        _("pauzes"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld '19:00-19:15, 20:30-20:45'."),
    )
    room = models.CharField(
        _("lokaal"), max_length=100, blank=True, help_text=_("Leeg: de locatie van de ronde.")
    )

    class Meta:
        verbose_name = _("gespreksdag")
        verbose_name_plural = _("gespreksdagen")
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="interviews_day_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.teacher} {self.date:%d-%m-%Y}"

    def clean(self):
        super().clean()
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("'Tot' ligt niet na 'van'.")})
        try:
            parse_breaks(self.breaks)
        except ValueError as wrong:
            raise ValidationError(
                {
                    "breaks": _("'%(part)s' is geen pauze: schrijf bijvoorbeeld 19:00-19:15.")
                    % {"part": wrong}
                }
            ) from None

    def moment(self, at):
        return timezone.make_aware(datetime.combine(self.date, at))


class InterviewSlotQuerySet(models.QuerySet):
    def free(self):
        return self.filter(blocked=False, booking__isnull=True)


class InterviewSlot(models.Model):
    """One interview time of one teacher in a round."""

    wagtail_reference_index_ignore = True

    round = models.ForeignKey(
        InterviewRound, on_delete=models.CASCADE, related_name="slots", verbose_name=_("ronde")
    )
    teacher = models.ForeignKey(
        StaffMember,
        on_delete=models.CASCADE,
        related_name="interview_slots",
        verbose_name=_("leerkracht"),
    )
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    location = models.CharField(_("locatie"), max_length=200, blank=True)
    blocked = models.BooleanField(
        _("geblokkeerd"), default=False, help_text=_("Ouders kunnen deze tijd niet kiezen.")
    )
    added_by_hand = models.BooleanField(_("losse tijd"), default=False, editable=False)

    objects = InterviewSlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("gesprekstijd")
        verbose_name_plural = _("gesprekstijden")
        ordering = ["starts_at", "teacher__display_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "teacher", "starts_at"], name="interviews_one_slot_per_time"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="interviews_slot_ends_after_start"
            ),
        ]

    def __str__(self):
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{start:%d-%m-%Y %H:%M}–{end:%H:%M} {self.teacher}"


class InterviewBooking(models.Model):
    """A child's interview: the slot it holds, who booked it and what they want to discuss."""

    wagtail_reference_index_ignore = True

    slot = models.OneToOneField(
        InterviewSlot,
        on_delete=models.CASCADE,
        related_name="booking",
        verbose_name=_("tijd"),
        error_messages={"unique": _("Deze tijd is net door een andere ouder gekozen.")},
    )
    # The slot's round, copied for the one-booking-per-child-per-round constraint.
    round = models.ForeignKey(
        InterviewRound, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("ronde")
    )
    pupil = models.ForeignKey(
        Pupil,
        on_delete=models.CASCADE,
        related_name="interview_bookings",
        verbose_name=_("leerling"),
    )
    guardian = models.ForeignKey(
        Guardian,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interview_bookings",
        verbose_name=_("ingeschreven door"),
    )
    booked_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingeschreven door account"),
    )
    subject = models.CharField(_("onderwerp"), max_length=SUBJECT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("ingeschreven op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("gespreksreservering")
        verbose_name_plural = _("gespreksreserveringen")
        ordering = ["slot__starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "pupil"], name="interviews_one_per_child"),
        ]

    def __str__(self):
        return f"{self.pupil} – {self.slot}"
