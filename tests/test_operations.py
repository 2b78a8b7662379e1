"""Operating the portal: probes, the backlog command and log lines without personal data."""

import json
import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.storage import Storage
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule

from schoolportal.notifications.models import OutboxMessage
from schoolportal.operations.logs import JsonFormatter, account_reference
from schoolportal.people.models import Guardian, Pupil, StaffMember

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "demo-wachtwoord"
CLOSED_PORT_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }
}


class UnreachableStorage(Storage):
    """Object storage whose bucket cannot be reached (every call raises, as boto3's would)."""

    def exists(self, name):
        raise ConnectionError("bucket.example.org unreachable")


# --- Probes ----------------------------------------------------------------------------------


def test_healthz_answers_without_asking_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok"


def test_readyz_reports_every_service_ready():
    response = Client().get(reverse("readyz"))

    assert response.status_code == 200
    assert json.loads(response.content) == {
        "broker": "ok",
        "cache": "ok",
        "database": "ok",
        "storage": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


@override_settings(CACHES=CLOSED_PORT_REDIS)
def test_readyz_answers_503_naming_the_cache_when_redis_cannot_be_reached():
    response = Client().get(reverse("readyz"))

    assert response.status_code == 503
    assert json.loads(response.content)["cache"] == "failed"
    assert json.loads(response.content)["database"] == "ok"
    # A public probe names no host and no error text.
    assert b"127.0.0.1" not in response.content


@override_settings(
    STORAGES={
        "default": {"BACKEND": "tests.test_operations.UnreachableStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
)
def test_readyz_answers_503_naming_the_storage_when_the_bucket_cannot_be_reached():
    response = Client().get(reverse("readyz"))

    assert response.status_code == 503
    assert json.loads(response.content)["storage"] == "failed"
    assert b"bucket.example.org" not in response.content


def test_readyz_refuses_other_methods():
    assert Client().post(reverse("readyz")).status_code == 405


# --- Backlog -----------------------------------------------------------------------------------


def outbox(status, age_minutes=0, kind="mailing", next_attempt_in_minutes=0, number=[0]):  # noqa: B006
    number[0] += 1
    message = OutboxMessage.objects.create(
        kind=kind,
        cause_id=1,
        recipient_email=f"ouder{number[0]}@example.org",
        status=status,
        next_attempt_at=timezone.now() + timedelta(minutes=next_attempt_in_minutes),
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(minutes=age_minutes)
    )
    return message


def backlog(*args):
    out = StringIO()
    call_command("backlog", *args, stdout=out)
    return out.getvalue()


def test_backlog_counts_unsent_messages_per_kind_and_status_and_names_nobody():
    outbox(OutboxMessage.Status.PENDING, age_minutes=12)
    outbox(OutboxMessage.Status.PENDING)
    outbox(OutboxMessage.Status.PENDING, next_attempt_in_minutes=8)
    outbox(OutboxMessage.Status.FAILED, kind="absence")
    outbox(OutboxMessage.Status.INTERRUPTED, kind="absence")
    outbox(OutboxMessage.Status.SENT)

    output = backlog()

    assert "mailing: pending 3" in output
    assert "absence: failed 1, interrupted 1" in output
    assert "Due now: 2 (oldest waiting 12 min); waiting for a retry: 1" in output
    assert "sent 1" not in output
    assert "@example.org" not in output


def test_backlog_with_max_age_fails_when_an_email_waited_too_long():
    outbox(OutboxMessage.Status.PENDING, age_minutes=30)

    with pytest.raises(CommandError, match="waited 30 min") as raised:
        backlog("--max-age", "15")

    assert raised.value.returncode == 1


def test_backlog_with_max_age_passes_when_everything_is_fresh():
    # The schedules made at migrate are due from the test database's creation on; a cluster
    # would have run them by now.
    Schedule.objects.update(next_run=timezone.now())
    outbox(OutboxMessage.Status.PENDING, age_minutes=2)
    outbox(OutboxMessage.Status.PENDING, age_minutes=60, next_attempt_in_minutes=5)

    assert "Due now: 1" in backlog("--max-age", "15")


def test_backlog_names_a_late_schedule_as_a_sign_that_no_cluster_runs():
    Schedule.objects.create(
        func="schoolportal.notifications.outbox.sweep",
        schedule_type=Schedule.MINUTES,
        minutes=1,
        next_run=timezone.now() - timedelta(hours=1),
    )

    with pytest.raises(CommandError, match="schedule"):
        backlog("--max-age", "15")
    assert "Late schedule: schoolportal.notifications.outbox.sweep" in backlog()


# --- Log lines ---------------------------------------------------------------------------------


def test_json_lines_carry_the_message_and_extra_fields():
    record = logging.makeLogRecord(
        {"name": "schoolportal.x", "levelname": "WARNING", "msg": "outbox %s", "args": (7,)}
    )
    record.task = "deliver_pending"

    line = json.loads(JsonFormatter().format(record))

    assert line["message"] == "outbox 7"
    assert line["level"] == "WARNING"
    assert line["logger"] == "schoolportal.x"
    assert line["task"] == "deliver_pending"


def test_a_failed_login_is_logged_with_an_account_reference_not_the_address(client, caplog):
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.INFO, logger="axes")

    client.post(reverse("accounts:login"), {"username": "iemand@example.org", "password": "x"})

    lines = [record.getMessage() for record in caplog.records if record.name.startswith("axes")]
    assert any(account_reference("iemand@example.org") in line for line in lines)
    assert not any("iemand@example.org" in line for line in lines)


def personal_data():
    """Every address and name of the demo school's people (the needles)."""
    needles = set()
    for guardian in Guardian.objects.all():
        needles |= {guardian.email, guardian.first_name, guardian.last_name}
    for pupil in Pupil.objects.all():
        needles |= {pupil.first_name, pupil.last_name}
    for staff in StaffMember.objects.select_related("user"):
        needles |= {staff.email, staff.display_name, staff.user and staff.user.email}
    return {needle for needle in needles if needle and len(needle) > 2}


def test_no_log_line_of_a_parent_and_a_staff_journey_holds_personal_data(demo_school, caplog):
    caplog.set_level(logging.DEBUG, logger="schoolportal")
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.INFO, logger="axes")
    parent = Client()
    parent.post(
        reverse("accounts:login"), {"username": "ouder.jansen@example.org", "password": "fout"}
    )
    parent.post(
        reverse("accounts:login"),
        {"username": "ouder.jansen@example.org", "password": DEMO_PASSWORD},
    )
    for name in ["portal:dashboard", "portal:profile", "portal:children", "portal:school"]:
        assert parent.get(reverse(name)).status_code == 200, name
    assert parent.get(reverse("mailings:index")).status_code == 200
    assert parent.get(reverse("portal:child", args=[10**6])).status_code == 404
    staff = Client()
    staff.post(
        reverse("accounts:login"), {"username": "directie@example.org", "password": DEMO_PASSWORD}
    )
    assert staff.get("/admin/").status_code == 200
    pupil = Pupil.objects.filter(school=demo_school).first()
    assert staff.get(f"/admin/snippets/people/pupil/edit/{pupil.pk}/").status_code in {200, 302}

    formatter = JsonFormatter()
    lines = [formatter.format(record) for record in caplog.records]
    assert lines, "the journey logged nothing: the test would prove nothing"
    needles = personal_data()
    leaks = {needle for needle in needles for line in lines if needle in line}
    assert not leaks, leaks
