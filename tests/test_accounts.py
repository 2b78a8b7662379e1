"""Accounts: logging in and out, throttling, password reset and invitations."""

import re
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client
from django.utils import timezone

from schoolportal.accounts.models import Invitation
from schoolportal.notifications.tasks import send_invitation_email
from tests.factories import (
    PASSWORD,
    PupilFactory,
    StaffMemberFactory,
    UserFactory,
    parent_of,
)

pytestmark = pytest.mark.django_db

LOGIN_URL = "/account/inloggen/"
LOGOUT_URL = "/account/uitloggen/"
RESET_URL = "/account/wachtwoord-vergeten/"
NEW_PASSWORD = "nieuw-en-heel-geheim-42"

INVALID_LOGIN = (
    "Dit e-mailadres en wachtwoord horen niet bij elkaar. Controleer ze en probeer het opnieuw."
)
RESET_REQUESTED = "Als er een account bij dit e-mailadres hoort, ontvangt u binnen enkele minuten"
RESET_LINK_INVALID = "Deze link is verlopen of al gebruikt."


def parent():
    return parent_of(PupilFactory())


def login(client, email, password, **extra):
    return client.post(LOGIN_URL, {"username": email, "password": password}, **extra)


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def form_errors(response):
    """The text of the form's non-field error block, without the (per-render) CSRF token."""
    match = re.search(r'<div class="form-errors".*?</div>', response.content.decode(), re.S)
    return match.group(0) if match else ""


def link_path(message, prefix):
    match = re.search(r"http://testserver(" + prefix + r"\S+)", message.body)
    assert match, message.body
    return match.group(1)


# --- Logging in and out --------------------------------------------------------------------


def test_login_email_is_case_insensitive(client):
    guardian = parent()
    user = guardian.user
    user.email = "ouder@example.org"
    user.save()

    response = login(client, "Ouder@Example.org", PASSWORD)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(user.pk)


def test_parent_lands_on_portal_dashboard(client):
    guardian = parent()

    response = login(client, guardian.user.email, PASSWORD)

    assert response["Location"] == "/portaal/"
    assert client.get("/portaal/").status_code == 200


