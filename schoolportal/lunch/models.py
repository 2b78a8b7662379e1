"""Overblijven: the days a child stays at school for lunch.

One row per child and date. A cancelled day keeps its row (who or what cancelled it, and
when): staff see why a child is not on the day's list, and billing counts only the days
that were not cancelled.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schoolportal.people.models import Pupil, School


class CancelledBy(models.TextChoices):
    PARENT = "parent", _("door ouder/verzorger")
    ABSENCE = "absence", _("door absentiemelding")
    STAFF = "staff", _("door school")


class LunchDayQuerySet(models.QuerySet):
    def active(self):
        return self.filter(cancelled_at__isnull=True)

    def cancelled(self):
        return self.filter(cancelled_at__isnull=False)


class LunchDay(models.Model):
    """A child stays for lunch on ``date``; ``school`` is the child's when registered."""

    wagtail_reference_index_ignore = True

    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, related_name="lunch_days", verbose_name=_("leerling")
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    date = models.DateField(_("datum"))
    registered_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemeld door account"),
    )
    created_at = models.DateTimeField(_("aangemeld op"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("afgemeld op"), null=True, blank=True)
    cancelled_by = models.CharField(
        _("afgemeld"), max_length=20, choices=CancelledBy.choices, blank=True
    )

    objects = LunchDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("overblijfdag")
        verbose_name_plural = _("overblijfdagen")
        ordering = ["date", "pupil__last_name", "pupil__first_name"]
        indexes = [models.Index(fields=["school", "date"])]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "date"], name="lunch_one_day_per_pupil"),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True, cancelled_by="")
                | Q(cancelled_at__isnull=False) & ~Q(cancelled_by=""),
                name="lunch_cancelled_says_by_whom",
            ),
        ]

    def __str__(self):
        return f"{self.pupil} ({self.date:%d-%m-%Y})"

    @property
    def is_active(self):
        return self.cancelled_at is None
