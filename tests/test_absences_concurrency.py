"""Two workers at once (PostgreSQL): one reminder, one automatic return.

The daily run claims a report with a conditional UPDATE; the row count says which worker
sends. SQLite queues its writers (IMMEDIATE transactions), so the race needs PostgreSQL:
``site/deploy/test_postgres_redis.sh`` runs these.
"""

import threading
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection

from schoolportal.absences import lifecycle
from schoolportal.absences.models import AbsenceReminder, AbsenceReport, EndedBy, Reason
from schoolportal.notifications.models import OutboxMessage
from tests.absence_helpers import at, family

pytestmark = [
    # Rows the migrations made (the root collection, the page tree) come back after each test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="SQLite runs one writer at a time anyway"
    ),
]

WORKERS = 6
MONDAY = date(2027, 3, 8)


def at_once(function, *args):
    """Run ``function(*args)`` in WORKERS threads released together; their results."""
    barrier = threading.Barrier(WORKERS)
    results, errors = [], []

    def work():
        try:
            barrier.wait()
            results.append(function(*args))
        except Exception as error:  # reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


@pytest.fixture
def reports():
    """Five children expected back on Wednesday: reminded on Tuesday."""
    made = []
    for n in range(5):
        home = family(teacher_email=f"juf{n}@example.org")
        made.append(
            AbsenceReport.objects.create(
                pupil=home.child,
                school=home.child.school,
                group=home.group,
                reason=Reason.ILLNESS,
                first_day=MONDAY,
                expected_return=MONDAY + timedelta(days=2),
            )
        )
    return made


def test_workers_at_once_send_one_reminder_per_report(reports):
    with at(MONDAY + timedelta(days=1)):
        reminded = at_once(lifecycle.remind_due, MONDAY + timedelta(days=1))

    assert sum(reminded) == len(reports)
    assert AbsenceReminder.objects.count() == len(reports)
    rows = OutboxMessage.objects.filter(kind=lifecycle.REMINDER)
    assert rows.count() == 2 * len(reports)  # two guardians each
    assert len([m for m in mail.outbox if "loopt af" in m.subject]) == 2 * len(reports)


def test_one_report_claimed_by_every_worker_at_once_is_sent_by_one(reports):
    with at(MONDAY + timedelta(days=1)):
        results = at_once(lifecycle.remind, reports[0])

    assert sorted(results) == [0] * (WORKERS - 1) + [1]
    assert AbsenceReminder.objects.filter(report=reports[0]).count() == 1


def test_workers_at_once_bring_each_child_back_once(reports):
    wednesday = MONDAY + timedelta(days=2)
    with at(wednesday, hour=0):
        ended = at_once(lifecycle.return_due, wednesday)

    assert sum(ended) == len(reports)
    assert set(AbsenceReport.objects.values_list("ended_by", "returned_on")) == {
        (EndedBy.AUTOMATIC, wednesday)
    }
