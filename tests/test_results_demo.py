"""The demo school's Resultaten: the Jansen and De Vries children's released reports (real
PDFs) and two school years of test results, Emma's result not yet released, and loading
the demo again adding nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from schoolportal.demo.results import report_pdf
from schoolportal.people.models import Pupil
from schoolportal.results import models as results


@pytest.fixture
def school(demo_school, db):
    return demo_school


def child(first_name, last_name):
    return Pupil.objects.get(first_name=first_name, last_name=last_name)


def test_demo_children_have_released_reports_and_two_years_of_results(school):
    assert school.results_enabled
    for first_name, last_name in (("Emma", "Jansen"), ("Daan", "Jansen"), ("Sophie", "Vries")):
        pupil = child(first_name, last_name)
        reports = results.SchoolReport.objects.released().filter(pupil=pupil)
        assert reports.count() == 4
        assert all(report.file.name.endswith(".pdf") for report in reports)
        years = {
            r.taken_on.year
            for r in results.TestResult.objects.released().filter(pupil=pupil, test_name="Spelling")
        }
        assert len(years) == 2


def test_demo_reports_are_real_pdfs(school):
    # The module's demo is built under another test's media folder: the bytes made here.
    emma = child("Emma", "Jansen")
    content = report_pdf(school, emma, "Rapport 1", "2025-2026", ["24-01-2026  Spelling: 24"])
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")


def test_emma_has_one_result_not_yet_released(school):
    waiting = results.TestResult.objects.unreleased()
    assert [(r.pupil.first_name, r.test_name) for r in waiting] == [
        ("Emma", "Methodetoets spelling blok 2")
    ]


def test_parent_reads_the_demo_results(client, school):
    client.force_login(get_user_model().objects.get(email="ouder.jansen@example.org"))
    dashboard = client.get(reverse("portal:dashboard")).text
    assert "Nieuwe resultaten" in dashboard and "Daan Jansen" in dashboard
    page = client.get(reverse("results:child", args=[child("Daan", "Jansen").pk])).text
    assert "<svg" in page and "Methodetoets rekenen blok 3" in page
    emma = client.get(reverse("results:child", args=[child("Emma", "Jansen").pk])).text
    assert "Methodetoets spelling blok 2" not in emma


def test_loading_the_demo_again_adds_no_results(school):
    counts = (results.SchoolReport.objects.count(), results.TestResult.objects.count())
    call_command("demo", stdout=StringIO())
    assert (results.SchoolReport.objects.count(), results.TestResult.objects.count()) == counts
