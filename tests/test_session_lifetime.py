"""A session ends after SESSION_IDLE_TIMEOUT without a request, in the portal and the admin."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schoolportal.accounts.sessions import LAST_ACTIVITY, WRITE_EVERY
from tests.factories import PASSWORD, PupilFactory, StaffMemberFactory, parent_of

pytestmark = pytest.mark.django_db

DASHBOARD = "/portaal/"
HOUR = 60 * 60


@pytest.fixture
def parent_client(client):
    user = parent_of(PupilFactory()).user
    response = client.post("/account/inloggen/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def last_active(client, seconds_ago):
    session = client.session
    session[LAST_ACTIVITY] = int(time.time()) - seconds_ago
    session.save()


def session_writes(queries):
    return [
        query["sql"]
        for query in queries
        if "django_session" in query["sql"] and not query["sql"].lstrip().startswith("SELECT")
    ]


def test_default_idle_limit_is_twelve_hours(settings):
    assert settings.SESSION_IDLE_TIMEOUT == 12 * HOUR
    assert settings.SESSION_COOKIE_AGE <= 14 * 24 * HOUR


def test_a_session_idle_longer_than_the_limit_is_logged_out(parent_client, settings):
    last_active(parent_client, settings.SESSION_IDLE_TIMEOUT + 60)

    response = parent_client.get(DASHBOARD, follow=True)

    assert response.redirect_chain[0] == (f"/account/inloggen/?next={DASHBOARD}", 302)
    assert "_auth_user_id" not in parent_client.session
    assert "niet actief" in response.content.decode()


def test_a_session_active_within_the_limit_stays_logged_in(parent_client, settings):
    last_active(parent_client, settings.SESSION_IDLE_TIMEOUT - 60)

    first = parent_client.get(DASHBOARD)
    last_active_after = parent_client.session[LAST_ACTIVITY]

    assert first.status_code == 200
    assert time.time() - last_active_after < 60  # the request counted as activity


def test_the_idle_limit_is_a_setting(parent_client, settings):
    settings.SESSION_IDLE_TIMEOUT = HOUR
    last_active(parent_client, HOUR + 60)

    assert parent_client.get(DASHBOARD).status_code == 302


def test_last_activity_is_written_once_in_a_while_not_on_every_request(parent_client):
    assert parent_client.get(DASHBOARD).status_code == 200

    with CaptureQueriesContext(connection) as recent:
        for _ in range(5):
            assert parent_client.get(DASHBOARD).status_code == 200
    last_active(parent_client, WRITE_EVERY + 1)
    with CaptureQueriesContext(connection) as stale:
        assert parent_client.get(DASHBOARD).status_code == 200

    assert session_writes(recent.captured_queries) == []
    assert len(session_writes(stale.captured_queries)) == 1


def test_staff_in_the_admin_are_under_the_same_rule(client, settings):
    staff = StaffMemberFactory()
    client.post("/account/inloggen/", {"username": staff.user.email, "password": PASSWORD})
    assert client.get("/admin/").status_code == 200

    last_active(client, settings.SESSION_IDLE_TIMEOUT + 60)
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session


def stored_end(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_session_in_use_still_ends_at_its_age_counted_from_login(parent_client, settings):
    end_at_login = stored_end(parent_client)
    last_active(parent_client, WRITE_EVERY + 60)

    parent_client.get(DASHBOARD)  # writes the activity mark, and so the whole session

    assert stored_end(parent_client) == end_at_login
    assert parent_client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE
