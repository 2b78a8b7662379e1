"""A form renderer that writes Django's plainest widget templates in Python.

Django renders every widget through its template engine: an ``<input>`` is three
templates (``text.html`` includes ``input.html`` includes ``attrs.html``), a radio
button four, each about 0.1 ms. A reply slip of eight questions with their options
spent more time there than in the rest of its page. ``PlainWidgetRenderer`` writes the
same markup for those few templates directly, character for character
(tests/test_form_rendering.py compares it with Django's for every field of a slip), and
leaves every other template, Wagtail's widgets included, to Django's engine.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime

WIDGETS = "django/forms/widgets/"


def _text(value):
    """``{{ value }}`` with autoescape: local time, the locale's format, escaped."""
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def _formatted(value):
    """``{{ value|stringformat:'s' }}`` with autoescape, as the templates write a value."""
    text = str(value)  # "%s" % value, as stringformat does (a tuple as a whole)
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(widget):
    """attrs.html: `` name="value"`` per attribute; `` name`` for True; none for False."""
    return "".join(
        f" {_text(name)}" + ("" if value is True else f'="{_formatted(value)}"')
        for name, value in widget["attrs"].items()
        if value is not False
    )


def _input(widget):
    """input.html (with its closing newline, which an ``{% include %}`` keeps)."""
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    kind, name = _text(widget["type"]), _text(widget["name"])
    return f'<input type="{kind}" name="{name}"{value}{_attrs(widget)}>\n'


def _input_option(widget):
    """input_option.html: a radio button or checkbox of a choice, in its label if asked."""
    if not widget.get("wrap_label"):
        return _input(widget) + "\n"
    target = widget["attrs"].get("id")
    label_for = f' for="{_text(target)}"' if target else ""
    label = _text(widget["label"])
    return f"<label{label_for}>{_input(widget)} {label}</label>\n"


def _textarea(widget):
    value = _text(widget["value"]) if widget["value"] else ""
    name = _text(widget["name"])
    return f'<textarea name="{name}"{_attrs(widget)}>\n{value}</textarea>\n'


def _select_option(widget):
    label = _text(widget["label"])
    return f'<option value="{_formatted(widget["value"])}"{_attrs(widget)}>{label}</option>\n'


def _including(write, newlines=1):
    """A template that only includes another: that one's markup, then its own closing
    newline(s) (``radio.html`` adds one to the one of ``multiple_input.html``)."""

    def including(widget):
        html = write(widget)
        return None if html is None else html + "\n" * newlines

    return including


_OPTIONS = {
    WIDGETS + "select_option.html": _select_option,
    WIDGETS + "radio_option.html": _including(_input_option),
    WIDGETS + "checkbox_option.html": _including(_input_option),
}


def _select(widget):
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget)}>']
    for group_name, group_choices, _group_index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            write = _OPTIONS.get(option["template_name"])
            if write is None:  # an option template of another widget: not ours to write
                return None
            parts.append("\n  " + write(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _multiple_input(widget):
    """multiple_input.html: radio buttons or checkboxes, each in a ``<div>``."""
    target, css = widget["attrs"].get("id"), widget["attrs"].get("class")
    parts = [
        "<div",
        f' id="{_text(target)}"' if target else "",
        f' class="{_text(css)}"' if css else "",
        ">",
    ]
    for group_name, group_choices, _group_index in widget["optgroups"]:
        if group_name:
            parts.append(f"\n  <div><label>{_text(group_name)}</label>")
        for option in group_choices:
            write = _OPTIONS.get(option["template_name"])
            if write is None:
                return None
            parts.append(f"<div>\n    {write(option)}</div>")
        if group_name:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


_WRITERS = {
    WIDGETS + "input.html": _input,
    **{
        f"{WIDGETS}{name}.html": _including(_input)
        for name in ("text", "number", "email", "url", "password", "hidden", "date", "checkbox")
    },
    WIDGETS + "input_option.html": _input_option,
    WIDGETS + "multiple_input.html": _including(_multiple_input),
    WIDGETS + "radio.html": _including(_multiple_input, 2),
    WIDGETS + "checkbox_select.html": _including(_multiple_input, 2),
    WIDGETS + "textarea.html": _textarea,
    WIDGETS + "select.html": _select,
    **_OPTIONS,
}


class PlainWidgetRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        write = _WRITERS.get(template_name)
        widget = context.get("widget") if write is not None else None
        if isinstance(widget, dict):
            html = write(widget)
            if html is not None:
                return html.strip()  # as BaseRenderer.render does
        return super().render(template_name, context, request)
