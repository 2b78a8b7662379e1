"""Mailings: the school's letters to parents, written in the admin and e-mailed in full.

A mailing is Wagtail content (drafts, preview, scheduled publishing, revisions); the
first publication sends it (see ``delivery``). It may carry a reply slip (antwoordbriefje):
questions defined like Wagtail form-builder fields, answered per family or per child.
"""

import os
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, Orderable, PreviewableMixin, RevisionMixin

UNSAFE_IN_FILENAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
BODY_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "hr"]


class Sender(models.TextChoices):
    SCHOOL = "school", _("de school")
    TEACHER = "teacher", _("de leerkracht")
    CLASS_PARENTS = "class_parents", _("de klassenouders")
    PARTICIPATION_COUNCIL = "mr", _("de medezeggenschapsraad (MR)")
    PARENTS_COUNCIL = "or", _("de ouderraad (OR)")
    BOARD = "board", _("het schoolbestuur")


class Audience(models.TextChoices):
    SCHOOL = "school", _("de hele school")
    GROUPS = "groups", _("gekozen groepen")
    # A school board (one installation, several schools) writes to every family at once.
    EVERY_SCHOOL = "every_school", _("alle scholen van het bestuur")


class ReplyPer(models.TextChoices):
    FAMILY = "family", _("één antwoord per gezin")
    CHILD = "child", _("één antwoord per kind")


class MailingQuerySet(models.QuerySet):
    def sent(self):
        """Published and handed to the outbox: what parents can read."""
        return self.filter(live=True, sent_at__isnull=False)


class Mailing(DraftStateMixin, RevisionMixin, PreviewableMixin, ClusterableModel):
    # Wagtail's default is live; a mailing is a draft until it is published (and sent).
    live = models.BooleanField(_("gepubliceerd"), default=False, editable=False)
    go_live_at = models.DateTimeField(
        _("publiceren en versturen op"),
        blank=True,
        null=True,
        help_text=_(
            "Leeg: de mailing gaat weg zodra u op Publiceren klikt. Met een moment: dan pas "
            "verschijnt hij in het ouderportaal en gaan de e-mails weg."
        ),
    )
    expire_at = models.DateTimeField(
        _("vervaldatum"),
        blank=True,
        null=True,
        help_text=_(
            "Vanaf dit moment staat de mailing niet meer in het ouderportaal; de e-mails die "
            "ouders kregen, blijven in hun mailbox. Leeg: de mailing blijft staan."
        ),
    )
    school = models.ForeignKey(
        "people.School", on_delete=models.CASCADE, related_name="mailings", verbose_name=_("school")
    )
    title = models.CharField(_("onderwerp"), max_length=200)
    body = RichTextField(_("tekst"), features=BODY_FEATURES)
    sender = models.CharField(
        _("afzender"),
        max_length=20,
        choices=Sender.choices,
        default=Sender.SCHOOL,
        help_text=_("Namens wie de mailing verschijnt."),
    )
    audience = models.CharField(
        _("voor"), max_length=12, choices=Audience.choices, default=Audience.GROUPS
    )
    groups = ParentalManyToManyField(
        "people.Group", blank=True, related_name="mailings", verbose_name=_("groepen")
    )
    reply_per = models.CharField(
        _("antwoord per"), max_length=10, choices=ReplyPer.choices, default=ReplyPer.FAMILY
    )
    reply_deadline = models.DateTimeField(
        _("antwoorden tot"),
        null=True,
        blank=True,
        help_text=_("Tot dit moment kunnen ouders hun antwoord geven en wijzigen."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("gemaakt door"),
    )
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)
    # Set once, when the first publication queued the e-mails: later revisions do not send.
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True, editable=False)

    objects = MailingQuerySet.as_manager()

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-sent_at", "-created_at"]
        indexes = [models.Index(fields=["school", "live", "-sent_at"])]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.reply_deadline and not self.pk and self.reply_deadline < timezone.now():
            raise ValidationError(
                {"reply_deadline": _("Kies een moment in de toekomst om te kunnen antwoorden.")}
            )

    def with_content_json(self, content):
        # Whether and by whom it was sent belongs to the mailing, not to one of its revisions:
        # publishing an older revision must not make it look unsent (and send it again).
        obj = super().with_content_json(content)
        obj.sent_at = self.sent_at
        obj.created_by_id = self.created_by_id
        return obj

    @property
    def for_whole_school(self):
        return self.audience == Audience.SCHOOL

    @property
    def for_every_school(self):
        return self.audience == Audience.EVERY_SCHOOL

    def sender_name(self):
        """The name the mailing appears from, e.g. "Klassenouders groep 3"."""
        group_names = ", ".join(group.name for group in self.groups.all())
        if self.sender == Sender.TEACHER:
            teachers = sorted(
                {
                    teacher.display_name
                    for group in self.groups.all()
                    for teacher in group.teachers.all()
                }
            )
            if teachers and group_names:
                return _("%(teachers)s (%(groups)s)") % {
                    "teachers": ", ".join(teachers),
                    "groups": group_names,
                }
            return _("Leerkracht %(groups)s") % {"groups": group_names}
        if self.sender == Sender.CLASS_PARENTS:
            return _("Klassenouders %(groups)s") % {"groups": group_names}
        if self.sender == Sender.PARTICIPATION_COUNCIL:
            return _("Medezeggenschapsraad %(school)s") % {"school": self.school.name}
        if self.sender == Sender.PARENTS_COUNCIL:
            return _("Ouderraad %(school)s") % {"school": self.school.name}
        if self.sender == Sender.BOARD:
            return str(_("Het schoolbestuur"))  # a display name in the From: header too
        return self.school.name

    def staff_senders(self):
        """The staff members the mailing comes from: its groups' teachers for a mailing sent
        by the teacher; nobody for the school, class parents or a council."""
        if self.sender != Sender.TEACHER:
            return []
        teachers = {
            teacher.pk: teacher
            for group in self.groups.all()
            for teacher in group.teachers.all()
            if teacher.school_id == self.school_id
        }
        return sorted(teachers.values(), key=lambda teacher: (teacher.display_name, teacher.pk))

    def audience_label(self):
        """Who receives it, as a value in a column or list ("Hele school", "Groep 3")."""
        if self.for_whole_school:
            return _("Hele school")
        if self.for_every_school:
            return _("Alle scholen")
        return ", ".join(group.name for group in self.groups.all())

    def audience_in_sentence(self):
        """Who receives it, inside a sentence: "aan de hele school", "aan Groep 3"."""
        if self.for_whole_school:
            return _("de hele school")
        if self.for_every_school:
            return _("alle scholen van het bestuur")
        return self.audience_label()

    @property
    def has_reply_slip(self):
        return bool(self.reply_fields.all())

    def reply_slip_open(self, now=None):
        return self.reply_deadline is None or (now or timezone.now()) < self.reply_deadline

    def get_preview_template(self, request, mode_name):
        return "mailings/preview.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context["mailing"] = self
        return context


