"""What a klassenouder fills in to write a post for the group's blog."""

import re

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from pages.uploads import store_group_photo


class ClassPostForm(forms.Form):
    """Title, text as paragraphs (never markup: everything typed is escaped), and a photo
    with its caption if the parent likes."""

    title = forms.CharField(label=_("Titel"), max_length=255)
    text = forms.CharField(
        label=_("Tekst"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Een witregel begint een nieuwe alinea."),
    )
    photo = forms.ImageField(
        label=_("Foto"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    photo_caption = forms.CharField(
        label=_("Onderschrift"),
        max_length=255,
        required=False,
        help_text=_(
            "Wat er op de foto te zien is. Ook de beschrijving voor wie de foto niet kan zien."
        ),
    )
    remove_photo = forms.BooleanField(label=_("Foto verwijderen"), required=False)

    def __init__(self, *args, has_photo=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_photo = has_photo
        if not has_photo:
            del self.fields["remove_photo"]
        self.fields["photo"].help_text = _(
            "Een JPEG-, PNG- of WebP-foto van hooguit %(size)s. De leerkracht kijkt voor "
            "het publiceren of alle kinderen op de foto toestemming hebben."
        ) % {"size": filesizeformat(_max_upload_size())}

    def clean(self):
        cleaned = super().clean()
        keeps_photo = self.has_photo and not cleaned.get("remove_photo")
        if (cleaned.get("photo") or keeps_photo) and not cleaned.get("photo_caption", "").strip():
            self.add_error("photo_caption", _("Beschrijf wat er op de foto te zien is."))
        return cleaned

    def body_html(self):
        """The text as paragraphs; everything the parent typed is escaped, never markup."""
        paragraphs = re.split(r"\n\s*\n", self.cleaned_data["text"].strip())
        return "".join(
            "<p>" + "<br/>".join(escape(line) for line in paragraph.splitlines()) + "</p>"
            for paragraph in paragraphs
        )

    def store_photo(self, collection_id, user):
        """The uploaded photo as an image of the group page's collection, checked by
        Wagtail's own image form as an album upload is (type, size, pixels); None when
        there is none. A file that is no usable photo becomes an error of the form."""
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        image, errors = store_group_photo(upload, collection_id, user)
        for message in errors:
            self.add_error("photo", message)
        return image


def _max_upload_size():
    from django.conf import settings

    return getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
