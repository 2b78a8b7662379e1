"""The admin's document form, for every upload of a file (``WAGTAILDOCS_DOCUMENT_FORM_BASE``).

Its own module: Wagtail's document forms use models when they are imported, so
``pages.forms``, which the page models import, cannot import them.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

from .models import SchoolCollection


class SchoolDocumentForm(BaseDocumentForm):
    """Wagtail's document form, where a new file goes into the uploader's school's
    collection without asking.

    Documents are the school's (docs/security.md): a group page's files and a mailing's
    attachments are chosen across the school's groups, so a teacher uploading a file for
    her group page has nothing to choose. Wagtail would ask, because she may add documents
    in the school's collection and every group collection below it. Another collection she
    may add to is still accepted when sent (the multiple upload offers them). Staff of
    several schools and superusers choose as in Wagtail's form.
    """

    class Meta(BaseDocumentForm.Meta):
        help_texts = {
            "title": _(
                "Ouders zien deze naam, niet de naam van het bestand. Bijvoorbeeld: Weekplanning."
            )
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.school_collection = None
        field = self.fields.get("collection")
        if field is None or user is None or user.is_superuser:
            return  # Wagtail's: one collection to go in, or everything to choose from
        schools = self.collections.filter(pk__in=SchoolCollection.objects.values("collection_id"))
        if len(schools) != 1:
            return
        self.school_collection = schools[0]
        field.required = False
        field.widget = forms.HiddenInput()
        if not self.instance.pk:
            field.initial = self.school_collection.pk

    def clean_collection(self):
        return self.cleaned_data.get("collection") or self.school_collection
