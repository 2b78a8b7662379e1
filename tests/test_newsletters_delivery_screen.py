"""The delivery screen of a newsletter issue: as a mailing's, for the staff of its school,
reached from the issue's page in the admin; who writes newsletters sends it again."""

import pytest
from django.core import mail
from django.urls import reverse

from schoolportal.newsletters import delivery
from schoolportal.notifications.models import OutboxMessage
from schoolportal.people.models import Guardianship, StaffRole
from tests.factories import (
    GroupFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    newsletter,
    parent_of,
)

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status


@pytest.fixture
def world(committed):
    class World:
        pass

    w = World()
    w.school = SchoolFactory(name="Basisschool De Regenboog")
    w.group = GroupFactory(school_year__school=w.school, name="Groep 3")
    w.emma = PupilFactory(first_name="Emma", group=w.group)
    parent_of(w.emma, email="marieke@example.org")
    parent_of(PupilFactory(group=w.group), email="ilse@example.org")
    w.manager = StaffMemberFactory(school=w.school, role=StaffRole.MANAGEMENT)
    w.teacher = StaffMemberFactory(school=w.school, role=StaffRole.TEACHER)
    w.other_manager = StaffMemberFactory(
        school=SchoolFactory(name="Basisschool De Linde"), role=StaffRole.MANAGEMENT
    )
    w.issue = newsletter(w.school, live=False)
    with committed():
        w.issue.save_revision().publish()
    w.issue.refresh_from_db()
    return w


def url(issue):
    return reverse("newsletter_delivery", args=[issue.pk])


def delivered_to():
    return sorted(message.to[0] for message in mail.outbox)


def test_the_delivery_screen_counts_each_status_and_lists_the_failures(client, world):
    OutboxMessage.objects.filter(recipient_email="ilse@example.org").update(
        status=Status.FAILED, attempts=5, last_error="SMTPRecipientsRefused: mailbox unavailable"
    )
    client.force_login(world.manager.user)

    response = client.get(url(world.issue))

    assert response.status_code == 200
    assert response.context["counts"][Status.SENT] == 1
    assert response.context["counts"][Status.FAILED] == 1
    assert response.context["total"] == 2
    page = response.content.decode()
    assert "ilse@example.org" in page and "SMTPRecipientsRefused" in page
    assert "marieke@example.org" not in page  # delivered: not a problem
    assert "alle ouders van Basisschool De Regenboog" in page


def test_retrying_sends_only_the_failed_emails(client, committed, world):
    OutboxMessage.objects.filter(recipient_email="ilse@example.org").update(status=Status.FAILED)
    mail.outbox.clear()
    client.force_login(world.manager.user)

    with committed():
        response = client.post(url(world.issue), {"action": "retry"})

    assert response.status_code == 302
    assert delivered_to() == ["ilse@example.org"]


def test_sending_to_new_recipients_reaches_only_guardians_added_since(client, committed, world):
    parent_of(world.emma, email="joost@example.org")
    mail.outbox.clear()
    client.force_login(world.manager.user)

    with committed():
        client.post(url(world.issue), {"action": "new"})

    assert delivered_to() == ["joost@example.org"]


def test_sending_again_to_everybody_skips_who_is_no_longer_a_guardian(client, committed, world):
    Guardianship.objects.filter(guardian__email="ilse@example.org").delete()
    mail.outbox.clear()
    client.force_login(world.manager.user)

    with committed():
        client.post(url(world.issue), {"action": "everybody"})

    assert delivered_to() == ["marieke@example.org"]
    assert delivery.delivery_counts(world.issue)[Status.SENT] == 2


def test_a_teacher_sees_the_delivery_but_may_not_send(client, committed, world):
    mail.outbox.clear()
    client.force_login(world.teacher.user)

    response = client.get(url(world.issue))
    with committed():
        posts = [
            client.post(url(world.issue), {"action": a}) for a in ("retry", "new", "everybody")
        ]

    assert response.status_code == 200
    assert "Opnieuw versturen aan iedereen" not in response.content.decode()
    assert [post.status_code for post in posts] == [404, 404, 404]
    assert mail.outbox == []


def test_staff_of_another_school_and_parents_get_404(client, world):
    client.force_login(world.other_manager.user)
    assert client.get(url(world.issue)).status_code == 404
    assert client.post(url(world.issue), {"action": "everybody"}).status_code == 404


def test_an_unpublished_issue_shows_nothing_sent_and_sends_nothing(client, committed, world):
    draft = newsletter(world.school, title="Nieuwsbrief januari", live=False)
    client.force_login(world.manager.user)
    mail.outbox.clear()

    page = client.get(url(draft)).content.decode()
    with committed():
        client.post(url(draft), {"action": "everybody"})

    assert "nog niet gepubliceerd" in page
    assert mail.outbox == []


def test_the_issue_page_in_the_admin_links_to_its_delivery(client, world):
    client.force_login(world.manager.user)

    edit = client.get(reverse("wagtailadmin_pages:edit", args=[world.issue.pk]))
    listing = client.get(reverse("wagtailadmin_explore", args=[world.issue.get_parent().pk]))

    assert url(world.issue) in edit.content.decode()
    assert url(world.issue) in listing.content.decode()


def test_an_unsent_issue_has_no_delivery_button(client, world):
    draft = newsletter(world.school, title="Nieuwsbrief januari", live=False)
    client.force_login(world.manager.user)

    edit = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk]))

    assert url(draft) not in edit.content.decode()
