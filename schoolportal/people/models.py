"""The school and its people: schools, years, groups, pupils, guardians and staff.

The link codes of kind koppelen live in ``linkcodes``; who a guardian is to a child
(relation, parental authority) and the klassenouder role in ``guardianships``.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel

# Defined in their own modules, imported here so Django registers them with this app.
from .contacts import NOTES_MAX_LENGTH, Babysitter, EmergencyContact  # noqa: F401
from .guardianships import ClassParent, Guardianship, Relation  # noqa: F401
from .linkcodes import LinkCodeAttempt, PupilLinkCode  # noqa: F401
from .validators import normalise_postcode, validate_phone, validate_postcode

brin_validator = RegexValidator(
    r"^\d{2}[A-Z]{2}(\d{2})?$",
    _("Een BRIN-nummer bestaat uit twee cijfers en twee hoofdletters, bijvoorbeeld 12AB."),
)


class Address(models.Model):
    """A Dutch postal address, shared by guardians, pupils and schools."""

    street = models.CharField(_("straat"), max_length=200, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=20, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[validate_postcode]
    )
    city = models.CharField(_("plaats"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.postcode = normalise_postcode(self.postcode)
        super().save(*args, **kwargs)

    @property
    def address_lines(self):
        """The address as the lines of an envelope; empty parts left out."""
        first = " ".join(part for part in (self.street, self.house_number) if part)
        second = " ".join(part for part in (self.postcode, self.city) if part)
        return [line for line in (first, second) if line]


class ChangeTracked(models.Model):
    """Records when and by whom a person's data was last changed (shown to staff)."""

    updated_at = models.DateTimeField(
        _("laatst gewijzigd op"), null=True, blank=True, editable=False
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("laatst gewijzigd door"),
    )

    class Meta:
        abstract = True

    def mark_changed_by(self, user):
        self.updated_at = timezone.now()
        self.updated_by = user if user is not None and user.is_authenticated else None


class School(Address):
    """One school; an installation (a school board) may run several."""

    wagtail_reference_index_ignore = True

    name = models.CharField(_("naam"), max_length=200)
    brin = models.CharField(
        _("BRIN-nummer"), max_length=6, unique=True, validators=[brin_validator]
    )
    phone = models.CharField(_("telefoon"), max_length=30, blank=True, validators=[validate_phone])
    email = models.EmailField(
        _("e-mailadres"), blank=True, help_text=_("Wordt aan ouders getoond als contactadres.")
    )
    website = models.URLField(_("website"), blank=True)
    support_text = models.TextField(
        _("ondersteuning"),
        blank=True,
        help_text=_("Waar ouders terechtkunnen met vragen over het ouderportaal."),
    )
    # Optional modules, switched per school.
    results_enabled = models.BooleanField(_("resultaten"), default=False)
    group_pages_enabled = models.BooleanField(_("groepspagina's"), default=True)
    # Within group pages: parents and staff react under blog posts.
    reactions_enabled = models.BooleanField(_("reacties onder blogberichten"), default=True)
    absences_enabled = models.BooleanField(_("absenties"), default=True)
    lunch_enabled = models.BooleanField(_("overblijf"), default=False)
    # The module's one setting sits beside its switch, where staff switch it on.
    lunch_cutoff = models.TimeField(
        _("overblijven wijzigen tot"),
        default=datetime.time(9, 0),
        help_text=_("Tot dit tijdstip op de dag zelf kunnen ouders een overblijfdag afmelden."),
    )
    interviews_enabled = models.BooleanField(_("oudergesprekken"), default=True)
    # Bumped whenever the school's agenda changes: the calendar feed's cheap validator.
    agenda_changed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("scholen")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.brin = (self.brin or "").strip().upper()
        super().save(*args, **kwargs)

    @property
    def current_school_year(self):
        today = timezone.localdate()
        return self.school_years.filter(start_date__lte=today, end_date__gte=today).first()


