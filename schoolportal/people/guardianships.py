"""Who a guardian is to a child (relation, parental authority) and to a group (klassenouder).
Kept apart from the people themselves in ``models``, which imports them so Django registers
them with the people app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey


class Relation(models.TextChoices):
    MOTHER = "mother", _("moeder")
    FATHER = "father", _("vader")
    PARENT = "parent", _("ouder")
    CARER = "carer", _("verzorger")
    FOSTER_PARENT = "foster_parent", _("pleegouder")
    GUARDIAN = "guardian", _("voogd")


class Guardianship(models.Model):
    guardian = ParentalKey(
        "people.Guardian",
        on_delete=models.CASCADE,
        related_name="guardianships",
        verbose_name=_("ouder"),
    )
    pupil = models.ForeignKey(
        "people.Pupil",
        on_delete=models.CASCADE,
        related_name="guardianships",
        verbose_name=_("leerling"),
    )
    relation = models.CharField(
        _("relatie"), max_length=20, choices=Relation.choices, default=Relation.PARENT
    )
    # Without it a guardian is informed (Civil Code 1:377c) but never acts for the child:
    # ``access.may_act_for`` is the one rule that reads it.
    has_parental_authority = models.BooleanField(
        _("ouderlijk gezag"),
        default=True,
        help_text=_(
            "Zonder gezag ontvangt de ouder informatie, maar kan de ouder geen gegevens van "
            "het kind wijzigen, geen toestemming geven en het kind niet absent melden."
        ),
    )

    class Meta:
        verbose_name = _("gezagsrelatie")
        verbose_name_plural = _("gezagsrelaties")
        constraints = [
            models.UniqueConstraint(fields=["guardian", "pupil"], name="people_guardianship_unique")
        ]

    def __str__(self):
        return f"{self.guardian} – {self.pupil} ({self.get_relation_display()})"


class ClassParent(models.Model):
    """A guardian's role as klassenouder of one group."""

    group = ParentalKey(
        "people.Group",
        on_delete=models.CASCADE,
        related_name="class_parents",
        verbose_name=_("groep"),
    )
    guardian = models.ForeignKey(
        "people.Guardian",
        on_delete=models.CASCADE,
        related_name="class_parent_roles",
        verbose_name=_("ouder"),
    )

    class Meta:
        verbose_name = _("klassenouder")
        verbose_name_plural = _("klassenouders")
        constraints = [
            models.UniqueConstraint(fields=["group", "guardian"], name="people_classparent_unique")
        ]

    def __str__(self):
        return f"{self.guardian} ({self.group})"
