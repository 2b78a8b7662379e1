"""Failed logins lock an (account, client address) pair; an attacked account is slowed down.

Behind the proxy the client address comes from X-Forwarded-For: see
tests/test_settings.py::test_behind_the_proxy_one_client_never_locks_out_another.
"""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.utils import timezone

from tests.factories import PASSWORD, PupilFactory, parent_of

pytestmark = pytest.mark.django_db

LOGIN_URL = "/account/inloggen/"
LOGOUT_URL = "/account/uitloggen/"
RESET_URL = "/account/wachtwoord-vergeten/"
NEW_PASSWORD = "nieuw-en-heel-geheim-42"
LOCKED_OUT = "Te veel mislukte inlogpogingen met dit e-mailadres vanaf deze verbinding."
HOME = "192.0.2.77"


def parent():
    return parent_of(PupilFactory())


def login(client, email, password, address):
    return client.post(LOGIN_URL, {"username": email, "password": password}, REMOTE_ADDR=address)


def fail(client, email, count, address):
    return [login(client, email, "helemaal-fout", address).status_code for _ in range(count)]


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def form_errors(response):
    """The text of the form's non-field error block, without the (per-render) CSRF token."""
    match = re.search(r'<div class="form-errors".*?</div>', response.content.decode(), re.S)
    return match.group(0) if match else ""


def test_five_failures_from_one_address_lock_the_account_there_even_for_the_right_password(
    client,
):
    email = parent().user.email

    statuses = fail(client, email, 5, "10.1.1.1")
    response = login(client, email, PASSWORD, "10.1.1.1")

    assert statuses == [200] * 4 + [429]
    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()
    assert logged_in_user_id(client) is None


def test_four_failures_do_not_lock(client):
    guardian = parent()

    fail(client, guardian.user.email, 4, "10.1.1.2")
    response = login(client, guardian.user.email, PASSWORD, "10.1.1.2")

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(guardian.user.pk)


def test_an_attack_from_elsewhere_does_not_lock_the_parent_out_at_home(client):
    """Anybody who knows the address could otherwise lock a parent out for a quarter."""
    guardian = parent()
    for n in range(4):
        fail(client, guardian.user.email, 5, f"10.2.0.{n}")

    response = login(client, guardian.user.email, PASSWORD, HOME)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(guardian.user.pk)


def test_failures_against_other_accounts_do_not_lock_an_address(client):
    """A school's or carrier's shared address is not locked by other families' typing."""
    for _ in range(5):
        fail(client, parent().user.email, 1, "10.3.0.1")
    guardian = parent()

    response = login(client, guardian.user.email, PASSWORD, "10.3.0.1")

    assert response.status_code == 302


def test_pair_counts_differently_cased_addresses_together(client):
    guardian = parent()
    guardian.user.email = "ouder@example.org"
    guardian.user.save()

    for email in ["Ouder@Example.org", "OUDER@example.org", "ouder@EXAMPLE.org"]:
        login(client, email, "helemaal-fout", "10.4.0.1")
    fail(client, "ouder@example.org", 2, "10.4.0.1")
    response = login(client, "ouder@example.org", PASSWORD, "10.4.0.1")

    assert response.status_code == 429
    assert logged_in_user_id(client) is None


def test_successful_login_resets_the_failure_count(client):
    email = parent().user.email

    fail(client, email, 4, "10.5.0.1")
    assert login(client, email, PASSWORD, "10.5.0.1").status_code == 302
    client.post(LOGOUT_URL)
    fail(client, email, 4, "10.5.0.1")
    response = login(client, email, PASSWORD, "10.5.0.1")

    assert response.status_code == 302


def test_lockout_page_does_not_reveal_whether_the_account_exists(client):
    guardian = parent()
    fail(client, guardian.user.email, 5, "10.6.0.1")
    fail(client, "niemand@example.org", 5, "10.6.0.1")

    existing = login(client, guardian.user.email, PASSWORD, "10.6.0.1")
    unknown = login(client, "niemand@example.org", PASSWORD, "10.6.0.1")

    assert existing.status_code == unknown.status_code == 429
    assert LOCKED_OUT in existing.content.decode()
    assert form_errors(existing) == form_errors(unknown)
    assert guardian.user.email not in existing.content.decode()


def age_attempts(address, by):
    """Move the failures from ``address`` back in time, as if ``by`` had passed since."""
    AccessAttempt.objects.filter(ip_address=address).update(attempt_time=timezone.now() - by)


def test_a_locked_pair_opens_again_after_the_cool_off(client):
    email = parent().user.email
    fail(client, email, 5, "10.7.0.1")

    age_attempts("10.7.0.1", timedelta(minutes=16))

    assert login(client, email, PASSWORD, "10.7.0.1").status_code == 302


def test_an_account_attacked_from_many_addresses_keeps_each_attacker_locked_longer(client):
    email = parent().user.email
    fail(client, email, 5, "10.8.0.1")
    for n in range(2, 4):  # 15 failures in all: the cool-off doubles to half an hour
        fail(client, email, 5, f"10.8.0.{n}")

    age_attempts("10.8.0.1", timedelta(minutes=16))
    still_locked = login(client, email, PASSWORD, "10.8.0.1")
    age_attempts("10.8.0.1", timedelta(minutes=31))
    reopened = login(client, email, PASSWORD, "10.8.0.1")

    assert still_locked.status_code == 429
    assert reopened.status_code == 302


def test_a_new_password_lifts_the_lockout_the_page_points_to(client, committed):
    user = parent().user
    fail(client, user.email, 5, HOME)
    assert LOCKED_OUT in login(client, user.email, PASSWORD, HOME).content.decode()

    with committed():
        client.post(RESET_URL, {"email": user.email}, REMOTE_ADDR=HOME)
    link = re.search(r"http://testserver(/account/wachtwoord-instellen/\S+)", mail.outbox[0].body)
    form = client.get(link.group(1), follow=True, REMOTE_ADDR=HOME)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        REMOTE_ADDR=HOME,
    )
    response = login(client, user.email, NEW_PASSWORD, HOME)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(user.pk)
