"""Uploading an export of the pupil administration: the file is read (not yet imported)
while the form is checked, so a file that cannot be read is an error on the form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from schoolportal.pupilimport.reader import read_rows


class UploadForm(forms.Form):
    school = forms.ModelChoiceField(queryset=None, label=gettext_lazy("School"))
    export = forms.FileField(
        label=gettext_lazy("Export uit de leerlingadministratie"),
        help_text=gettext_lazy(
            "Een CSV- of Excel-bestand (.xlsx), met kolomnamen op de eerste regel."
        ),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if len(schools) == 1:
            self.fields["school"].initial = schools[0]
            self.fields["school"].empty_label = None

    def clean(self):
        data = super().clean()
        if data.get("export") is not None:
            try:
                self.rows = read_rows(data["export"])
            except ValidationError as error:
                self.add_error("export", error)
        return data