class SchoolYear(models.Model):
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="school_years", verbose_name=_("school")
    )
    name = models.CharField(_("naam"), max_length=20, help_text=_("Bijvoorbeeld 2026-2027."))
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"))

    class Meta:
        verbose_name = _("schooljaar")
        verbose_name_plural = _("schooljaren")
        ordering = ["school", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"], name="people_schoolyear_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="people_schoolyear_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.school})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("De einddatum moet na de begindatum liggen.")})


class StaffRole(models.TextChoices):
    TEACHER = "teacher", _("leerkracht")
    MANAGEMENT = "management", _("directie")
    ADMINISTRATION = "administration", _("administratie")


class StaffMember(models.Model):
    """Somebody who works at a school. Parents see the display name, never the e-mail."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="staff", verbose_name=_("school")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_memberships",
        verbose_name=_("account"),
    )
    display_name = models.CharField(
        _("weergavenaam"), max_length=150, help_text=_("Bijvoorbeeld 'juf Bakker'.")
    )
    email = models.EmailField(
        _("e-mailadres"), help_text=_("Voor inloggen en meldingen; nooit zichtbaar voor ouders.")
    )
    role = models.CharField(
        _("rol"), max_length=20, choices=StaffRole.choices, default=StaffRole.TEACHER
    )

    class Meta:
        verbose_name = _("medewerker")
        verbose_name_plural = _("medewerkers")
        ordering = ["school", "display_name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "email"], name="people_staff_unique_email"),
            models.UniqueConstraint(
                fields=["school", "user"],
                name="people_staff_unique_user",
                condition=Q(user__isnull=False),
            ),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)


class Group(ClusterableModel):
    """A class (groep) in one school year; a combination group spans several year levels."""

    wagtail_reference_index_ignore = True

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="groups", verbose_name=_("school")
    )
    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.PROTECT, related_name="groups", verbose_name=_("schooljaar")
    )
    name = models.CharField(_("naam"), max_length=50, help_text=_("Bijvoorbeeld 'Groep 5/6'."))
    lowest_year_level = models.PositiveSmallIntegerField(
        _("laagste jaargroep"), validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    highest_year_level = models.PositiveSmallIntegerField(
        _("hoogste jaargroep"), validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    teachers = models.ManyToManyField(
        StaffMember, blank=True, related_name="groups", verbose_name=_("leerkrachten")
    )

    class Meta:
        verbose_name = _("groep")
        verbose_name_plural = _("groepen")
        ordering = ["school", "lowest_year_level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "name"], name="people_group_unique_name_per_year"
            ),
            models.CheckConstraint(
                condition=Q(lowest_year_level__gte=1, highest_year_level__lte=8)
                & Q(highest_year_level__gte=F("lowest_year_level")),
                name="people_group_year_levels_1_to_8",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.school_year_id and self.school_id and self.school_year.school_id != self.school_id:
            raise ValidationError({"school_year": _("Dit schooljaar hoort bij een andere school.")})
        if (
            self.lowest_year_level
            and self.highest_year_level
            and self.highest_year_level < self.lowest_year_level
        ):
            raise ValidationError(
                {
                    "highest_year_level": _(
                        "De hoogste jaargroep mag niet lager zijn dan de laagste."
                    )
                }
            )

    @property
    def is_combination(self):
        return self.highest_year_level != self.lowest_year_level

    @property
    def year_levels(self):
        return list(range(self.lowest_year_level, self.highest_year_level + 1))


# What parents type about a child or a babysitter: half a page for medical notes (what to do
# when, which medicine), a short paragraph otherwise. A longer protocol is a conversation with
# school, not a form field; without a limit one form post stored a megabyte in a row that
# staff screens and exports show in full.
MEDICAL_NOTES_MAX_LENGTH = 2000


def still_at_school(prefix="", on=None):
    """The condition "still at school on ``on`` (today)" for pupils reached through
    ``prefix`` (``"pupil__"`` from a guardianship, say)."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": on})


