"""The reply-slip form a parent fills in, built from the slip's questions."""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import BaseForm, FormBuilder


class ReplySlipFormBuilder(FormBuilder):
    """Wagtail's form builder, with inputs that phones and screen readers understand."""

    def create_date_field(self, field, options):
        options["widget"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        return forms.DateField(**options)

    def create_singleline_field(self, field, options):
        options["max_length"] = 255
        return forms.CharField(**options)

    def create_multiline_field(self, field, options):
        options["max_length"] = 5000
        options["widget"] = forms.Textarea(attrs={"rows": 4})
        return forms.CharField(**options)

    def create_number_field(self, field, options):
        options.update(max_digits=12, decimal_places=2)
        options["widget"] = forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"})
        return forms.DecimalField(**options)


class ReplySlipForm(BaseForm):
    """Answers are stored as JSON: dates as ISO text, numbers as text, choices as given."""

    def answers(self):
        return {name: _to_json(value) for name, value in self.cleaned_data.items()}


def _to_json(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def reply_slip_form_class(mailing):
    fields = ReplySlipFormBuilder(mailing.reply_fields.all()).formfields
    return type("ReplySlipForm", (ReplySlipForm,), dict(fields))


def reply_slip_form(mailing, unit, data=None, read_only=False):
    """The form for one child or family, holding their stored answer (if any)."""
    initial = unit.answer.answers if unit.answer else None
    form = reply_slip_form_class(mailing)(
        data=data, initial=initial, prefix=f"unit{unit.key_pupil_id}"
    )
    if read_only:
        for field in form.fields.values():
            field.disabled = True
    form.unit = unit
    return form


CLOSED_MESSAGE = _(
    "De termijn voor dit antwoordbriefje is verstreken. Uw eerder gegeven antwoord is bewaard; "
    "wijzigen kan niet meer."
)