def test_staff_member_without_children_lands_on_admin(client):
    staff = StaffMemberFactory()

    response = login(client, staff.user.email, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_login_follows_safe_next_but_not_foreign_next(client):
    guardian = parent()

    response = client.post(
        LOGIN_URL,
        {"username": guardian.user.email, "password": PASSWORD, "next": "/portaal/profiel/"},
    )
    assert response["Location"] == "/portaal/profiel/"

    client.post(LOGOUT_URL)
    response = client.post(
        LOGIN_URL,
        {"username": guardian.user.email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/portaal/"


def test_wrong_password_and_unknown_account_give_identical_error(client):
    guardian = parent()

    wrong_password = login(
        client, guardian.user.email, "niet-het-wachtwoord", REMOTE_ADDR="10.0.0.1"
    )
    unknown = login(client, "niemand@example.org", "niet-het-wachtwoord", REMOTE_ADDR="10.0.0.2")

    assert wrong_password.status_code == unknown.status_code == 200
    assert INVALID_LOGIN in wrong_password.content.decode()
    assert form_errors(wrong_password) == form_errors(unknown) != ""
    assert logged_in_user_id(client) is None


def test_inactive_account_gets_the_same_error_as_a_wrong_password(client):
    guardian = parent()
    guardian.user.is_active = False
    guardian.user.save()

    response = login(client, guardian.user.email, PASSWORD)

    assert response.status_code == 200
    assert INVALID_LOGIN in response.content.decode()
    assert logged_in_user_id(client) is None


def test_login_starts_a_new_session(client):
    guardian = parent()
    before = client.session.session_key
    assert before

    login(client, guardian.user.email, PASSWORD)

    after = client.session.session_key
    assert after and after != before


def test_logout_by_get_is_refused_and_keeps_the_session(client):
    guardian = parent()
    client.force_login(guardian.user)

    response = client.get(LOGOUT_URL)

    assert response.status_code == 405
    assert logged_in_user_id(client) == str(guardian.user.pk)
    assert client.get("/portaal/").status_code == 200


def test_logout_by_post_ends_the_session(client):
    guardian = parent()
    login(client, guardian.user.email, PASSWORD)
    session_key = client.session.session_key

    response = client.post(LOGOUT_URL)

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert client.session.session_key != session_key
    response = client.get("/portaal/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next=/portaal/"


# Throttling of failed logins: tests/test_login_throttling.py


# --- Password reset ------------------------------------------------------------------------------


def request_reset(client, committed, email):
    with committed():
        return client.post(RESET_URL, {"email": email}, follow=True)


def test_password_reset_for_existing_account_sends_exactly_one_email(client, committed):
    guardian = parent()

    response = request_reset(client, committed, guardian.user.email.upper())

    assert response.status_code == 200
    assert RESET_REQUESTED in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [guardian.user.email]
    assert "/account/wachtwoord-instellen/" in mail.outbox[0].body


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client, committed):
    guardian = parent()
    known = request_reset(client, committed, guardian.user.email)
    mail.outbox.clear()

    unknown = request_reset(client, committed, "niemand@example.org")

    assert mail.outbox == []
    assert unknown.redirect_chain == known.redirect_chain == [(LOGIN_URL, 302)]
    assert RESET_REQUESTED in unknown.content.decode()


def test_password_reset_sends_nothing_to_inactive_or_not_yet_activated_accounts(client, committed):
    inactive = UserFactory(is_active=False)
    invited = UserFactory(password=None)
    assert not invited.has_usable_password()

    request_reset(client, committed, inactive.email)
    request_reset(client, committed, invited.email)

    assert mail.outbox == []


def test_reset_link_get_changes_nothing_post_sets_password_and_link_is_single_use(
    client, committed
):
    guardian = parent()
    user = guardian.user
    request_reset(client, committed, user.email)
    link = link_path(mail.outbox[0], "/account/wachtwoord-instellen/")
    password_hash = user.password

    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert 'name="new_password1"' in response.content.decode()
    user.refresh_from_db()
    assert user.password == password_hash
    set_password_url = response.redirect_chain[-1][0]

    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)

    reused = client.get(link, follow=True)
    assert RESET_LINK_INVALID in reused.content.decode()
    assert 'name="new_password1"' not in reused.content.decode()
    response = Client().get(link, follow=True)
    assert RESET_LINK_INVALID in response.content.decode()


def test_reset_link_is_refused_after_it_expires(client, committed):
    guardian = parent()
    user = guardian.user
    request_reset(client, committed, user.email)
    link = link_path(mail.outbox[0], "/account/wachtwoord-instellen/")
    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)

    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=later):
        response = client.get(link, follow=True)
        content = response.content.decode()
        assert RESET_LINK_INVALID in content
        assert 'name="new_password1"' not in content
        response = client.post(
            link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
        )

    assert RESET_LINK_INVALID in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_reset_link_still_works_shortly_before_it_expires(client, committed):
    user = parent().user
    request_reset(client, committed, user.email)
    link = link_path(mail.outbox[0], "/account/wachtwoord-instellen/")
    almost = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT - 60)

    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=almost):
        response = client.get(link, follow=True)

    assert 'name="new_password1"' in response.content.decode()


# --- Invitations ---------------------------------------------------------------------------------


def invited_user():
    user = UserFactory(password=None)
    assert not user.has_usable_password()
    return user


def invitation_url(token):
    return f"/account/uitnodiging/{token}/"


def test_invitation_get_shows_the_form_and_changes_nothing(client):
    user = invited_user()
    invitation, token = Invitation.issue(user)

    response = client.get(invitation_url(token))

    assert response.status_code == 200
    assert 'name="new_password1"' in response.content.decode()
    user.refresh_from_db()
    invitation.refresh_from_db()
    assert not user.has_usable_password()
    assert invitation.accepted_at is None


def test_invitation_token_is_not_stored_in_plain_text():
    invitation, token = Invitation.issue(invited_user())

    assert token not in invitation.token_hash
    assert Invitation.find(token) == invitation
    assert Invitation.find(token + "x") is None


