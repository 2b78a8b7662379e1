"""Resultaten in the admin: importing a group's results from a CSV file, and releasing a
group's reports and results to the parents."""

from django import forms
from django.utils.translation import gettext_lazy as _

# A group's results for a few school years fit in far less.
MAX_FILE_BYTES = 512 * 1024


class GroupChoiceForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Groep"), queryset=None, empty_label=None)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class ResultsUploadForm(GroupChoiceForm):
    file = forms.FileField(
        label=_("CSV-bestand"),
        help_text=_(
            "Eerste regel: Leerling (of Voornaam, Tussenvoegsel, Achternaam), Geboortedatum "
            "(alleen nodig bij gelijke namen), Toets, Datum, Score en/of Niveau, Opmerking."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 512 kB."))
        return upload.read()


class ResultsConfirmForm(GroupChoiceForm):
    """The previewed file, sent back as it was: the import checks it all over again."""

    content = forms.CharField(widget=forms.HiddenInput, max_length=MAX_FILE_BYTES * 2)

    def clean_content(self):
        return self.cleaned_data["content"].encode("utf-8")
