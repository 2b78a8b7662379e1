"""Carrying out a guardian's deletion request: when it came in, and a deliberate yes."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .widgets import NativeDateInput


class DeletionRequestForm(forms.Form):
    received_on = forms.DateField(
        label=gettext_lazy("Verzoek ontvangen op"),
        widget=NativeDateInput,
        help_text=gettext_lazy("De school moet binnen een maand na het verzoek reageren."),
        error_messages={
            "required": gettext_lazy("Vul in op welke dag het verzoek binnenkwam."),
            "invalid": gettext_lazy("Vul een datum in, bijvoorbeeld 15-01-2027."),
        },
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Ik heb het overzicht gelezen: verwijderde gegevens komen niet meer terug."
        ),
        error_messages={"required": gettext_lazy("Vink aan dat u het overzicht heeft gelezen.")},
    )

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError(gettext_lazy("Deze datum ligt in de toekomst."))
        return received_on
