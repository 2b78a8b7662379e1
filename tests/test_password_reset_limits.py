"""Password-reset requests are limited per address and per client, without saying so."""

import pytest
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET_URL = "/account/wachtwoord-vergeten/"
LOGIN_URL = "/account/inloggen/"
RESET_REQUESTED = "Als er een account bij dit e-mailadres hoort, ontvangt u binnen enkele minuten"


def request_reset(client, committed, email, address):
    with committed():
        return client.post(RESET_URL, {"email": email}, REMOTE_ADDR=address, follow=True)


def messages_shown(response):
    return [str(message) for message in response.context["messages"]]


def test_three_reset_emails_an_hour_per_address_however_it_is_written(client, committed):
    user = UserFactory(email="ouder@example.org")
    spellings = [
        "ouder@example.org",
        "Ouder@Example.org",
        " OUDER@example.org",
        "ouder@example.org ",
    ]

    responses = [
        request_reset(client, committed, email, f"10.20.0.{n}") for n, email in enumerate(spellings)
    ]

    assert [message.to for message in mail.outbox] == [[user.email]] * 3
    assert {tuple(r.redirect_chain) for r in responses} == {((LOGIN_URL, 302),)}
    assert all(messages_shown(r) == messages_shown(responses[0]) for r in responses)
    assert RESET_REQUESTED in messages_shown(responses[-1])[0]


def test_one_client_address_gets_at_most_ten_reset_emails_an_hour(client, committed, settings):
    users = [UserFactory() for _ in range(12)]

    responses = [request_reset(client, committed, user.email, "10.21.0.1") for user in users]
    elsewhere = request_reset(client, committed, users[-1].email, "10.21.0.2")

    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_CLIENT + 1
    assert mail.outbox[-1].to == [users[-1].email]
    assert all(messages_shown(r) == messages_shown(elsewhere) for r in responses)


def test_a_limited_request_answers_like_one_for_an_unknown_address(client, committed):
    UserFactory(email="ouder@example.org")
    for n in range(3):
        request_reset(client, committed, "ouder@example.org", f"10.22.0.{n}")
    mail.outbox.clear()

    limited = request_reset(client, committed, "ouder@example.org", "10.22.1.1")
    unknown = request_reset(client, committed, "niemand@example.org", "10.22.1.2")

    assert mail.outbox == []
    assert limited.status_code == unknown.status_code == 200
    assert limited.redirect_chain == unknown.redirect_chain
    assert messages_shown(limited) == messages_shown(unknown)


def test_requests_for_unknown_addresses_count_too(client, committed):
    """Otherwise the limit itself would tell which addresses have an account."""
    UserFactory(email="ouder@example.org")
    for n in range(10):
        request_reset(client, committed, f"niemand{n}@example.org", "10.23.0.1")

    request_reset(client, committed, "ouder@example.org", "10.23.0.1")

    assert mail.outbox == []


def test_a_client_over_its_limit_cannot_use_up_the_owners_resets(client, committed, settings):
    owners = [UserFactory() for _ in range(5)]
    for _round in range(3):
        for owner in owners:
            request_reset(client, committed, owner.email, "10.66.0.1")
    mail.outbox.clear()

    for n, owner in enumerate(owners):
        request_reset(client, committed, owner.email, f"10.67.0.{n}")

    # The flooding client got its ten e-mails, of which each owner at most two: every owner
    # still has a reset left when asking from home.
    assert sorted(message.to[0] for message in mail.outbox) == sorted(o.email for o in owners)
