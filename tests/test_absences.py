"""Absent melden, the whole life cycle with a frozen clock: report, confirmation and the
teacher's notice, one reminder, the automatic return, extending, weekends and holidays."""

import re
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from schoolportal.absences import lifecycle
from schoolportal.absences.models import AbsenceReminder, AbsenceReport, EndedBy, Reason
from tests.absence_helpers import at, family, holiday

pytestmark = pytest.mark.django_db

MONDAY = date(2027, 3, 8)
TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY = (MONDAY + timedelta(days=n) for n in range(1, 6))
NEXT_MONDAY = MONDAY + timedelta(days=7)


@pytest.fixture
def home():
    return family()


@pytest.fixture
def parent(client, home):
    client.user = home.parent.user
    return client


@contextmanager
def on(client, day, hour=10):
    """The parent's visit at a frozen moment (logged in then: sessions time out)."""
    with at(day, hour):
        client.force_login(client.user)
        yield client


def report(client, home, committed, day=MONDAY, **fields):
    data = {
        "pupil": home.child.pk,
        "reason": Reason.ILLNESS,
        "explanation": "",
        "first_day": day.isoformat(),
        "expected_return": "",
        **fields,
    }
    with on(client, day), committed():
        return client.post(reverse("absences:report"), data)


def run(day, hour=10):
    with at(day, hour):
        return lifecycle.run()


def reminders():
    return sorted(m.to[0] for m in mail.outbox if "loopt af" in m.subject)


def test_report_confirms_to_every_guardian_and_tells_the_teacher_once(parent, home, committed):
    response = report(parent, home, committed, expected_return=WEDNESDAY.isoformat())

    assert response.status_code == 302
    assert response["Location"].endswith(f"#kind-{home.child.pk}")
    confirmations = sorted(m.to[0] for m in mail.outbox if "ontvangen" in m.subject)
    assert confirmations == ["marieke@example.org", "peter@example.org"]
    notices = [m for m in mail.outbox if m.subject.startswith("Absent gemeld")]
    assert [m.to[0] for m in notices] == ["juf.bakker@example.org"]
    assert "Daan Jansen" in notices[0].body and "ziek" in notices[0].body
    compose = "http://testserver" + reverse("conversations:compose")
    for confirmation in (m for m in mail.outbox if "ontvangen" in m.subject):
        assert confirmation.reply_to == []  # the e-mail says where to answer instead
        for part in (confirmation.body, confirmation.alternatives[0][0]):
            assert "Op deze e-mail kunt u niet antwoorden." in part and compose in part
    saved = AbsenceReport.objects.get()
    assert (saved.first_day, saved.expected_return, saved.group) == (
        MONDAY,
        WEDNESDAY,
        home.group,
    )
    # Delivering again (the sweeper, a second worker) sends nobody anything twice.
    with at(MONDAY):
        from schoolportal.notifications import outbox

        outbox.deliver_pending(lifecycle.CONFIRMATION, saved.pk)
        outbox.deliver_pending(lifecycle.TEACHER_NOTICE, saved.pk)
    assert len(mail.outbox) == 3


def test_second_report_for_the_same_days_is_refused_with_a_link_to_the_open_one(
    parent, home, committed
):
    report(parent, home, committed, expected_return=WEDNESDAY.isoformat())
    mail.outbox.clear()

    response = report(
        parent,
        home,
        committed,
        day=TUESDAY,
        reason=Reason.DOCTOR,
        expected_return=THURSDAY.isoformat(),
    )

    assert response.status_code == 400
    first = AbsenceReport.objects.get()
    assert reverse("absences:change", args=[first.pk]) in response.text
    assert "Er loopt al een absentiemelding" in response.text
    # What was typed is still there.
    assert re.search(r'value="doctor"[^>]*checked', response.text)
    assert f'value="{THURSDAY.isoformat()}"' in response.text
    assert AbsenceReport.objects.count() == 1
    assert mail.outbox == []


def test_reminder_goes_out_once_the_school_day_before_and_the_child_is_back_on_the_day(
    parent, home, committed
):
    report(parent, home, committed, expected_return=WEDNESDAY.isoformat())
    mail.outbox.clear()

    with committed():
        assert run(MONDAY) == (0, 0)
        assert run(TUESDAY, hour=6) == (0, 0)  # reminders wait for the morning
        assert run(TUESDAY) == (0, 1)
        assert run(TUESDAY, hour=15) == (0, 0)
    assert reminders() == ["marieke@example.org", "peter@example.org"]
    assert reverse("absences:change", args=[AbsenceReport.objects.get().pk]) in mail.outbox[0].body
    assert "Op deze e-mail kunt u niet antwoorden." in mail.outbox[0].alternatives[0][0]

    with committed():
        assert run(WEDNESDAY, hour=0) == (1, 0)
        assert run(WEDNESDAY) == (0, 0)
    ended = AbsenceReport.objects.get()
    assert (ended.ended_by, ended.returned_on) == (EndedBy.AUTOMATIC, WEDNESDAY)
    assert len(reminders()) == 2


