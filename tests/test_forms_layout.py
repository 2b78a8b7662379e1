"""includes/field.html lays a field out by its widget: choices in a fieldset, a lone
checkbox before its label, any other input after its label."""

from django import forms
from django.template.loader import render_to_string


class EveryLayout(forms.Form):
    name = forms.CharField(label="Naam")
    agree = forms.BooleanField(label="Akkoord", required=False)
    per = forms.ChoiceField(
        label="Antwoord per", choices=[("a", "Gezin"), ("b", "Kind")], widget=forms.RadioSelect
    )
    days = forms.MultipleChoiceField(
        label="Dagen", choices=[("ma", "Maandag")], widget=forms.CheckboxSelectMultiple
    )
    pick = forms.ChoiceField(label="Keuze", choices=[("x", "X")])


def layout(field):
    return render_to_string("includes/field.html", {"field": field}).strip()


def test_radio_buttons_and_checkboxes_of_choices_are_a_fieldset_with_a_legend():
    form = EveryLayout()
    for name in ("per", "days"):
        html = layout(form[name])
        assert html.startswith('<fieldset class="fieldset"')
        assert f"<legend>{form[name].label}</legend>" in html
        assert f'<label for="{form[name].auto_id}_0">' in html


def test_a_lone_checkbox_comes_before_its_label():
    html = layout(EveryLayout()["agree"])
    assert html.startswith('<div class="field field--checkbox">')
    assert html.index('type="checkbox"') < html.index('<label for="id_agree">')


def test_other_fields_come_after_their_label():
    form = EveryLayout()
    for name, tag in (("name", "<input"), ("pick", "<select")):
        html = layout(form[name])
        assert html.startswith('<div class="field">')
        assert html.index(f'<label for="id_{name}">') < html.index(tag)
