"""Issue #20, a guardian's deletion request: management or administration reads a preview of
what is removed, what is kept without the parent's name and what the school keeps (and
why), then carries it out in one action; the privacy log records it without a name."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from schoolportal.absences.models import AbsenceReport, Reason
from schoolportal.accounts.models import User
from schoolportal.consent.models import ConsentChange, ConsentChannel, ConsentUse
from schoolportal.conversations.models import Conversation, Message, Participant
from schoolportal.mailings.models import ReplySlipAnswer
from schoolportal.notifications.models import OutboxMessage
from schoolportal.people.contacts import Babysitter
from schoolportal.people.models import Guardian, StaffRole
from schoolportal.privacy.models import PrivacyLogEntry
from tests.factories import (
    GroupFactory,
    MailingFactory,
    PupilFactory,
    StaffMemberFactory,
    parent_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    group = GroupFactory()
    school = group.school
    emma = PupilFactory(group=group, first_name="Emma")
    parent = parent_of(emma, first_name="Marieke", last_name="Jansen")
    co_parent = parent_of(emma, first_name="Peter", last_name="Jansen")
    teacher = StaffMemberFactory(school=school, role=StaffRole.TEACHER, display_name="juf Bakker")
    management = StaffMemberFactory(school=school, role=StaffRole.MANAGEMENT)
    administration = StaffMemberFactory(school=school, role=StaffRole.ADMINISTRATION)
    talk = Conversation.objects.create(school=school, subject="Over Emma")
    own = Participant.objects.create(conversation=talk, guardian=parent)
    staff = Participant.objects.create(conversation=talk, staff_member=teacher)
    Message.objects.create(conversation=talk, sender=own, body="Emma is allergisch voor noten")
    Message.objects.create(conversation=talk, sender=staff, body="Afgesproken: geen traktaties")
    ReplySlipAnswer.objects.create(
        mailing=MailingFactory(school=school), pupil=emma, answered_by=parent.user
    )
    AbsenceReport.objects.create(
        pupil=emma,
        school=school,
        group=group,
        reason=Reason.ILLNESS,
        first_day=timezone.localdate(),
        reported_by_user=parent.user,
    )
    ConsentChange.objects.create(
        pupil=emma,
        use=ConsentUse.GROUP_PAGE,
        new_value=True,
        changed_by=parent.user,
        changed_by_name="Marieke Jansen",
        channel=ConsentChannel.PORTAL,
    )
    Babysitter.objects.create(guardian=parent, name="Oma Jansen", phone="06-11111111")
    OutboxMessage.objects.create(
        kind="test", cause_id=1, recipient_email=parent.email, recipient_user=parent.user
    )
    return {
        "school": school,
        "emma": emma,
        "parent": parent,
        "co_parent": co_parent,
        "teacher": teacher,
        "management": management,
        "administration": administration,
        "talk": talk,
    }


def url(guardian):
    return reverse("privacy_deletion", args=[guardian.pk])


def test_the_preview_lists_what_goes_what_stays_anonymous_and_what_the_school_keeps(
    client, world, django_assert_max_num_queries
):
    client.force_login(world["management"].user)

    with django_assert_max_num_queries(40):
        response = client.get(url(world["parent"]))

    assert response.status_code == 200
    text = response.content.decode()
    for heading in (
        "Wordt verwijderd",
        "Blijft bewaard zonder naam van de ouder",
        "Blijft bewaard",
    ):
        assert heading in text
    assert "Leerplichtwet 1969" in text
    assert "AVG artikel 7" in text
    assert "Wet op het primair onderwijs" in text
    sections = dict(response.context["sections"])
    counts = {part.key: count for rows in sections.values() for part, count in rows}
    assert counts["messages"] == 1
    assert counts["staff_messages"] == 1
    assert counts["reply_slip_answers"] == 1
    assert counts["absences"] == 1
    assert counts["babysitters"] == 1
    assert counts["account"] == 1
    assert Guardian.objects.get(pk=world["parent"].pk).first_name == "Marieke"


def test_carrying_out_the_request_removes_and_anonymises_in_one_action(client, world):
    parent = world["parent"]
    user_id, email = parent.user_id, parent.email
    client.force_login(world["administration"].user)

    response = client.post(
        url(parent), {"received_on": timezone.localdate().isoformat(), "confirm": "on"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("privacy_log")
    parent.refresh_from_db()
    assert parent.full_name == "Verwijderde ouder"
    assert (parent.email, parent.phone, parent.mobile_phone, parent.street) == ("", "", "", "")
    assert not User.objects.filter(pk=user_id).exists()
    assert not parent.guardianships.exists()
    assert not Babysitter.objects.filter(guardian=parent).exists()
    assert not OutboxMessage.objects.filter(recipient_email=email).exists()
    assert not OutboxMessage.objects.filter(kind="test").exists()
    bodies = list(Message.objects.filter(conversation=world["talk"]).values_list("body", flat=True))
    assert "Emma is allergisch voor noten" not in bodies
    assert "Afgesproken: geen traktaties" in bodies
    assert Participant.objects.get(conversation=world["talk"], guardian=parent).display_name == (
        "Verwijderde ouder"
    )
    answer = ReplySlipAnswer.objects.get()
    assert answer.answered_by is None
    assert AbsenceReport.objects.get().reported_by_user is None
    assert ConsentChange.objects.get().changed_by_name == "Verwijderde ouder"
    co_parent = Guardian.objects.get(pk=world["co_parent"].pk)
    assert co_parent.user_id and co_parent.guardianships.exists()
    assert world["emma"].__class__.objects.filter(pk=world["emma"].pk).exists()


def test_the_log_records_the_request_by_number_without_a_name(client, world):
    parent = world["parent"]
    client.force_login(world["management"].user)
    received = timezone.localdate() - timedelta(days=3)

    client.post(url(parent), {"received_on": received.isoformat(), "confirm": "on"})

    entry = PrivacyLogEntry.objects.get()
    assert entry.action == PrivacyLogEntry.Action.DELETION
    assert entry.school == world["school"]
    assert entry.handled_by == world["management"].user
    assert entry.received_on == received
    assert entry.subject == f"Ouder nr. {parent.pk}"
    assert entry.counts["messages"] == 1 and entry.counts["account"] == 1
    log = client.get(reverse("privacy_log")).content.decode()
    assert f"Ouder nr. {parent.pk}" in log
    assert "Marieke" not in log


def test_without_confirmation_nothing_is_removed_and_the_form_says_why(client, world):
    client.force_login(world["management"].user)

    response = client.post(url(world["parent"]), {"received_on": "", "confirm": ""})

    assert response.status_code == 200
    text = response.content.decode()
    assert "Vink aan dat u het overzicht heeft gelezen." in text
    assert "Vul in op welke dag het verzoek binnenkwam." in text
    assert Guardian.objects.get(pk=world["parent"].pk).first_name == "Marieke"
    assert not PrivacyLogEntry.objects.exists()


def test_a_request_received_in_the_future_is_refused(client, world):
    client.force_login(world["management"].user)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(
        url(world["parent"]), {"received_on": tomorrow.isoformat(), "confirm": "on"}
    )

    assert "Deze datum ligt in de toekomst." in response.content.decode()
    assert Guardian.objects.get(pk=world["parent"].pk).user_id


def test_a_teacher_may_not_handle_a_request(client, world):
    client.force_login(world["teacher"].user)

    assert client.get(url(world["parent"])).status_code == 404
    assert client.post(url(world["parent"]), {"confirm": "on"}).status_code == 404
    assert client.get(reverse("privacy_log")).status_code == 404
    assert Guardian.objects.get(pk=world["parent"].pk).user_id


def test_management_of_another_school_gets_404(client, world):
    other = StaffMemberFactory(role=StaffRole.MANAGEMENT)
    client.force_login(other.user)

    assert client.get(url(world["parent"])).status_code == 404
    assert client.post(url(world["parent"]), {"confirm": "on"}).status_code == 404


def test_a_guardian_with_a_child_at_another_school_is_not_one_schools_to_erase(client, world):
    PupilFactory().guardianships.create(guardian=world["parent"])
    client.force_login(world["management"].user)

    assert client.get(url(world["parent"])).status_code == 404


def test_the_guardian_listing_offers_the_request_to_management_only(client, world):
    listing = reverse("wagtailsnippets_people_guardian:list")
    client.force_login(world["management"].user)
    assert url(world["parent"]) in client.get(listing).content.decode()

    client.force_login(world["teacher"].user)
    response = client.get(listing)
    assert response.status_code == 302  # a teacher has no parents' listing at all
    assert url(world["parent"]) not in response.content.decode()


def test_the_parents_reactions_go_with_the_request_and_the_co_parents_stay(client, world):
    from schoolportal.reactions.models import PostFollower, Reaction
    from tests.factories import blog_post, group_page

    post = blog_post(group_page(world["emma"].group))
    parent, co_parent = world["parent"], world["co_parent"]
    for guardian, text in ((parent, "Wat leuk!"), (co_parent, "Mooi gedaan")):
        Reaction.objects.create(
            post=post, author=guardian.user, author_name=guardian.full_name, text=text
        )
    PostFollower.objects.create(post=post, user=parent.user)
    client.force_login(world["management"].user)

    preview = client.get(url(parent))
    counts = {
        part.key: count
        for rows in dict(preview.context["sections"]).values()
        for part, count in rows
    }
    client.post(url(parent), {"received_on": timezone.localdate().isoformat(), "confirm": "on"})

    assert counts["reactions"] == 1
    assert list(Reaction.objects.values_list("text", flat=True)) == ["Mooi gedaan"]
    assert not PostFollower.objects.exists()
