"""Django's ``{% url %}``, with the URL for the same view and arguments remembered."""

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()

# Pages link to each parent's children, mailings and groups: room for a large school's
# links. When full it starts again (cheaper than ordering on every hit).
MAX_REMEMBERED = 20000
_reversed = {}


def forget():
    _reversed.clear()


# Arguments whose text is their value: a model instance, say, may render differently later.
_PLAIN = (str, int)


def _current_app(context):
    # As URLNode finds it.
    try:
        return context.request.current_app
    except AttributeError:
        try:
            return context.request.resolver_match.namespace
        except AttributeError:
            return None


class RememberingURLNode(URLNode):
    def render(self, context):
        if self.asvar:
            return super().render(context)
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple((name, value.resolve(context)) for name, value in self.kwargs.items())
        if not all(type(value) in _PLAIN for value in args + tuple(v for _n, v in kwargs)):
            return super().render(context)
        key = (
            self.view_name.resolve(context),
            args,
            kwargs,
            _current_app(context),
            get_urlconf(),
            get_script_prefix(),
            get_language(),  # URLs under i18n_patterns differ per language
            context.autoescape,
        )
        url = _reversed.get(key)
        if url is None:
            url = super().render(context)  # raises NoReverseMatch as Django's does
            if len(_reversed) >= MAX_REMEMBERED:
                _reversed.clear()
            _reversed[key] = url
        return url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    node.__class__ = RememberingURLNode
    return node
