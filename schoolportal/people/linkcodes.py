"""Kind koppelen's records: the one-time codes a school hands out, and the failed attempts
that lock the form. Issuing and redeeming them is ``linking``'s work.

The models belong to the people app (``models`` imports them); they name the pupil and the
guardian by label, so this module needs nothing from ``models`` and no import circle forms.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PupilLinkCode(models.Model):
    """A one-time code the school hands out so a parent can link (koppelen) a child.

    Only a hash is stored; the code itself is shown once, to be printed or mailed.
    """

    pupil = models.ForeignKey(
        "people.Pupil",
        on_delete=models.CASCADE,
        related_name="link_codes",
        verbose_name=_("leerling"),
    )
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    used_at = models.DateTimeField(_("gebruikt op"), null=True, blank=True)
    used_by = models.ForeignKey(
        "people.Guardian",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gebruikt door"),
    )
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        verbose_name = _("koppelcode")
        verbose_name_plural = _("koppelcodes")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.pupil} ({self.created_at:%d-%m-%Y})"


class LinkCodeAttempt(models.Model):
    """A failed 'kind koppelen' attempt, counted to lock the form after too many."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("mislukte koppelpoging")
        verbose_name_plural = _("mislukte koppelpogingen")

    def __str__(self):
        return f"{self.user} {self.created_at:%d-%m-%Y %H:%M}"
