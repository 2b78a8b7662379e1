"""Resultaten for parents: only released reports and results of their own children, the
download through the permission check, the chart's text alternative, the module switch,
the dashboard block and a fixed query count."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.absence_helpers import family
from tests.factories import PupilFactory, parent_of, pupil_result, school_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return family(results_enabled=True)


def test_parent_sees_released_reports_and_results_of_their_child(client, home):
    school_report(home.child, title="Rapport 1")
    pupil_result(home.child, test_name="Spelling", score=52, level="II", note="Goed gedaan")
    client.force_login(home.parent.user)
    index = client.get(reverse("results:index")).text
    assert "Rapport 1 2026-2027" in index
    child = client.get(reverse("results:child", args=[home.child.pk])).text
    assert "Spelling" in child and "Goed gedaan" in child and ">52<" in child


def test_nothing_shows_before_release(client, home):
    report = school_report(home.child, title="Rapport 2", released=False)
    pupil_result(home.child, test_name="Begrijpend lezen", released=False)
    later = school_report(home.child, title="Rapport 3", released=False)
    later.released_at = timezone.now() + timedelta(days=2)  # a release date ahead
    later.save()
    client.force_login(home.parent.user)
    assert "Rapport 2" not in client.get(reverse("results:index")).text
    assert "Rapport 3" not in client.get(reverse("results:index")).text
    page = client.get(reverse("results:child", args=[home.child.pk])).text
    assert "Begrijpend lezen" not in page
    assert client.get(reverse("results:report", args=[report.pk])).status_code == 404
    assert client.get(reverse("results:report", args=[later.pk])).status_code == 404


def test_report_downloads_through_the_check_and_never_inline(client, home):
    report = school_report(home.child)
    client.force_login(home.parent.user)
    response = client.get(reverse("results:report", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 rapport"
    assert "/media/" not in client.get(reverse("results:index")).text


def test_other_families_get_404(client, home):
    report = school_report(home.child)
    other_child = PupilFactory(group=home.group, school=home.group.school)
    other_parent = parent_of(other_child, email="ander@example.org")
    client.force_login(other_parent.user)
    assert client.get(reverse("results:report", args=[report.pk])).status_code == 404
    assert client.get(reverse("results:child", args=[home.child.pk])).status_code == 404
    assert "Rapport 1" not in client.get(reverse("results:index")).text


def test_switched_off_school_has_no_menu_item_no_block_and_404(client):
    home = family(results_enabled=False)
    report = school_report(home.child)
    client.force_login(home.parent.user)
    dashboard = client.get(reverse("portal:dashboard")).text
    assert reverse("results:index") not in dashboard
    assert "Nieuwe resultaten" not in dashboard
    for url in (
        reverse("results:index"),
        reverse("results:child", args=[home.child.pk]),
        reverse("results:report", args=[report.pk]),
    ):
        assert client.get(url).status_code == 404


def test_menu_item_and_dashboard_block_with_new_results(client, home):
    school_report(home.child)
    pupil_result(home.child)
    pupil_result(home.child, test_name="Spelling")
    client.force_login(home.parent.user)
    dashboard = client.get(reverse("portal:dashboard")).text
    assert f'href="{reverse("results:index")}"' in dashboard
    assert "Nieuwe resultaten" in dashboard
    assert "1 nieuw rapport" in dashboard and "2 nieuwe toetsresultaten" in dashboard


def test_dashboard_block_leaves_out_what_is_not_new(client, home):
    old = pupil_result(home.child)
    old.released_at = timezone.now() - timedelta(days=30)
    old.save()
    pupil_result(home.child, test_name="Spelling", released=False)
    client.force_login(home.parent.user)
    assert "Nieuwe resultaten" not in client.get(reverse("portal:dashboard")).text


def test_chart_of_one_test_has_a_text_alternative(client, home):
    for year, score in ((2025, 38), (2026, 44), (2027, 51)):
        pupil_result(home.child, test_name="Rekenen", taken_on=date(year, 1, 20), score=score)
    pupil_result(home.child, test_name="Spelling", taken_on=date(2027, 1, 21), score=60)
    client.force_login(home.parent.user)
    page = client.get(reverse("results:child", args=[home.child.pk])).text
    assert '<svg role="img" aria-labelledby="chart-title chart-desc"' in page
    assert "<polyline" in page and page.count("<circle") == 3
    summary = "20 januari 2025: 38; 20 januari 2026: 44; 20 januari 2027: 51"
    assert f'<desc id="chart-desc">{summary}</desc>' in page
    assert f"Scores Rekenen: {summary}." in page  # the same, visible under the chart
    spelling = client.get(
        reverse("results:child", args=[home.child.pk]), {"toets": "Spelling"}
    ).text
    assert "<svg" not in spelling  # one score draws no line
    assert '<option value="Spelling" selected>' in spelling


# The session is a query without Redis (Django's db engine); with Redis (cached_db) it comes
# from there.
SESSION_QUERIES = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
# The session, the user, the parent's children (scope), whether a child's school uses
# Resultaten, the children, their reports, the data version.
INDEX_QUERIES = SESSION_QUERIES + 6
# The session, the user, the scope, the child, the test results, the reports, the version.
CHILD_QUERIES = SESSION_QUERIES + 6


def warm(client, url):
    client.get(url)  # the menu's unread count is read once per user


def test_results_pages_take_a_fixed_number_of_queries(client, home):
    client.force_login(home.parent.user)
    child_url = reverse("results:child", args=[home.child.pk])
    index_url = reverse("results:index")
    warm(client, index_url)
    warm(client, child_url)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = (count(index_url), count(child_url))
    for year in range(2020, 2028):
        pupil_result(home.child, taken_on=date(year, 1, 20), score=30 + year - 2020)
        pupil_result(home.child, test_name="Spelling", taken_on=date(year, 1, 21), level="III")
        school_report(home.child, school_year=f"{year}-{year + 1}")
    many = (count(index_url), count(child_url))
    assert few == many == (INDEX_QUERIES, CHILD_QUERIES)


def test_a_report_from_a_former_school_shows_under_the_current_one(client, home):
    former = family(teacher_email="meester.jan@example.org", results_enabled=False)
    report = school_report(home.child, title="Rapport oude school")
    report.school = former.group.school
    report.save()
    client.force_login(home.parent.user)
    assert "Rapport oude school" in client.get(reverse("results:index")).text
    home.child.school.results_enabled = False
    home.child.school.save()
    assert client.get(reverse("results:report", args=[report.pk])).status_code == 404
