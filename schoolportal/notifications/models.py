"""The outbox: every e-mail the school sends is a row first, written with what caused it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One e-mail to one recipient, because of one cause (a mailing, a message, …).

    Unique per (kind, cause, recipient): queueing the same cause twice, as a double-clicked
    publish does, adds nobody twice. Only ids and the address live here; the text is rendered
    from the cause when the message is sent.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("wacht op verzending")
        SENDING = "sending", _("wordt verzonden")
        SENT = "sent", _("verzonden")
        FAILED = "failed", _("mislukt")
        INTERRUPTED = "interrupted", _("onderbroken tijdens verzenden")

    kind = models.CharField(_("soort"), max_length=50)
    cause_id = models.PositiveBigIntegerField(_("oorzaak"))
    recipient_email = models.EmailField(_("ontvanger"))
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    last_error = models.CharField(_("laatste fout"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("uitgaand bericht")
        verbose_name_plural = _("uitgaande berichten")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "cause_id", "recipient_email"], name="outbox_once_per_recipient"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.kind} {self.cause_id} → {self.recipient_email} ({self.status})"
