"""Resultaten in the admin: importing a group's results from a CSV or Excel file, and
releasing a group's reports and results to the parents."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from schoolportal.spreadsheets import read_table

# A group's results for a few school years fit in far less.
MAX_FILE_BYTES = 512 * 1024


class GroupChoiceForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Groep"), queryset=None, empty_label=None)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class ResultsUploadForm(GroupChoiceForm):
    file = forms.FileField(
        label=_("CSV- of Excel-bestand"),
        widget=forms.FileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
        help_text=_(
            "Eerste regel: Leerlingnummer, of Leerling (of Voornaam, Tussenvoegsel, "
            "Achternaam) met Geboortedatum (alleen nodig bij gelijke namen); dan Toets, Datum, "
            "Score en/of Niveau, Opmerking."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 512 kB."))
        return read_table(upload)


class ResultsConfirmForm(GroupChoiceForm):
    """The previewed file's table, sent back as it was read (an Excel file cannot travel in
    a form as text): the import checks it all over again."""

    content = forms.CharField(widget=forms.HiddenInput, max_length=MAX_FILE_BYTES * 4)

    @staticmethod
    def dump(table):
        return json.dumps(table, ensure_ascii=False, separators=(",", ":"))

    def clean_content(self):
        try:
            table = json.loads(self.cleaned_data["content"])
        except ValueError:
            table = None
        if not isinstance(table, list) or not all(
            isinstance(row, list) and all(isinstance(cell, str) for cell in row) for row in table
        ):
            raise forms.ValidationError(_("Kies het bestand opnieuw."))
        return table
