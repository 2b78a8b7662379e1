"""Mijn profiel: parents change their password and their login e-mail address themselves."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from schoolportal.accounts import emailchange
from schoolportal.accounts.models import EmailChange
from tests.factories import PASSWORD, PupilFactory, UserFactory, parent_of

pytestmark = pytest.mark.django_db

PASSWORD_URL = reverse("portal:password_change")
EMAIL_URL = reverse("portal:email_change")
NEW_PASSWORD = "zomer-aan-zee-2027"


@pytest.fixture
def guardian():
    return parent_of(PupilFactory(), user__email="marieke@example.org")


@pytest.fixture
def parent(client, guardian):
    client.force_login(guardian.user)
    return client


def confirm_link(message):
    (link,) = re.findall(r"http://testserver(/account/e-mailadres-bevestigen/\S+/)", message.body)
    return link


def request_change(parent, committed, new_email="marieke.nieuw@example.org", password=PASSWORD):
    with committed():
        return parent.post(EMAIL_URL, {"new_email": new_email, "password": password})


# --- Wachtwoord wijzigen -------------------------------------------------------------


def test_the_profile_offers_both_changes(parent):
    content = parent.get(reverse("portal:profile")).content.decode()

    assert f'href="{PASSWORD_URL}"' in content and "Wachtwoord wijzigen" in content
    assert f'href="{EMAIL_URL}"' in content and "E-mailadres wijzigen" in content


def test_a_new_password_is_saved_and_the_parent_stays_logged_in(parent, guardian):
    response = parent.post(
        PASSWORD_URL,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    guardian.user.refresh_from_db()
    assert guardian.user.check_password(NEW_PASSWORD)
    assert parent.get(reverse("portal:profile")).status_code == 200  # session kept


def test_other_sessions_end_when_the_password_changes(parent, guardian):
    other_device = Client()
    other_device.force_login(guardian.user)

    parent.post(
        PASSWORD_URL,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert other_device.get(reverse("portal:profile")).status_code == 302


def test_a_wrong_current_password_changes_nothing_and_says_so(parent, guardian):
    response = parent.post(
        PASSWORD_URL,
        {
            "old_password": "fout-geraden",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 400
    assert "Uw huidige wachtwoord klopt niet." in response.content.decode()
    guardian.user.refresh_from_db()
    assert guardian.user.check_password(PASSWORD)


def test_a_weak_or_mistyped_new_password_is_refused(parent, guardian):
    weak = parent.post(
        PASSWORD_URL, {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"}
    )
    mistyped = parent.post(
        PASSWORD_URL,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "iets-anders-1"},
    )

    assert weak.status_code == mistyped.status_code == 400
    guardian.user.refresh_from_db()
    assert guardian.user.check_password(PASSWORD)


def test_guessing_the_current_password_is_throttled_like_a_login(parent, guardian):
    statuses = [
        parent.post(
            PASSWORD_URL,
            {
                "old_password": f"gok-{n}",
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        ).status_code
        for n in range(5)
    ]
    right = parent.post(
        PASSWORD_URL,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert statuses == [400] * 4 + [429]  # as at the login: the fifth failure locks
    assert right.status_code == 429
    guardian.user.refresh_from_db()
    assert guardian.user.check_password(PASSWORD)


@pytest.mark.parametrize("url", [PASSWORD_URL, EMAIL_URL])
def test_anonymous_visitors_are_sent_to_the_login(client, url):
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", [PASSWORD_URL, EMAIL_URL])
def test_an_account_without_children_at_school_gets_404(client, url):
    client.force_login(UserFactory())

    assert client.get(url).status_code == 404


# --- E-mailadres wijzigen ------------------------------------------------------------


def test_a_new_address_gets_a_link_and_nothing_changes_before_it_is_opened(
    parent, guardian, committed
):
    response = request_change(parent, committed)

    assert response.status_code == 302
    guardian.user.refresh_from_db()
    assert guardian.user.email == "marieke@example.org"
    (message,) = mail.outbox
    assert message.to == ["marieke.nieuw@example.org"]
    assert message.reply_to == []
    assert confirm_link(message) in message.alternatives[0][0]
    assert "Op deze e-mail kunt u niet antwoorden." in message.body


def test_the_link_shows_a_button_and_only_posting_it_changes_the_address(
    parent, guardian, committed
):
    request_change(parent, committed)
    link = confirm_link(mail.outbox[0])
    mail.outbox.clear()
    phone = Client()  # the link opened on another device, not logged in

    page = phone.get(link)
    guardian.user.refresh_from_db()
    assert page.status_code == 200 and "E-mailadres bevestigen" in page.content.decode()
    assert guardian.user.email == "marieke@example.org"

    with committed():
        confirmed = phone.post(link)

    assert confirmed.status_code == 302
    guardian.user.refresh_from_db()
    assert guardian.user.email == "marieke.nieuw@example.org"
    (notice,) = mail.outbox
    assert notice.to == ["marieke@example.org"]
    assert "marieke.nieuw@example.org" in notice.body
    login = reverse("accounts:login")
    new = phone.post(login, {"username": "marieke.nieuw@example.org", "password": PASSWORD})
    assert new.status_code == 302
    phone.logout()
    old = phone.post(login, {"username": "marieke@example.org", "password": PASSWORD})
    assert old.status_code == 200  # the login form again, with its message


def test_a_used_link_cannot_be_used_again(parent, guardian, committed):
    request_change(parent, committed)
    link = confirm_link(mail.outbox[0])
    with committed():
        parent.post(link)

    again = parent.post(link)

    assert again.status_code == 410
    assert "al bevestigd" in again.content.decode()


def test_an_expired_link_changes_nothing(parent, guardian, committed):
    request_change(parent, committed)
    link = confirm_link(mail.outbox[0])
    later = timezone.now() + emailchange.VALID_FOR + timedelta(minutes=1)

    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        response = parent.post(link)

    assert response.status_code == 410
    assert "verlopen" in response.content.decode()
    guardian.user.refresh_from_db()
    assert guardian.user.email == "marieke@example.org"


def test_a_forged_or_altered_link_changes_nothing(parent, guardian, committed):
    request_change(parent, committed)
    change = EmailChange.objects.get()
    forged = signing.dumps(change.pk, salt="iets anders")
    genuine = emailchange.make_token(change)

    for token in (forged, genuine[:-2] + "xx", "onzin"):
        url = reverse("accounts:email_change_confirm", args=[token])
        assert parent.post(url).status_code == 404
    guardian.user.refresh_from_db()
    assert guardian.user.email == "marieke@example.org"


def test_only_the_newest_requested_link_works(parent, guardian, committed):
    request_change(parent, committed, new_email="eerste@example.org")
    request_change(parent, committed, new_email="tweede@example.org")
    first, second = (confirm_link(message) for message in mail.outbox)

    assert parent.post(first).status_code == 404
    with committed():
        parent.post(second)
    guardian.user.refresh_from_db()
    assert guardian.user.email == "tweede@example.org"


def test_an_address_already_in_use_is_refused_with_a_clear_message(parent, guardian, committed):
    UserFactory(email="bezet@example.org")

    response = request_change(parent, committed, new_email="Bezet@Example.org")

    assert response.status_code == 400
    assert "hoort al bij een ander account" in response.content.decode()
    assert 'value="Bezet@Example.org"' in response.content.decode()  # what was typed stays
    assert mail.outbox == []


def test_an_address_taken_before_the_link_is_opened_changes_nothing(parent, guardian, committed):
    request_change(parent, committed)
    link = confirm_link(mail.outbox[0])
    UserFactory(email="marieke.nieuw@example.org")

    response = parent.post(link)

    assert response.status_code == 404
    assert "hoort inmiddels bij een ander account" in response.content.decode()
    guardian.user.refresh_from_db()
    assert guardian.user.email == "marieke@example.org"


def test_a_wrong_current_password_sends_no_link(parent, guardian, committed):
    response = request_change(parent, committed, password="fout-geraden")

    assert response.status_code == 400
    assert "Uw huidige wachtwoord klopt niet." in response.content.decode()
    assert mail.outbox == [] and not EmailChange.objects.exists()


def test_the_own_address_again_is_no_change(parent, committed):
    response = request_change(parent, committed, new_email="MARIEKE@example.org")

    assert response.status_code == 400
    assert "al uw huidige e-mailadres" in response.content.decode()
    assert get_user_model().objects.filter(email="marieke@example.org").exists()
