"""Writing a newsletter in the admin: management publishes an issue with its blocks (and it
is e-mailed), previews it as parents will see it; teachers cannot write one."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from pages.models import NewsletterIndexPage, NewsletterPage
from schoolportal.agenda.models import AgendaItem
from schoolportal.people.models import StaffRole
from tests.factories import (
    GroupFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    parent_of,
    school_home,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    class World:
        pass

    w = World()
    w.school = SchoolFactory(name="Basisschool De Regenboog")
    w.group = GroupFactory(school_year__school=w.school, name="Groep 3")
    w.parent = parent_of(PupilFactory(group=w.group), email="marieke@example.org")
    home = school_home(w.school)
    w.index = NewsletterIndexPage.objects.child_of(home).get()
    w.manager = StaffMemberFactory(school=w.school, role=StaffRole.MANAGEMENT)
    w.teacher = StaffMemberFactory(school=w.school, role=StaffRole.TEACHER)
    return w


def add_url(index):
    return reverse("wagtailadmin_pages:add", args=["pages", "newsletterpage", index.pk])


def issue_form(group, publish=True):
    data = nested_form_data(
        {
            "title": "Nieuwsbrief januari",
            "issue_date": "2027-01-08",
            "intro": "Gelukkig nieuwjaar!",
            "body": streamfield(
                [
                    ("heading", "Nieuwjaarsborrel"),
                    ("text", rich_text("<p>Op maandag drinken we samen koffie.</p>")),
                    ("group_news", {"group": group.pk, "text": "Wij begonnen met lezen."}),
                    ("agenda", {"heading": "Agenda", "weeks": 4}),
                ]
            ),
        }
    )
    if publish:
        data["action-publish"] = "action-publish"
    return data


def test_management_publishes_an_issue_that_is_emailed_to_the_school(client, world, committed):
    client.force_login(world.manager.user)

    assert client.get(add_url(world.index)).status_code == 200
    with committed():
        response = client.post(add_url(world.index), issue_form(world.group))

    assert response.status_code == 302
    issue = NewsletterPage.objects.get(title="Nieuwsbrief januari")
    assert issue.live and issue.school_id == world.school.pk
    assert [message.to for message in mail.outbox] == [["marieke@example.org"]]
    client.force_login(world.parent.user)
    content = client.get(reverse("newsletters:issue", args=[issue.pk])).content.decode()
    assert "Wij begonnen met lezen." in content


def test_a_teacher_cannot_add_an_issue(client, world):
    client.force_login(world.teacher.user)

    response = client.post(add_url(world.index), issue_form(world.group))

    assert response.status_code in (302, 403)
    assert not NewsletterPage.objects.exists()


def test_the_preview_shows_the_issue_as_parents_will_see_it(client, world):
    AgendaItem.objects.create(
        school=world.school,
        title="Studiedag",
        start_date=date.today() + timedelta(days=2),
        all_day=True,
    )
    client.force_login(world.manager.user)
    preview = reverse(
        "wagtailadmin_pages:preview_on_add", args=["pages", "newsletterpage", world.index.pk]
    )

    stored = client.post(preview, issue_form(world.group, publish=False))
    shown = client.get(preview)

    assert stored.json()["is_valid"]
    content = shown.content.decode()
    assert "Voorbeeld: zo zien de ouders van de school deze nieuwsbrief." in content
    assert "Uit Groep 3" in content
    assert "Studiedag" in content  # the school's agenda, though the issue is not saved yet


def test_the_archive_cannot_be_added_by_hand(client, world):
    client.force_login(world.manager.user)
    home = Page.objects.get(pk=world.index.get_parent().pk)
    url = reverse("wagtailadmin_pages:add", args=["pages", "newsletterindexpage", home.pk])

    assert client.get(url).status_code in (302, 403)


def test_the_schools_office_follows_the_issues_e_mails_in_the_register(client, world, committed):
    from schoolportal.newsletters import delivery
    from tests.factories import newsletter

    far_school = SchoolFactory(name="Basisschool De Linde")
    parent_of(
        PupilFactory(group=GroupFactory(school_year__school=far_school)),
        email="bram@example.org",
    )
    with committed():
        delivery.send(newsletter(world.school, title="Nieuwsbrief januari"))
        delivery.send(newsletter(far_school, title="Lindebode januari"))
    client.force_login(world.manager.user)

    shown = client.get(reverse("notifications_outboxmessage_modeladmin_index")).content.decode()

    assert "marieke@example.org" in shown and "Nieuwsbrief januari" in shown
    assert "nieuwsbrief" in shown
    assert "bram@example.org" not in shown and "Lindebode" not in shown
