"""Newsletters: the archive per school, an issue and its blocks, who reads them, photos
and documents only through the issue."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction, Site
from wagtail.rich_text import RichText

from pages.blocks import PHOTO_SIZE
from pages.models import NewsletterIndexPage, NewsletterPage, SchoolHomePage
from schoolportal import access
from schoolportal.agenda.models import AgendaItem
from schoolportal.people.models import StaffRole
from tests.factories import (
    GroupFactory,
    GuardianshipFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    UserFactory,
    document,
    image,
    newsletter,
    parent_of,
    school_home,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """De Regenboog (Emma's school, with an issue) and De Linde (Daan's, with its own)."""

    class World:
        pass

    w = World()
    w.school = SchoolFactory(name="Basisschool De Regenboog")
    w.group = GroupFactory(school_year__school=w.school, name="Groep 3")
    w.child = PupilFactory(first_name="Emma", group=w.group)
    w.parent = parent_of(w.child, first_name="Marieke")
    w.other_school = SchoolFactory(name="Basisschool De Linde")
    w.far_child = PupilFactory(
        first_name="Daan", group=GroupFactory(school_year__school=w.other_school)
    )
    w.far_parent = parent_of(w.far_child, first_name="Bram")
    w.photo = image("Kerstmarkt")
    w.photo.get_rendition(PHOTO_SIZE)  # as publishing makes it in a task
    w.flyer = document("kerstmarkt.pdf", b"%PDF-1.4 kerstmarkt", "Flyer kerstmarkt")
    w.issue = newsletter(
        w.school,
        title="Nieuwsbrief december",
        intro="Het is bijna kerstvakantie.",
        issue_date=date(2026, 12, 1),
        body=[
            ("heading", "Kerstmarkt"),
            ("text", RichText("<p>Op vrijdag is de <b>kerstmarkt</b> op het plein.</p>")),
            ("image", {"image": w.photo, "caption": "Kraampjes op het plein"}),
            ("call_to_action", {"text": "Lees de flyer", "url": "", "document": w.flyer}),
            ("group_news", {"group": w.group, "text": "Groep 3 heeft kerststukjes gemaakt."}),
            ("agenda", {"heading": "Agenda", "weeks": 4}),
        ],
    )
    w.far_issue = newsletter(w.other_school, title="Lindebode december")
    return w


def issue_url(issue):
    return reverse("newsletters:issue", args=[issue.pk])


# --- The tree ----------------------------------------------------------------------------------


def test_every_school_home_page_gets_one_private_newsletter_archive():
    school = SchoolFactory()
    home = school_home(school)

    archives = NewsletterIndexPage.objects.child_of(home)

    assert archives.count() == 1
    assert PageViewRestriction.objects.filter(page=archives.get()).exists()
    assert NewsletterIndexPage.can_create_at(home) is False  # one per school
    assert NewsletterPage.can_create_at(archives.get())
    assert not NewsletterPage.can_create_at(home)


def test_an_issue_knows_its_school_and_its_words_for_the_search(world):
    assert world.issue.school_id == world.school.pk
    assert "kerstmarkt op het plein" in world.issue.search_text
    assert "Kraampjes op het plein" in world.issue.search_text
    assert "kerststukjes" in world.issue.search_text


def test_management_and_administration_write_newsletters_teachers_do_not(world):
    index = NewsletterIndexPage.objects.get(pk=world.issue.get_parent().pk)
    manager = StaffMemberFactory(school=world.school, role=StaffRole.MANAGEMENT)
    office = StaffMemberFactory(school=world.school, role=StaffRole.ADMINISTRATION)
    teacher = StaffMemberFactory(school=world.school, role=StaffRole.TEACHER)
    far_manager = StaffMemberFactory(school=world.other_school, role=StaffRole.MANAGEMENT)

    def may_add(staff):
        return index.permissions_for_user(staff.user).can_add_subpage()

    assert may_add(manager) and may_add(office)
    assert not may_add(teacher)
    assert not may_add(far_manager)


def test_a_school_archive_is_not_deleted_or_copied_by_its_editors(world):
    index = NewsletterIndexPage.objects.get(pk=world.issue.get_parent().pk)
    manager = StaffMemberFactory(school=world.school, role=StaffRole.MANAGEMENT)
    tester = index.permissions_for_user(manager.user)

    assert not tester.can_delete()
    assert not tester.can_copy()
    assert not tester.can_move()


# --- Who reads them ----------------------------------------------------------------------------


def test_guardians_and_staff_of_the_school_read_its_issues_nobody_else(client, world):
    teacher = StaffMemberFactory(school=world.school, role=StaffRole.TEACHER)
    readers = [world.parent.user, teacher.user]
    others = [
        world.far_parent.user,
        UserFactory(),
        StaffMemberFactory(school=world.other_school).user,
    ]

    for user in readers:
        client.force_login(user)
        assert client.get(issue_url(world.issue)).status_code == 200
    for user in others:
        client.force_login(user)
        assert client.get(issue_url(world.issue)).status_code == 404
    client.logout()
    assert client.get(issue_url(world.issue)).status_code == 302  # to the login page


def test_drafts_and_unpublished_issues_answer_404(client, world):
    draft = newsletter(world.school, title="Concept januari", live=False)
    client.force_login(world.parent.user)

    assert client.get(issue_url(draft)).status_code == 404
    assert "Concept januari" not in client.get(reverse("newsletters:index")).content.decode()


def test_wagtails_own_url_of_an_issue_asks_for_a_login(client, world):
    home = SchoolHomePage.objects.get(school=world.school)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "testserver", "root_page": home}
    )
    response = client.get("/nieuwsbrieven/nieuwsbrief-december/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_archive_lists_each_school_under_its_name_newest_first(client, world):
    newsletter(world.school, title="Nieuwsbrief november", issue_date=date(2026, 11, 1))
    # Marieke has a child at De Linde too.
    GuardianshipFactory(
        guardian=world.parent,
        pupil=PupilFactory(first_name="Sam", group=world.far_child.group),
    )
    client.force_login(world.parent.user)

    content = client.get(reverse("newsletters:index")).content.decode()

    linde, regenboog = content.index("Basisschool De Linde"), content.index("De Regenboog")
    assert linde < content.index("Lindebode december") < regenboog
    assert regenboog < content.index("Nieuwsbrief december") < content.index("Nieuwsbrief nov")


def test_archive_shows_no_other_schools_issues(client, world):
    client.force_login(world.parent.user)

    content = client.get(reverse("newsletters:index")).content.decode()

    assert "Nieuwsbrief december" in content
    assert "Lindebode" not in content
    assert "De Linde" not in content


@pytest.mark.parametrize(
    "query, found",
    [("DECEMBER", True), ("kerstvakantie", True), ("kerststukjes", True), ("zomer", False)],
)
def test_archive_search_looks_in_titles_intro_and_text(client, world, query, found):
    client.force_login(world.parent.user)

    content = client.get(reverse("newsletters:index"), {"zoek": query}).content.decode()

    assert (issue_url(world.issue) in content) is found


# --- An issue's blocks -------------------------------------------------------------------------


def test_issue_renders_every_block(client, world):
    client.force_login(world.parent.user)

    content = client.get(issue_url(world.issue)).content.decode()

    assert '<h2 class="newsletter__heading">Kerstmarkt</h2>' in content
    assert "<b>kerstmarkt</b>" in content
    image_url = reverse("newsletters:image", args=[world.issue.pk, world.photo.pk])
    assert f'src="{image_url}" alt="Kraampjes op het plein"' in content
    document_url = reverse("newsletters:document", args=[world.issue.pk, world.flyer.pk])
    assert f'href="{document_url}"' in content and "Lees de flyer" in content
    assert "Uit Groep 3" in content and "kerststukjes" in content
    assert "/media/" not in content


def test_agenda_block_shows_the_live_agenda_of_the_whole_school(client, world):
    soon = date.today() + timedelta(days=3)
    AgendaItem.objects.create(
        school=world.school, title="Kerstdiner", start_date=soon, all_day=True
    )
    group_item = AgendaItem.objects.create(
        school=world.school,
        title="Uitje groep 3",
        start_date=soon,
        all_day=True,
        whole_school=False,
    )
    group_item.groups.set([world.group])
    AgendaItem.objects.create(
        school=world.other_school, title="Lindefeest", start_date=soon, all_day=True
    )
    AgendaItem.objects.create(
        school=world.school,
        title="Zomerfeest",
        start_date=soon + timedelta(weeks=20),
        all_day=True,
    )
    client.force_login(world.parent.user)

    content = client.get(issue_url(world.issue)).content.decode()

    assert "Kerstdiner" in content
    assert "Uitje groep 3" not in content  # a group's own item goes to its group only
    assert "Lindefeest" not in content
    assert "Zomerfeest" not in content  # beyond the block's four weeks
    # Added after publication: shown, the agenda is read when the issue is.
    AgendaItem.objects.create(
        school=world.school, title="Kerstviering", start_date=soon, all_day=True
    )
    assert "Kerstviering" in client.get(issue_url(world.issue)).content.decode()


def test_call_to_action_needs_a_link_or_a_document_not_both():
    from django.core.exceptions import ValidationError

    from pages.blocks import CallToActionBlock

    block = CallToActionBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"text": "Lees meer", "url": "", "document": None}))
    assert block.clean(block.to_python({"text": "Lees meer", "url": "https://example.org/"}))


# --- Photos and documents ----------------------------------------------------------------------


def test_an_issues_photo_is_served_to_its_readers_only(client, world):
    url = reverse("newsletters:image", args=[world.issue.pk, world.photo.pk])

    client.force_login(world.parent.user)
    served = client.get(url)
    client.force_login(world.far_parent.user)
    refused = client.get(url)

    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert refused.status_code == 404


def test_a_photo_not_in_the_issue_is_not_served_through_it(client, world):
    other_photo = image("Iets anders")
    client.force_login(world.parent.user)

    url = reverse("newsletters:image", args=[world.issue.pk, other_photo.pk])

    assert client.get(url).status_code == 404


def test_a_document_of_the_issue_is_a_download_for_its_readers_only(client, world):
    url = reverse("newsletters:document", args=[world.issue.pk, world.flyer.pk])
    elsewhere = document("geheim.pdf", b"%PDF-1.4 geheim", "Geheim")

    client.force_login(world.parent.user)
    served = client.get(url)
    not_in_issue = client.get(reverse("newsletters:document", args=[world.issue.pk, elsewhere.pk]))
    client.force_login(world.far_parent.user)

    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment")
    assert not_in_issue.status_code == 404
    assert client.get(url).status_code == 404


def test_access_lists_the_issues_of_the_users_schools(world):
    assert list(access.newsletters_for(world.parent.user)) == [world.issue]
    assert list(access.newsletters_for(world.far_parent.user)) == [world.far_issue]
    assert not access.newsletters_for(UserFactory()).exists()


def test_a_manager_who_becomes_a_teacher_no_longer_writes_newsletters(world):
    index = NewsletterIndexPage.objects.get(pk=world.issue.get_parent().pk)
    manager = StaffMemberFactory(school=world.school, role=StaffRole.MANAGEMENT)
    assert index.permissions_for_user(manager.user).can_add_subpage()

    manager.role = StaffRole.TEACHER
    manager.save()

    user = type(manager.user).objects.get(pk=manager.user_id)  # without cached rights
    assert not index.permissions_for_user(user).can_add_subpage()


def test_the_issue_body_is_rendered_once_for_all_its_readers(
    client, world, django_assert_max_num_queries
):
    co_parent = parent_of(world.child, first_name="Joost")
    client.force_login(world.parent.user)
    with django_assert_max_num_queries(30) as first:
        client.get(issue_url(world.issue))
    client.force_login(co_parent.user)

    with django_assert_max_num_queries(30) as kept:
        content = client.get(issue_url(world.issue)).content.decode()

    assert len(kept) < len(first) - 3  # no photo, document, group or agenda read again
    assert "kerststukjes" in content and "Kraampjes op het plein" in content
    # A change of the agenda shows at once: it makes the kept body stale.
    AgendaItem.objects.create(
        school=world.school,
        title="Kerstviering",
        start_date=date.today() + timedelta(days=1),
        all_day=True,
    )
    assert "Kerstviering" in client.get(issue_url(world.issue) + "?x=3").content.decode()


def test_the_school_page_leads_to_the_newsletters_which_belong_to_school_in_the_menu(client, world):
    client.force_login(world.parent.user)

    school = client.get(reverse("portal:school")).content.decode()
    archive = client.get(reverse("newsletters:index")).content.decode()

    assert f'href="{reverse("newsletters:index")}">Nieuwsbrieven van school' in school
    assert f'href="{reverse("portal:school")}" aria-current="page">School' in archive
