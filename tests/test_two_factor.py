"""Tweestapsverificatie: required for management and administration, optional for others.

The general suite logs staff in with ``force_login`` and ``STAFF_2FA_REQUIRED`` off
(``settings/test.py``); here it is on, as in production.
"""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from schoolportal.accounts import twofactor
from schoolportal.people.models import StaffRole
from tests.factories import PASSWORD, PupilFactory, StaffMemberFactory, parent_of

pytestmark = pytest.mark.django_db

SETUP = "/account/tweestapsverificatie/instellen/"
VERIFY = "/account/verificatie/"
OVERVIEW = "/account/tweestapsverificatie/"
# Ten seconds into a 30-second step: a code of this step and of the one before still count.
FROZEN = (int(time.time()) // 30) * 30 + 10


@pytest.fixture(autouse=True)
def required(settings):
    settings.STAFF_2FA_REQUIRED = True


@pytest.fixture
def frozen_clock():
    """django-otp reads ``time.time()``; the whole request sees the same instant."""
    with mock.patch("time.time", return_value=float(FROZEN)):
        yield FROZEN


def code_for(key, at=FROZEN):
    totp = TOTP(bytes.fromhex(key), 30, 0, 6, 0)
    totp.time = at
    return f"{totp.token():06d}"


def log_in(client, user):
    response = client.post("/account/inloggen/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def manager(role=StaffRole.MANAGEMENT):
    return StaffMemberFactory(role=role).user


def with_app(user):
    key = "3132333435363738393031323334353637383930"
    _device, codes = twofactor.confirm_app(user, key)
    # confirm_app marks the current step used; log in with the next ones.
    TOTPDevice.objects.filter(user=user).update(last_t=0)
    return key, codes


@pytest.mark.parametrize("role", [StaffRole.MANAGEMENT, StaffRole.ADMINISTRATION])
def test_a_manager_without_a_device_is_sent_to_set_one_up_before_any_page(client, role):
    user = manager(role)
    log_in(client, user)

    for url in ("/admin/", "/admin/pages/", "/portaal/", "/account/apparaten/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{SETUP}?next="), url


def admin_paths():
    """Every route of the admin with its arguments filled in (a 1 or an 'x')."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    for route in walk(get_resolver().url_patterns, ""):
        if not route.startswith("admin/") or route.startswith("^"):
            continue
        path = route
        for converter, value in (("<int:", "1"), ("<str:", "x"), ("<slug:", "x"), ("<path:", "x")):
            while converter in path:
                start = path.index(converter)
                path = path[:start] + value + path[path.index(">", start) + 1 :]
        yield "/" + path.replace("^", "").replace("$", "")


def test_every_admin_route_is_closed_until_the_second_factor(client):
    user = manager()
    client.force_login(user)
    paths = sorted(set(admin_paths()))
    assert len(paths) > 100  # the whole admin, not a sample

    opened = [p for p in paths if client.get(p).status_code != 302]
    assert opened == []
    assert client.post("/admin/pages/1/delete/").status_code == 302
    assert client.get("/admin/")["Location"].startswith(SETUP)


def test_setting_up_shows_a_qr_code_and_the_secret_then_ten_recovery_codes_once(
    client, frozen_clock
):
    user = manager()
    log_in(client, user)

    page = client.get(SETUP)
    content = page.content.decode()
    key = client.session[twofactor.SESSION_NEW_KEY]
    assert "<svg" in content
    assert twofactor.secret_text(key) in content
    assert "verplicht" in content

    wrong = client.post(SETUP, {"code": "000000" if code_for(key) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert "klopt niet" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()

    done = client.post(f"{SETUP}?next=/admin/", {"code": code_for(key), "next": "/admin/"})
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert done.status_code == 200
    assert len(codes) == 10
    assert all(code in done.content.decode() for code in codes)
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get("/admin/").status_code == 200
    # Shown once: the overview tells how many are left, never the codes themselves.
    overview = client.get(OVERVIEW).content.decode()
    assert "nog 10 herstelcodes" in overview
    assert not any(code in overview for code in codes)


def test_with_a_device_the_password_alone_does_not_reach_the_admin(client, frozen_clock):
    user = manager()
    key, _codes = with_app(user)
    log_in(client, user)

    response = client.get("/admin/mailings/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=/admin/mailings/"

    verified = client.post(
        f"{VERIFY}?next=/admin/mailings/", {"code": code_for(key), "next": "/admin/mailings/"}
    )
    assert verified.status_code == 302
    assert verified["Location"] == "/admin/mailings/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_page_asks_for_the_code_too(client):
    user = manager()
    with_app(user)
    response = client.post(
        "/admin/login/", {"username": user.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(VERIFY)
    assert "_auth_user_id" in client.session
    assert client.get("/admin/").status_code == 302


def test_the_password_alone_cannot_set_up_another_device(client, frozen_clock):
    user = manager()
    with_app(user)
    log_in(client, user)

    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    intruder_key = "00" * 20
    client.post(SETUP, {"code": code_for(intruder_key)})
    assert list(TOTPDevice.objects.filter(user=user).values_list("key", flat=True)) != [
        intruder_key
    ]
    assert client.get("/admin/").status_code == 302


def test_a_recovery_code_works_once(client):
    user = manager()
    _key, codes = with_app(user)
    log_in(client, user)
    assert client.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert client.get("/admin/").status_code == 200

    client.post("/account/uitloggen/")
    log_in(client, user)
    again = client.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 400
    assert client.get("/admin/").status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_the_app_code_follows_the_clock_and_works_once(client, frozen_clock):
    user = manager()
    key, _codes = with_app(user)
    log_in(client, user)

    # The step before counts (a phone a little behind); the same code never twice.
    assert client.post(VERIFY, {"code": code_for(key, FROZEN - 30)}).status_code == 302
    client.post("/account/uitloggen/")
    log_in(client, user)
    assert client.post(VERIFY, {"code": code_for(key, FROZEN - 30)}).status_code == 400
    # Three steps behind is too old (the wrong code's wait is lifted first).
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0)
    assert client.post(VERIFY, {"code": code_for(key, FROZEN - 90)}).status_code == 400
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0)
    assert client.post(VERIFY, {"code": code_for(key, FROZEN)}).status_code == 302


def test_wrong_codes_are_throttled(client, frozen_clock):
    user = manager()
    key, _codes = with_app(user)
    log_in(client, user)
    for _ in range(3):
        client.post(VERIFY, {"code": "999999" if code_for(key) != "999999" else "888888"})

    refused = client.post(VERIFY, {"code": code_for(key)})
    assert refused.status_code == 400
    assert "Te veel onjuiste codes" in refused.content.decode()
    assert client.get("/admin/").status_code == 302

    device = TOTPDevice.objects.get(user=user)
    device.throttling_failure_timestamp -= timedelta(minutes=1)  # the wait is over
    device.save()
    assert client.post(VERIFY, {"code": code_for(key)}).status_code == 302


def test_teachers_and_parents_do_not_need_a_code_until_they_switch_it_on(client, frozen_clock):
    teacher = StaffMemberFactory(role=StaffRole.TEACHER).user
    log_in(client, teacher)
    assert client.get("/admin/").status_code == 200
    client.post("/account/uitloggen/")

    parent = parent_of(PupilFactory()).user
    log_in(client, parent)
    assert client.get("/portaal/").status_code == 200
    assert "Tweestapsverificatie" in client.get("/portaal/profiel/").content.decode()

    client.get(SETUP)
    key = client.session[twofactor.SESSION_NEW_KEY]
    assert client.post(SETUP, {"code": code_for(key)}).status_code == 200
    assert client.get("/portaal/").status_code == 200
    client.post("/account/uitloggen/")

    log_in(client, parent)
    response = client.get("/portaal/")
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_switching_it_on_logs_out_sessions_opened_with_the_password_alone(
    client, django_user_model, frozen_clock
):
    from django.test import Client

    parent = parent_of(PupilFactory()).user
    elsewhere = Client()
    log_in(elsewhere, parent)
    log_in(client, parent)
    client.get(SETUP)
    client.post(SETUP, {"code": code_for(client.session[twofactor.SESSION_NEW_KEY])})

    assert elsewhere.get("/portaal/").status_code == 302
    assert "_auth_user_id" not in elsewhere.session


def test_a_parent_may_switch_it_off_management_may_not(client):
    parent = parent_of(PupilFactory()).user
    _key, codes = with_app(parent)
    log_in(client, parent)
    client.post(VERIFY, {"code": codes[0]})
    client.post("/account/tweestapsverificatie/uitzetten/")
    assert not TOTPDevice.objects.filter(user=parent).exists()
    client.post("/account/uitloggen/")
    log_in(client, parent)
    assert client.get("/portaal/").status_code == 200

    boss = manager()
    _key, codes = with_app(boss)
    client.post("/account/uitloggen/")
    log_in(client, boss)
    client.post(VERIFY, {"code": codes[0]})
    client.post("/account/tweestapsverificatie/uitzetten/")
    assert TOTPDevice.objects.filter(user=boss).exists()


def test_the_requirement_is_on_unless_switched_off():
    from schoolportal.settings import base, test

    assert base.STAFF_2FA_REQUIRED is True
    assert test.STAFF_2FA_REQUIRED is False


def test_a_login_without_a_second_factor_costs_no_query_for_it(client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    parent = parent_of(PupilFactory()).user
    log_in(client, parent)
    client.get("/portaal/kinderen/")
    with CaptureQueriesContext(connection) as required_on:
        assert client.get("/portaal/kinderen/").status_code == 200
    # What a login owes is decided at login: a new login with the requirement off.
    settings.STAFF_2FA_REQUIRED = False
    other = Client()
    log_in(other, parent)
    other.get("/portaal/kinderen/")
    with CaptureQueriesContext(connection) as required_off:
        assert other.get("/portaal/kinderen/").status_code == 200

    assert len(required_on.captured_queries) == len(required_off.captured_queries)
    assert not any("otp_" in q["sql"] for q in required_on.captured_queries)


def test_new_recovery_codes_replace_the_old_ones(client):
    user = manager()
    _key, old = with_app(user)
    log_in(client, user)
    client.post(VERIFY, {"code": old[0]})

    page = client.post("/account/tweestapsverificatie/herstelcodes/")

    new = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert page.status_code == 200
    assert len(new) == 10
    assert all(code in page.content.decode() for code in new)
    assert not set(old) & set(new)
    client.post("/account/uitloggen/")
    log_in(client, user)
    assert client.post(VERIFY, {"code": old[1]}).status_code == 400


def test_the_administrator_resets_a_lost_phone_and_the_manager_sets_up_a_new_one(client):
    from io import StringIO

    from django.core.management import call_command

    user = manager()
    with_app(user)
    log_in(client, user)

    call_command("reset_two_factor", user.email.upper(), stdout=StringIO())

    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session
    log_in(client, user)
    assert client.get("/admin/")["Location"].startswith(SETUP)
