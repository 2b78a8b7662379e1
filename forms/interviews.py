"""Oudergesprekken: a parent (or staff on their behalf) chooses a time and optionally a
subject.

Which times a child may have is ``access``'s and whether the slot is still free is the
database's (``schoolportal.interviews.rules``); this form checks what was typed.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from schoolportal.interviews.models import SUBJECT_MAX_LENGTH


class AnySlotChoiceField(forms.TypedChoiceField):
    """The offered times as radio buttons, accepting any number: a time that was free when the
    page loaded and is taken now gets its own message, not "no valid choice"."""

    def valid_value(self, value):
        return str(value).isdigit()


class BookingForm(forms.Form):
    slot = AnySlotChoiceField(
        label=_("Tijd"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een tijd.")},
    )
    subject = forms.CharField(
        label=_("Onderwerp"),
        required=False,
        max_length=SUBJECT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Waar wilt u het over hebben? De leerkracht leest het vooraf."),
        error_messages={
            "max_length": _(
                "Het onderwerp mag hooguit %(limit_value)d tekens zijn (nu %(show_value)d). "
                "Maak het korter."
            )
        },
    )

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(slot.pk, str(slot)) for slot in slots]
        self.fields["subject"].widget.attrs["maxlength"] = SUBJECT_MAX_LENGTH
