"""The access log: one row per person whose record somebody opened, changed, exported or
printed.

A row says who (the account, and their name as it was), what (the pupil or guardian, and
their name as it was), how (the action and the screen, for a change the names of the fields
that changed) and when, and which school's management reads it. Never the values: the log
must not become a second copy of the records it watches.

The account, pupil and guardian are kept with ``SET_NULL`` beside a kept name: a row of a
deleted account or a pupil who was removed still says whom it was about until the row itself
expires (``ACCESS_LOG_RETENTION_DAYS``, see ``retention``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEWED = "viewed", _("bekeken")
    CHANGED = "changed", _("gewijzigd")
    EXPORTED = "exported", _("geëxporteerd")
    PRINTED = "printed", _("afgedrukt")


class Subject(models.TextChoices):
    PUPIL = "pupil", _("leerling")
    GUARDIAN = "guardian", _("ouder/verzorger")


class Screen(models.TextChoices):
    """Where it happened, in the words of the screen's own title."""

    ADMIN_PUPIL = "admin-pupil", _("Leerlingen (beheer)")
    ADMIN_GUARDIAN = "admin-guardian", _("Ouders/verzorgers (beheer)")
    ADMIN_CLASS_LIST = "admin-class-list", _("Klassenlijst (beheer)")
    INTERVIEW_SCHEDULE = "interview-schedule", _("Rooster oudergesprekken")
    PORTAL_CLASS_LIST = "portal-class-list", _("Klassenlijst (ouderportaal)")
    PORTAL_PROFILE = "portal-profile", _("Mijn profiel (ouderportaal)")
    PORTAL_CHILD = "portal-child", _("Mijn kinderen (ouderportaal)")


class AccessLogEntry(models.Model):
    at = models.DateTimeField(_("wanneer"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )
    # The name as it was: an account may be deleted, the log must still say who.
    user_name = models.CharField(_("naam"), max_length=200)
    # Whose management reads the row; a school that is removed takes its log with it.
    school = models.ForeignKey(
        "people.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    action = models.CharField(_("actie"), max_length=10, choices=Action.choices)
    pupil = models.ForeignKey(
        "people.Pupil",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("leerling"),
    )
    guardian = models.ForeignKey(
        "people.Guardian",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ouder/verzorger"),
    )
    # Which of the two the row is about, also once the pupil or guardian is gone.
    subject = models.CharField(_("soort"), max_length=10, choices=Subject.choices)
    subject_name = models.CharField(_("gegevens van"), max_length=200)
    where = models.CharField(_("scherm"), max_length=40, choices=Screen.choices)
    # Field names only (comma-separated), never their values.
    changed_fields = models.CharField(_("gewijzigde velden"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("regel van het inzagelog")
        verbose_name_plural = _("inzagelog")
        ordering = ["-at", "-pk"]
        # The screen's three ways in: a school's rows, per pupil and per staff member, newest
        # first; ``at`` alone for removing expired rows.
        indexes = [
            models.Index(fields=["school", "-at"]),
            models.Index(fields=["pupil", "-at"]),
            models.Index(fields=["user", "-at"]),
            models.Index(fields=["at"]),
        ]
        # Written by ``recording`` only: no screen adds, changes or deletes a row.
        default_permissions = ()

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_name} {self.action} {self.subject_name}"
