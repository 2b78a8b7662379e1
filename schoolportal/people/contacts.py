"""Who else looks after a child: emergency contacts (noodcontacten) and a family's
babysitter (oppas). Kept apart from the school's own people in ``models``, which imports
them so Django registers them with the people app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey

from .validators import validate_phone

NOTES_MAX_LENGTH = 1000


class EmergencyContact(models.Model):
    """Who school calls when the parents cannot be reached."""

    pupil = ParentalKey(
        "people.Pupil",
        on_delete=models.CASCADE,
        related_name="emergency_contacts",
        verbose_name=_("leerling"),
    )
    name = models.CharField(_("naam"), max_length=150)
    relation = models.CharField(
        _("relatie tot het kind"),
        max_length=100,
        blank=True,
        help_text=_("Bijvoorbeeld oma, buurvrouw of oppas."),
    )
    phone = models.CharField(_("telefoon"), max_length=30, validators=[validate_phone])

    class Meta:
        verbose_name = _("noodcontact")
        verbose_name_plural = _("noodcontacten")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class Babysitter(models.Model):
    """A family's regular babysitter (oppas): never in a class list, never shown to other parents.

    Staff and the children's teachers see them, for emergencies.
    """

    guardian = models.ForeignKey(
        "people.Guardian",
        on_delete=models.CASCADE,
        related_name="babysitters",
        verbose_name=_("ouder"),
    )
    name = models.CharField(_("naam"), max_length=150)
    phone = models.CharField(_("telefoon"), max_length=30, validators=[validate_phone])
    notes = models.TextField(_("opmerkingen"), max_length=NOTES_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("oppas")
        verbose_name_plural = _("oppassen")
        ordering = ["name"]

    def __str__(self):
        return self.name
