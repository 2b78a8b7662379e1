"""The e-mail register (wagtail-modeladmin, snippets/registers.py): management and
administration look up whether a parent of their school got an e-mail; nobody changes a row,
and no school reads another's."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from schoolportal.mailings import delivery
from schoolportal.mailings.models import ReplySlipReminder
from schoolportal.notifications import outbox
from schoolportal.notifications.models import OutboxMessage
from schoolportal.people.models import StaffRole
from tests.factories import (
    GroupFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    UserFactory,
    parent_of,
    send_mailing,
)

pytestmark = pytest.mark.django_db

URL_NAME = "notifications_outboxmessage_modeladmin_{}"
INDEX = reverse(URL_NAME.format("index"))


def url(action, row=None):
    return reverse(URL_NAME.format(action), args=[] if row is None else [row.pk])


def build_school(name, parent_email):
    school = SchoolFactory(name=f"Basisschool {name}")
    group = GroupFactory(school_year__school=school)
    parent_of(PupilFactory(group=group), user=UserFactory(email=parent_email))
    mailing = send_mailing([group], title=f"Schoolreis {name}")
    return SimpleNamespace(
        school=school,
        mailing=mailing,
        row=OutboxMessage.objects.get(kind=delivery.MAILING, cause_id=mailing.pk),
        manager=StaffMemberFactory(school=school, role=StaffRole.MANAGEMENT),
        teacher=StaffMemberFactory(school=school, role=StaffRole.TEACHER),
    )


@pytest.fixture
def world():
    own = build_school("Het Anker", "ouder.anker@example.org")
    far = build_school("De Linde", "ouder.linde@example.org")
    reminder = ReplySlipReminder.objects.create(mailing=own.mailing)
    outbox.queue(delivery.REMINDER, reminder.pk, [("herinnerd.anker@example.org", None)])
    # A kind no school's mailing caused (an account e-mail, say): nobody's but a superuser's.
    OutboxMessage.objects.create(
        kind="account", cause_id=own.mailing.pk, recipient_email="los@example.org"
    )
    return SimpleNamespace(own=own, far=far)


def refused(response):
    """Wagtail answers a PermissionDenied in the admin with a redirect to the admin's home."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def listing(client, user, **query):
    client.force_login(user)
    response = client.get(INDEX, query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", [StaffRole.MANAGEMENT, StaffRole.ADMINISTRATION])
def test_the_school_office_sees_its_own_schools_e_mails_only(client, world, role):
    office = StaffMemberFactory(school=world.own.school, role=role)

    shown = listing(client, office.user)

    assert "ouder.anker@example.org" in shown
    assert "Schoolreis Het Anker" in shown
    assert "herinnerd.anker@example.org" in shown  # a reminder about the school's mailing
    assert "herinnering" in shown
    assert "ouder.linde@example.org" not in shown
    assert "De Linde" not in shown
    assert "los@example.org" not in shown  # of no school


def test_a_superuser_sees_every_e_mail(client, world):
    shown = listing(client, UserFactory(is_superuser=True))

    for address in ("ouder.anker@example.org", "ouder.linde@example.org", "los@example.org"):
        assert address in shown


def test_searching_finds_an_address_or_a_mailing_within_the_school(client, world):
    manager = world.own.manager.user

    assert "ouder.anker@example.org" in listing(client, manager, q="ouder.anker")
    assert "ouder.anker@example.org" in listing(client, manager, q="Schoolreis")
    assert "ouder.linde@example.org" not in listing(client, manager, q="ouder.linde")
    assert "ouder.linde@example.org" not in listing(client, manager, q="Linde")


def test_the_status_filter_narrows_the_list(client, world):
    OutboxMessage.objects.filter(pk=world.own.row.pk).update(
        status=OutboxMessage.Status.FAILED, last_error="mailbox full"
    )

    failed = listing(client, world.own.manager.user, status=OutboxMessage.Status.FAILED)

    assert "ouder.anker@example.org" in failed
    assert "mailbox full" in failed
    assert "herinnerd.anker@example.org" not in failed


def test_the_listing_costs_the_same_for_one_row_or_many(client, world):
    manager = world.own.manager.user
    listing(client, manager)  # the session and Wagtail's per-process lookups

    def queries():
        with CaptureQueriesContext(connection) as captured:
            listing(client, manager)
        return len(captured)

    few = queries()
    outbox.queue(
        delivery.MAILING,
        world.own.mailing.pk,
        [(f"ouder{n}.anker@example.org", None) for n in range(20)],
    )

    assert queries() == few


def test_teachers_and_parents_are_refused(client, world):
    client.force_login(world.own.teacher.user)
    teacher = client.get(INDEX)
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(UserFactory(email="ouder.anker@example.org"))
    parent = client.get(INDEX)

    assert refused(teacher)
    assert INDEX not in menu
    assert parent.status_code == 302  # to the login page: a parent never reaches the admin
    assert parent["Location"].startswith(reverse("wagtailadmin_login"))


def test_the_menu_offers_the_register_to_management(client, world):
    client.force_login(world.own.manager.user)

    assert INDEX in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.parametrize("reader", ["manager", "superuser"])
def test_nobody_adds_changes_or_deletes_a_row(client, world, reader):
    user = world.own.manager.user if reader == "manager" else UserFactory(is_superuser=True)
    client.force_login(user)
    row = world.own.row

    responses = [
        client.get(url("create")),
        client.get(url("edit", row)),
        client.get(url("delete", row)),
        client.post(url("edit", row), {"recipient_email": "ander@example.org"}),
        client.post(url("delete", row)),
    ]

    assert all(refused(response) for response in responses)
    assert OutboxMessage.objects.get(pk=row.pk).recipient_email == "ouder.anker@example.org"
    shown = listing(client, user)
    assert url("edit", row) not in shown
    assert url("delete", row) not in shown


@pytest.mark.parametrize("action", ["inspect", "history"])
def test_the_register_has_no_views_of_one_row(action):
    with pytest.raises(NoReverseMatch):
        reverse(URL_NAME.format(action), args=[1])


def test_another_schools_row_is_not_shown_through_its_id(client, world):
    client.force_login(world.own.manager.user)

    for action in ("edit", "delete"):
        response = client.get(url(action, world.far.row))
        assert refused(response)
        assert "ouder.linde@example.org" not in response.content.decode()
