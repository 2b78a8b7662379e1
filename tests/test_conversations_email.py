"""Each party but the sender gets one e-mail per message, through the outbox, exactly once.

The e-mail carries the whole text and the attachments, links to the conversation through
the login, comes from the school's no-reply address under the sender's name, never shows a
staff member's own address to a parent, and says replying by e-mail is not possible.
"""

import email
from email import policy
from email.utils import parseaddr

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schoolportal.conversations import sending
from schoolportal.notifications import outbox
from schoolportal.notifications.models import OutboxMessage
from tests import conversations_world

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 4 + b"\n%%EOF\n"


@pytest.fixture
def world():
    return conversations_world.build()


def mime(message):
    return email.message_from_bytes(message.message().as_bytes(), policy=policy.default)


def text_and_html(message):
    return message.body, message.alternatives[0][0]


def parent_writes(w, committed, body="Emma is morgen bij de tandarts.", files=()):
    with committed():
        return sending.start_conversation(
            school=w.school,
            subject="Tandarts",
            sender=w.jansen,
            recipients=[w.bakker],
            body=body,
            files=files,
        )


def test_every_other_party_gets_one_email_per_message(committed, world):
    with committed():
        first = sending.start_conversation(
            school=world.school,
            subject="Schoolreis",
            sender=world.bakker,
            recipients=[world.jansen, world.jansen_mother],
            body="Emma mag mee.",
        )
    assert sorted(m.to[0] for m in mail.outbox) == [
        "anna@jansen.example.org",
        "peter@jansen.example.org",
    ]
    mail.outbox.clear()
    peter = first.conversation.participants.get(guardian=world.jansen)
    with committed():
        sending.send_message(first.conversation, peter, "Dank u wel!")
    assert sorted(m.to[0] for m in mail.outbox) == [
        "anna@jansen.example.org",
        "bakker@regenboog.example.org",
    ]


def test_a_message_is_emailed_exactly_once_however_often_delivery_runs(committed, world):
    message = parent_writes(world, committed)
    assert len(mail.outbox) == 1
    with committed():
        outbox.deliver_pending(sending.KIND, message.pk)
        outbox.sweep()
    assert len(mail.outbox) == 1
    row = OutboxMessage.objects.get(kind=sending.KIND, cause_id=message.pk)
    assert row.status == OutboxMessage.Status.SENT


def test_the_email_carries_the_whole_text_and_the_attachments(committed, world):
    upload = SimpleUploadedFile("verklaring tandarts.pdf", PDF, "application/pdf")
    body = "Emma is morgen bij de tandarts.\n\nZe is om tien uur terug."
    parent_writes(world, committed, body=body, files=[upload])
    (sent,) = mail.outbox
    text, html = text_and_html(sent)
    assert body in text
    assert "Ze is om tien uur terug." in html
    (attachment,) = sent.attachments
    assert attachment[0] == "verklaring tandarts.pdf"
    assert attachment[1] == PDF
    assert attachment[2] == "application/pdf"


def test_the_email_to_a_parent_comes_from_the_no_reply_address_under_the_staff_name(
    committed, world
):
    with committed():
        sending.start_conversation(
            school=world.school,
            subject="Schoolreis",
            sender=world.bakker,
            recipients=[world.jansen],
            body="Emma mag mee.",
        )
    (sent,) = mail.outbox
    parsed = mime(sent)
    name, address = parseaddr(parsed["From"])
    assert name == "juf Bakker"
    assert address == parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    raw = sent.message().as_string()
    assert "bakker@regenboog.example.org" not in raw
    assert "bakker@regenboog.example.org" not in str(parsed)
    assert parsed["Reply-To"] is None


def test_the_email_says_replying_by_email_is_not_possible_and_links_to_the_conversation(
    committed, world
):
    with committed():
        message = sending.start_conversation(
            school=world.school,
            subject="Schoolreis",
            sender=world.bakker,
            recipients=[world.jansen],
            body="Emma mag mee.",
        )
    text, html = text_and_html(mail.outbox[0])
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "conversations:conversation", args=[message.conversation_id]
    )
    assert link in text
    assert f'href="{link}"' in html
    line = "Antwoorden per e-mail is niet mogelijk: antwoord in Berichten in het ouderportaal."
    assert line in text
    assert line in html


def test_the_email_to_staff_links_to_the_admin_not_the_portal(committed, world):
    message = parent_writes(world, committed)
    text, _html = text_and_html(mail.outbox[0])
    assert reverse("conversations:conversation", args=[message.conversation_id]) not in text
    assert "antwoord in Berichten in de beheeromgeving" in text
    admin = reverse("conversations_admin:conversation", args=[message.conversation_id])
    assert f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{admin}\n" in text


def test_a_guardian_without_a_profile_address_gets_it_at_their_login_address(committed, world):
    world.jansen.email = ""
    world.jansen.save()
    with committed():
        sending.start_conversation(
            school=world.school,
            subject="Schoolreis",
            sender=world.bakker,
            recipients=[world.jansen],
            body="Emma mag mee.",
        )
    assert [m.to for m in mail.outbox] == [["peter@jansen.example.org"]]


def test_the_sender_gets_no_email_and_has_read_their_own_message(committed, world):
    message = parent_writes(world, committed)
    assert [m.to for m in mail.outbox] == [["bakker@regenboog.example.org"]]
    assert message.sender.last_read_at == message.sent_at


def test_a_deleted_conversation_takes_its_files_from_storage(committed, world):
    upload = SimpleUploadedFile("brief.pdf", PDF, "application/pdf")
    message = parent_writes(world, committed, files=[upload])
    stored = message.attachments.get().file
    assert stored.storage.exists(stored.name)
    with committed():
        message.conversation.delete()
    assert not stored.storage.exists(stored.name)


def test_a_parent_whose_address_changed_before_sending_still_gets_the_portal_link(
    django_capture_on_commit_callbacks, world
):
    with django_capture_on_commit_callbacks(execute=False):
        message = sending.start_conversation(
            school=world.school,
            subject="Schoolreis",
            sender=world.bakker,
            recipients=[world.jansen],
            body="Emma mag mee.",
        )
    world.jansen.email = "nieuw@jansen.example.org"
    world.jansen.save()
    outbox.deliver_pending(sending.KIND, message.pk)
    (sent,) = mail.outbox
    assert sent.to == ["peter@jansen.example.org"]  # as queued
    assert reverse("conversations:conversation", args=[message.conversation_id]) in sent.body