class PupilQuerySet(models.QuerySet):
    def current(self, on=None):
        """Pupils still at school on ``on`` (today): a pupil who left is kept, not listed."""
        return self.filter(still_at_school(on=on))


class Pupil(Address, ChangeTracked, ClusterableModel):
    wagtail_reference_index_ignore = True
    pupil_number = models.CharField(
        _("leerlingnummer"),
        max_length=30,
        blank=True,
        help_text=_(
            "Het nummer uit de leerlingadministratie; een import herkent de leerling eraan."
        ),
    )
    first_name = models.CharField(_("voornaam"), max_length=100)
    infix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=100)
    date_of_birth = models.DateField(_("geboortedatum"))
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="pupils", verbose_name=_("school")
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pupils",
        verbose_name=_("groep"),
    )
    medical_notes = models.TextField(
        _("medische bijzonderheden"),
        max_length=MEDICAL_NOTES_MAX_LENGTH,
        blank=True,
        help_text=_("Alleen zichtbaar voor de school, nooit voor andere ouders."),
    )
    allergies = models.TextField(
        _("allergieën"),
        max_length=NOTES_MAX_LENGTH,
        blank=True,
        help_text=_("Alleen zichtbaar voor de school."),
    )
    photo_consent_group_page = models.BooleanField(_("foto's op de groepspagina"), default=False)
    photo_consent_website = models.BooleanField(_("foto's op de website van school"), default=False)
    photo_consent_social_media = models.BooleanField(
        _("foto's op sociale media van school"), default=False
    )
    # The first day the pupil is no longer at school. Pupils who left keep their history
    # (mailings, absences), so they are marked rather than deleted.
    left_on = models.DateField(
        _("uitgeschreven per"),
        null=True,
        blank=True,
        help_text=_("Vanaf deze dag staat de leerling niet meer in klassenlijsten en mailings."),
    )

    objects = PupilQuerySet.as_manager()

    class Meta:
        verbose_name = _("leerling")
        verbose_name_plural = _("leerlingen")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "pupil_number"],
                condition=~Q(pupil_number=""),
                name="people_pupil_unique_number",
            )
        ]

    def __str__(self):
        return self.full_name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.group_id and self.school_id and self.group.school_id != self.school_id:
            raise ValidationError({"group": _("Deze groep hoort bij een andere school.")})

    @property
    def full_name(self):
        return " ".join(part for part in (self.first_name, self.infix, self.last_name) if part)

    @property
    def has_left(self):
        return self.left_on is not None and self.left_on <= timezone.localdate()


class Guardian(Address, ChangeTracked, ClusterableModel):
    """A parent or carer: their own profile, linked to a login once they accept the invitation.

    Contact fields default to hidden: other parents see them only when the guardian
    chooses to share them. Staff always see them.
    """

    wagtail_reference_index_ignore = True

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guardian",
        verbose_name=_("account"),
    )
    first_name = models.CharField(_("voornaam"), max_length=100)
    infix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=100)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True, validators=[validate_phone])
    mobile_phone = models.CharField(
        _("mobiel"), max_length=30, blank=True, validators=[validate_phone]
    )
    address_hidden = models.BooleanField(_("adres verborgen"), default=True)
    phone_hidden = models.BooleanField(_("telefoonnummer verborgen"), default=True)
    mobile_phone_hidden = models.BooleanField(_("mobiel nummer verborgen"), default=True)
    email_hidden = models.BooleanField(_("e-mailadres verborgen"), default=True)
    pupils = models.ManyToManyField(
        Pupil, through="Guardianship", related_name="guardians", verbose_name=_("kinderen")
    )

    class Meta:
        verbose_name = _("ouder/verzorger")
        verbose_name_plural = _("ouders/verzorgers")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def full_name(self):
        return " ".join(part for part in (self.first_name, self.infix, self.last_name) if part)
