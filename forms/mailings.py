"""Forms parents fill in for mailings: a reply slip, and a class parent's own mailing."""

import hashlib
import os
import re
from datetime import date
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import BaseForm, FormBuilder

from schoolportal.mailings.models import CHOICE_FIELD_TYPES, REPLY_FIELD_TYPES, ReplyPer
from schoolportal.parentviews.caching import PAGE_TIMEOUT


class ReplySlipFormBuilder(FormBuilder):
    """Wagtail's form builder, with inputs that phones and screen readers understand."""

    def create_date_field(self, field, options):
        options["widget"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        return forms.DateField(**options)

    def create_singleline_field(self, field, options):
        options["max_length"] = 255
        return forms.CharField(**options)

    def create_multiline_field(self, field, options):
        options["max_length"] = 5000
        options["widget"] = forms.Textarea(attrs={"rows": 4})
        return forms.CharField(**options)

    def create_number_field(self, field, options):
        options.update(max_digits=12, decimal_places=2)
        options["widget"] = forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"})
        return forms.DecimalField(**options)


class ReplySlipForm(BaseForm):
    """Answers are stored as JSON: dates as ISO text, numbers as text, choices as given."""

    def answers(self):
        return {name: _to_json(value) for name, value in self.cleaned_data.items()}


def _to_json(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


# Every family's page of a mailing builds the same form: its class is made once per
# set of questions (as they read now) and kept; a changed question is another key.
_QUESTION_FIELDS = (
    "pk",
    "clean_name",
    "label",
    "field_type",
    "required",
    "choices",
    "default_value",
    "help_text",
)
_form_classes = {}
MAX_FORM_CLASSES = 256


def reply_slip_form_class(questions):
    """The form class of a slip with these questions (``mailing.reply_fields``)."""
    key = tuple(tuple(getattr(q, name) for name in _QUESTION_FIELDS) for q in questions)
    form_class = _form_classes.get(key)
    if form_class is None:
        fields = ReplySlipFormBuilder(questions).formfields
        form_class = type("ReplySlipForm", (ReplySlipForm,), dict(fields))
        form_class.questions_digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
        if len(_form_classes) >= MAX_FORM_CLASSES:
            _form_classes.clear()
        _form_classes[key] = form_class
    return form_class


def reply_slip_form(questions, unit, data=None, read_only=False):
    """The form for one child or family, holding their stored answer (if any)."""
    initial = unit.answer.answers if unit.answer else None
    form = _slip_form(reply_slip_form_class(questions), unit.key_pupil_id, data, initial, read_only)
    form.unit = unit
    return form


def _slip_form(form_class, key_pupil_id, data=None, initial=None, read_only=False):
    form = form_class(data=data, initial=initial, prefix=f"unit{key_pupil_id}")
    if read_only:
        for field in form.fields.values():
            field.disabled = True
    return form


SLIP_FIELDS_TEMPLATE = "mailings/slip_fields.html"
# Stands for the unit's id in a blank form's names and ids: no question's name holds it.
_UNIT_HOLE = "\x00"


def slip_fields_html(form):
    """A reply slip form's errors and questions, as HTML.

    A form nobody answered yet looks the same for every child or family but for the id
    in its names and ids: it is rendered once per set of questions, state and language,
    kept (as the pages' shared fragments are) and given each one's id. An answered or a
    submitted form shows that family's own answers and is rendered for them.
    """
    if form.is_bound or form.unit.answer is not None:
        return render_to_string(SLIP_FIELDS_TEMPLATE, {"form": form})
    read_only = any(field.disabled for field in form.fields.values())
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = f"slip-blank:{form.questions_digest}:{int(read_only)}:{language}"
    html = cache.get(key)
    if html is None:
        blank = _slip_form(type(form), _UNIT_HOLE, read_only=read_only)
        html = render_to_string(SLIP_FIELDS_TEMPLATE, {"form": blank})
        cache.set(key, html, PAGE_TIMEOUT)
    return mark_safe(html.replace(_UNIT_HOLE, str(form.unit.key_pupil_id)))  # noqa: S308


CLOSED_MESSAGE = _(
    "De termijn voor dit antwoordbriefje is verstreken. Uw eerder gegeven antwoord is bewaard; "
    "wijzigen kan niet meer."
)


class ReplyQuestionForm(forms.Form):
    """One question of a class parent's reply slip; an empty question is left out."""

    label = forms.CharField(label=_("Vraag"), max_length=255, required=False)
    field_type = forms.ChoiceField(label=_("Soort antwoord"), choices=REPLY_FIELD_TYPES)
    choices = forms.CharField(
        label=_("Keuzes (één per regel)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alleen bij een keuzevraag."),
    )
    required = forms.BooleanField(label=_("Verplicht"), required=False)

    def clean(self):
        cleaned = super().clean()
        is_choice = cleaned.get("field_type") in CHOICE_FIELD_TYPES
        if cleaned.get("label") and is_choice and not cleaned.get("choices", "").strip():
            self.add_error("choices", _("Geef de keuzes, één per regel."))
        return cleaned


ReplyQuestionFormSet = forms.formset_factory(
    ReplyQuestionForm, extra=3, max_num=10, validate_max=True
)


def reply_question_formset(data=None, mailing=None):
    initial = None
    if mailing is not None and mailing.pk:
        initial = [
            {
                "label": field.label,
                "field_type": field.field_type,
                "choices": field.choices,
                "required": field.required,
            }
            for field in mailing.reply_fields.all()
        ]
    return ReplyQuestionFormSet(data=data, initial=initial, prefix="vraag")


def questions_from(formset):
    """The filled-in questions of a valid formset, as (label, type, choices, required)."""
    return [
        (
            form.cleaned_data["label"],
            form.cleaned_data["field_type"],
            form.cleaned_data["choices"],
            form.cleaned_data["required"],
        )
        for form in formset.forms
        if form.cleaned_data.get("label")
    ]


class ClassParentMailingForm(forms.Form):
    """What a klassenouder writes to the parents of their group: text, and a file if needed."""

    group = forms.ModelChoiceField(label=_("Aan de ouders van"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Onderwerp"), max_length=200)
    text = forms.CharField(
        label=_("Tekst"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Een witregel begint een nieuwe alinea."),
    )
    attachment = forms.FileField(label=_("Bijlage"), required=False)

    reply_per = forms.ChoiceField(
        label=_("Antwoord per"),
        choices=ReplyPer.choices,
        initial=ReplyPer.FAMILY,
        widget=forms.RadioSelect,
    )
    reply_deadline = forms.DateTimeField(
        label=_("Antwoorden tot"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Alleen met vragen: tot dit moment kunnen ouders antwoorden."),
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        # Here, not on the field: in the request's language and with today's limit.
        self.fields["attachment"].help_text = _(
            "Bijvoorbeeld een PDF of foto; hooguit %(size)s."
        ) % {"size": filesizeformat(settings.MAILING_ATTACHMENT_MAX_SIZE)}
        self.fields["group"].queryset = groups
        only = list(groups[:2])
        if len(only) == 1:
            self.fields["group"].initial = only[0].pk

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return upload
        extension = os.path.splitext(upload.name)[1].lstrip(".").lower()
        if extension not in settings.WAGTAILDOCS_EXTENSIONS:
            raise forms.ValidationError(
                _("Bestanden van het type .%(extension)s kunnen niet worden meegestuurd."),
                params={"extension": extension or "?"},
            )
        if upload.size > settings.MAILING_ATTACHMENT_MAX_SIZE:
            raise forms.ValidationError(
                _("Dit bestand is te groot (%(size)s); het maximum is %(limit)s."),
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.MAILING_ATTACHMENT_MAX_SIZE),
                },
            )
        return upload

    def clean_reply_deadline(self):
        deadline = self.cleaned_data.get("reply_deadline")
        if deadline and deadline <= timezone.now():
            raise forms.ValidationError(_("Kies een moment in de toekomst."))
        return deadline

    def body_html(self):
        """The text as paragraphs; everything the parent typed is escaped, never markup."""
        paragraphs = re.split(r"\n\s*\n", self.cleaned_data["text"].strip())
        return "".join(
            "<p>" + "<br/>".join(escape(line) for line in paragraph.splitlines()) + "</p>"
            for paragraph in paragraphs
        )
