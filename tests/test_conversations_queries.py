"""The inbox, sent messages and a conversation cost the same number of queries whatever the
number of conversations or messages: parties, senders and attachments come in one query
each, never one per row."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schoolportal.conversations import sending
from tests import conversations_world

pytestmark = pytest.mark.django_db

# The session is a query without Redis (Django's db engine); with Redis (cached_db) it comes
# from there.
SESSION_QUERIES = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
# The session, the user (with their guardian profile), the data version (the parent's
# schools and the menu's unread count are kept in the cache after the first view), then
# the page's own: the count for the pager, the rows, their parties.
INBOX_QUERIES = SESSION_QUERIES + 5
# The session, the user, the data version; the parent's row in the conversation, the
# messages, their attachments, the parties (a second view has nothing new to mark read).
CONVERSATION_QUERIES = SESSION_QUERIES + 6


@pytest.fixture
def world():
    return conversations_world.build()


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def conversations(w, count):
    for number in range(count):
        staff = (w.bakker, w.director)[number % 2]
        upload = SimpleUploadedFile(f"brief{number}.pdf", b"%PDF-1.4", "application/pdf")
        sending.start_conversation(
            school=w.school,
            subject=f"Gesprek {number}",
            sender=staff,
            recipients=[w.jansen, w.jansen_mother],
            body="Hallo",
            files=[upload],
        )


def thread(w, count):
    first = sending.start_conversation(
        school=w.school, subject="Lang gesprek", sender=w.bakker, recipients=[w.jansen], body="1"
    )
    conversation = first.conversation
    parties = list(conversation.participants.all())
    for number in range(count - 1):
        upload = SimpleUploadedFile(f"{number}.pdf", b"%PDF-1.4", "application/pdf")
        sending.send_message(conversation, parties[number % 2], f"Bericht {number}", [upload])
    return conversation


def queries(client, url):
    client.get(url)  # the first view fills what is kept per version and per user
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("count", [1, 25])
def test_the_inbox_makes_a_fixed_number_of_queries(world, count):
    conversations(world, count)
    client = client_for(world.jansen.user)
    assert queries(client, reverse("conversations:index")) == INBOX_QUERIES


@pytest.mark.parametrize("count", [1, 25])
def test_sent_messages_make_a_fixed_number_of_queries(world, count):
    conversations(world, count)
    for conversation in world.jansen.conversation_participations.all():
        sending.send_message(conversation.conversation, conversation, "Dank u!")
    client = client_for(world.jansen.user)
    assert queries(client, reverse("conversations:sent")) == INBOX_QUERIES + 1


@pytest.mark.parametrize("count", [2, 40])
def test_a_conversation_makes_a_fixed_number_of_queries_whatever_its_length(world, count):
    conversation = thread(world, count)
    client = client_for(world.jansen.user)
    url = reverse("conversations:conversation", args=[conversation.pk])
    assert queries(client, url) == CONVERSATION_QUERIES
