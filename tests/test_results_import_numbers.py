"""The results import finds pupils by their number from the pupil administration where the
file has a "Leerlingnummer" column, never finds a pupil who left (by number or by name), and
reads Excel files with the same reader as the pupil administration's import."""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from schoolportal.results import models as results
from schoolportal.spreadsheets import read_table
from tests.absence_helpers import family
from tests.factories import GroupFactory, PupilFactory

pytestmark = pytest.mark.django_db

IMPORT = reverse("results_import")


@pytest.fixture
def home():
    home = family(results_enabled=True)
    home.child.pupil_number = "1001"
    home.child.save()
    home.classmate = PupilFactory(
        first_name="Emma", last_name="de Vries", group=home.group, pupil_number="1002"
    )
    return home


def upload(client, group, content, name="toetsen.csv"):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return client.post(IMPORT, {"group": group.pk, "file": SimpleUploadedFile(name, content)})


def confirm(client, response):
    form = response.context["confirm"]
    return client.post(
        IMPORT, {"group": form.initial["group"].pk, "content": form.initial["content"]}
    )


def errors(response):
    return [f"Regel {line}: {message}" for line, message in response.context["plan"].errors]


def test_a_file_with_numbers_finds_each_child_by_number_without_names(client, home):
    client.force_login(home.teacher.user)
    text = (
        "Leerlingnummer;Toets;Datum;Score;Niveau\n"
        "1001;Spelling M5;24-01-2027;38;III\n"
        "1002;Spelling M5;24-01-2027;41,5;II\n"
    )
    preview = upload(client, home.group, text)
    assert preview.status_code == 200
    assert "2 nieuw, 0 gewijzigd, 0 ongewijzigd." in preview.text
    assert confirm(client, preview).status_code == 302
    scores = dict(results.TestResult.objects.values_list("pupil__pupil_number", "score"))
    assert scores == {"1001": Decimal("38"), "1002": Decimal("41.5")}


def test_the_number_wins_over_a_name_shared_by_two_children(client, home):
    """Two Emma de Vries in one group, same birthday: the name cannot tell them apart, the
    number can."""
    client.force_login(home.teacher.user)
    twin = PupilFactory(
        first_name="Emma",
        last_name="de Vries",
        group=home.group,
        pupil_number="1003",
        date_of_birth=home.classmate.date_of_birth,
    )
    text = "Leerlingnummer;Leerling;Toets;Datum;Niveau\n1003;Emma de Vries;Spelling;2027-01-24;A\n"
    confirm(client, upload(client, home.group, text))
    assert results.TestResult.objects.get().pupil == twin


def test_a_wrong_number_is_a_bad_row_with_its_line_and_nothing_is_saved(client, home):
    client.force_login(home.teacher.user)
    elsewhere = PupilFactory(
        group=GroupFactory(school_year=home.group.school_year), pupil_number="2001"
    )
    left = PupilFactory(
        first_name="Noah",
        last_name="Blom",
        group=home.group,
        pupil_number="1004",
        left_on=timezone.localdate() - timedelta(days=1),
    )
    text = (
        "Leerlingnummer;Voornaam;Achternaam;Toets;Datum;Score\n"
        "1001;Daan;Jansen;Spelling;24-01-2027;38\n"
        f"{elsewhere.pupil_number};;;Spelling;24-01-2027;40\n"
        "9999;;;Spelling;24-01-2027;40\n"
        f"{left.pupil_number};Noah;Blom;Spelling;24-01-2027;40\n"
        "1002;Daan;Jansen;Spelling;24-01-2027;40\n"
    )
    response = upload(client, home.group, text)
    assert response.status_code == 400
    assert errors(response) == [
        "Regel 3: leerlingnummer 2001 zit niet in deze groep",
        "Regel 4: leerlingnummer 9999 zit niet in deze groep",
        "Regel 5: leerlingnummer 1004 is van Noah Blom, die de school heeft verlaten",
        "Regel 6: leerlingnummer 1002 is van Emma de Vries, niet van Daan Jansen",
    ]
    assert "Er is niets geïmporteerd" in response.text
    assert not results.TestResult.objects.exists()


def test_a_pupil_who_left_is_not_found_by_name_either(client, home):
    client.force_login(home.teacher.user)
    PupilFactory(
        first_name="Noah",
        last_name="Blom",
        group=home.group,
        left_on=timezone.localdate(),
    )
    text = "Leerling;Toets;Datum;Score\nNoah Blom;Spelling;24-01-2027;40\n"
    response = upload(client, home.group, text)
    assert errors(response) == ["Regel 2: “Noah Blom” zit niet in deze groep"]
    assert not results.TestResult.objects.exists()


