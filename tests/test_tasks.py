"""E-mail tasks: plain arguments, retries on SMTP trouble, no secrets in the queue."""

import ast
import re
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from django_q.models import Schedule, Task
from django_q.scheduler import scheduler
from django_q.tasks import async_task

from schoolportal.accounts.invitations import invite
from schoolportal.accounts.models import Invitation
from schoolportal.notifications.tasks import send_invitation_email, send_password_reset_email
from tests.factories import (
    GuardianFactory,
    PupilFactory,
    StaffMemberFactory,
    UserFactory,
    parent_of,
)


def retry_schedules():
    """The one-off retry schedules, not the standing ones (outbox sweeper, publishing)."""
    return Schedule.objects.filter(schedule_type=Schedule.ONCE)


pytestmark = pytest.mark.django_db

BASE_URL = "http://testserver/"
RESET_TASK = "schoolportal.notifications.tasks.send_password_reset_email"
INVITATION_TASK = "schoolportal.notifications.tasks.send_invitation_email"
LOCMEM_SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"
TRANSIENT = [
    smtplib.SMTPServerDisconnected("weg"),
    smtplib.SMTPDataError(451, "probeer later"),
    ConnectionRefusedError(),
]


@pytest.fixture
def queued():
    """Record what goes onto the django-q2 queue, still running the task (sync in tests)."""
    with mock.patch("schoolportal.notifications.queue.async_task", side_effect=async_task) as spy:
        yield spy


def reset_token(message):
    match = re.search(r"/account/wachtwoord-instellen/[^/]+/([^/\s]+)/", message.body)
    assert match, message.body
    return match.group(1)


def invitation_token(message):
    match = re.search(r"/account/uitnodiging/([^/\s]+)/", message.body)
    assert match, message.body
    return match.group(1)


def assert_plain(values):
    for value in values:
        assert value is None or type(value) in (int, str), repr(value)


def only_schedule():
    schedule = retry_schedules().get()
    return schedule, ast.literal_eval(schedule.args), ast.literal_eval(schedule.kwargs)


# --- What goes onto the queue ----------------------------------------------------------


def test_password_reset_request_queues_only_ids_and_the_base_url(client, committed, queued):
    user = parent_of(PupilFactory()).user

    with committed():
        client.post("/account/wachtwoord-vergeten/", {"email": user.email})

    queued.assert_called_once()
    args, kwargs = queued.call_args
    assert args == (RESET_TASK, user.pk, BASE_URL)
    assert_plain(args)
    assert set(kwargs) == {"task_name"}
    assert len(mail.outbox) == 1


def test_password_reset_token_never_enters_the_queue(client, committed, queued):
    user = parent_of(PupilFactory()).user

    with committed():
        client.post("/account/wachtwoord-vergeten/", {"email": user.email})

    token = reset_token(mail.outbox[0])
    assert token not in repr(queued.call_args_list)
    for task in Task.objects.all():
        assert token not in repr(task.args) + repr(task.kwargs) + repr(task.result)


def test_password_reset_token_is_not_in_a_retry_schedule():
    user = UserFactory()

    with mock.patch(LOCMEM_SEND, side_effect=smtplib.SMTPServerDisconnected("weg")):
        send_password_reset_email(user.pk, BASE_URL)
    retry_schedules().update(next_run=timezone.now() - timedelta(seconds=1))
    scheduler()

    token = reset_token(mail.outbox[0])
    schedule = retry_schedules().get()
    assert token not in schedule.args + schedule.kwargs
    assert user.email not in schedule.args


def test_invite_queues_only_ids_and_the_base_url(committed, queued):
    guardian = GuardianFactory(user=None, email="nieuw@example.org")
    inviter = StaffMemberFactory().user

    with committed():
        user = invite(guardian, inviter, BASE_URL)

    queued.assert_called_once()
    args, _ = queued.call_args
    assert args == (INVITATION_TASK, user.pk, inviter.pk, BASE_URL)
    assert_plain(args)
    token = invitation_token(mail.outbox[0])
    assert token not in repr(queued.call_args_list)
    assert Invitation.find(token).user == user


# --- The tasks themselves -------------------------------------------------------------


def test_password_reset_task_mails_a_link_for_the_user():
    user = UserFactory()

    send_password_reset_email(user.pk, BASE_URL)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.alternatives[0][1] == "text/html"
    assert reset_token(message) in message.alternatives[0][0]


@pytest.mark.parametrize("kind", ["missing", "inactive", "no usable password"])
def test_password_reset_task_sends_nothing_for_unusable_accounts(kind):
    if kind == "missing":
        user_id = 987654
    elif kind == "inactive":
        user_id = UserFactory(is_active=False).pk
    else:
        user_id = UserFactory(password=None).pk

    send_password_reset_email(user_id, BASE_URL)

    assert mail.outbox == []
    assert not retry_schedules().exists()


