"""Overblijven for staff: the day's list per group (a teacher's groups, management's whole
school, printable), the month's count per child and its CSV, the register's scope, the
menu following the module switch, and lists that cost the same queries at any size."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schoolportal.absences.models import AbsenceReport
from schoolportal.lunch.models import CancelledBy, LunchDay
from schoolportal.people.models import StaffRole
from tests.absence_helpers import family
from tests.factories import PupilFactory, StaffMemberFactory, parent_of

pytestmark = pytest.mark.django_db

REGISTER = "wagtailsnippets_lunch_lunchday:list"


def lunch(pupil, day=None, **fields):
    return LunchDay.objects.create(
        pupil=pupil, school=pupil.school, date=day or timezone.localdate(), **fields
    )


@pytest.fixture
def school():
    """Two groups with their teachers, management, and a school next door (all lunching)."""
    home = family(lunch_enabled=True)
    noor = PupilFactory(
        first_name="Noor",
        allergies="Pinda's",
        group__school_year=home.group.school_year,
        group__school=home.child.school,
    )
    parent_of(noor)
    manager = StaffMemberFactory(school=home.child.school, role=StaffRole.MANAGEMENT)
    far = family(teacher_email="meester.jan@example.org", lunch_enabled=True)
    return home, noor, manager, far


def login(client, staff):
    client.force_login(staff.user)
    return client


def csv_rows(response):
    content = response.content if not response.streaming else b"".join(response.streaming_content)
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_teacher_sees_todays_list_of_her_own_groups(client, school):
    home, noor, _manager, far = school
    lunch(home.child)
    lunch(noor)
    lunch(far.child)
    lunch(home.co_parent.pupils.get(), timezone.localdate() + timedelta(days=1))  # not today
    login(client, home.teacher)

    page = client.get(reverse("lunch_daily")).text
    assert "Daan Jansen" in page
    assert "Noor" not in page
    assert "1 leerling blijft over." in page  # not the Daan at the school next door
    assert "data-print" in page and "print-button.js" in page


def test_management_sees_every_group_with_allergies_and_not_cancelled_days(client, school):
    home, noor, manager, far = school
    lunch(home.child)
    lunch(noor)
    cancelled = PupilFactory(first_name="Afgemeld", group=home.group)
    lunch(cancelled, cancelled_at=timezone.now(), cancelled_by=CancelledBy.PARENT)
    lunch(far.child)
    login(client, manager)

    page = client.get(reverse("lunch_daily")).text
    assert "Daan Jansen" in page and "Noor" in page and "Pinda" in page
    assert "Afgemeld" not in page
    assert "2 leerlingen blijven over." in page
    only_daan = client.get(reverse("lunch_daily") + f"?group={home.group.pk}").text
    assert "Daan Jansen" in only_daan and "Noor" not in only_daan
    other_day = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "Niemand blijft over" in client.get(reverse("lunch_daily") + f"?date={other_day}").text


def test_monthly_count_per_child_for_billing_and_its_csv(client, school):
    home, noor, manager, far = school
    first = date(2027, 3, 1)
    for offset in (0, 1, 2, 7):
        lunch(home.child, first + timedelta(days=offset))
    lunch(home.child, first + timedelta(days=8), cancelled_at=timezone.now(), cancelled_by="parent")
    lunch(home.child, date(2027, 4, 1))  # next month
    lunch(noor, first + timedelta(days=3))
    lunch(far.child, first)
    login(client, manager)

    page = client.get(reverse("lunch_monthly") + "?maand=2027-03").text
    assert "maart 2027" in page
    rows = csv_rows(client.get(reverse("lunch_monthly") + "?maand=2027-03&export=csv"))
    assert rows[0] == ["Leerling", "Groep", "School", "Dagen"]
    counts = {row[0]: row[3] for row in rows[1:]}
    assert counts == {"Daan Jansen": "4", "Noor Test": "1"}

    login(client, home.teacher)
    rows = csv_rows(client.get(reverse("lunch_monthly") + "?maand=2027-03&export=csv"))
    assert [row[0] for row in rows[1:]] == ["Daan Jansen"]


def test_register_is_scoped_and_exports(client, school):
    home, noor, manager, far = school
    own = lunch(home.child)
    other = lunch(noor)
    elsewhere = lunch(far.child)
    login(client, home.teacher)
    listing = client.get(reverse(REGISTER)).text
    assert "Daan Jansen" in listing and "Noor" not in listing
    inspect = "wagtailsnippets_lunch_lunchday:inspect"
    assert client.get(reverse(inspect, args=[own.pk])).status_code == 200
    assert client.get(reverse(inspect, args=[other.pk])).status_code == 404
    assert client.get(reverse(inspect, args=[elsewhere.pk])).status_code == 404

    login(client, manager)
    rows = csv_rows(client.get(reverse(REGISTER) + "?export=csv"))
    assert sorted(row[0] for row in rows[1:]) == ["Daan Jansen", "Noor Test"]


def test_staff_register_a_day_for_a_child_of_their_school_only(client, school):
    home, _noor, manager, far = school
    login(client, manager)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    add = reverse("wagtailsnippets_lunch_lunchday:add")
    refused = client.post(add, {"pupil": far.child.pk, "date": tomorrow})
    assert refused.status_code == 200 and not LunchDay.objects.exists()
    assert client.post(add, {"pupil": home.child.pk, "date": tomorrow}).status_code == 302
    saved = LunchDay.objects.get()
    assert (saved.school, saved.registered_by_user) == (home.child.school, manager.user)


def test_the_menu_follows_the_module_switch(client, school):
    home, *_rest = school
    login(client, home.teacher)
    assert reverse("lunch_daily") in client.get(reverse("wagtailadmin_home")).text
    school_ = home.child.school
    school_.lunch_enabled = False
    school_.save()
    lunch(home.child)
    assert reverse("lunch_daily") not in client.get(reverse("wagtailadmin_home")).text
    assert "Daan Jansen" not in client.get(reverse("lunch_daily")).text


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_daily_list_and_month_cost_the_same_queries_for_any_number_of_children(client, school):
    home, noor, manager, _far = school
    login(client, manager)
    lunch(home.child)
    urls = [reverse("lunch_daily"), reverse("lunch_monthly")]
    for url in urls:
        _queries(client, url)  # warm: permissions, content types
    few = [_queries(client, url) for url in urls]
    lunch(noor)
    for number in range(25):
        lunch(PupilFactory(group=home.group if number % 2 else noor.group))
    assert [_queries(client, url) for url in urls] == few


def test_a_phoned_in_absence_and_its_correction_cancel_lunch_days(client, school):
    home, _noor, manager, _far = school
    today = timezone.localdate()
    for offset in range(5):
        lunch(home.child, today + timedelta(days=offset))
    login(client, manager)
    client.post(
        reverse("wagtailsnippets_absences_absencereport:add"),
        {
            "pupil": home.child.pk,
            "reason": "ill",
            "explanation": "Moeder belde",
            "first_day": today.isoformat(),
            "expected_return": (today + timedelta(days=2)).isoformat(),
        },
    )
    active = LunchDay.objects.active().values_list("date", flat=True)
    assert sorted(active) == [today + timedelta(days=n) for n in (2, 3, 4)]

    report = AbsenceReport.objects.get()
    response = client.post(
        reverse("wagtailsnippets_absences_absencereport:edit", args=[report.pk]),
        {
            "reason": "ill",
            "explanation": "Langer ziek",
            "first_day": today.isoformat(),
            "expected_return": (today + timedelta(days=4)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert list(LunchDay.objects.active().values_list("date", flat=True)) == [
        today + timedelta(days=4)
    ]
