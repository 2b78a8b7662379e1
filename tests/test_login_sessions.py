"""Ingelogde apparaten: a user sees where they are logged in and logs a device out."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from schoolportal.accounts.models import LoginSession
from schoolportal.accounts.sessions import LAST_ACTIVITY, WRITE_EVERY
from tests.factories import PASSWORD, PupilFactory, StaffMemberFactory, parent_of

pytestmark = pytest.mark.django_db

DEVICES = "/account/apparaten/"
FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)


def browser(user, user_agent):
    client = Client(HTTP_USER_AGENT=user_agent)
    response = client.post("/account/inloggen/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def marieke():
    return parent_of(PupilFactory()).user


def row_of(client):
    return LoginSession.objects.get(session_key=client.session.session_key)


def test_the_list_shows_only_the_users_own_devices(marieke):
    phone = browser(marieke, FIREFOX_ANDROID)
    browser(marieke, SAFARI_IPHONE)
    browser(parent_of(PupilFactory()).user, EDGE_WINDOWS)

    page = phone.get(DEVICES)

    content = page.content.decode()
    assert page.status_code == 200
    assert "Firefox Mobile op Android" in content
    assert "Mobile Safari op iOS" in content
    assert "Edge" not in content
    assert "dit apparaat" in content
    assert "Alle andere sessies beëindigen" in content


def test_ending_a_session_logs_that_device_out(marieke):
    phone = browser(marieke, FIREFOX_ANDROID)
    tablet = browser(marieke, SAFARI_IPHONE)

    response = phone.post(f"{DEVICES}{row_of(tablet).pk}/beeindigen/")

    assert response.status_code == 302
    after = tablet.get("/portaal/")
    assert after.status_code == 302
    assert after["Location"].startswith("/account/inloggen/")
    assert phone.get("/portaal/").status_code == 200
    assert list(LoginSession.objects.filter(user=marieke)) == [row_of(phone)]


def test_another_users_session_answers_404_and_stays(marieke):
    phone = browser(marieke, FIREFOX_ANDROID)
    stranger = browser(parent_of(PupilFactory()).user, EDGE_WINDOWS)
    foreign = row_of(stranger)

    assert phone.post(f"{DEVICES}{foreign.pk}/beeindigen/").status_code == 404
    assert phone.post(f"{DEVICES}999999/beeindigen/").status_code == 404
    assert stranger.get("/portaal/").status_code == 200
    assert LoginSession.objects.filter(pk=foreign.pk).exists()


def test_staff_see_only_their_own_sessions_too(marieke):
    parent_phone = browser(marieke, FIREFOX_ANDROID)
    teacher = browser(StaffMemberFactory().user, EDGE_WINDOWS)

    assert teacher.post(f"{DEVICES}{row_of(parent_phone).pk}/beeindigen/").status_code == 404
    assert "Firefox" not in teacher.get(DEVICES).content.decode()
    assert "Ingelogde apparaten" in teacher.get("/admin/account/").content.decode()


def test_ending_all_other_sessions_keeps_this_one(marieke):
    phone = browser(marieke, FIREFOX_ANDROID)
    others = [browser(marieke, SAFARI_IPHONE), browser(marieke, EDGE_WINDOWS)]
    stranger = browser(parent_of(PupilFactory()).user, EDGE_WINDOWS)

    phone.post(f"{DEVICES}andere-beeindigen/")

    assert all(other.get("/portaal/").status_code == 302 for other in others)
    assert phone.get("/portaal/").status_code == 200
    assert stranger.get("/portaal/").status_code == 200


def test_logging_out_removes_the_device(marieke):
    phone = browser(marieke, FIREFOX_ANDROID)
    key = phone.session.session_key
    phone.post("/account/uitloggen/")
    assert not LoginSession.objects.filter(session_key=key).exists()


def test_last_use_moves_with_the_idle_clock_not_on_every_request(marieke):
    phone = browser(marieke, FIREFOX_ANDROID)
    assert phone.get("/portaal/").status_code == 200

    with CaptureQueriesContext(connection) as recent:
        for _ in range(3):
            phone.get("/portaal/")
    session = phone.session
    session[LAST_ACTIVITY] = int(time.time()) - WRITE_EVERY - 1
    session.save()
    before = row_of(phone).last_seen
    with CaptureQueriesContext(connection) as stale:
        phone.get("/portaal/")

    def writes(queries):
        return [q for q in queries if "accounts_loginsession" in q["sql"] and "UPDATE" in q["sql"]]

    assert writes(recent.captured_queries) == []
    assert len(writes(stale.captured_queries)) == 1
    assert row_of(phone).last_seen > before


def test_a_device_stays_listed_after_a_password_change(marieke):
    phone = browser(marieke, FIREFOX_ANDROID)
    laptop = browser(marieke, EDGE_WINDOWS)
    new = "een-nieuw-wachtwoord-1"
    phone.post(
        "/portaal/profiel/wachtwoord/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert phone.get("/portaal/").status_code == 200
    assert laptop.get("/portaal/").status_code == 302
    assert "Firefox" in phone.get(DEVICES).content.decode()
    assert row_of(phone).user == marieke


def test_sessions_that_ended_by_themselves_are_not_listed(marieke, settings):
    phone = browser(marieke, FIREFOX_ANDROID)
    tablet = browser(marieke, SAFARI_IPHONE)
    LoginSession.objects.filter(session_key=tablet.session.session_key).update(
        last_seen=row_of(phone).last_seen - timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 60)
    )

    assert "Safari" not in phone.get(DEVICES).content.decode()
