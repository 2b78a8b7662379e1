"""The demo school has Berichten to show: the Jansens with juf Bakker (one message unread
for Marieke) and the directie with the De Vries family; loading it again adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from schoolportal import access
from schoolportal.conversations.models import Conversation, Message
from schoolportal.notifications.models import OutboxMessage
from schoolportal.people.models import Guardian

pytestmark = pytest.mark.django_db


def parties(conversation):
    return {party.display_name for party in conversation.participants.all()}


def test_the_jansens_talk_with_juf_bakker_and_marieke_has_one_unread_message(demo_school):
    conversation = Conversation.objects.get(subject="Emma naar de tandarts")
    assert parties(conversation) == {"Marieke Jansen", "Peter Jansen", "juf Bakker"}
    marieke = Guardian.objects.get(email="ouder.jansen@example.org")
    assert access.unread_messages(marieke.user, access.GUARDIAN_ROLE).count() == 1

    client = Client()
    client.force_login(marieke.user)
    page = client.get(reverse("conversations:index")).content.decode()
    assert "Emma naar de tandarts" in page
    assert "mailing-row--unread" in page


def test_the_directie_talks_with_the_de_vries_family(demo_school):
    conversation = Conversation.objects.get(subject="Kennismakingsgesprek")
    assert parties(conversation) == {"Karin Smit (directeur)", "Annelies de Vries"}
    assert conversation.messages.count() == 2
    annelies = Guardian.objects.get(email="ouder.devries@example.org")
    assert access.unread_messages(annelies.user, access.GUARDIAN_ROLE).count() == 0


def test_loading_the_demo_again_adds_no_conversation_and_sends_nothing(demo_school):
    before = (Conversation.objects.count(), Message.objects.count())
    call_command("demo", stdout=StringIO())
    assert (Conversation.objects.count(), Message.objects.count()) == before
    assert not OutboxMessage.objects.exists()