def validate_attachment(document):
    """Refuse files a mailbox would bounce or a parent should not open from the school."""
    limit = settings.MAILING_ATTACHMENT_MAX_SIZE
    extension = os.path.splitext(document.file.name)[1].lstrip(".").lower()
    if extension not in settings.WAGTAILDOCS_EXTENSIONS:
        raise ValidationError(
            _("Bestanden van het type .%(extension)s kunnen niet worden meegestuurd."),
            params={"extension": extension},
        )
    size = document.get_file_size()
    if size is not None and size > limit:
        raise ValidationError(
            _("%(name)s is te groot (%(size)s); het maximum is %(limit)s."),
            params={
                "name": document.title,
                "size": filesizeformat(size),
                "limit": filesizeformat(limit),
            },
        )


class MailingAttachment(Orderable):
    mailing = ParentalKey(Mailing, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("bestand"),
    )
    # Uploaded for this mailing (by a class parent in the portal), not chosen from the
    # library: the document goes when its last attachment does (see ``attachments``).
    owns_document = models.BooleanField(default=False, editable=False)

    class Meta(Orderable.Meta):
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")

    def __str__(self):
        return self.document.title

    def clean(self):
        super().clean()
        if self.document_id:
            try:
                validate_attachment(self.document)
            except ValidationError as error:
                raise ValidationError({"document": error.messages}) from error

    @property
    def filename(self):
        """The name parents see: the document's title with the file's extension.

        Not the stored file's name, which storage may have suffixed (``brief_x7Yq2.pdf``).
        """
        extension = os.path.splitext(self.document.file.name)[1].lower()
        title = UNSAFE_IN_FILENAMES.sub(" ", self.document.title).strip(" .") or _("bijlage")
        return title if title.lower().endswith(extension) else f"{title}{extension}"


