"""Absences for staff: the register's scope and filters, the CSV export, a report taken by
phone, ending one, today's panel, and pages that cost the same queries at any history size."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schoolportal.absences.models import AbsenceReport, EndedBy, Reason, ReportedBy
from schoolportal.people.models import StaffRole
from tests.absence_helpers import family
from tests.factories import PupilFactory, StaffMemberFactory, parent_of

pytestmark = pytest.mark.django_db

REGISTER = "wagtailsnippets_absences_absencereport:list"


def absence(pupil, explanation="", **fields):
    fields.setdefault("first_day", timezone.localdate())
    return AbsenceReport.objects.create(
        pupil=pupil,
        school=pupil.school,
        group=pupil.group,
        reason=fields.pop("reason", Reason.ILLNESS),
        explanation=explanation,
        **fields,
    )


@pytest.fixture
def school():
    """Two groups with their teachers, management, and a school next door."""
    home = family()
    other_group_child = PupilFactory(
        first_name="Noor",
        group__school_year=home.group.school_year,
        group__school=home.child.school,
    )
    parent_of(other_group_child)
    manager = StaffMemberFactory(school=home.child.school, role=StaffRole.MANAGEMENT)
    far = family(teacher_email="meester.jan@example.org")
    return home, other_group_child, manager, far


def csv_rows(response):
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


def login(client, staff):
    client.force_login(staff.user)
    return client


def test_teacher_sees_only_her_own_groups_absences(client, school):
    home, noor, _manager, far = school
    own = absence(home.child, "Eigen groep")
    other = absence(noor, "Andere groep")
    elsewhere = absence(far.child, "Andere school")
    login(client, home.teacher)

    listing = client.get(reverse(REGISTER)).text
    assert "Daan Jansen" in listing and "Noor" not in listing

    edit = "wagtailsnippets_absences_absencereport:edit"
    assert client.get(reverse(edit, args=[own.pk])).status_code == 200
    assert client.get(reverse(edit, args=[other.pk])).status_code == 404
    assert client.get(reverse(edit, args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("absences_end", args=[other.pk])).status_code == 404


def test_management_sees_the_whole_school_and_exports_it(client, school):
    home, noor, manager, far = school
    absence(home.child, "Griep")
    absence(
        noor,
        "Bruiloft",
        reason=Reason.FAMILY,
        expected_return=timezone.localdate() + timedelta(days=2),
    )
    absence(far.child, "Andere school")
    login(client, manager)

    response = client.get(reverse(REGISTER) + "?export=csv")
    rows = csv_rows(response)
    names = sorted(row[0] for row in rows[1:])
    assert names == ["Daan Jansen", "Noor Test"]
    assert "familieomstandigheden" in {cell for row in rows for cell in row}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("state=open", {"Open"}),
        ("state=ended", {"Klaar"}),
        ("reason=doctor", {"Klaar"}),
        ("day={yesterday}", {"Open", "Klaar"}),
        ("day={last_week}", set()),
    ],
)
def test_register_filters(client, school, query, expected):
    home, _noor, manager, _far = school
    today = timezone.localdate()
    absence(home.child, "Open", first_day=today - timedelta(days=1))
    absence(
        home.child,
        "Klaar",
        reason=Reason.DOCTOR,
        first_day=today - timedelta(days=3),
        expected_return=today,
        returned_on=today,
        ended_at=timezone.now(),
        ended_by=EndedBy.AUTOMATIC,
    )
    login(client, manager)
    query = query.format(
        yesterday=(today - timedelta(days=1)).isoformat(),
        last_week=(today - timedelta(days=7)).isoformat(),
    )
    response = client.get(reverse(REGISTER) + "?export=csv&" + query)
    rows = csv_rows(response)
    assert {row[4] for row in rows[1:]} == expected


def test_staff_record_a_phone_call_and_the_family_and_teacher_hear_of_it(client, school, committed):
    home, _noor, manager, _far = school
    login(client, manager)
    today = timezone.localdate()
    with committed():
        response = client.post(
            reverse("wagtailsnippets_absences_absencereport:add"),
            {
                "pupil": home.child.pk,
                "reason": Reason.ILLNESS,
                "explanation": "Moeder belde",
                "first_day": today.isoformat(),
                "expected_return": "",
            },
        )
    assert response.status_code == 302
    saved = AbsenceReport.objects.get()
    assert (saved.reported_by, saved.reported_by_user, saved.group) == (
        ReportedBy.STAFF,
        manager.user,
        home.group,
    )
    assert sorted(m.to[0] for m in mail.outbox) == [
        "juf.bakker@example.org",
        "marieke@example.org",
        "peter@example.org",
    ]


def test_staff_cannot_record_an_overlapping_report(client, school):
    home, _noor, manager, _far = school
    absence(home.child, "Griep")
    login(client, manager)
    response = client.post(
        reverse("wagtailsnippets_absences_absencereport:add"),
        {
            "pupil": home.child.pk,
            "reason": Reason.DOCTOR,
            "first_day": timezone.localdate().isoformat(),
            "expected_return": (timezone.localdate() + timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "al een lopende melding" in response.text
    assert AbsenceReport.objects.count() == 1


def test_teacher_ends_a_report_and_the_record_says_by_school(client, school):
    home, *_rest = school
    report = absence(home.child, "Griep")
    login(client, home.teacher)
    assert client.get(reverse("absences_end", args=[report.pk])).status_code == 200
    response = client.post(reverse("absences_end", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.ended_by, report.returned_on) == (EndedBy.STAFF, timezone.localdate())
    assert client.get(reverse("absences_end", args=[report.pk])).status_code == 404


def test_dashboard_panel_lists_todays_absences_of_her_groups(client, school):
    home, noor, _manager, _far = school
    absence(home.child, "Griep")
    absence(noor, "Andere groep")
    absence(
        home.co_parent.pupils.get(),  # the same child, an old report: not today
        "Vorige maand",
        first_day=timezone.localdate() - timedelta(days=30),
        expected_return=timezone.localdate() - timedelta(days=28),
        ended_at=timezone.now(),
    )
    login(client, home.teacher)
    page = client.get(reverse("wagtailadmin_home")).text
    assert "Absent vandaag" in page
    assert "Daan Jansen" in page and "Noor" not in page


def test_dashboard_panel_is_gone_when_the_school_switches_absences_off(client, school):
    home, *_rest = school
    absence(home.child, "Griep")
    home.child.school.absences_enabled = False
    home.child.school.save()
    login(client, home.teacher)
    assert "Absent vandaag" not in client.get(reverse("wagtailadmin_home")).text


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_register_costs_the_same_queries_for_any_history(client, school):
    home, noor, manager, _far = school
    login(client, manager)
    absence(home.child, "Eerste")
    url = reverse(REGISTER)
    _queries(client, url)  # warm: permissions, content types
    few = _queries(client, url)
    for days in range(2, 40, 2):
        absence(
            noor,
            f"Oud {days}",
            first_day=timezone.localdate() - timedelta(days=days + 1),
            expected_return=timezone.localdate() - timedelta(days=days),
            ended_at=timezone.now(),
        )
    assert _queries(client, url) == few


def test_parent_pages_cost_the_same_queries_for_any_history(client, school):
    home, *_rest = school
    client.force_login(home.parent.user)
    absence(home.child, "Nu")
    urls = [reverse("absences:index"), reverse("absences:report")]
    for url in urls:
        _queries(client, url)
    few = [_queries(client, url) for url in urls]
    for days in range(2, 60, 2):
        absence(
            home.child,
            f"Oud {days}",
            first_day=timezone.localdate() - timedelta(days=days + 1),
            expected_return=timezone.localdate() - timedelta(days=days),
            ended_at=timezone.now(),
            ended_by=EndedBy.AUTOMATIC,
        )
    assert [_queries(client, url) for url in urls] == few


def test_history_per_pupil_from_the_pupil_listing(client, school):
    home, noor, manager, _far = school
    today = timezone.localdate()
    absence(home.child, "Nu")
    absence(
        home.child,
        "Vorige maand",
        first_day=today - timedelta(days=30),
        expected_return=today - timedelta(days=28),
        ended_at=timezone.now(),
    )
    absence(noor, "Andere leerling")
    login(client, manager)

    pupils = client.get(reverse("wagtailsnippets_people_pupil:list")).text
    history_url = reverse(REGISTER) + f"?pupil={home.child.pk}"
    assert f"?pupil={home.child.pk}" in pupils  # the "Absenties" button

    rows = csv_rows(client.get(history_url + "&export=csv"))
    assert sorted(row[4] for row in rows[1:]) == ["Nu", "Vorige maand"]
