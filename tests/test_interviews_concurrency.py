"""Parents submitting the same time at the same moment: exactly one gets it, the others are
told it is taken and see the free times, on SQLite and on PostgreSQL.

The proof is the database's constraint (one booking per slot): the checks in Python pass
for every parent at once. See ``tests.interview_race`` for how each database runs it.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from schoolportal.interviews.models import InterviewBooking
from tests.interview_race import race, world

FAMILIES = 4
REPETITIONS = 25
ROOT = Path(__file__).resolve().parent.parent


def assert_one_winner_per_slot(outcomes):
    assert len(outcomes) == REPETITIONS
    for per_family in outcomes:
        assert sorted(tuple(outcome) for outcome in per_family) == [(302, False)] + [
            (400, True)
        ] * (FAMILIES - 1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite: see the test below")
def test_parents_at_once_on_postgresql_one_wins_each_time():
    interview_round, users, children = world(FAMILIES)

    outcomes, errors = race(interview_round, users, children, REPETITIONS)

    assert errors == []
    assert_one_winner_per_slot(outcomes)
    bookings = InterviewBooking.objects.filter(round=interview_round)
    # A winner who wins again moves their child's booking: one per child at most.
    assert 0 < bookings.count() <= FAMILIES
    assert bookings.values("slot").distinct().count() == bookings.count()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL: see the test above")
def test_parents_at_once_on_sqlite_one_wins_each_time(tmp_path):
    database = tmp_path / "race.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "schoolportal.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
        "SCHOOLPORTAL_VAR_DIR": str(tmp_path),
    }
    env.pop("REDIS_URL", None)
    finished = subprocess.run(  # noqa: S603  (this interpreter, fixed arguments)
        [sys.executable, "-m", "tests.interview_race", str(FAMILIES), str(REPETITIONS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    result = json.loads(finished.stdout.strip().splitlines()[-1])

    assert result["errors"] == []
    assert_one_winner_per_slot(result["outcomes"])
    assert 0 < result["bookings"] <= FAMILIES
