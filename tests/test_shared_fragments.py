"""What rendered parent pages share across sessions and users is keyed on what it shows.

Rendering a page reuses a user's schools, the schools' contact details, mailing rows and
agenda lists between sessions and families; none of it may reach another family's page
or outlive a change.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from schoolportal.agenda.models import AgendaItem
from tests.factories import (
    GroupFactory,
    GuardianshipFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    parent_of,
    send_mailing,
)

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


# --- Mailing rows and agenda lists, shared by the families who see the same ----------------


def test_a_mailing_row_keeps_each_parents_own_read_mark():
    first = PupilFactory()
    second = PupilFactory(group=first.group)
    reader, other = parent_of(first), parent_of(second)
    mailing = send_mailing([first.group], title="Luizencontrole")
    reader_client, other_client = logged_in(reader), logged_in(other)
    assert "badge--new" in other_client.get(reverse("mailings:index")).content.decode()

    reader_client.get(reverse("mailings:detail", args=[mailing.pk]))

    for url in (reverse("mailings:index"), reverse("portal:dashboard")):
        assert "badge--new" not in logged_in(reader).get(url).content.decode()
        assert "badge--new" in logged_in(other).get(url).content.decode()


def test_a_changed_mailing_title_shows_in_the_list_at_once():
    child = PupilFactory()
    guardian = parent_of(child)
    mailing = send_mailing([child.group], title="Luizencontrole")
    assert "Luizencontrole" in logged_in(guardian).get(reverse("mailings:index")).content.decode()

    mailing.title = "Luizencontrole verschoven"
    mailing.save()

    assert "verschoven" in logged_in(guardian).get(reverse("mailings:index")).content.decode()


def test_a_group_item_shows_only_in_that_groups_agenda():
    ours = PupilFactory()
    theirs = PupilFactory(group=GroupFactory(school_year=ours.group.school_year))
    school = ours.school
    our_parent, their_parent = parent_of(ours), parent_of(theirs)
    today = timezone.localdate()
    item = AgendaItem.objects.create(
        school=school,
        title="Schoolreis",
        start_date=today,
        end_date=today,
        all_day=True,
        whole_school=False,
    )
    item.groups.set([ours.group])
    item.save()  # a ParentalManyToManyField is written on save

    for url in (reverse("agenda:index"), reverse("agenda:month"), reverse("portal:dashboard")):
        assert "Schoolreis" in logged_in(our_parent).get(url).content.decode()
        assert "Schoolreis" not in logged_in(their_parent).get(url).content.decode()

    item.title = "Schoolreis naar de Efteling"
    item.save()

    for url in (reverse("agenda:index"), reverse("agenda:month"), reverse("portal:dashboard")):
        assert "Efteling" in logged_in(our_parent).get(url).content.decode()


def test_the_school_page_shows_each_familys_own_groups_and_changes_at_once():
    ours = PupilFactory()
    theirs = PupilFactory(group=GroupFactory(school_year=ours.group.school_year))
    our_parent, their_parent = parent_of(ours), parent_of(theirs)
    url = reverse("portal:school")

    assert ours.group.name in logged_in(our_parent).get(url).content.decode()
    their_page = logged_in(their_parent).get(url).content.decode()
    assert theirs.group.name in their_page and ours.group.name not in their_page

    ours.group.teachers.add(StaffMemberFactory(school=ours.school, display_name="juf Anna"))

    assert "juf Anna" in logged_in(our_parent).get(url).content.decode()
    assert "juf Anna" not in logged_in(their_parent).get(url).content.decode()


def test_a_childs_list_is_shared_by_co_parents_only_and_follows_changes():
    child = PupilFactory(first_name="Lotte")
    mother, father = parent_of(child), parent_of(child)
    other_family = parent_of(PupilFactory(first_name="Daan"))

    for url in (reverse("portal:dashboard"), reverse("portal:children")):
        assert "Lotte" in logged_in(mother).get(url).content.decode()
        assert "Lotte" in logged_in(father).get(url).content.decode()
        other_page = logged_in(other_family).get(url).content.decode()
        assert "Daan" in other_page and "Lotte" not in other_page

    child.first_name = "Lieke"
    child.save()

    for url in (reverse("portal:dashboard"), reverse("portal:children")):
        assert "Lieke" in logged_in(father).get(url).content.decode()


def test_the_header_shows_each_parent_their_own_name_token_and_page():
    """The brand, menu and footer are cached per school, menu and language; the name, the
    CSRF token and the current path next to them are each parent's own."""
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

    # Each page's token is its own session's: logging out with it works.
    client, content, _url = pages["Bert"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1)
    response = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get(reverse("portal:profile")).status_code == 302  # back to the login


def test_staff_and_visitors_get_the_header_of_what_they_are():
    """A school's staff member and an anonymous visitor share the school's brand fragment
    with nobody's parent parts: no parent's name, no menu, a logout form only when logged in."""
    child = PupilFactory()
    parent_page = logged_in(parent_of(child, first_name="Anna", last_name="Aalders")).get(
        reverse("portal:help")
    )
    assert "Anna Aalders" in parent_page.content.decode()

    staff = Client()
    staff.force_login(StaffMemberFactory(school=child.school).user)
    for client, logged in ((staff, True), (Client(), False)):
        content = client.get(reverse("accounts:password_reset")).content.decode()
        header = content[: content.index("</header>")]
        assert "Anna Aalders" not in header and "site-nav" not in header
        assert (reverse("accounts:logout") in header) is logged


def menu(client, url):
    content = client.get(url).content.decode()
    return content[content.index('<nav class="site-nav"') : content.index("</nav>")]


def test_each_parent_gets_the_menu_of_their_own_schools_modules_and_section():
    with_pages = parent_of(child_at("De Regenboog", group_pages_enabled=True))
    without_pages = parent_of(child_at("Het Kompas", group_pages_enabled=False))

    first = menu(logged_in(with_pages), reverse("portal:help"))
    second = menu(logged_in(without_pages), reverse("portal:help"))
    on_mailings = menu(logged_in(without_pages), reverse("mailings:index"))

    assert "Groepspagina" in first and "Groepspagina" not in second
    assert 'aria-current="page"' not in second
    assert f'href="{reverse("mailings:index")}" aria-current="page"' in on_mailings


def test_the_menu_follows_the_language():
    guardian = parent_of(child_at("De Regenboog"))
    client = logged_in(guardian)
    dutch = menu(client, reverse("portal:help"))
    client.post(reverse("set_language"), {"language": "en", "next": "/portaal/"})

    english = menu(client, reverse("portal:help"))

    assert "Hoofdmenu" in dutch and "Main menu" in english