def test_accepting_an_invitation_sets_password_and_marks_it_used(client):
    user = invited_user()
    invitation, token = Invitation.issue(user)

    response = client.post(
        invitation_url(token), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    user.refresh_from_db()
    invitation.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert invitation.accepted_at is not None
    assert login(Client(), user.email, NEW_PASSWORD).status_code == 302

    reused = client.get(invitation_url(token))
    assert reused.status_code == 410
    assert "al gebruikt" in reused.content.decode()
    assert 'name="new_password1"' not in reused.content.decode()


def test_used_invitation_cannot_set_the_password_again(client):
    user = invited_user()
    _, token = Invitation.issue(user)
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    client.post(invitation_url(token), data)

    other = "een-ander-wachtwoord-99"
    response = client.post(invitation_url(token), {"new_password1": other, "new_password2": other})

    assert response.status_code == 410
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_invitation_with_invalid_password_is_not_accepted(client):
    user = invited_user()
    invitation, token = Invitation.issue(user)

    response = client.post(
        invitation_url(token), {"new_password1": "kort", "new_password2": "kort"}
    )

    assert response.status_code == 200
    user.refresh_from_db()
    invitation.refresh_from_db()
    assert not user.has_usable_password()
    assert invitation.accepted_at is None


def test_expired_invitation_is_refused(client):
    user = invited_user()
    invitation, token = Invitation.issue(user)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    response = client.get(invitation_url(token))
    posted = client.post(
        invitation_url(token), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.status_code == posted.status_code == 410
    assert "verlopen" in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_invitation_is_valid_for_the_configured_period():
    invitation, _ = Invitation.issue(invited_user())

    assert invitation.expires_at - invitation.created_at == settings.INVITATION_VALID_FOR
    assert invitation.is_usable


def test_unknown_invitation_token_is_404(client):
    response = client.get(invitation_url("bestaat-niet"))

    assert response.status_code == 404


def test_newer_invitation_revokes_the_older_one(client):
    user = invited_user()
    older, old_token = Invitation.issue(user)
    _newer, new_token = Invitation.issue(user)

    response = client.get(invitation_url(old_token))

    assert response.status_code == 410
    assert "nieuwere uitnodiging" in response.content.decode()
    assert client.get(invitation_url(new_token)).status_code == 200
    older.refresh_from_db()
    assert older.revoked_at is not None


def test_invitation_email_has_text_and_html_parts_with_the_link(client):
    user = invited_user()
    inviter = StaffMemberFactory().user

    send_invitation_email(user.pk, inviter.pk, "http://testserver/")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    path = link_path(message, "/account/uitnodiging/")
    assert path in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f"http://testserver{path}" in html
    invitation = Invitation.objects.get(user=user)
    assert invitation.sent_at is not None
    assert invitation.invited_by == inviter
    assert client.get(path).status_code == 200


# --- Portal pages need a login and a guardian profile ---------------------------------------


PORTAL_PAGES = ["/portaal/", "/portaal/profiel/", "/portaal/help/"]


@pytest.mark.parametrize("url", PORTAL_PAGES)
def test_portal_page_redirects_anonymous_visitor_to_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next={url}"


@pytest.mark.parametrize("url", PORTAL_PAGES)
def test_portal_page_is_shown_to_a_guardian(client, url):
    client.force_login(parent().user)

    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", PORTAL_PAGES)
def test_portal_page_is_404_for_user_without_guardian_or_staff_profile(client, url):
    client.force_login(UserFactory())

    assert client.get(url).status_code == 404


def test_portal_sends_staff_without_children_to_admin(client):
    client.force_login(StaffMemberFactory().user)

    response = client.get("/portaal/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_invitation_of_a_deactivated_account_is_refused_and_does_not_reactivate_it(client):
    user = invited_user()
    _invitation, token = Invitation.issue(user)
    user.is_active = False
    user.save()

    response = client.post(
        invitation_url(token), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.status_code == 410
    user.refresh_from_db()
    assert not user.is_active
    assert not user.has_usable_password()


def test_invitation_is_void_once_the_account_has_a_password(client):
    user = invited_user()
    _invitation, token = Invitation.issue(user)
    user.set_password("al-een-wachtwoord-gekozen")
    user.save()

    response = client.get(invitation_url(token))

    assert response.status_code == 410
    assert "heeft al een wachtwoord" in response.content.decode()
