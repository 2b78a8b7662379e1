"""Absent melden: the parent's report, and the change of its expected return date.

The checks that are about the form (dates, explanation) live here; the ones about other
reports (an open report for the same days) in ``schoolportal.absences.lifecycle``, which
checks them under a lock.
"""

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from schoolportal.absences.models import EXPLANATION_MAX_LENGTH, Reason

# A report is about now: an older absence, or one planned far ahead, is a talk with school.
DAYS_BACK = 7
DAYS_AHEAD = 30


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ReturnDateMixin:
    def check_return(self, cleaned, reason, first_day):
        expected_return = cleaned.get("expected_return")
        if expected_return is None:
            if reason and reason != Reason.ILLNESS:
                self.add_error(
                    "expected_return",
                    _(
                        "Vul in wanneer uw kind weer op school komt. Alleen bij ziekte mag "
                        "dit leeg blijven."
                    ),
                )
            return
        if first_day and expected_return <= first_day:
            self.add_error(
                "expected_return",
                _("'Verwacht terug' moet na de eerste dag van afwezigheid liggen."),
            )


class AbsenceReportForm(ReturnDateMixin, forms.Form):
    pupil = forms.TypedChoiceField(label=_("Kind"), coerce=int, widget=forms.RadioSelect)
    reason = forms.ChoiceField(label=_("Reden"), choices=Reason.choices, widget=forms.RadioSelect)
    explanation = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=EXPLANATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nodig bij 'anders'. Hooguit %(count)s tekens.")
        % {"count": EXPLANATION_MAX_LENGTH},
    )
    first_day = forms.DateField(label=_("Eerste dag afwezig"), widget=DateInput())
    expected_return = forms.DateField(
        label=_("Verwacht terug"),
        required=False,
        widget=DateInput(),
        help_text=_("De dag waarop uw kind weer op school komt. Mag bij ziekte leeg blijven."),
    )

    def __init__(self, *args, pupils, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["pupil"].choices = [(pupil.pk, pupil.full_name) for pupil in pupils]
        self.fields["first_day"].initial = today
        self.fields["explanation"].widget.attrs.pop("maxlength", None)
        if len(pupils) == 1:
            self.fields["pupil"].initial = pupils[0].pk

    def clean(self):
        cleaned = super().clean()
        reason = cleaned.get("reason")
        first_day = cleaned.get("first_day")
        if reason == Reason.OTHER and not cleaned.get("explanation", "").strip():
            self.add_error("explanation", _("Vertel bij 'anders' kort waarom uw kind afwezig is."))
        if first_day and first_day < self.today - timedelta(days=DAYS_BACK):
            self.add_error(
                "first_day",
                _(
                    "De eerste dag mag hooguit %(days)s dagen geleden zijn. Neem voor een "
                    "eerdere afwezigheid contact op met school."
                )
                % {"days": DAYS_BACK},
            )
        elif first_day and first_day > self.today + timedelta(days=DAYS_AHEAD):
            self.add_error(
                "first_day",
                _("De eerste dag mag hooguit %(days)s dagen vooruit liggen.")
                % {"days": DAYS_AHEAD},
            )
        self.check_return(cleaned, reason, first_day)
        return cleaned


class ChangeReturnForm(ReturnDateMixin, forms.Form):
    """Verlengen of inkorten: only the expected return date changes."""

    expected_return = AbsenceReportForm.base_fields["expected_return"]

    def __init__(self, *args, report, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.today = today
        self.fields["expected_return"].initial = report.expected_return

    def clean(self):
        cleaned = super().clean()
        self.check_return(cleaned, self.report.reason, self.report.first_day)
        expected_return = cleaned.get("expected_return")
        valid_so_far = "expected_return" not in self.errors
        if expected_return and expected_return < self.today and valid_so_far:
            self.add_error(
                "expected_return",
                _("Kies vandaag of later. Is uw kind al weer op school? Kies dan 'Weer beter'."),
            )
        return cleaned
