"""Forms parents fill in about themselves, their children and their babysitter."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from schoolportal.people.models import (
    Babysitter,
    EmergencyContact,
    Guardian,
    Pupil,
    Relation,
)
from schoolportal.people.validators import normalise_postcode


class LimitedTextMixin:
    """Free text with a limit: the limit is said beforehand, and checked only on saving.

    A ``maxlength`` attribute would make the browser cut pasted text off without a word;
    instead a longer text comes back with Django's (translated) error and everything that
    was typed, to be shortened by the parent.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea) and field.max_length:
                field.widget.attrs.pop("maxlength", None)
                limit = _("Hooguit %(count)s tekens.") % {"count": field.max_length}
                field.help_text = f"{field.help_text} {limit}" if field.help_text else limit


class PostcodeMixin:
    def clean_postcode(self):
        return normalise_postcode(self.cleaned_data.get("postcode", ""))


class GuardianPersonalForm(forms.ModelForm):
    class Meta:
        model = Guardian
        fields = ["first_name", "infix", "last_name"]


class GuardianAddressForm(PostcodeMixin, forms.ModelForm):
    class Meta:
        model = Guardian
        fields = ["street", "house_number", "postcode", "city", "address_hidden"]
        labels = {"address_hidden": _("Adres verbergen voor andere ouders")}


class GuardianContactForm(forms.ModelForm):
    class Meta:
        model = Guardian
        fields = [
            "email",
            "phone",
            "mobile_phone",
            "email_hidden",
            "phone_hidden",
            "mobile_phone_hidden",
        ]
        labels = {
            "email": _("E-mailadres voor andere ouders"),
            "email_hidden": _("E-mailadres verbergen voor andere ouders"),
            "phone_hidden": _("Telefoonnummer verbergen voor andere ouders"),
            "mobile_phone_hidden": _("Mobiel nummer verbergen voor andere ouders"),
        }
        help_texts = {
            "email": _("Uw inlognaam verandert hierdoor niet."),
        }


class PupilAddressForm(PostcodeMixin, forms.ModelForm):
    class Meta:
        model = Pupil
        fields = ["street", "house_number", "postcode", "city"]


class PupilMedicalForm(LimitedTextMixin, forms.ModelForm):
    class Meta:
        model = Pupil
        fields = ["medical_notes", "allergies"]
        widgets = {
            "medical_notes": forms.Textarea(attrs={"rows": 4}),
            "allergies": forms.Textarea(attrs={"rows": 3}),
        }


class PupilConsentForm(forms.ModelForm):
    class Meta:
        model = Pupil
        fields = ["photo_consent_group_page", "photo_consent_website", "photo_consent_social_media"]


EmergencyContactFormSet = inlineformset_factory(
    Pupil,
    EmergencyContact,
    fields=["name", "relation", "phone"],
    extra=1,
    max_num=5,
    validate_max=True,
    can_delete=True,
)


class BabysitterForm(LimitedTextMixin, forms.ModelForm):
    class Meta:
        model = Babysitter
        fields = ["name", "phone", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class LinkChildForm(forms.Form):
    code = forms.CharField(
        label=_("Koppelcode"),
        max_length=20,
        help_text=_("De code staat op de brief die u van school kreeg, bijvoorbeeld ABCDE-FGH23."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    relation = forms.ChoiceField(
        label=_("Uw relatie tot het kind"), choices=Relation.choices, initial=Relation.PARENT
    )
