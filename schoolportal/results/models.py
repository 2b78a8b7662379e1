"""Resultaten: a pupil's school reports (rapporten, a PDF per period) and test results.

Nothing is shown to parents until staff release it (``released_at``, now or a date ahead):
the teacher discusses results with the child and the parents first. ``school`` is the
pupil's school when the row was made, so a school's staff keep their history.
"""

import uuid

from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from schoolportal.people.models import Pupil, School

LEVELS = ("I", "II", "III", "IV", "V", "A", "B", "C", "D", "E")
LEVEL_CHOICES = [(level, level) for level in LEVELS]


def report_path(instance, filename):
    # A random directory: the stored name says nothing and cannot be guessed from another.
    return f"results/{uuid.uuid4().hex}/{uuid.uuid4().hex}.pdf"


class ReleasedQuerySet(models.QuerySet):
    def released(self, now=None):
        return self.filter(released_at__lte=now or timezone.now())

    def unreleased(self, now=None):
        return self.filter(Q(released_at__isnull=True) | Q(released_at__gt=now or timezone.now()))


class Released(models.Model):
    released_at = models.DateTimeField(
        _("vrijgegeven vanaf"),
        null=True,
        blank=True,
        help_text=_(
            "Ouders zien dit vanaf dit moment. Leeg: nog niet vrijgegeven (eerst bespreken)."
        ),
    )
    created_at = models.DateTimeField(_("toegevoegd op"), auto_now_add=True)

    objects = ReleasedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_released(self):
        return self.released_at is not None and self.released_at <= timezone.now()


class SchoolReport(Released):
    """Een rapport: one PDF per pupil and period, downloaded only through a checked view."""

    wagtail_reference_index_ignore = True

    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, related_name="school_reports", verbose_name=_("leerling")
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    school_year = models.CharField(
        _("schooljaar"), max_length=20, help_text=_("Bijvoorbeeld 2026-2027.")
    )
    title = models.CharField(
        _("titel"), max_length=120, help_text=_("Bijvoorbeeld: Rapport 1 (februari).")
    )
    file = models.FileField(
        _("PDF-bestand"),
        upload_to=report_path,
        max_length=255,
        validators=[FileExtensionValidator(["pdf"])],
    )

    class Meta:
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporten")
        ordering = ["pupil__last_name", "pupil__first_name", "-school_year", "-created_at"]
        indexes = [models.Index(fields=["school", "released_at"])]

    def __str__(self):
        return f"{self.title} {self.school_year} – {self.pupil}"

    @property
    def filename(self):
        name = f"{self.title} {self.school_year} {self.pupil.full_name}"
        return "".join(c if c.isalnum() or c in " -_" else "-" for c in name).strip() + ".pdf"


class TestResult(Released):
    """One test a pupil took: score and/or level (I–V or A–E), with an optional note.

    A pupil has one result per test and date: importing the same file again changes nothing.
    """

    wagtail_reference_index_ignore = True

    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, related_name="test_results", verbose_name=_("leerling")
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    test_name = models.CharField(
        _("toets"), max_length=100, help_text=_("Bijvoorbeeld: Rekenen-Wiskunde M5.")
    )
    taken_on = models.DateField(_("datum"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1, null=True, blank=True)
    level = models.CharField(_("niveau"), max_length=3, choices=LEVEL_CHOICES, blank=True)
    note = models.TextField(_("opmerking"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("toetsresultaat")
        verbose_name_plural = _("toetsresultaten")
        ordering = ["pupil__last_name", "pupil__first_name", "-taken_on", "test_name"]
        indexes = [models.Index(fields=["school", "released_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "test_name", "taken_on"], name="results_one_result_per_test_day"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=False) | ~Q(level=""),
                name="results_score_or_level",
            ),
        ]

    def __str__(self):
        return f"{self.test_name} {self.taken_on:%d-%m-%Y} – {self.pupil}"

    @property
    def score_display(self):
        """The score as a teacher writes it: "245", "45,5" (no "245,0")."""
        if self.score is None:
            return ""
        whole = self.score == self.score.to_integral_value()
        return number_format(self.score.quantize(1) if whole else self.score)
