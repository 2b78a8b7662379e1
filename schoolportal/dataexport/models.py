"""A parent's request for their data, and the ZIP it produced (kept for a week)."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long a finished download is offered; afterwards the file is deleted (``cleanup``).
KEPT_FOR = timedelta(days=7)


def export_path(instance, filename):
    # A random directory and name: the stored path says nothing and cannot be guessed.
    return f"dataexport/{uuid.uuid4().hex}/{uuid.uuid4().hex}.zip"


class DataExportQuerySet(models.QuerySet):
    def unfinished(self):
        return self.filter(status__in=DataExport.UNFINISHED)

    def available(self, now=None):
        """Ready and not expired: what the download link serves."""
        return self.filter(status=DataExport.Status.READY, expires_at__gt=now or timezone.now())


class DataExport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("wacht op verwerking")
        RUNNING = "running", _("wordt klaargemaakt")
        READY = "ready", _("klaar")
        FAILED = "failed", _("mislukt")

    UNFINISHED = (Status.QUEUED, Status.RUNNING)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="data_exports",
        verbose_name=_("gebruiker"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("voortgang (procent)"), default=0)
    file = models.FileField(_("bestand"), upload_to=export_path, max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("grootte"), null=True, blank=True)
    requested_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    started_at = models.DateTimeField(_("begonnen op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    expires_at = models.DateTimeField(_("beschikbaar tot"), null=True, blank=True)

    objects = DataExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("download van gegevens")
        verbose_name_plural = _("downloads van gegevens")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One export at a time per user, also when two requests arrive at once.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["queued", "running"]),
                name="dataexport_one_unfinished_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.requested_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def is_unfinished(self):
        return self.status in self.UNFINISHED

    @property
    def filename(self):
        made = timezone.localtime(self.finished_at or self.requested_at)
        return f"mijn-gegevens-{made:%Y-%m-%d}.zip"