def test_a_pupil_leaving_later_is_still_in_the_group(client, home):
    client.force_login(home.teacher.user)
    home.child.left_on = timezone.localdate() + timedelta(days=30)
    home.child.save()
    text = "Leerlingnummer;Toets;Datum;Score\n1001;Spelling;24-01-2027;40\n"
    confirm(client, upload(client, home.group, text))
    assert results.TestResult.objects.get().pupil == home.child


def test_a_row_without_a_number_falls_back_to_the_name(client, home):
    client.force_login(home.teacher.user)
    text = (
        "Leerlingnummer;Leerling;Toets;Datum;Score\n"
        ";Emma de Vries;Spelling;24-01-2027;40\n"
        ";;Spelling;24-01-2027;41\n"
    )
    response = upload(client, home.group, text)
    assert errors(response) == [
        "Regel 3: de naam of het leerlingnummer van de leerling ontbreekt",
    ]


def excel(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def test_an_excel_file_imports_like_the_csv(client, home):
    """Excel keeps numbers and dates as such: the number 1001, a date cell, a score 251.5."""
    client.force_login(home.teacher.user)
    content = excel(
        [
            ("Leerlingnummer", "Toets", "Datum", "Score", "Niveau", "Opmerking"),
            (1001, "Rekenen-Wiskunde M5", datetime(2027, 1, 24), 245, "II", "Mooie groei"),
            (None, None, None, None, None, None),
            (1002, "Rekenen-Wiskunde M5", date(2027, 1, 24), 251.5, "I", None),
        ]
    )
    preview = upload(client, home.group, content, name="Toetsen groep 5.XLSX")
    assert preview.status_code == 200
    assert "2 nieuw, 0 gewijzigd, 0 ongewijzigd." in preview.text
    assert not results.TestResult.objects.exists()
    assert confirm(client, preview).status_code == 302
    daan = results.TestResult.objects.get(pupil=home.child)
    assert (daan.score, daan.level, daan.note) == (Decimal("245"), "II", "Mooie groei")
    assert daan.taken_on == date(2027, 1, 24)
    assert results.TestResult.objects.get(pupil=home.classmate).score == Decimal("251.5")
    # The same workbook again changes nothing.
    assert (
        "0 nieuw, 0 gewijzigd, 2 ongewijzigd."
        in upload(client, home.group, content, name="toetsen.xlsx").text
    )


def test_bad_rows_of_an_excel_file_have_the_line_numbers_excel_shows(client, home):
    client.force_login(home.teacher.user)
    content = excel(
        [
            ("Leerlingnummer", "Toets", "Datum", "Score"),
            (1001, "Spelling", date(2027, 1, 24), 38),
            (),
            (7777, "Spelling", date(2027, 1, 24), 40),
        ]
    )
    response = upload(client, home.group, content, name="toetsen.xlsx")
    assert errors(response) == ["Regel 4: leerlingnummer 7777 zit niet in deze groep"]


def test_a_damaged_or_other_file_is_refused_on_the_form(client, home):
    client.force_login(home.teacher.user)
    damaged = upload(client, home.group, b"PK\x03\x04 niet echt", name="toetsen.xlsx")
    assert damaged.status_code == 400
    assert "Dit Excel-bestand kan niet worden gelezen." in damaged.text
    pdf = upload(client, home.group, b"%PDF-1.4", name="toetsen.pdf")
    assert "Kies een CSV- of Excel-bestand (.csv of .xlsx)." in pdf.text
    assert not results.TestResult.objects.exists()


def test_a_tampered_preview_is_refused_and_saves_nothing(client, home):
    client.force_login(home.teacher.user)
    response = client.post(IMPORT, {"group": home.group.pk, "content": '{"not": "a table"}'})
    assert response.status_code == 400
    assert not results.TestResult.objects.exists()


def test_a_windows_file_with_an_undefined_byte_is_still_read():
    raw = "Leerling;Toets\nZoë;Spelling\x81\n".encode("cp1252", errors="ignore") + b"\x81\n"
    table = read_table(SimpleUploadedFile("toetsen.csv", raw))
    assert table[0] == ["Leerling", "Toets"] and table[1][0] == "Zoë"
