"""The outbox delivers every e-mail exactly once: double publish, failures, dead workers."""

import email
import smtplib
import socket
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django_q.models import Schedule

from schoolportal.notifications import outbox
from schoolportal.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

KIND = "test-notice"
Status = OutboxMessage.Status


@pytest.fixture(autouse=True)
def notice_renderer():
    """A renderer like a feature's: everything comes from the cause, nothing from the row."""

    def render(message):
        notice = EmailMultiAlternatives(
            subject=f"Mededeling {message.cause_id}",
            body="Morgen is de school om 12.00 uur uit.",
            headers={"Auto-Submitted": "auto-generated"},
        )
        notice.attach_alternative("<p>Morgen is de school om 12.00 uur uit.</p>", "text/html")
        notice.attach("rooster.pdf", b"%PDF-1.4 rooster", "application/pdf")
        return notice

    outbox.RENDERERS[KIND] = render
    yield
    outbox.RENDERERS.pop(KIND, None)


def recipients(count):
    return [(f"ouder{n}@example.org", None) for n in range(count)]


def later(minutes):
    """Pretend the clock moved on: due rows and stale claims are judged by timezone.now()."""
    moved = outbox.timezone.now() + timedelta(minutes=minutes)
    return mock.patch("django.utils.timezone.now", return_value=moved)


def test_rows_are_written_with_the_cause_and_sent_after_commit(committed):
    with committed():
        outbox.queue(KIND, 7, recipients(3))

    assert OutboxMessage.objects.filter(status=Status.SENT).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == [f"ouder{n}@example.org" for n in range(3)]


def test_a_rolled_back_cause_queues_and_sends_nothing(committed):
    with committed(), transaction.atomic():
        outbox.queue(KIND, 7, recipients(3))
        transaction.set_rollback(True)

    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_queueing_the_same_cause_twice_sends_each_recipient_one_email(committed):
    with committed():
        outbox.queue(KIND, 7, recipients(3))
    with committed():
        outbox.queue(KIND, 7, [*recipients(3), ("OUDER1@example.org", None)])

    assert OutboxMessage.objects.count() == 3
    assert len(mail.outbox) == 3


def test_task_arguments_are_a_kind_and_an_id_only(committed):
    with mock.patch("schoolportal.notifications.queue.async_task") as async_task, committed():
        outbox.queue(KIND, 7, recipients(2))

    args = async_task.call_args.args
    assert args == ("schoolportal.notifications.outbox.deliver_pending", KIND, 7)


def test_a_failed_send_is_retried_with_backoff_and_then_delivered(committed):
    with (
        mock.patch.object(
            mail.get_connection().__class__, "send_messages", side_effect=OSError("down")
        ),
        committed(),
    ):
        outbox.queue(KIND, 7, recipients(1))
    message = OutboxMessage.objects.get()
    assert message.status == Status.PENDING
    assert message.attempts == 1
    assert "OSError" in message.last_error
    assert mail.outbox == []

    with later(3), committed():
        outbox.sweep()

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert len(mail.outbox) == 1


def test_after_the_last_attempt_a_message_is_failed_and_staff_can_retry(committed, settings):
    settings.EMAIL_SEND_ATTEMPTS = 1
    with (
        mock.patch.object(
            mail.get_connection().__class__, "send_messages", side_effect=OSError("down")
        ),
        committed(),
    ):
        outbox.queue(KIND, 7, recipients(1))
    assert OutboxMessage.objects.get().status == Status.FAILED

    with later(1), committed():
        assert outbox.sweep() == (0, 0)  # failed rows are not retried by themselves
        outbox.retry(KIND, 7)

    assert OutboxMessage.objects.get().status == Status.SENT
    assert len(mail.outbox) == 1