# The reply-slip field types: the form builder's, without those a parent has no use for.
REPLY_FIELD_TYPES = (
    ("singleline", _("Tekst (één regel)")),
    ("multiline", _("Tekst (meerdere regels)")),
    ("dropdown", _("Keuze (uitklaplijst)")),
    ("radio", _("Keuze (rondjes)")),
    ("checkboxes", _("Meerkeuze")),
    ("checkbox", _("Vinkje")),
    ("number", _("Getal")),
    ("date", _("Datum")),
)
CHOICE_FIELD_TYPES = {"dropdown", "radio", "checkboxes"}


class ReplySlipField(AbstractFormField):
    mailing = ParentalKey(Mailing, on_delete=models.CASCADE, related_name="reply_fields")
    # The form builder's words ("label", "default value") are a developer's: a teacher asks
    # a question and lists the answers parents choose from.
    label = models.CharField(
        _("vraag"),
        max_length=255,
        help_text=_("Zoals ouders hem lezen, bijvoorbeeld: Gaat uw kind mee op schoolreis?"),
    )
    field_type = models.CharField(_("soort vraag"), max_length=16, choices=REPLY_FIELD_TYPES)
    field_type.required_on_save = True
    required = models.BooleanField(
        _("verplicht"), default=True, help_text=_("Ouders moeten deze vraag beantwoorden.")
    )
    choices = models.TextField(
        _("antwoordmogelijkheden, één per regel"),
        blank=True,
        help_text=_("Alleen bij een keuzevraag: elke regel is een antwoord dat ouders kiezen."),
    )
    help_text = models.CharField(
        _("toelichting"),
        max_length=255,
        blank=True,
        help_text=_("Staat klein onder de vraag; mag leeg blijven."),
    )

    class Meta(AbstractFormField.Meta):
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")

    @classmethod
    def questions(cls, rows):
        """Unsaved fields from (label, field type, choices, required) rows, in that order."""
        return [
            cls(sort_order=order, label=label, field_type=kind, choices=choices, required=required)
            for order, (label, kind, choices, required) in enumerate(rows)
        ]

    def clean(self):
        super().clean()
        if self.field_type in CHOICE_FIELD_TYPES and not self.choices.strip():
            raise ValidationError({"choices": _("Geef de keuzes, één per regel.")})


class ReplySlipAnswer(models.Model):
    """A family's or a child's answer to a reply slip.

    Keyed on a pupil in both cases: for a per-family slip that is the family's first
    child in the audience (see ``replies.family_key``), so both parents share one answer.
    """

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="answers")
    pupil = models.ForeignKey(
        "people.Pupil", on_delete=models.CASCADE, related_name="+", verbose_name=_("leerling")
    )
    answers = models.JSONField(_("antwoorden"), default=dict)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("beantwoord door"),
    )
    created_at = models.DateTimeField(_("beantwoord op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        constraints = [
            models.UniqueConstraint(fields=["mailing", "pupil"], name="mailings_one_answer")
        ]

    def __str__(self):
        return f"{self.mailing} – {self.pupil}"


class AddressedPupil(models.Model):
    """A pupil a mailing was sent for, fixed when it was sent.

    Who received a mailing, may read it and answers its slip follows from these rows, not
    from today's groups: a child who moves to another group (every new school year) keeps
    their mailings, and the new group's parents do not get them.
    """

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey("people.Pupil", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mailing", "pupil"], name="mailings_addressed_once")
        ]
        indexes = [models.Index(fields=["pupil", "mailing"])]

    def __str__(self):
        return f"{self.mailing_id} for {self.pupil_id}"


class MailingRead(models.Model):
    """That a user opened a mailing in the portal (for the unread marks)."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mailing", "user"], name="mailings_read_once")
        ]

    def __str__(self):
        return f"{self.mailing_id} read by {self.user_id}"


class ReplySlipReminder(models.Model):
    """A reminder to the families that have not answered: the cause of its e-mails."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="reminders")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")

    def __str__(self):
        return f"{self.mailing} ({self.created_at:%Y-%m-%d %H:%M})"
