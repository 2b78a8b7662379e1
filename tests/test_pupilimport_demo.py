"""The sample export in site/demo/ is the demo school's pupil administration: importing it
adds the one new pupil it holds and changes nothing else (dates of birth aside: the demo
computes them from the current school year)."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from schoolportal.pupilimport.plan import make_plan
from schoolportal.pupilimport.reader import read_rows

SAMPLE = Path(__file__).resolve().parent.parent / "site" / "demo" / "leerlingadministratie.csv"


@pytest.fixture
def school(demo_school, db):
    return demo_school


def test_the_sample_export_matches_the_demo_school(school):
    raw = read_rows(SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes()))
    plan = make_plan(school, raw)
    assert plan.errors == []
    assert [(row.first_name, row.group) for row in plan.additions] == [("Fenna", "Groep 1")]
    assert plan.moves == [] and plan.departures == [] and not plan.new_groups
    assert {what for _pupil, _row, changed in plan.changes for what in changed} <= {"geboortedatum"}
    emma = plan.matched["10001"]
    assert emma.full_name == "Emma Jansen"
