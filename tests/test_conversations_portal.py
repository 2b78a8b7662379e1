"""Berichten in the parent portal: inbox, sent, a conversation, a new message.

A parent writes only to staff of their children's schools, reads only their own
conversations (404 otherwise) and is asked to wait after too many messages in an hour;
whatever they typed comes back with every error.
"""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from schoolportal.conversations import sending
from schoolportal.conversations.models import Conversation, Message
from tests import conversations_world
from tests.factories import GuardianshipFactory, UserFactory, send_mailing

pytestmark = pytest.mark.django_db

INDEX = reverse("conversations:index")
SENT = reverse("conversations:sent")
COMPOSE = reverse("conversations:compose")
SUGGEST = reverse("conversations:suggestions")
PDF = b"%PDF-1.4\nbrief\n%%EOF\n"


@pytest.fixture
def world():
    return conversations_world.build()


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def conversation_url(conversation):
    return reverse("conversations:conversation", args=[conversation.pk])


def staff_writes(w, to, subject="Schoolreis", body="Emma mag mee.", files=(), sender=None):
    return sending.start_conversation(
        school=w.school,
        subject=subject,
        sender=sender or w.bakker,
        recipients=to,
        body=body,
        files=files,
    )


def compose_data(w, **overrides):
    data = {
        "recipients": [str(w.bakker.pk)],
        "subject": "Tandarts",
        "body": "Emma is morgen om tien uur bij de tandarts.",
    }
    data.update(overrides)
    return data


# --- Menu, inbox, sent ------------------------------------------------------------------------


def test_the_menu_shows_berichten_with_the_number_of_unread_messages(world, committed):
    client = client_for(world.jansen.user)
    with committed():
        staff_writes(world, [world.jansen])
        staff_writes(world, [world.jansen], subject="Luizen", sender=world.director)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert f'href="{INDEX}"' in page
    assert 'Berichten <span class="badge badge--new">2<span' in page

    conversation = Conversation.objects.get(subject="Luizen")
    with committed():
        client.get(conversation_url(conversation))
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert 'Berichten <span class="badge badge--new">1<span' in page


def test_a_new_message_shows_in_the_menu_of_a_page_cached_before_it(world, committed):
    client = client_for(world.jansen.user)
    dashboard = reverse("portal:dashboard")
    client.get(dashboard)
    client.get(dashboard)  # now kept in the page cache
    with committed():
        staff_writes(world, [world.jansen])
    assert 'badge--new">1<span' in client.get(dashboard).content.decode()


def test_the_inbox_lists_conversations_newest_first_with_unread_ones_marked(world):
    old = staff_writes(world, [world.jansen], subject="Oud bericht").conversation
    Conversation.objects.filter(pk=old.pk).update(
        last_message_at=timezone.now() - timedelta(days=2)
    )
    staff_writes(world, [world.jansen], subject="Nieuw bericht")
    jansen = old.participants.get(guardian=world.jansen)
    sending.mark_read(jansen)

    page = client_for(world.jansen.user).get(INDEX).content.decode()

    assert page.index("Nieuw bericht") < page.index("Oud bericht")
    newest_row = page[page.index("Nieuw bericht") - 400 : page.index("Nieuw bericht")]
    oldest_row = page[page.index("Oud bericht") - 400 : page.index("Oud bericht")]
    assert "mailing-row--unread" in newest_row
    assert "mailing-row--unread" not in oldest_row
    assert "juf Bakker" in page


def test_the_inbox_shows_only_the_parents_own_conversations(world):
    staff_writes(world, [world.de_vries], subject="Voor De Vries")
    page = client_for(world.jansen.user).get(INDEX).content.decode()
    assert "Voor De Vries" not in page
    assert "U heeft nog geen berichten." in page


def test_sent_lists_the_parents_own_messages_newest_first(world):
    client = client_for(world.jansen.user)
    client.post(COMPOSE, compose_data(world, subject="Eerste"))
    client.post(COMPOSE, compose_data(world, subject="Tweede"))
    page = client.get(SENT).content.decode()
    assert page.index("Tweede") < page.index("Eerste")
    assert "aan juf Bakker" in page


# --- A conversation ------------------------------------------------------------------------


def test_a_conversation_shows_the_whole_thread_and_marks_it_read(world):
    first = staff_writes(world, [world.jansen], body="Emma mag mee.")
    conversation = first.conversation
    jansen = conversation.participants.get(guardian=world.jansen)
    sending.send_message(conversation, jansen, "Fijn, dank u wel!")
    bakker = conversation.participants.get(staff_member=world.bakker)
    sending.send_message(conversation, bakker, "Graag gedaan.")

    page = client_for(world.jansen.user).get(conversation_url(conversation)).content.decode()

    assert page.index("Emma mag mee.") < page.index("Fijn, dank u wel!") < page.index("Graag")
    assert "Bericht verzenden" in page
    jansen.refresh_from_db()
    assert jansen.last_read_at is not None