def test_a_worker_killed_between_sending_and_marking_never_sends_twice(committed):
    """The crash: the message left over SMTP, the row still says 'sending'."""
    real_mark = outbox._mark_sent
    calls = {"n": 0}

    def die_after_second_send(pk):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")
        real_mark(pk)

    with (
        mock.patch.object(outbox, "_mark_sent", die_after_second_send),
        pytest.raises(SystemExit),
        committed(),
    ):
        outbox.queue(KIND, 7, recipients(5))
    assert len(mail.outbox) == 2  # the first, and the one whose marking died

    with later(10), committed():
        interrupted, requeued = outbox.sweep()

    assert (interrupted, requeued) == (1, 1)
    delivered = [m.to[0] for m in mail.outbox]
    assert len(delivered) == 5
    assert len(set(delivered)) == 5  # nobody twice, nobody lost
    assert OutboxMessage.objects.filter(status=Status.SENT).count() == 4
    assert OutboxMessage.objects.filter(status=Status.INTERRUPTED).count() == 1


def test_rows_of_a_worker_that_never_started_are_picked_up_by_the_sweeper():
    with mock.patch("schoolportal.notifications.queue.async_task"), transaction.atomic():
        outbox.queue(KIND, 7, recipients(4))
    assert mail.outbox == []

    with later(5):
        outbox.sweep()
        # the sweeper's enqueue runs on commit: in tests, run what it queued directly
        outbox.deliver_pending(KIND, 7)

    assert len({m.to[0] for m in mail.outbox}) == 4
    assert len(mail.outbox) == 4


def test_the_sweeper_and_scheduled_publishing_run_every_minute_as_django_q_schedules():
    from schoolportal.notifications.schedules import PUBLISH_SCHEDULED, SWEEP, ensure_schedules

    ensure_schedules()
    ensure_schedules()

    schedule = Schedule.objects.get(func=SWEEP)
    assert schedule.schedule_type == Schedule.MINUTES
    publishing = Schedule.objects.get(func=PUBLISH_SCHEDULED)
    assert (publishing.args, publishing.minutes) == ("'publish_scheduled'", 1)
    assert Schedule.objects.filter(func__in=[SWEEP, PUBLISH_SCHEDULED]).count() == 2
    assert schedule.minutes == 1


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_message_arrives_over_real_smtp_multipart_with_its_attachment(committed, settings):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    port = free_port()
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "schoolportal.notifications.smtp.EmailBackend"  # production's
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.DEFAULT_FROM_EMAIL = "De Regenboog <portaal@deregenboog.example.org>"
        with committed():
            outbox.queue(KIND, 7, recipients(1))
    finally:
        controller.stop()

    assert len(received) == 1
    message = email.message_from_bytes(received[0].as_bytes())
    assert message["To"] == "ouder0@example.org"
    assert message["From"] == "De Regenboog <portaal@deregenboog.example.org>"
    assert message["Message-ID"] and message["Date"]
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.is_multipart()
    parts = {part.get_content_type(): part for part in message.walk()}
    assert {"text/plain", "text/html", "application/pdf"} <= set(parts)
    assert parts["application/pdf"].get_payload(decode=True) == b"%PDF-1.4 rooster"
    assert OutboxMessage.objects.get().status == Status.SENT


def test_a_large_cause_is_shared_by_the_workers_each_sending_its_own_rows(committed, settings):
    settings.OUTBOX_SENDERS = 3
    addresses = recipients(250)

    with mock.patch("schoolportal.notifications.queue.async_task") as async_task, committed():
        outbox.queue(KIND, 7, addresses)

    calls = [call.args for call in async_task.call_args_list]
    assert calls == [(outbox.DELIVER, KIND, 7, part, 3) for part in range(3)]
    for _func, *args in calls:
        outbox.deliver_pending(*args)
        sent_now = OutboxMessage.objects.filter(status=Status.SENT)
        assert all(pk % 3 <= args[2] for pk in sent_now.values_list("pk", flat=True))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(email for email, _ in addresses)


def test_the_workers_of_every_task_host_share_a_large_cause(committed, settings):
    """Two task hosts of two workers each: four parts, though this host runs two."""
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "workers": 2}
    settings.OUTBOX_SENDERS = 4

    with mock.patch("schoolportal.notifications.queue.async_task") as async_task, committed():
        outbox.queue(KIND, 6, recipients(1000))

    assert [call.args[3:] for call in async_task.call_args_list] == [(p, 4) for p in range(4)]


