"""How a form field is laid out (templates/includes/field.html), decided once in Python.

The template asked ``field.field.widget.input_type`` and ``…allow_multiple_selected``;
for a widget without such an attribute Django's template engine then lists the object's
attributes (``dir()``) before giving up, two or three times per field.
"""

from django import template

register = template.Library()


@register.filter
def widget_kind(field):
    """``"options"`` (radio buttons or checkboxes of choices), ``"checkbox"`` or ``"input"``."""
    widget = field.field.widget
    input_type = getattr(widget, "input_type", None)
    if getattr(widget, "allow_multiple_selected", False) or input_type == "radio":
        return "options"
    if input_type == "checkbox":
        return "checkbox"
    return "input"
