"""A newsletter photo follows the children's consent for photos on the school's website:
a photo on which a child without it is marked is not shown in the portal, not served
through its URL and not in the e-mail; the editor sees which photo and which child. The
consent is read when the issue is shown, so a withdrawal counts at once."""

import pytest
from django.core import mail
from django.urls import reverse

from pages.blocks import PHOTO_SIZE
from pages.models import NewsletterPage
from schoolportal import access
from schoolportal.people.models import StaffRole
from tests.factories import (
    GroupFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    image,
    newsletter,
    parent_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    class World:
        pass

    w = World()
    w.school = SchoolFactory(name="Basisschool De Regenboog")
    w.group = GroupFactory(school_year__school=w.school, name="Groep 3")
    w.emma = PupilFactory(first_name="Emma", last_name="Jansen", group=w.group)
    w.emma.photo_consent_website = True
    w.emma.save()
    w.sem = PupilFactory(first_name="Sem", last_name="Visser", group=w.group)
    w.sem.photo_consent_website = False
    w.sem.save()
    w.parent = parent_of(w.emma, email="marieke@example.org")
    w.manager = StaffMemberFactory(school=w.school, role=StaffRole.MANAGEMENT)
    w.allowed = image("Voorleeswedstrijd")
    w.withheld = image("Sinterklaas")
    w.unmarked = image("Schoolplein")
    for photo in (w.allowed, w.withheld, w.unmarked):
        photo.get_rendition(PHOTO_SIZE)  # as publishing makes it in a task
    w.issue = newsletter(
        w.school,
        body=[
            ("image", {"image": w.allowed, "caption": "Emma leest voor", "pupils": [w.emma]}),
            ("image", {"image": w.withheld, "caption": "Sem en Emma", "pupils": [w.sem, w.emma]}),
            ("image", {"image": w.unmarked, "caption": "Het schoolplein", "pupils": []}),
        ],
    )
    return w


def issue(world):
    """The issue as a request reads it: fresh from the database."""
    return NewsletterPage.objects.get(pk=world.issue.pk)


def image_url(world, photo):
    return reverse("newsletters:image", args=[world.issue.pk, photo.pk])


def test_a_photo_is_shown_only_when_every_marked_child_has_website_consent(world):
    assert access.newsletter_photo_allowed([world.emma])
    assert access.newsletter_photo_allowed([])
    assert not access.newsletter_photo_allowed([world.emma, world.sem])
    assert not access.newsletter_photo_allowed([None])  # a child no longer in the records


def test_the_portal_leaves_out_a_photo_of_a_child_without_consent(client, world):
    client.force_login(world.parent.user)

    page = client.get(reverse("newsletters:issue", args=[world.issue.pk])).content.decode()

    assert "Emma leest voor" in page and "Het schoolplein" in page
    assert image_url(world, world.allowed) in page
    assert "Sem en Emma" not in page
    assert image_url(world, world.withheld) not in page
    assert "/media/" not in page


def test_the_withheld_photo_is_not_served_through_its_url(client, world):
    client.force_login(world.parent.user)

    assert client.get(image_url(world, world.allowed)).status_code == 200
    assert client.get(image_url(world, world.withheld)).status_code == 404


def test_a_withdrawn_consent_takes_the_photo_away_at_once(client, world):
    client.force_login(world.parent.user)
    url = reverse("newsletters:issue", args=[world.issue.pk])
    assert "Emma leest voor" in client.get(url).content.decode()  # and now cached

    world.emma.photo_consent_website = False
    world.emma.save()

    assert "Emma leest voor" not in client.get(url).content.decode()
    assert client.get(image_url(world, world.allowed)).status_code == 404


def test_a_given_consent_shows_the_photo_again(client, world):
    world.sem.photo_consent_website = True
    world.sem.save()
    client.force_login(world.parent.user)

    page = client.get(reverse("newsletters:issue", args=[world.issue.pk])).content.decode()

    assert "Sem en Emma" in page


def test_the_email_leaves_out_a_photo_of_a_child_without_consent(world, committed):
    world.issue.live = False
    world.issue.save()
    with committed():
        world.issue.save_revision().publish()

    text = mail.outbox[0].body
    html = mail.outbox[0].alternatives[0][0]
    assert "Emma leest voor" in text and image_url(world, world.allowed) in text
    for part in (text, html):
        assert "Sem en Emma" not in part
        assert image_url(world, world.withheld) not in part
        assert "/media/" not in part


def test_the_preview_names_the_child_without_consent_instead_of_the_photo(world):
    preview = issue(world).make_preview_request().content.decode()

    assert "Deze foto wordt niet getoond" in preview
    assert "Sem Visser" in preview
    assert "Emma Jansen" not in preview  # she has consent: not named
    assert "Emma leest voor" in preview


def test_the_editor_names_the_photo_and_the_child_without_consent(client, world):
    client.force_login(world.manager.user)

    page = client.get(reverse("wagtailadmin_pages:edit", args=[world.issue.pk])).content.decode()

    assert "1 foto wordt niet getoond" in page
    assert "Sem en Emma: Sem Visser" in page
