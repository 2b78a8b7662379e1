"""Absence reports: a parent (or school, after a phone call) says a child is away, why and
until when; the report ends when the child is back, and keeps who or what ended it."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from schoolportal.people.models import Group, Pupil, School

EXPLANATION_MAX_LENGTH = 500


class Reason(models.TextChoices):
    ILLNESS = "ill", _("ziek")
    DOCTOR = "doctor", _("arts/tandarts")
    FAMILY = "family", _("familieomstandigheden")
    OTHER = "other", _("anders")


class EndedBy(models.TextChoices):
    PARENT = "parent", _("door ouder/verzorger")
    AUTOMATIC = "automatic", _("automatisch")
    STAFF = "staff", _("door school")


class ReportedBy(models.TextChoices):
    PARENT = "parent", _("ouder/verzorger (portaal)")
    STAFF = "staff", _("school (bijvoorbeeld telefonisch)")


class AbsenceReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(ended_at__isnull=True)

    def ended(self):
        return self.filter(ended_at__isnull=False)

    def absent_on(self, day):
        """Reports that keep their child away on ``day`` (a child is back on the expected
        return date itself)."""
        return self.open().filter(
            Q(expected_return__isnull=True) | Q(expected_return__gt=day), first_day__lte=day
        )


class AbsenceReport(models.Model):
    """One absence of one child, from the first day until the day the child is back.

    ``school`` and ``group`` are the child's when it was reported: the register keeps
    showing an absence under the group it happened in after the child moves up a year.
    """

    wagtail_reference_index_ignore = True

    pupil = models.ForeignKey(
        Pupil,
        on_delete=models.CASCADE,
        related_name="absence_reports",
        verbose_name=_("leerling"),
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("groep"),
    )
    reason = models.CharField(_("reden"), max_length=20, choices=Reason.choices)
    explanation = models.CharField(_("toelichting"), max_length=EXPLANATION_MAX_LENGTH, blank=True)
    first_day = models.DateField(_("eerste dag afwezig"))
    expected_return = models.DateField(
        _("verwacht terug"),
        null=True,
        blank=True,
        help_text=_("De dag waarop het kind weer op school komt. Mag bij ziekte leeg blijven."),
    )
    reported_by = models.CharField(
        _("gemeld door"), max_length=20, choices=ReportedBy.choices, default=ReportedBy.PARENT
    )
    reported_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeld door account"),
    )
    reminder_sent_at = models.DateTimeField(_("herinnering verstuurd op"), null=True, blank=True)
    returned_on = models.DateField(_("weer op school op"), null=True, blank=True)
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)
    ended_by = models.CharField(_("beëindigd"), max_length=20, choices=EndedBy.choices, blank=True)
    created_at = models.DateTimeField(_("gemeld op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("laatst gewijzigd op"), auto_now=True)

    objects = AbsenceReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("absentiemelding")
        verbose_name_plural = _("absentiemeldingen")
        ordering = ["-first_day", "-pk"]
        indexes = [
            models.Index(fields=["pupil", "first_day"]),
            models.Index(fields=["ended_at", "expected_return"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_return__isnull=True) | Q(expected_return__gt=F("first_day")),
                name="absences_return_after_first_day",
            ),
        ]

    def __str__(self):
        return f"{self.pupil} ({self.get_reason_display()}, {self.first_day:%d-%m-%Y})"

    @property
    def is_open(self):
        return self.ended_at is None

    def covers(self, first_day, expected_return):
        """Whether this report's days overlap [first_day, expected_return), either end open."""
        starts_before_other_ends = expected_return is None or self.first_day < expected_return
        ends_after_other_starts = self.expected_return is None or self.expected_return > first_day
        return starts_before_other_ends and ends_after_other_starts


class AbsenceReminder(models.Model):
    """One reminder e-mail round for a report's expected return date: the outbox's cause.

    A report extended after its reminder gets a new one for the new date, so the cause is
    this row, not the report (the outbox sends once per cause and recipient).
    """

    report = models.ForeignKey(AbsenceReport, on_delete=models.CASCADE, related_name="reminders")
    expected_return = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("absentieherinnering")
        verbose_name_plural = _("absentieherinneringen")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "expected_return"], name="absences_one_reminder_per_date"
            )
        ]

    def __str__(self):
        return f"{self.report} → {self.expected_return:%d-%m-%Y}"