def test_invitation_task_sends_nothing_for_an_inactive_account():
    user = UserFactory(is_active=False, password=None)

    send_invitation_email(user.pk, None, BASE_URL)

    assert mail.outbox == []
    assert not Invitation.objects.exists()


# --- Retries ----------------------------------------------------------------------------


@pytest.mark.parametrize("error", TRANSIENT, ids=type)
def test_password_reset_task_schedules_a_retry_on_transient_failure(error):
    user = UserFactory()

    with mock.patch(LOCMEM_SEND, side_effect=error):
        send_password_reset_email(user.pk, BASE_URL)

    schedule, args, kwargs = only_schedule()
    assert schedule.func == RESET_TASK
    assert schedule.schedule_type == Schedule.ONCE
    assert args == (user.pk, BASE_URL)
    assert kwargs == {"attempt": 2}
    assert schedule.next_run > timezone.now()
    assert mail.outbox == []


def test_invitation_task_schedules_a_retry_and_does_not_mark_the_invitation_sent():
    user = UserFactory(password=None)
    inviter = StaffMemberFactory().user

    with mock.patch(LOCMEM_SEND, side_effect=smtplib.SMTPServerDisconnected("weg")):
        send_invitation_email(user.pk, inviter.pk, BASE_URL)

    schedule, args, kwargs = only_schedule()
    assert schedule.func == INVITATION_TASK
    assert schedule.schedule_type == Schedule.ONCE
    assert args == (user.pk, inviter.pk, BASE_URL)
    assert kwargs == {"attempt": 2}
    assert Invitation.objects.get(user=user).sent_at is None


def test_retries_back_off():
    user = UserFactory()
    delays = []

    with mock.patch(LOCMEM_SEND, side_effect=smtplib.SMTPServerDisconnected("weg")):
        for attempt in (1, 2, 3):
            before = timezone.now()
            send_password_reset_email(user.pk, BASE_URL, attempt=attempt)
            schedule = retry_schedules().latest("id")
            assert ast.literal_eval(schedule.kwargs) == {"attempt": attempt + 1}
            delays.append(schedule.next_run - before)

    assert delays[0] < delays[1] < delays[2]
    assert delays[0] >= timedelta(seconds=50)


@pytest.mark.parametrize(
    ("task", "args"),
    [
        (send_password_reset_email, ("user", BASE_URL)),
        (send_invitation_email, ("user", None, BASE_URL)),
    ],
    ids=["password_reset", "invitation"],
)
def test_task_raises_after_the_last_attempt(task, args):
    user = UserFactory(password=None) if task is send_invitation_email else UserFactory()
    args = tuple(user.pk if arg == "user" else arg for arg in args)

    with (
        mock.patch(LOCMEM_SEND, side_effect=smtplib.SMTPServerDisconnected("weg")),
        pytest.raises(smtplib.SMTPException),
    ):
        task(*args, attempt=settings.EMAIL_SEND_ATTEMPTS)

    assert not retry_schedules().exists()


def test_attempt_before_the_last_does_not_raise():
    user = UserFactory()

    with mock.patch(LOCMEM_SEND, side_effect=smtplib.SMTPServerDisconnected("weg")):
        send_password_reset_email(user.pk, BASE_URL, attempt=settings.EMAIL_SEND_ATTEMPTS - 1)

    assert ast.literal_eval(retry_schedules().get().kwargs) == {
        "attempt": settings.EMAIL_SEND_ATTEMPTS
    }


def test_scheduled_retry_runs_and_delivers_the_email():
    user = UserFactory()
    with mock.patch(LOCMEM_SEND, side_effect=smtplib.SMTPServerDisconnected("weg")):
        send_password_reset_email(user.pk, BASE_URL)
    retry_schedules().update(next_run=timezone.now() - timedelta(seconds=1))

    scheduler()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]


def test_scheduled_invitation_retry_sends_a_working_link(client):
    user = UserFactory(password=None)
    with mock.patch(LOCMEM_SEND, side_effect=smtplib.SMTPServerDisconnected("weg")):
        send_invitation_email(user.pk, None, BASE_URL)
    retry_schedules().update(next_run=timezone.now() - timedelta(seconds=1))

    scheduler()

    token = invitation_token(mail.outbox[0])
    assert client.get(f"/account/uitnodiging/{token}/").status_code == 200
    assert Invitation.objects.filter(user=user).usable().count() == 1
    assert Invitation.find(token).sent_at is not None
