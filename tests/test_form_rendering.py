"""PlainWidgetRenderer writes exactly the markup Django's widget templates write.

It replaces Django's template rendering of the plainest widgets (forms/rendering.py) for
every form of the site; any difference would show in forms parents and staff fill in.
"""

from datetime import UTC, date, datetime
from decimal import Decimal
from unittest import mock

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe

from forms.mailings import reply_slip_form
from forms.rendering import PlainWidgetRenderer
from schoolportal.mailings.models import REPLY_FIELD_TYPES, ReplySlipField
from schoolportal.mailings.replies import ReplyUnit

DJANGO = DjangoTemplates()
PLAIN = PlainWidgetRenderer()
AWKWARD = "Vader & \"moeder\" <zeker> 'ja'"


def questions():
    return [
        ReplySlipField(
            pk=number + 1,
            sort_order=number,
            label=f"{label} {AWKWARD}",
            clean_name=f"vraag_{kind}",
            field_type=kind,
            choices=f"Ja\nNee\n{AWKWARD}" if kind in {"dropdown", "radio", "checkboxes"} else "",
            required=number % 2 == 0,
            help_text=AWKWARD if number == 1 else "",
        )
        for number, (kind, label) in enumerate(REPLY_FIELD_TYPES)
    ]


def widget_markup(form, renderer):
    form.renderer = renderer
    markup = []
    for field in form:
        markup.append(str(field))
        if getattr(field.field.widget, "allow_multiple_selected", False) or isinstance(
            field.field.widget, forms.RadioSelect
        ):
            markup.extend(choice.tag(wrap_label=wrap) for choice in field for wrap in (0, 1))
    return markup


ANSWERS = {
    "vraag_singleline": AWKWARD,
    "vraag_multiline": f"Regel een\n{AWKWARD}",
    "vraag_dropdown": AWKWARD,
    "vraag_radio": "Nee",
    "vraag_checkboxes": ["Ja", AWKWARD],
    "vraag_checkbox": True,
    "vraag_number": "3.50",
    "vraag_date": "2027-03-05",
}


@pytest.mark.parametrize(
    "state", ["empty", "answered", "read only", "invalid", "submitted"], ids=str
)
def test_every_slip_field_renders_as_djangos_templates_render_it(state):
    unit = ReplyUnit(7)
    data = None
    if state in {"answered", "read only"}:
        unit.answer = type("Answer", (), {"answers": ANSWERS})()
    if state == "invalid":
        data = {"unit7-vraag_number": "drie", "unit7-vraag_date": "morgen <b>"}
    if state == "submitted":
        data = {f"unit7-{name}": value for name, value in ANSWERS.items()}
        data["unit7-vraag_checkbox"] = "on"
    form = reply_slip_form(questions(), unit, data=data, read_only=state == "read only")
    if data is not None:
        form.is_valid()
    expected = widget_markup(form, DJANGO)

    # Every widget of a slip is written without Django's template engine.
    with mock.patch.object(PlainWidgetRenderer, "get_template", side_effect=AssertionError):
        assert widget_markup(form, PLAIN) == expected


class EveryPlainWidget(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": AWKWARD, "x": True}))
    hidden = forms.CharField(widget=forms.HiddenInput, initial=AWKWARD)
    email = forms.EmailField(initial="ouder@example.org")
    url = forms.URLField(assume_scheme="https")
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="geheim")
    number = forms.IntegerField(initial=0)
    flag = forms.BooleanField(initial=False, required=False)
    notes = forms.CharField(widget=forms.Textarea, initial=mark_safe("<b>al veilig</b>"))
    empty_notes = forms.CharField(widget=forms.Textarea, required=False)
    grouped = forms.ChoiceField(
        choices=[("Fruit", [("appel", "Appel"), ("peer", AWKWARD)]), ("los", "Los")],
        initial="peer",
    )
    many = forms.MultipleChoiceField(choices=[(1, "Een"), (2, "Twee")], initial=[2])
    pick = forms.MultipleChoiceField(
        choices=[(1, "Een"), (2, "Twee")], widget=forms.CheckboxSelectMultiple, initial=[1]
    )
    day = forms.SplitDateTimeField()  # MultiWidget: its own template, left to Django
    choice = forms.ChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect(attrs={"id": None})
    )
    # Labels that are no text are written as {{ }} writes them: localised, in local time.
    amount = forms.ChoiceField(choices=[("1.5", Decimal("1.5")), ("2", 2.25)])
    moment = forms.ChoiceField(
        choices=[("d", date(2027, 3, 5)), ("t", datetime(2027, 3, 5, 8, 30, tzinfo=UTC))],
        widget=forms.RadioSelect,
    )


@pytest.mark.parametrize("bound", [False, True], ids=["unbound", "bound"])
def test_every_other_plain_widget_renders_as_django_renders_it(bound):
    data = (
        {"text": AWKWARD, "number": "12", "grouped": "appel", "many": ["1", "2"]} if bound else None
    )
    form = EveryPlainWidget(data=data, auto_id="id_%s")

    with translation.override("nl"):
        assert widget_markup(form, PLAIN) == widget_markup(form, DJANGO)


def test_the_renderer_is_the_sites_default():
    assert isinstance(EveryPlainWidget().renderer, PlainWidgetRenderer)
