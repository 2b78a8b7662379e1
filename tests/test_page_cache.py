"""Rendered parent pages are cached per session, and never outlive a change of what they show."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schoolportal.agenda.models import AgendaItem
from tests.factories import PupilFactory, parent_of

pytestmark = pytest.mark.django_db
# A hit reads the user and the data version, and the session where the database holds it
# (without Redis: Django's db engine); with Redis (cached_db) the session comes from there.
CACHED_PAGE_QUERIES = 2 if settings.SESSION_ENGINE.endswith("cached_db") else 3


@pytest.fixture
def parent():
    child = PupilFactory(first_name="Lotte")
    guardian = parent_of(child, first_name="Marieke")
    client = Client()
    client.force_login(guardian.user)
    return guardian, child, client


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def test_a_repeated_page_is_served_from_the_cache_with_three_queries(parent):
    _guardian, _child, client = parent
    url = reverse("portal:dashboard")
    client.get(url)  # the first view also sets the CSRF cookie the cached page is made for
    first, first_queries = queries_for(client, url)
    second, second_queries = queries_for(client, url)

    assert second.content == first.content
    assert second_queries == CACHED_PAGE_QUERIES
    assert first_queries > second_queries
    assert "private" in second["Cache-Control"]


def test_a_page_is_not_served_for_another_csrf_cookie(parent):
    _guardian, _child, client = parent
    url = reverse("portal:dashboard")
    client.get(url)
    client.get(url)
    client.cookies["csrftoken"] = "a" * 32

    _response, queries = queries_for(client, url)

    assert queries > CACHED_PAGE_QUERIES


def test_unknown_query_parameters_are_rendered_not_cached(parent):
    _guardian, _child, client = parent
    url = reverse("portal:dashboard") + "?utm=x"
    client.get(url)

    _response, queries = queries_for(client, url)

    assert queries > CACHED_PAGE_QUERIES


def test_a_change_of_shown_data_is_visible_on_the_next_request(parent):
    _guardian, child, client = parent
    url = reverse("portal:dashboard")
    client.get(url)

    child.first_name = "Lieke"
    child.save()

    assert "Lieke" in client.get(url).content.decode()


def test_a_new_agenda_item_for_the_childs_group_shows_at_once(parent):
    _guardian, child, client = parent
    url = reverse("agenda:index")
    client.get(url)

    item = AgendaItem.objects.create(
        school=child.school,
        title="Schoolreis",
        start_date=timezone.localdate(),
        end_date=timezone.localdate(),
        all_day=True,
        whole_school=False,
    )
    item.groups.set([child.group])
    item.save()

    assert "Schoolreis" in client.get(url).content.decode()


def test_another_session_of_the_same_parent_gets_its_own_page(parent):
    guardian, _child, client = parent
    url = reverse("portal:dashboard")
    client.get(url)
    other = Client()
    other.force_login(guardian.user)

    _response, queries = queries_for(other, url)

    assert queries > CACHED_PAGE_QUERIES


def test_a_page_with_a_flash_message_is_rendered_and_not_kept(parent):
    _guardian, _child, client = parent
    client.post(reverse("portal:babysitter_add"), {"name": "Noor", "phone": "06-12345678"})

    with_message = client.get(reverse("portal:babysitters")).content.decode()
    without_message = client.get(reverse("portal:babysitters")).content.decode()

    assert "De oppas is opgeslagen." in with_message
    assert "De oppas is opgeslagen." not in without_message


def test_a_deactivated_parent_is_never_served_a_cached_page(parent):
    guardian, _child, client = parent
    url = reverse("portal:dashboard")
    assert client.get(url).status_code == 200

    guardian.user.is_active = False
    guardian.user.save()

    assert client.get(url).status_code == 302
