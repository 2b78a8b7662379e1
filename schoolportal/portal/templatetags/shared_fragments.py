"""``{% sharedfragment %}``: markup rendered once for everybody it looks the same to.

Like Django's ``{% cache %}`` it keeps a rendered fragment under a name and the values
it rests on. Unlike it, what differs per request is left as a hole and filled in on
every request: each ``{% perrequest value %}`` inside, and the CSRF token of every
``{% csrf_token %}``. The site's header and footer differ between the parents of a
school only in a name, the token and the current path, so they are rendered once per
school, menu and language instead of on every page: that rendering was about a third
of a first view (node by node, Django renders a ``{% trans %}`` in 8 µs and a
``{% url %}`` in 18 µs).

Conditions inside the fragment may depend only on the values it is keyed on (as with
``{% cache %}``), and a ``{% perrequest %}`` value must not depend on a loop variable
of the fragment: it is filled in once for all its places. Holes are found in the
fragment's own text only: an ``{% include %}``d template or a ``{% block %}`` inside it
must show nothing that differs per user, or it would be kept for everybody.
"""

from django import template
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.template.base import render_value_in_context
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import mark_safe

register = template.Library()

# Characters no template or translation contains, so a hole is never confused with text.
_CSRF_HOLE = "\x00csrf\x00"
_CSRF_INPUT_HOLE = CsrfTokenNode().render(template.Context({"csrf_token": _CSRF_HOLE}))
_FILLING = "shared_fragment_filling"


class PerRequestNode(template.Node):
    """A value that differs per request; a hole while its shared fragment is rendered."""

    child_nodelists = ()

    def __init__(self, expression):
        self.expression = expression
        self.hole = None  # set by the enclosing SharedFragmentNode

    def value(self, context):
        return render_value_in_context(self.expression.resolve(context), context)

    def render(self, context):
        if self.hole is not None and context.get(_FILLING):
            return self.hole
        return self.value(context)


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, timeout, name, vary_on):
        self.nodelist = nodelist
        self.timeout = timeout
        self.name = name
        self.vary_on = vary_on
        self.holes = nodelist.get_nodes_by_type(PerRequestNode)
        for number, node in enumerate(self.holes):
            node.hole = f"\x00hole{number}\x00"
        # A fragment kept by an earlier release (in Redis) must fill the same holes.
        self.holes_signature = "|".join(node.token.contents for node in self.holes)

    def render(self, context):
        values = [variable.resolve(context) for variable in self.vary_on]
        key = make_template_fragment_key(self.name, [self.holes_signature, *values])
        html = cache.get(key)
        if html is None:
            with context.push({_FILLING: True, "csrf_token": _CSRF_HOLE}):
                html = self.nodelist.render(context)
            cache.set(key, html, int(self.timeout.resolve(context)))
        for node in self.holes:
            html = html.replace(node.hole, node.value(context))
        if _CSRF_HOLE in html:
            html = html.replace(_CSRF_INPUT_HOLE, CsrfTokenNode().render(context))
            html = html.replace(_CSRF_HOLE, str(context.get("csrf_token", "")))
        return mark_safe(html)  # noqa: S308 - rendered by the template engine, holes escaped


@register.tag
def sharedfragment(parser, token):
    """``{% sharedfragment timeout name value ... %}…{% endsharedfragment %}``."""
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes a timeout, a name and values.")
    nodelist = parser.parse(("endsharedfragment",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(SharedFragmentNode):
        raise template.TemplateSyntaxError(f"'{bits[0]}' cannot hold another one.")
    timeout = parser.compile_filter(bits[1])
    vary_on = [parser.compile_filter(bit) for bit in bits[3:]]
    return SharedFragmentNode(nodelist, timeout, bits[2], vary_on)


@register.tag
def perrequest(parser, token):
    """``{% perrequest value %}``: rendered for each request, also inside a shared fragment."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes one value.")
    return PerRequestNode(parser.compile_filter(bits[1]))
