"""A school board writes one mailing to the families of all its schools.

Only who manages every school (the board's office, or a superuser) may choose "alle scholen
van het bestuur" and "het schoolbestuur" as sender, and only they follow such a mailing up:
its delivery and answers name families of schools where a single school's staff do not work.
"""

import pytest
from django.core import mail
from django.urls import reverse

from schoolportal import access
from schoolportal.mailings.models import Audience, Mailing, ReplySlipAnswer, Sender
from schoolportal.people.models import StaffRole
from tests import test_mailings_delivery as mailing_tests
from tests.factories import (
    ReplySlipFieldFactory,
    SchoolFactory,
    StaffMemberFactory,
    UserFactory,
)
from tests.test_mailings_delivery import (
    ADD,
    PUBLISH,
    answers_url,
    confirm_sending,
    delivered_to,
    delivery_url,
    edit_url,
    form_data,
)

pytestmark = pytest.mark.django_db

# Two schools of one board, each with its families and management.
world = mailing_tests.world

EVERY_FAMILY = [
    "ouder.devries@example.org",
    "ouder.jansen@example.org",
    "ouder.linde@example.org",
    "ouder.visser@example.org",
]


@pytest.fixture
def board(world):
    """The board's office: management of both schools."""
    user = UserFactory(email="bestuur@example.org")
    for school in (world.school, world.other_school):
        StaffMemberFactory(school=school, user=user, role=StaffRole.MANAGEMENT)
    return user


def board_form(world, **fields):
    return form_data(
        world.school,
        audience=Audience.EVERY_SCHOOL,
        sender=Sender.BOARD,
        title="Staking donderdag",
        **fields,
    )


def published_board_mailing(client, committed, world, board):
    client.force_login(board)
    with committed():
        response = confirm_sending(client, client.post(ADD, {**board_form(world), **PUBLISH}))
    assert response.status_code == 302
    return Mailing.objects.get(title="Staking donderdag")


def test_one_board_mailing_reaches_every_family_of_every_school_once(
    client,
    committed,
    world,
    board,
):
    mailing = published_board_mailing(client, committed, world, board)

    assert mailing.sent_at is not None
    assert delivered_to() == EVERY_FAMILY
    assert "Van Het schoolbestuur aan alle scholen van het bestuur" in mail.outbox[0].alternatives[
        0
    ][0].replace("\n", " ")


def test_a_parent_of_another_school_reads_the_board_mailing_in_the_portal(
    client,
    committed,
    world,
    board,
):
    mailing = published_board_mailing(client, committed, world, board)
    client.force_login(world.linde.user)

    response = client.get(reverse("mailings:detail", args=[mailing.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Het schoolbestuur" in page
    assert "Alle scholen" in page
    assert world.school.name not in page  # not "from" the school it happens to be filed under


def test_a_manager_of_one_school_is_not_offered_every_school_and_cannot_post_it(
    client,
    world,
):
    client.force_login(world.management.user)

    page = client.get(ADD).content.decode()
    response = client.post(ADD, {**board_form(world), **PUBLISH})

    assert 'value="every_school"' not in page
    assert 'value="board"' not in page
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"audience", "sender"}
    assert not Mailing.objects.filter(title="Staking donderdag").exists()
    assert mail.outbox == []


def test_the_board_is_offered_every_school_in_the_form(client, world, board):
    client.force_login(board)

    page = client.get(ADD).content.decode()

    assert 'value="every_school"' in page
    assert 'value="board"' in page


def test_with_a_single_school_nobody_writes_to_every_school():
    SchoolFactory()
    superuser = UserFactory(email="beheer@example.org", is_superuser=True)

    assert not access.writes_to_every_school(superuser)

    SchoolFactory()
    assert access.writes_to_every_school(superuser)


def test_staff_of_one_school_do_not_follow_up_or_change_a_board_mailing(
    client,
    committed,
    world,
    board,
):
    mailing = published_board_mailing(client, committed, world, board)
    ReplySlipFieldFactory(mailing=mailing)
    ReplySlipAnswer.objects.create(
        mailing=mailing, pupil=world.lotte, answers={"vraag": "Ja"}, answered_by=world.linde.user
    )

    client.force_login(world.management.user)
    refused = [client.get(url).status_code for url in (delivery_url(mailing), answers_url(mailing))]
    editing = client.get(edit_url(mailing)).status_code
    client.force_login(board)
    allowed = [client.get(url).status_code for url in (delivery_url(mailing), answers_url(mailing))]

    assert refused == [404, 404]
    assert editing != 200
    assert allowed == [200, 200]
    assert not access.staff_objects(world.management.user, Mailing).filter(pk=mailing.pk).exists()
    assert not access.staff_objects(world.management.user, ReplySlipAnswer).exists()
    assert access.staff_objects(board, ReplySlipAnswer).count() == 1


def test_a_mailing_of_the_school_itself_is_still_followed_up_by_its_staff(
    client,
    committed,
    world,
):
    client.force_login(world.management.user)
    with committed():
        confirm_sending(
            client,
            client.post(
                ADD,
                {**form_data(world.school, audience=Audience.SCHOOL, sender="school"), **PUBLISH},
            ),
        )
    mailing = Mailing.objects.get(title="Luizencontrole")
    client.force_login(world.teacher3.user)

    assert client.get(delivery_url(mailing)).status_code == 200
    assert access.staff_objects(world.teacher3.user, Mailing).filter(pk=mailing.pk).exists()
