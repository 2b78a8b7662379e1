"""The history of a pupil's photo consent: who changed which use, when, from what to what.

A school must be able to show what a parent agreed to on the day a photo was published, so
every change is kept as its own row, never changed afterwards. The consent itself stays on
the pupil (``people.Pupil.photo_consent_*``): that is what the rest of the project reads.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsentUse(models.TextChoices):
    """What a photo may be used for; each value names the pupil's field for that use."""

    GROUP_PAGE = "photo_consent_group_page", _("foto's op de groepspagina")
    WEBSITE = "photo_consent_website", _("foto's op de website van school")
    SOCIAL_MEDIA = "photo_consent_social_media", _("foto's op sociale media van school")


class ConsentChannel(models.TextChoices):
    PORTAL = "portal", _("ouderportaal")
    ADMIN = "admin", _("beheeromgeving")


class ConsentChange(models.Model):
    pupil = models.ForeignKey(
        "people.Pupil",
        on_delete=models.CASCADE,
        related_name="consent_changes",
        verbose_name=_("leerling"),
    )
    use = models.CharField(_("gebruik"), max_length=40, choices=ConsentUse.choices)
    # None: the pupil was new, there was no earlier answer.
    old_value = models.BooleanField(_("was"), null=True)
    new_value = models.BooleanField(_("wordt"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )
    # The name as it was: an account may be deleted, the history must still say who.
    changed_by_name = models.CharField(_("naam"), max_length=200)
    channel = models.CharField(_("via"), max_length=10, choices=ConsentChannel.choices)
    changed_at = models.DateTimeField(_("gewijzigd op"), default=timezone.now)

    class Meta:
        verbose_name = _("wijziging van toestemming")
        verbose_name_plural = _("wijzigingen van toestemming")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["pupil", "-changed_at"])]

    def __str__(self):
        return f"{self.pupil_id} {self.use} {self.old_value}→{self.new_value}"
