"""The browser's own date and time fields for the forms staff fill in on the admin.

Wagtail's date picker opens as a layer over the form; on a phone it reaches below the form,
so the first tap on "Opslaan" only closes it and saves nothing (issue #22). The browser's own
``type="date"`` and ``type="time"`` fields open the phone's picker instead, need no script,
are announced by screen readers as what they are and accept typing on a desktop.

They send ISO values ("2026-12-04", "09:30", "2026-12-04T09:30"), which Django's date and
time fields always accept besides the language's own formats, and must be given ISO values
back, hence the fixed ``format``.
"""

from django import forms


class NativeDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class NativeTimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class NativeDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
