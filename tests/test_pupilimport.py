"""Importing the pupil administration: a whole school, again with changes, twice the same
file (nothing changes), bad rows by line number with nothing saved, XLSX like CSV, and
pupils who left out of every list."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from schoolportal import access
from schoolportal.mailings.recipients import current_audience_pupils
from schoolportal.people.models import Group, Guardian, Guardianship, Pupil, Relation
from schoolportal.pupilimport.plan import apply_plan, make_plan
from schoolportal.pupilimport.reader import column_for, read_rows
from schoolportal.pupilimport.rows import check_rows
from schoolportal.pupilimport.sample import HEADERS, as_csv, sample_rows
from tests.factories import (
    GroupFactory,
    MailingFactory,
    PupilFactory,
    SchoolYearFactory,
    parent_of,
)

pytestmark = pytest.mark.django_db


def upload(content, name="export.csv"):
    return SimpleUploadedFile(name, content)


def rows_of(rows, headers=HEADERS):
    return read_rows(upload(as_csv(rows, headers)))


@pytest.fixture
def year():
    return SchoolYearFactory()


def test_dutch_headers_are_recognised_whatever_their_spelling():
    assert column_for(" Leerling-nummer ") == "number"
    assert column_for("Opmerkingen") is None  # not ours: ignored
    assert column_for("ROEPNAAM") == "first_name"
    assert column_for("Geboortedatum") == "date_of_birth"
    assert column_for("Ouder 1 e-mail") == "guardian1_email"
    assert column_for("Verzorger 2 Relatie") == "guardian2_relation"
    assert column_for("Ouder 2 tel.") == "guardian2_phone"


def test_a_school_of_600_pupils_is_imported_with_groups_and_guardians(year):
    plan = apply_plan(year.school, rows_of(sample_rows(600)), None)
    assert len(plan.additions) == 600 and not plan.errors
    assert Pupil.objects.filter(school=year.school).count() == 600
    assert Group.objects.filter(school_year=year).count() == 8
    # Siblings share their parents: 400 families of two.
    assert Guardian.objects.count() == 800
    assert Guardianship.objects.count() == 1200
    emma = Pupil.objects.get(pupil_number="1000")
    assert emma.group.name == "Groep 1" and emma.group.lowest_year_level == 1
    mother = emma.guardianships.get(guardian__email="ouder1.0@example.org")
    assert mother.relation == Relation.MOTHER
    assert mother.guardian.mobile_phone == "06-12345678"


def test_the_same_file_twice_changes_nothing(year):
    rows = rows_of(sample_rows(50))
    apply_plan(year.school, rows, None)
    before = list(Pupil.objects.order_by("pk").values())
    plan = make_plan(year.school, rows)
    assert not plan.has_changes and plan.unchanged == 50
    apply_plan(year.school, rows, None)
    assert list(Pupil.objects.order_by("pk").values()) == before
    assert Guardian.objects.count() == 33 * 2
    assert Guardianship.objects.count() == 100


def test_a_reimport_updates_moves_adds_and_marks_who_left(year):
    apply_plan(year.school, rows_of(sample_rows(10)), None)
    rows = sample_rows(10)
    rows[0][3] = "Jansen-Smit0"  # a new surname
    rows[1][5] = "Groep 4"  # moves
    del rows[2]  # left school
    rows.append(["2000", "Nieuw", "", "Kind", "01-02-2020", "Groep 3", *[""] * 11])
    plan = make_plan(year.school, rows_of(rows))
    assert [row.number for row in plan.additions] == ["2000"]
    assert [(p.pupil_number, changed) for p, _row, changed in plan.changes] == [
        ("1000", ["achternaam"])
    ]
    assert [(p.pupil_number, old) for p, _row, old in plan.moves] == [("1001", "Groep 2")]
    assert [p.pupil_number for p in plan.departures] == ["1002"]
    apply_plan(year.school, rows_of(rows), None)
    left = Pupil.objects.get(pupil_number="1002")
    assert left.left_on == timezone.localdate()  # marked, not deleted
    assert Pupil.objects.get(pupil_number="1001").group.name == "Groep 4"
    assert Pupil.objects.get(pupil_number="1000").last_name == "Jansen-Smit0"
    assert Pupil.objects.filter(school=year.school).count() == 11
    # Back on the list: enrolled again, the same pupil.
    apply_plan(year.school, rows_of(sample_rows(10)), None)
    assert Pupil.objects.get(pupil_number="1002").left_on is None


def test_bad_rows_are_listed_by_line_and_nothing_is_imported(year):
    rows = sample_rows(5)
    rows[1][4] = "31-02-2019"
    rows[3][0] = ""
    rows[4][9] = "geen-adres"
    rows.append(list(rows[0]))  # the same number twice
    raw = rows_of(rows)
    plan = make_plan(year.school, raw)
    lines = dict(plan.errors)
    assert set(lines) == {3, 5, 6, 7}
    assert "geboortedatum '31-02-2019'" in lines[3]
    assert "geen leerlingnummer" in lines[5]
    assert "geen e-mailadres" in lines[6]
    assert "ook op regel 2" in lines[7]
    with pytest.raises(ValidationError):
        apply_plan(year.school, raw, None)
    assert not Pupil.objects.exists() and not Group.objects.exists()


def test_a_file_without_the_needed_columns_says_which_are_missing():
    with pytest.raises(ValidationError) as error:
        read_rows(upload(b"Naam;Klas\nEmma;3\n"))
    assert "Leerlingnummer" in error.value.messages[0]
    with pytest.raises(ValidationError):
        read_rows(upload(b"%PDF-1.4", name="export.pdf"))


def test_an_excel_export_reads_like_the_csv(year):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in sample_rows(3):
        row[0] = int(row[0])  # Excel keeps numbers and dates as such
        day, month, year_ = row[4].split("-")
        row[4] = date(int(year_), int(month), int(day))
        sheet.append(row)
    content = io.BytesIO()
    workbook.save(content)
    raw = read_rows(upload(content.getvalue(), name="export.xlsx"))
    assert check_rows(raw) == check_rows(rows_of(sample_rows(3)))
    apply_plan(year.school, raw, None)
    assert Pupil.objects.get(pupil_number="1000").date_of_birth == date(2021, 1, 1)


def test_a_pupil_entered_by_hand_is_matched_on_name_and_birthday(year):
    group = GroupFactory(school_year=year, name="Groep 1", lowest_year_level=1)
    emma = PupilFactory(
        group=group, first_name="Emma", last_name="Jansen0", date_of_birth=date(2021, 1, 1)
    )
    guardian = parent_of(emma, email="ouder1.0@example.org", phone="")
    apply_plan(year.school, rows_of(sample_rows(1)), None)
    emma.refresh_from_db()
    assert emma.pupil_number == "1000"
    assert Pupil.objects.count() == 1
    guardian.refresh_from_db()
    # The parent's own profile keeps what they wrote; only empty fields are filled.
    assert guardian.first_name == "Ouder" and guardian.mobile_phone == "06-12345678"
    assert Guardian.objects.count() == 2


def test_a_pupil_who_left_is_in_no_list_and_gives_the_family_no_group(year):
    group = GroupFactory(school_year=year)
    stays, leaves = PupilFactory(group=group), PupilFactory(group=group)
    parent = parent_of(leaves)
    staff_view = access.pupils_for(parent_of(stays).user)
    leaves.left_on = timezone.localdate()
    leaves.save()
    assert list(staff_view) == [stays]
    assert not access.groups_for(parent.user).exists()
    mailing = MailingFactory(school=year.school)
    assert list(current_audience_pupils(mailing)) == [stays]
    # Leaving at a date still to come: on the lists until then.
    leaves.left_on = timezone.localdate() + timedelta(days=7)
    leaves.save()
    assert set(Pupil.objects.current()) == {stays, leaves}


def test_a_file_with_only_headers_marks_nobody_as_left(year):
    PupilFactory(group=GroupFactory(school_year=year))
    with pytest.raises(ValidationError):
        read_rows(upload(as_csv([])))
    with pytest.raises(ValidationError):
        make_plan(year.school, [])
    assert Pupil.objects.current().count() == 1


def test_a_parent_without_e_mail_of_two_children_is_added_once(year):
    rows = sample_rows(2)  # brother and sister
    for row in rows:
        row[9] = row[15] = ""  # no e-mail addresses
    apply_plan(year.school, rows_of(rows), None)
    assert Guardian.objects.count() == 3  # the mother (same phone) once; the fathers apart
    apply_plan(year.school, rows_of(rows), None)
    assert Guardian.objects.count() == 3 and Guardianship.objects.count() == 4


def test_an_import_costs_no_queries_per_pupil():
    counts = []
    for size in (8, 80):
        school = SchoolYearFactory().school
        raw = rows_of(sample_rows(size))
        with CaptureQueriesContext(connection) as queries:
            apply_plan(school, raw, None)
        counts.append(len(queries))
    # 72 pupils (and 100 guardians) more; only SQLite's limit on the parameters of one
    # statement splits the larger inserts into a few batches.
    assert counts[0] <= counts[1] <= counts[0] + 4