def test_a_parent_replies_in_the_conversation_and_staff_get_an_email(world, committed):
    conversation = staff_writes(world, [world.jansen]).conversation
    client = client_for(world.jansen.user)
    mail.outbox.clear()
    with committed():
        response = client.post(conversation_url(conversation), {"body": "Prima!"})
    assert response.status_code == 302
    assert conversation.messages.last().body == "Prima!"
    assert [m.to for m in mail.outbox] == [["bakker@regenboog.example.org"]]


def test_another_familys_conversation_answers_404(world):
    conversation = staff_writes(world, [world.de_vries]).conversation
    client = client_for(world.jansen.user)
    assert client.get(conversation_url(conversation)).status_code == 404
    assert client.post(conversation_url(conversation), {"body": "Hallo"}).status_code == 404
    assert conversation.messages.count() == 1


def test_a_staff_member_does_not_read_conversations_in_the_portal(world):
    conversation = staff_writes(world, [world.jansen]).conversation
    response = client_for(world.director.user).get(conversation_url(conversation))
    assert response.status_code in (302, 404)
    assert b"Emma mag mee." not in response.content


def test_attachments_download_for_parties_only(world):
    upload = SimpleUploadedFile("brief.pdf", PDF, "application/pdf")
    message = staff_writes(world, [world.jansen], files=[upload])
    attachment = message.attachments.get()
    url = reverse("conversations:attachment", args=[message.conversation_id, attachment.pk])

    response = client_for(world.jansen.user).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")

    assert client_for(world.de_vries.user).get(url).status_code == 404
    other = staff_writes(world, [world.de_vries]).conversation
    wrong_conversation = reverse("conversations:attachment", args=[other.pk, attachment.pk])
    assert client_for(world.de_vries.user).get(wrong_conversation).status_code == 404


# --- Opstellen ---------------------------------------------------------------------------------


def test_compose_lists_the_childs_school_staff_by_school_with_role_and_groups(world):
    page = client_for(world.jansen.user).get(COMPOSE).content.decode()
    assert '<optgroup label="Basisschool De Regenboog">' in page
    assert "juf Bakker – leerkracht groep 3" in page
    assert "meester De Boer – directie" in page
    assert "meester Smit" not in page
    assert "bakker@regenboog.example.org" not in page
    assert "Bericht verzenden" in page
    assert "recipient-combobox.js" in page


def test_compose_preselects_a_staff_member_from_the_link(world):
    url = f"{COMPOSE}?aan={world.director.pk}&aan={world.smit.pk}"
    form = client_for(world.jansen.user).get(url).context["form"]
    assert form.initial["recipients"] == [str(world.director.pk)]


def test_sending_a_new_message_starts_a_conversation_with_the_chosen_staff(world, committed):
    client = client_for(world.jansen.user)
    upload = SimpleUploadedFile("verklaring.pdf", PDF, "application/pdf")
    data = compose_data(world, recipients=[str(world.bakker.pk), str(world.director.pk)])
    with committed():
        response = client.post(COMPOSE, {**data, "attachments": [upload]})
    conversation = Conversation.objects.get(subject="Tandarts")
    assert response.status_code == 302
    assert response["Location"] == conversation_url(conversation)
    assert conversation.school == world.school
    assert {p.display_name for p in conversation.participants.all()} == {
        "Peter Jansen",
        "juf Bakker",
        "meester De Boer",
    }
    assert conversation.messages.get().attachments.get().name == "verklaring.pdf"
    assert sorted(m.to[0] for m in mail.outbox) == [
        "bakker@regenboog.example.org",
        "directie@regenboog.example.org",
    ]


@pytest.mark.parametrize("who", ["guardian", "other_school_staff", "unknown"])
def test_a_recipient_outside_the_childs_school_staff_is_refused_with_the_text_kept(world, who):
    value = {
        "guardian": str(world.de_vries.pk),
        "other_school_staff": str(world.smit.pk),
        "unknown": "999999",
    }[who]
    response = client_for(world.jansen.user).post(COMPOSE, compose_data(world, recipients=[value]))
    page = response.content.decode()
    assert response.status_code == 400
    assert "U kunt alleen een bericht sturen aan medewerkers van de school van uw kind." in page
    assert "Emma is morgen om tien uur bij de tandarts." in page
    assert 'value="Tandarts"' in page
    assert not Message.objects.exists()


def test_a_guardian_id_equal_to_a_staff_id_still_reaches_only_that_staff_member(world):
    # Values are staff ids only: a number is never read as a guardian.
    client_for(world.jansen.user).post(COMPOSE, compose_data(world))
    conversation = Conversation.objects.get()
    assert not conversation.participants.filter(guardian=world.de_vries).exists()


