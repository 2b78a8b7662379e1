"""What rendered parent pages share across sessions and users is keyed on what it shows.

Rendering a page reuses a user's schools and the schools' contact details between
sessions (``portal.context_processors``); none of it may reach another family's page or
outlive a change.
"""

import pytest
from django.test import Client
from django.urls import reverse

from schoolportal.portal.filecache import SessionFileCache
from tests.factories import GuardianshipFactory, PupilFactory, SchoolFactory, parent_of

pytestmark = pytest.mark.django_db


def logged_in(guardian):
    client = Client()
    client.force_login(guardian.user)
    return client


def child_at(school_name, **school_fields):
    school = SchoolFactory(name=school_name, **school_fields)
    return PupilFactory(group__school_year__school=school)


def footer(client, url=None):
    content = client.get(url or reverse("portal:help")).content.decode()
    return content[content.index('<footer class="site-footer">') :]


def test_each_parent_sees_their_own_schools_in_the_footer():
    first, second = child_at("De Regenboog"), child_at("Het Kompas")
    first_parent, second_parent = parent_of(first), parent_of(second)

    first_footer = footer(logged_in(first_parent))
    second_footer = footer(logged_in(second_parent))

    assert "De Regenboog" in first_footer and "Het Kompas" not in first_footer
    assert "Het Kompas" in second_footer and "De Regenboog" not in second_footer


def test_a_changed_school_shows_on_the_next_first_view():
    child = child_at("De Regenboog", phone="030-1111111")
    guardian = parent_of(child)
    assert "030-1111111" in footer(logged_in(guardian))

    child.school.phone = "030-2222222"
    child.school.save()

    assert "030-2222222" in footer(logged_in(guardian))


def test_a_new_child_at_another_school_adds_that_school_at_once():
    guardian = parent_of(child_at("De Regenboog"))
    assert "Het Kompas" not in footer(logged_in(guardian))

    other = child_at("Het Kompas")
    parent_of(other)  # another family
    assert "Het Kompas" not in footer(logged_in(guardian))

    GuardianshipFactory(guardian=guardian, pupil=other)
    assert "Het Kompas" in footer(logged_in(guardian))


def test_the_footer_follows_the_language():
    guardian = parent_of(child_at("De Regenboog"))
    client = logged_in(guardian)
    dutch = footer(client)

    client.post(reverse("set_language"), {"language": "en", "next": "/portaal/help/"})
    english = footer(client)

    assert "Telefoon" in dutch
    assert "Telefoon" not in english and "Phone" in english


def test_the_session_file_cache_checks_its_size_once_per_so_many_writes(tmp_path):
    cache = SessionFileCache(
        str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 4, "CHECK_EVERY": 3, "CULL_FREQUENCY": 2}}
    )
    listings = []
    original = cache._list_cache_files
    cache._list_cache_files = lambda: listings.append(1) or original()

    for number in range(7):
        cache.set(f"session-{number}", number)

    assert len(listings) == 3  # writes 1, 4 and 7
    assert len(original()) < 7  # the seventh write found it full and culled
