"""What retention and deletion requests did: counts per kind, when, and who handled it.

The log names no person: a deletion request is recorded by the guardian's number only, so
the log itself never needs to be erased.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PrivacyLogEntry(models.Model):
    class Action(models.TextChoices):
        RETENTION = "retention", _("bewaartermijnen verlopen")
        DELETION = "deletion", _("verzoek tot verwijdering")

    action = models.CharField(_("soort"), max_length=20, choices=Action.choices)
    # Empty for the retention run: it covers every school of the installation.
    school = models.ForeignKey(
        "people.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
    )
    done_at = models.DateTimeField(_("uitgevoerd op"), default=timezone.now, db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uitgevoerd door"),
    )
    received_on = models.DateField(_("verzoek ontvangen op"), null=True, blank=True)
    subject = models.CharField(_("betreft"), max_length=100, blank=True)
    # {kind: number of rows removed or anonymised}
    counts = models.JSONField(_("aantallen"), default=dict)

    class Meta:
        verbose_name = _("privacylogregel")
        verbose_name_plural = _("privacylogboek")
        ordering = ["-done_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.done_at:%Y-%m-%d %H:%M}"
