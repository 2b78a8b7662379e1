"""Berichten: private conversations between parents and school staff.

A conversation belongs to one school; its parties are guardians and staff members
(``Participant``, exactly one of the two per row). Parents never write to parents: a
guardian can only address staff (``access.addressable_staff``), and only staff add
guardians. A guardian or staff member without an account still gets every message by
e-mail; they read it online once they have one.
"""

import os
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schoolportal.people.models import Guardian, School, StaffMember


class Conversation(models.Model):
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="conversations", verbose_name=_("school")
    )
    subject = models.CharField(_("onderwerp"), max_length=200)
    started_at = models.DateTimeField(_("begonnen op"), default=timezone.now)
    # Bumped with every message: inboxes sort on it without reading the messages.
    last_message_at = models.DateTimeField(
        _("laatste bericht"), default=timezone.now, db_index=True
    )

    class Meta:
        verbose_name = _("gesprek")
        verbose_name_plural = _("gesprekken")
        ordering = ["-last_message_at", "-pk"]

    def __str__(self):
        return self.subject


class Participant(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    guardian = models.ForeignKey(
        Guardian,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conversation_participations",
    )
    staff_member = models.ForeignKey(
        StaffMember,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conversation_participations",
    )
    # Null: never read. Unread = a message from someone else sent after this.
    last_read_at = models.DateTimeField(null=True, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(guardian__isnull=False, staff_member__isnull=True)
                | Q(guardian__isnull=True, staff_member__isnull=False),
                name="conversations_participant_guardian_xor_staff",
            ),
            models.UniqueConstraint(
                fields=["conversation", "guardian"],
                name="conversations_participant_unique_guardian",
                condition=Q(guardian__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["conversation", "staff_member"],
                name="conversations_participant_unique_staff",
                condition=Q(staff_member__isnull=False),
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        """The name other parties see: a staff member's display name, a guardian's name."""
        if self.staff_member_id:
            return self.staff_member.display_name
        return self.guardian.full_name

    @property
    def is_staff(self):
        return self.staff_member_id is not None

    @property
    def user_id(self):
        person = self.staff_member if self.staff_member_id else self.guardian
        return person.user_id

    @property
    def email(self):
        person = self.staff_member if self.staff_member_id else self.guardian
        return person.email


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="sent_messages")
    body = models.TextField(_("bericht"))
    sent_at = models.DateTimeField(_("verzonden op"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["sent_at", "pk"]

    def __str__(self):
        return f"{self.conversation} ({self.sent_at:%Y-%m-%d %H:%M})"


def attachment_path(instance, filename):
    # A random directory: the stored name says nothing and cannot be guessed from another.
    extension = os.path.splitext(filename)[1].lower()
    return f"conversations/{uuid.uuid4().hex}/{uuid.uuid4().hex}{extension}"


class MessageAttachment(models.Model):
    """A file sent with a message: stored outside any public URL, downloaded only through
    ``conversations:attachment`` (or the admin's equivalent), which asks ``access``."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("bestand"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("naam"), max_length=255)
    size = models.PositiveBigIntegerField(_("grootte"))

    class Meta:
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
        ordering = ["pk"]

    def __str__(self):
        return self.name
