"""The remembering {% trans %}, {% url %} and {% sharedfragment %} render what Django's would.

They keep results between pages and users (schoolportal/templating, the shared
fragments of base.html): a kept result must never show under another language, another
argument, another escaping, or to another user where it differs per request.
"""

import re

import pytest
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.test import Client
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from tests.factories import PupilFactory, parent_of


def render(source, **context):
    return Template(source).render(Context(context))


def test_a_kept_translation_follows_the_active_language():
    source = "{% load i18n %}{% trans 'Uitloggen' %}"
    with translation.override("nl"):
        assert render(source) == "Uitloggen"
    with translation.override("en"):
        assert render(source) == "Log out"
    with translation.override("nl"):
        assert render(source) == "Uitloggen"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_kept_translations_render_exactly_as_djangos_own_tag(language):
    source = (
        "{% load i18n %}{% trans 'Uitloggen' %}|{% trans \"100%% <zeker>\" %}|"
        "{% autoescape off %}{% trans 'a < b' %}{% endautoescape %}|{% translate 'Taal' %}"
    )
    django_own = Engine(libraries={"i18n": "django.templatetags.i18n"}).from_string(source)
    with translation.override(language):
        assert render(source) == django_own.render(Context())


def test_trans_with_a_variable_as_or_context_still_works_as_djangos():
    with translation.override("en"):
        assert render("{% load i18n %}{% trans text %}", text="Uitloggen") == "Log out"
        assert render("{% load i18n %}{% trans text %}", text="Wijzig taal") == "Change language"
        assert render("{% load i18n %}{% trans 'Uitloggen' as label %}[{{ label }}]") == (
            "[Log out]"
        )
        assert render("{% load i18n %}{% trans 'Uitloggen' noop %}") == "Uitloggen"


def test_a_kept_url_differs_per_argument_and_script_prefix():
    source = "{% url 'portal:child' pk %}"
    first, second = render(source, pk=1), render(source, pk=2)
    assert first == reverse("portal:child", args=[1])
    assert second == reverse("portal:child", args=[2])
    set_script_prefix("/school/")
    try:
        assert render(source, pk=1) == "/school" + first
    finally:
        set_script_prefix("/")
    assert render(source, pk=1) == first


def test_a_url_that_cannot_be_made_still_fails_and_as_still_stays_quiet():
    with pytest.raises(NoReverseMatch):
        render("{% url 'portal:child' 'geen-nummer' %}")
    assert render("{% url 'portal:child' 'x' as link %}[{{ link }}]") == "[]"


def test_a_shared_fragment_fills_in_each_requests_own_values():
    source = (
        "{% load shared_fragments %}{% sharedfragment 600 test_holes key %}"
        "<p>{% perrequest name %}</p>{% csrf_token %}{% endsharedfragment %}"
    )
    first = render(source, key="same", name="Anna <B>", csrf_token="token-one")
    second = render(source, key="same", name="Bert", csrf_token="token-two")

    assert first == (
        '<p>Anna &lt;B&gt;</p><input type="hidden" name="csrfmiddlewaretoken" value="token-one">'
    )
    assert second == (
        '<p>Bert</p><input type="hidden" name="csrfmiddlewaretoken" value="token-two">'
    )
    # Without a token (no request), {% csrf_token %} renders nothing, as Django's does.
    assert render(source, key="same", name="Cees") == "<p>Cees</p>"


def test_a_shared_fragment_is_kept_per_key():
    source = (
        "{% load shared_fragments %}"
        "{% sharedfragment 600 test_keys key %}{{ key }}{% endsharedfragment %}"
    )
    assert render(source, key="a") == "a"
    assert render(source, key="b") == "b"


def test_shared_fragments_cannot_be_nested():
    with pytest.raises(TemplateSyntaxError):
        Template(
            "{% load shared_fragments %}{% sharedfragment 600 outer %}"
            "{% sharedfragment 600 inner %}{% endsharedfragment %}{% endsharedfragment %}"
        )


@pytest.mark.django_db
def test_the_shared_header_shows_each_parent_their_own_name_token_and_page():
    first_child = PupilFactory()
    second_child = PupilFactory(group=first_child.group)
    anna = parent_of(first_child, first_name="Anna", last_name="Aalders")
    bert = parent_of(second_child, first_name="Bert", last_name="Bakker")
    pages = {}
    for guardian, url in ((anna, reverse("portal:help")), (bert, reverse("portal:profile"))):
        client = Client(enforce_csrf_checks=True)
        client.force_login(guardian.user)
        content = client.get(url).content.decode()
        pages[guardian.first_name] = (client, content, url)

    anna_page, bert_page = pages["Anna"][1], pages["Bert"][1]
    assert "Anna Aalders" in anna_page and "Bert Bakker" not in anna_page
    assert "Bert Bakker" in bert_page and "Anna Aalders" not in bert_page
    assert f'name="next" type="hidden" value="{reverse("portal:profile")}"' in bert_page
    assert f'name="next" type="hidden" value="{reverse("portal:help")}"' in anna_page
    assert "\x00" not in anna_page + bert_page

    # Each page's token is its own session's: logging out with it works.
    client, content, _url = pages["Bert"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1)
    response = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get(reverse("portal:profile")).status_code == 302  # back to the login