def test_extending_after_the_reminder_moves_it_to_the_new_date(parent, home, committed):
    report(parent, home, committed, expected_return=WEDNESDAY.isoformat())
    saved = AbsenceReport.objects.get()
    with committed():
        run(TUESDAY)
    assert len(reminders()) == 2

    with on(parent, TUESDAY, 18), committed():
        response = parent.post(
            reverse("absences:change", args=[saved.pk]), {"expected_return": FRIDAY.isoformat()}
        )
    assert response.status_code == 302

    with committed():
        assert run(WEDNESDAY) == (0, 0)  # not back, not reminded again yet
        assert run(THURSDAY) == (0, 1)
        assert run(FRIDAY) == (1, 0)
    assert len(reminders()) == 4
    assert list(
        AbsenceReminder.objects.values_list("expected_return", flat=True).order_by("pk")
    ) == [
        WEDNESDAY,
        FRIDAY,
    ]
    assert AbsenceReport.objects.get().returned_on == FRIDAY


def test_return_on_saturday_means_present_on_monday_reminded_on_friday(parent, home, committed):
    report(parent, home, committed, expected_return=SATURDAY.isoformat())
    mail.outbox.clear()

    with committed():
        assert run(THURSDAY) == (0, 0)
        assert run(FRIDAY) == (0, 1)
        assert run(SATURDAY) == (0, 0)
        assert run(SATURDAY + timedelta(days=1)) == (0, 0)
        assert run(NEXT_MONDAY, hour=1) == (1, 0)
    assert AbsenceReport.objects.get().returned_on == NEXT_MONDAY
    assert "maandag 15 maart 2027" in mail.outbox[0].body


def test_holidays_move_the_return_and_the_reminder(parent, home, committed):
    # Spring holiday Monday 15 – Friday 19 March: a child expected back on Tuesday 16 is at
    # school on Monday 22, and the guardians hear about it on Friday 12.
    holiday(home.child.school, NEXT_MONDAY, NEXT_MONDAY + timedelta(days=4))
    report(parent, home, committed, expected_return=(NEXT_MONDAY + timedelta(days=1)).isoformat())
    mail.outbox.clear()

    with committed():
        assert run(THURSDAY) == (0, 0)
        assert run(FRIDAY) == (0, 1)
        for day in range(1, 14):
            run(FRIDAY + timedelta(days=day), hour=0)
    ended = AbsenceReport.objects.get()
    assert ended.returned_on == NEXT_MONDAY + timedelta(days=7)
    assert len(reminders()) == 2


def test_missed_runs_are_made_up_and_repeated_runs_change_nothing(parent, home, committed):
    report(parent, home, committed, expected_return=NEXT_MONDAY.isoformat())
    mail.outbox.clear()

    with committed():
        # Nothing ran on Friday (down, or a clock change): Saturday's run still reminds.
        assert run(SATURDAY, hour=9) == (0, 1)
        # Nothing ran on Monday: Wednesday's run brings the child back as of Monday.
        assert run(NEXT_MONDAY + timedelta(days=2)) == (1, 0)
        assert run(NEXT_MONDAY + timedelta(days=2)) == (0, 0)
    assert AbsenceReport.objects.get().returned_on == NEXT_MONDAY
    assert len(reminders()) == 2


def test_illness_without_return_date_stays_open_until_somebody_ends_it(parent, home, committed):
    report(parent, home, committed)
    saved = AbsenceReport.objects.get()
    with committed():
        for day in range(30):
            run(MONDAY + timedelta(days=day))
    saved.refresh_from_db()
    assert saved.is_open and not reminders()

    with on(parent, THURSDAY):
        response = parent.post(reverse("absences:end", args=[saved.pk]))
        assert response.status_code == 302
        assert parent.get(reverse("absences:end", args=[saved.pk])).status_code == 404
    saved.refresh_from_db()
    assert (saved.ended_by, saved.returned_on) == (EndedBy.PARENT, THURSDAY)


def test_a_report_ended_twice_at_once_ends_once(home):
    saved = AbsenceReport.objects.create(
        pupil=home.child,
        school=home.child.school,
        group=home.group,
        reason=Reason.ILLNESS,
        first_day=MONDAY,
    )
    with at(TUESDAY):
        assert lifecycle.end(saved, EndedBy.PARENT) is True
        assert lifecycle.end(saved, EndedBy.STAFF) is False
    saved.refresh_from_db()
    assert saved.ended_by == EndedBy.PARENT


def test_index_shows_current_and_past_reports_per_child(parent, home, committed):
    AbsenceReport.objects.create(
        pupil=home.child,
        school=home.child.school,
        group=home.group,
        reason=Reason.DOCTOR,
        first_day=MONDAY - timedelta(days=20),
        expected_return=MONDAY - timedelta(days=19),
        ended_at=None,
    )
    with committed():
        run(MONDAY)  # the old one ends automatically
    report(parent, home, committed, expected_return=SATURDAY.isoformat())

    with on(parent, MONDAY):
        page = parent.get(reverse("absences:index"))
    assert page.status_code == 200
    text = page.text
    assert "verwacht terug op maandag 15 maart" in text
    assert "arts/tandarts" in text and "automatisch" in text


def test_migrate_makes_one_schedule_and_django_q_runs_it(parent, home, committed):
    from django_q.models import Schedule
    from django_q.scheduler import scheduler

    from schoolportal.absences.schedule import RUN, ensure_schedule

    ensure_schedule()
    ensure_schedule()
    assert Schedule.objects.filter(func=RUN).count() == 1  # made by migrate, not again

    report(parent, home, committed, expected_return=TUESDAY.isoformat())
    with at(TUESDAY, hour=0, minute=30):
        Schedule.objects.filter(func=RUN).update(next_run=timezone.now())
    with at(TUESDAY, hour=0, minute=31), committed():
        scheduler()  # django-q2's own scheduler; tasks run synchronously in tests
    assert AbsenceReport.objects.get().ended_by == EndedBy.AUTOMATIC
