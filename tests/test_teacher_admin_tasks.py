"""Issue #22, "Blocked today": a teacher plans an agenda item for her group without choosing
her school, previews a group page inside the admin, and opens it live as parents see it."""

import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse
from wagtail.models import Site
from wagtail.test.utils.form_data import rich_text

from pages.models import GroupPage
from schoolportal.agenda.models import AgendaItem
from schoolportal.mailings.models import Mailing
from schoolportal.people.models import StaffRole
from tests.factories import (
    GroupFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    blog_post,
    parent_of,
    photo_album,
    school_home,
)

pytestmark = pytest.mark.django_db

ADD_ITEM = reverse(AgendaItem.snippet_viewset.get_url_name("add"))


@pytest.fixture
def world():
    """A school with two groups, each with its teacher, a child and its parent, the school's
    management, and a second school with a group of its own."""
    school = SchoolFactory(name="Basisschool Het Anker")
    # Each school's home page is the root of its site, as in the demo and in production.
    Site.objects.create(hostname="testserver", port=80, root_page=school_home(school))
    group = GroupFactory(school_year__school=school, name="Groep 3a")
    other_group = GroupFactory(school_year=group.school_year, school=school, name="Groep 7b")
    teacher = StaffMemberFactory(school=school, display_name="juf Bakker")
    other_teacher = StaffMemberFactory(school=school, display_name="meester Bas")
    group.teachers.add(teacher)
    other_group.teachers.add(other_teacher)
    parent = parent_of(PupilFactory(group=group), first_name="Marieke", last_name="Visser")
    elsewhere = SchoolFactory(name="Basisschool De Linde")
    Site.objects.create(hostname="linde.example.org", port=80, root_page=school_home(elsewhere))
    far_group = GroupFactory(school_year__school=elsewhere, name="Groep 3a")
    return SimpleNamespace(
        school=school,
        group=group,
        other_group=other_group,
        page=GroupPage.objects.get(group=group),
        teacher=teacher,
        other_teacher=other_teacher,
        manager=StaffMemberFactory(school=school, role=StaffRole.MANAGEMENT),
        parent=parent,
        elsewhere=elsewhere,
        far_group=far_group,
        far_teacher=StaffMemberFactory(school=elsewhere),
    )


# --- Planning an agenda item --------------------------------------------------------------------


def item_form(groups=(), whole_school=False, **fields):
    """The add form as a teacher posts it: no school (it is not in her form), no end date."""
    data = {
        "title": "Voorleesochtend",
        "location": "",
        "description": "",
        "start_date": "2031-03-10",
        "start_time": "09:00",
        "end_date": "",
        "end_time": "10:00",
        "groups": [group.pk for group in groups],
        "repeat": "",
        "repeat_until": "",
        "exceptions-TOTAL_FORMS": "0",
        "exceptions-INITIAL_FORMS": "0",
        "exceptions-MIN_NUM_FORMS": "0",
        "exceptions-MAX_NUM_FORMS": "1000",
        **fields,
    }
    if whole_school:
        data["whole_school"] = "on"
    return data


def checkbox(html, name, value=None):
    """The ``<input>`` tag of checkbox ``name`` (with ``value``) in ``html``."""
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and (value is None or f'value="{value}"' in tag):
            return tag
    raise AssertionError(f"no checkbox {name}={value}")


def test_a_teacher_opens_a_new_item_for_her_own_group_at_her_own_school(client, world):
    client.force_login(world.teacher.user)

    response = client.get(ADD_ITEM)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="school"' not in html  # filled in: nothing to choose, no empty chooser
    assert "checked" in checkbox(html, "groups", world.group.pk)
    assert "checked" not in checkbox(html, "whole_school")
    assert f'value="{world.other_group.pk}"' not in html  # not her group


def test_management_still_opens_a_new_item_for_the_whole_school(client, world):
    client.force_login(world.manager.user)

    html = client.get(ADD_ITEM).content.decode()

    assert "checked" in checkbox(html, "whole_school")


