"""Django's ``i18n`` tag library, with ``{% trans %}`` of a constant text remembered."""

from django import template
from django.templatetags import i18n as django_i18n
from django.utils.translation import get_language

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)

# (text, language) -> rendered text, bounded by the texts of the templates. Django marks a
# literal safe, so it is never escaped: the rendering does not depend on autoescape.
_rendered = {}


def forget():
    _rendered.clear()


class ConstantTranslateNode(django_i18n.TranslateNode):
    """``{% trans "text" %}`` without filters, context, ``noop`` or ``as``."""

    def render(self, context):
        key = (self.filter_expression.var.literal, get_language())
        try:
            return _rendered[key]
        except KeyError:
            rendered = _rendered[key] = super().render(context)
            return rendered


def _is_constant(node):
    variable = node.filter_expression.var
    return (
        not node.noop
        and node.asvar is None
        and node.message_context is None
        and not node.filter_expression.filters
        and getattr(variable, "literal", None) is not None
    )


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = django_i18n.do_translate(parser, token)
    if _is_constant(node):
        node.__class__ = ConstantTranslateNode
    return node