def test_more_messages_than_the_hourly_limit_are_refused_with_the_text_kept(world, settings):
    settings.CONVERSATION_MESSAGES_PER_HOUR = 2
    client = client_for(world.jansen.user)
    for subject in ("Een", "Twee"):
        assert client.post(COMPOSE, compose_data(world, subject=subject)).status_code == 302

    response = client.post(COMPOSE, compose_data(world, subject="Drie"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "al 2 berichten verstuurd" in page
    assert 'value="Drie"' in page
    assert "Emma is morgen om tien uur bij de tandarts." in page
    assert Message.objects.count() == 2

    conversation = Conversation.objects.first()
    response = client.post(conversation_url(conversation), {"body": "Nog iets"})
    assert response.status_code == 400
    assert "Nog iets" in response.content.decode()


def test_an_attachment_of_a_refused_type_is_refused_with_the_text_kept(world):
    upload = SimpleUploadedFile("script.html", b"<script>", "text/html")
    response = client_for(world.jansen.user).post(
        COMPOSE, {**compose_data(world), "attachments": [upload]}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Bestanden van het type .html kunnen niet worden meegestuurd." in page
    assert "Emma is morgen om tien uur bij de tandarts." in page


def test_attachments_together_over_the_limit_are_refused(world, settings):
    settings.MAILING_ATTACHMENT_MAX_SIZE = 30
    uploads = [SimpleUploadedFile(f"{n}.pdf", PDF, "application/pdf") for n in range(2)]
    response = client_for(world.jansen.user).post(
        COMPOSE, {**compose_data(world), "attachments": uploads}
    )
    assert response.status_code == 400
    assert not Message.objects.exists()


def test_staff_of_two_schools_in_one_message_are_refused(world):
    GuardianshipFactory(guardian=world.jansen, pupil=world.tim)
    response = client_for(world.jansen.user).post(
        COMPOSE, compose_data(world, recipients=[str(world.bakker.pk), str(world.smit.pk)])
    )
    assert response.status_code == 400
    assert "één school" in response.content.decode()


# --- Suggestions -------------------------------------------------------------------------------


def test_suggestions_answer_with_own_school_staff_labels_and_values_only(world):
    response = client_for(world.jansen.user).get(SUGGEST, {"q": "bak"})
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "results": [{"value": str(world.bakker.pk), "label": "juf Bakker – leerkracht groep 3"}]
    }
    everybody = client_for(world.jansen.user).get(SUGGEST, {"q": "e"}).content.decode()
    assert "meester Smit" not in everybody
    assert "@" not in everybody
    assert "030" not in everybody


def test_suggestions_are_for_logged_in_parents_only(world):
    anonymous = Client().get(SUGGEST, {"q": "bak"})
    assert anonymous.status_code == 302
    assert "bakker" not in anonymous.content.decode().lower()
    nobody = client_for(UserFactory()).get(SUGGEST, {"q": "bak"})
    assert nobody.status_code == 404
    staff = client_for(world.smit.user).get(SUGGEST, {"q": "bak"})
    assert b"Bakker" not in staff.content


def test_suggestions_are_rate_limited(world):
    client = client_for(world.jansen.user)
    statuses = [client.get(SUGGEST, {"q": "bak"}).status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60
    assert statuses[60] == 429


# --- From a mailing to Opstellen -------------------------------------------------------------


def test_a_teachers_mailing_links_to_opstellen_with_the_teacher_chosen(world, committed):
    with committed():
        mailing = send_mailing([world.group], title="Schoolreis", sender="teacher")
    link = f"{COMPOSE}?aan={world.bakker.pk}"
    page = client_for(world.jansen.user).get(reverse("mailings:detail", args=[mailing.pk]))
    assert f'<a href="{link}">Bericht aan juf Bakker opstellen</a>' in page.content.decode()
    (sent,) = [m for m in mail.outbox if m.to == ["peter@jansen.example.org"]]
    assert link in sent.body
    assert f'href="http://testserver{link}"' in sent.alternatives[0][0]
    form = client_for(world.jansen.user).get(link).context["form"]
    assert form.initial["recipients"] == [str(world.bakker.pk)]


def test_a_school_mailing_links_to_opstellen_without_a_choice(world, committed):
    with committed():
        mailing = send_mailing([world.group], title="Studiedag")
    page = client_for(world.jansen.user).get(reverse("mailings:detail", args=[mailing.pk]))
    assert f'<a href="{COMPOSE}">Bericht opstellen</a>' in page.content.decode()
    (sent,) = [m for m in mail.outbox if m.to == ["peter@jansen.example.org"]]
    assert f"Bericht opstellen: http://testserver{COMPOSE}\n" in sent.body
    index = client_for(world.jansen.user).get(reverse("mailings:index")).content.decode()
    assert f'<a href="{COMPOSE}">Bericht opstellen</a>' in index