def test_a_teacher_saves_an_item_without_school_or_end_date(client, world):
    client.force_login(world.teacher.user)

    response = client.post(ADD_ITEM, item_form([world.group]))

    assert response.status_code == 302
    item = AgendaItem.objects.get(title="Voorleesochtend")
    assert item.school == world.school
    assert item.end_date == item.start_date == date(2031, 3, 10)
    assert list(item.groups.all()) == [world.group]
    assert not item.whole_school


def test_a_posted_school_does_not_move_the_item_to_another_school(client, world):
    client.force_login(world.teacher.user)

    client.post(ADD_ITEM, item_form([world.group], school=world.elsewhere.pk))

    assert AgendaItem.objects.get(title="Voorleesochtend").school == world.school


def test_an_empty_end_date_is_the_start_date_also_outside_the_admin(world):
    item = AgendaItem(school=world.school, title="Studiedag", all_day=True)
    item.start_date = date(2031, 4, 2)

    item.full_clean()
    item.save()

    assert item.end_date == date(2031, 4, 2)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"whole_school": True}, "Alleen de directie en administratie plannen"),
        ({"groups": "far_group"}, "Selecteer een geldige keuze"),
        ({"groups": "other_group"}, "Selecteer een geldige keuze"),
    ],
)
def test_a_teacher_plans_neither_for_the_whole_school_nor_for_other_groups(
    client, world, fields, message
):
    client.force_login(world.teacher.user)
    if "groups" in fields:
        fields = {"groups": [getattr(world, fields["groups"])]}

    response = client.post(ADD_ITEM, item_form(**{"groups": [world.group], **fields}))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AgendaItem.objects.filter(title="Voorleesochtend").exists()


@pytest.mark.parametrize("model", [AgendaItem, Mailing])
def test_staff_of_two_schools_choose_from_a_list_of_both(client, world, model):
    world.teacher.user.is_active = True
    StaffMemberFactory(school=world.elsewhere, user=world.teacher.user)
    client.force_login(world.teacher.user)

    html = client.get(reverse(model.snippet_viewset.get_url_name("add"))).content.decode()

    select = re.search(r'<select name="school"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None  # a list, not the chooser of the schools they manage (none)
    assert world.school.name in select.group(1)
    assert world.elsewhere.name in select.group(1)


def test_a_teacher_writes_a_mailing_without_choosing_her_school(client, world):
    client.force_login(world.teacher.user)

    html = client.get(reverse(Mailing.snippet_viewset.get_url_name("add"))).content.decode()

    assert 'name="school"' not in html


# --- Preview in the admin -----------------------------------------------------------------------


def preview_url(page):
    return reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])


def test_the_group_page_preview_may_be_framed_by_the_admin_only(client, world):
    client.force_login(world.teacher.user)
    form = {
        "title": world.page.title,
        "intro": rich_text("<p>Welkom in groep 3a, het concept.</p>"),
        "files-TOTAL_FORMS": "0",
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "1000",
    }
    assert client.post(preview_url(world.page), form).json()["is_valid"]

    response = client.get(preview_url(world.page), {"in_preview_panel": "true"})

    assert response.status_code == 200
    assert "Welkom in groep 3a, het concept." in response.content.decode()
    assert "Voorbeeld: zo zien de ouders van de groep" in response.content.decode()
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" not in response["Content-Security-Policy"]


def test_the_preview_lists_posts_and_albums_newest_first_as_parents_see_them(client, world):
    for title, day in [
        ("Oktober", "2026-10-01"),
        ("December", "2026-12-01"),
        ("Juni", "2026-06-01"),
    ]:
        post = blog_post(world.page, title=f"Blog {title}")
        post.date = day
        post.save()
        album = photo_album(world.page, title=f"Album {title}", photos=0)
        album.date = day
        album.save()
    client.force_login(world.teacher.user)
    form = {
        "title": world.page.title,
        "intro": rich_text("<p>Welkom</p>"),
        "files-TOTAL_FORMS": "0",
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "1000",
    }
    assert client.post(preview_url(world.page), form).json()["is_valid"]

    html = client.get(preview_url(world.page)).content.decode()

    for kind in ("Blog", "Album"):
        positions = [html.index(f"{kind} {month}") for month in ("December", "Oktober", "Juni")]
        assert positions == sorted(positions), kind


