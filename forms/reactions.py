"""Reacties: the form under a blog post, and the author's change of their text.

The photo is only received here; whether it is a usable photo is decided by Wagtail's own
image form, as for an album's photos (``schoolportal.reactions.writing.store_photo``).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from schoolportal.reactions.models import EDIT_WINDOW, MAX_LENGTH


class ReactionTextField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Uw reactie"),
            max_length=MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={
                "required": _("Schrijf eerst uw reactie."),
                "max_length": _("Een reactie is ten hoogste %(limit_value)d tekens lang."),
            },
            help_text=_("Gewone tekst; een internetadres wordt vanzelf een link."),
            **kwargs,
        )


class ReactionForm(forms.Form):
    edit_minutes = EDIT_WINDOW.seconds // 60  # said under the form

    text = ReactionTextField()
    photo = forms.FileField(
        label=_("Foto"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        help_text=_("Eén foto, alleen zichtbaar voor de ouders en leerkrachten van de groep."),
    )
    photo_description = forms.CharField(
        label=_("Wat staat er op de foto?"),
        max_length=255,
        required=False,
        help_text=_("Voor wie de foto niet kan zien. Nodig als u een foto toevoegt."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("photo") and not cleaned.get("photo_description", "").strip():
            self.add_error(
                "photo_description",
                _("Beschrijf wat er op de foto te zien is (kies de foto daarna opnieuw)."),
            )
        return cleaned


class ReactionEditForm(forms.Form):
    text = ReactionTextField()