def test_a_small_cause_is_one_task(committed, settings):
    settings.OUTBOX_SENDERS = 3

    with mock.patch("schoolportal.notifications.queue.async_task") as async_task, committed():
        outbox.queue(KIND, 8, [("een@example.org", None), ("twee@example.org", None)])

    assert [call.args for call in async_task.call_args_list] == [(outbox.DELIVER, KIND, 8)]


def test_a_task_that_runs_out_of_time_hands_the_rest_to_a_new_task(committed, monkeypatch):
    with mock.patch("schoolportal.notifications.queue.async_task"), committed():
        outbox.queue(KIND, 9, recipients(5))
    monkeypatch.setattr(outbox, "TIME_BUDGET", -1)  # already out of time

    with mock.patch("schoolportal.notifications.queue.async_task") as async_task:
        assert outbox.deliver_pending(KIND, 9) == 0

    assert [call.args for call in async_task.call_args_list] == [(outbox.DELIVER, KIND, 9)]
    assert OutboxMessage.objects.filter(status=Status.PENDING).count() == 5


class FakeSMTPConnection:
    """What smtplib leaves behind: whether the last message's data reached the server."""

    handed_over = False


def test_a_connection_lost_after_the_message_went_out_is_never_sent_again(committed):
    """The server may have taken it: a second copy would be a duplicate. Staff see it."""
    backend = mail.get_connection().__class__

    def lost_after_data(self, messages):
        self.connection = FakeSMTPConnection()
        self.connection.handed_over = True
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    with mock.patch.object(backend, "send_messages", lost_after_data), committed():
        outbox.queue(KIND, 7, recipients(2))

    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.INTERRUPTED}
    with later(5), committed():
        outbox.sweep()
    assert mail.outbox == []


def test_a_server_that_hung_up_before_the_message_is_reconnected(committed):
    backend = mail.get_connection().__class__
    real_send = backend.send_messages
    hung_up = []

    def once_hung_up(self, messages):
        if not hung_up:
            hung_up.append(True)
            raise smtplib.SMTPServerDisconnected("please run connect() first")
        return real_send(self, messages)

    with mock.patch.object(backend, "send_messages", once_hung_up), committed():
        outbox.queue(KIND, 7, recipients(3))

    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.SENT}
    assert len(mail.outbox) == 3


def test_an_unreachable_server_stops_the_task_at_the_first_message(committed):
    backend = mail.get_connection().__class__
    calls = []

    def unreachable(self, messages):
        calls.append(messages)
        raise ConnectionRefusedError("no mail server")

    with mock.patch.object(backend, "send_messages", unreachable), committed():
        outbox.queue(KIND, 7, recipients(5))

    assert len(calls) == 1  # not five connection attempts of EMAIL_TIMEOUT each
    assert OutboxMessage.objects.filter(status=Status.PENDING, attempts=0).count() == 4


def test_the_time_budget_is_checked_before_every_message(committed, monkeypatch):
    clock = iter(range(100))
    monkeypatch.setattr(outbox.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(outbox, "TIME_BUDGET", 2.5)  # room for two messages

    with mock.patch("schoolportal.notifications.queue.async_task") as async_task, committed():
        outbox.queue(KIND, 7, recipients(5))
    with mock.patch("schoolportal.notifications.queue.async_task") as continuation:
        outbox.deliver_pending(KIND, 7)

    assert async_task.called
    assert OutboxMessage.objects.filter(status=Status.SENT).count() == 2
    assert [call.args for call in continuation.call_args_list] == [(outbox.DELIVER, KIND, 7)]


def test_the_smtp_backend_knows_when_a_message_was_handed_over():
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    from schoolportal.notifications import smtp

    port = free_port()
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        backend = smtp.EmailBackend(host="127.0.0.1", port=port, use_tls=False)
        with backend:
            smtp.forget_hand_over(backend)
            assert not smtp.handed_over(backend)
            backend.send_messages([mail.EmailMessage("Test", "Hallo", to=["ouder@example.org"])])
            assert smtp.handed_over(backend)
            smtp.forget_hand_over(backend)
            assert not smtp.handed_over(backend)
    finally:
        controller.stop()