def test_portal_pages_are_still_never_framed(client, world):
    client.force_login(world.parent.user)

    response = client.get(reverse("grouppages:group", args=[world.page.pk]))

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


# --- "Bekijk live": the page as parents see it --------------------------------------------------


def test_the_live_url_of_a_group_page_and_what_is_below_it_is_the_portal(world):
    post = blog_post(world.page)
    album = photo_album(world.page, photos=1)

    site = "http://testserver"  # the school's own site
    assert world.page.full_url == site + reverse("grouppages:group", args=[world.page.pk])
    assert post.full_url == site + reverse("grouppages:post", args=[post.pk])
    assert album.full_url == site + reverse("grouppages:album", args=[album.pk])


def test_the_admin_links_to_the_page_in_the_portal(client, world):
    world.page.save_revision().publish()
    client.force_login(world.teacher.user)

    html = client.get(reverse("wagtailadmin_pages:edit", args=[world.page.pk])).content.decode()

    portal = reverse("grouppages:group", args=[world.page.pk])
    assert f'href="http://testserver{portal}"' in html or f'href="{portal}"' in html


@pytest.mark.parametrize("reader", ["teacher", "manager"])
def test_editors_open_the_live_page_its_posts_albums_and_photos(client, world, reader):
    post = blog_post(world.page, title="Naar de bakker")
    album = photo_album(world.page, title="Kinderboerderij", photos=1)
    photo = album.photos.get()
    client.force_login(getattr(world, reader).user)

    page = client.get(world.page.url)

    assert page.status_code == 200
    assert "Naar de bakker" in page.content.decode()
    assert client.get(post.url).status_code == 200
    assert client.get(album.url).status_code == 200
    assert client.get(reverse("grouppages:photo", args=[photo.pk])).status_code == 200
    assert client.get(reverse("grouppages:thumbnail", args=[photo.pk])).status_code == 200


@pytest.mark.parametrize("reader", ["other_teacher", "far_teacher"])
def test_staff_of_another_group_or_school_do_not_find_the_page(client, world, reader):
    post = blog_post(world.page)
    photo = photo_album(world.page, photos=1).photos.get()
    client.force_login(getattr(world, reader).user)

    assert client.get(world.page.url).status_code == 404
    assert client.get(post.url).status_code == 404
    assert client.get(reverse("grouppages:photo", args=[photo.pk])).status_code == 404


def main(html):
    return html.split("<main")[1].split("</main>")[0]


def test_the_teacher_sees_the_page_as_parents_do_and_no_parent_sees_her_render(client, world):
    path = world.page.url
    client.force_login(world.parent.user)
    client.get(path)
    as_parent = client.get(path).content.decode()  # the second visit is the cached one
    client.force_login(world.teacher.user)
    client.get(path)
    as_teacher = client.get(path).content.decode()
    client.force_login(world.parent.user)
    again = client.get(path).content.decode()

    assert "Marieke" in as_parent and "Marieke" in again
    assert "Marieke" not in as_teacher  # her page is not the parent's cached one
    assert main(as_teacher) == main(as_parent)


def test_a_teacher_who_no_longer_teaches_the_group_no_longer_opens_its_page(client, world):
    client.force_login(world.teacher.user)
    client.get(world.page.url)
    assert client.get(world.page.url).status_code == 200

    world.group.teachers.remove(world.teacher)

    assert client.get(world.page.url).status_code == 404


def test_the_group_page_list_stays_a_parents_list(client, world):
    client.force_login(world.teacher.user)

    response = client.get(reverse("grouppages:index"))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
