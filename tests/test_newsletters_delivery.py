"""A newsletter issue is e-mailed once, on its first publication, to every guardian of the
school: the whole issue in HTML and plain text, with a link to it in the portal."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.rich_text import RichText

from pages.models import NewsletterPage
from schoolportal.agenda.models import AgendaItem
from schoolportal.newsletters import delivery
from schoolportal.notifications.models import OutboxMessage
from tests.factories import (
    GroupFactory,
    PupilFactory,
    SchoolFactory,
    SchoolYearFactory,
    document,
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
    w.school = SchoolFactory(name="Basisschool De Regenboog", email="info@regenboog.example.org")
    year = SchoolYearFactory(school=w.school)
    w.group = GroupFactory(school_year=year, name="Groep 3")
    emma = PupilFactory(first_name="Emma", group=w.group)
    sem = PupilFactory(first_name="Sem", group=GroupFactory(school_year=year, name="Groep 7"))
    w.parents = [
        parent_of(emma, email="marieke@example.org"),
        parent_of(emma, email="joost@example.org"),
        parent_of(sem, email="ilse@example.org"),
    ]
    w.other_school = SchoolFactory(name="Basisschool De Linde")
    parent_of(
        PupilFactory(group=GroupFactory(school_year__school=w.other_school)),
        email="bram@example.org",
    )
    AgendaItem.objects.create(
        school=w.school,
        title="Kerstdiner",
        start_date=date.today() + timedelta(days=3),
        all_day=True,
    )
    w.photo = image("Kerstmarkt")
    w.flyer = document("kerstmarkt.pdf", b"%PDF-1.4 kerstmarkt", "Flyer kerstmarkt")
    w.issue = newsletter(
        w.school,
        title="Nieuwsbrief december",
        intro="Het is bijna kerstvakantie.",
        live=False,
        body=[
            ("heading", "Kerstmarkt"),
            ("text", RichText('<p>De <b>kerstmarkt</b> is <a href="/portaal/">hier</a>.</p>')),
            ("image", {"image": w.photo, "caption": "Kraampjes op het plein"}),
            ("call_to_action", {"text": "Lees de flyer", "url": "", "document": w.flyer}),
            ("group_news", {"group": w.group, "text": "Wij maakten kerststukjes."}),
            ("agenda", {"heading": "Agenda", "weeks": 4}),
        ],
    )
    return w


SCHOOL_PARENTS = {"marieke@example.org", "joost@example.org", "ilse@example.org"}


@pytest.fixture
def publish(committed):
    def publish(issue):
        with committed():
            issue.save_revision().publish()
        issue.refresh_from_db()

    return publish


def delivered_to():
    return {message.to[0] for message in mail.outbox}


def test_first_publication_emails_every_guardian_of_the_school_once(world, publish):
    publish(world.issue)

    assert world.issue.sent_at is not None
    assert delivered_to() == SCHOOL_PARENTS
    assert len(mail.outbox) == 3
    assert OutboxMessage.objects.filter(kind=delivery.NEWSLETTER).count() == 3


def test_a_later_revision_or_an_old_one_sends_nothing(world, publish):
    publish(world.issue)
    first_revision = world.issue.latest_revision
    sent_at = world.issue.sent_at

    world.issue.title = "Nieuwsbrief december (verbeterd)"
    publish(world.issue)
    first_revision.publish()
    world.issue.refresh_from_db()

    assert world.issue.sent_at == sent_at
    assert len(mail.outbox) == 3
    assert OutboxMessage.objects.filter(kind=delivery.NEWSLETTER).count() == 3


def test_a_double_publication_queues_nobody_twice(world, publish):
    publish(world.issue)
    assert delivery.send(NewsletterPage.objects.get(pk=world.issue.pk)) == 0
    assert len(mail.outbox) == 3


def test_a_draft_sends_nothing(world, committed):
    with committed():
        world.issue.save_revision()

    assert mail.outbox == []
    assert NewsletterPage.objects.get(pk=world.issue.pk).sent_at is None


def test_a_live_issue_the_worker_never_sent_is_sent_by_the_sweep(world, committed):
    NewsletterPage.objects.filter(pk=world.issue.pk).update(live=True)

    with committed():
        delivery.send_published_but_unsent()

    assert delivered_to() == SCHOOL_PARENTS


def test_the_plain_text_part_carries_the_whole_issue_and_the_link(world, publish):
    publish(world.issue)
    text = mail.outbox[0].body

    assert mail.outbox[0].subject == "Nieuwsbrief december"
    assert "Het is bijna kerstvakantie." in text
    assert "KERSTMARKT" in text
    assert "De kerstmarkt is hier (" in text and "/portaal/)" in text
    assert "[Foto: Kraampjes op het plein]" in text
    assert reverse("newsletters:image", args=[world.issue.pk, world.photo.pk]) in text
    document_url = reverse("newsletters:document", args=[world.issue.pk, world.flyer.pk])
    assert "Lees de flyer: http" in text and document_url in text
    assert "Uit Groep 3\nWij maakten kerststukjes." in text
    assert "Kerstdiner" in text
    assert reverse("newsletters:issue", args=[world.issue.pk]) in text
    assert "<" not in text


def test_the_html_part_has_the_issue_and_no_photo_from_media(world, publish):
    publish(world.issue)
    html = mail.outbox[0].alternatives[0][0]

    assert "<b>kerstmarkt</b>" in html
    assert 'href="http' in html and "/portaal/" in html  # relative links made absolute
    assert "Kraampjes op het plein" in html
    assert "<img" not in html and "/media/" not in html
    assert "Uit Groep 3" in html and "Kerstdiner" in html
    assert mail.outbox[0].reply_to == []
    assert "Reply-To" not in mail.outbox[0].message()


def test_the_newsletter_says_it_cannot_be_answered_and_links_to_berichten(world, publish):
    publish(world.issue)
    sent = mail.outbox[0]
    compose = "http://testserver" + reverse("conversations:compose")

    for part in (sent.body, sent.alternatives[0][0]):
        assert "Op deze e-mail kunt u niet antwoorden." in part
        assert compose in part


def test_a_publication_scheduled_for_later_sends_when_it_goes_live(world, committed):
    world.issue.go_live_at = timezone.now() + timedelta(hours=1)
    with committed():
        world.issue.save_revision().publish()

    assert mail.outbox == []
    assert NewsletterPage.objects.get(pk=world.issue.pk).sent_at is None
