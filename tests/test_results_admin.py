"""Resultaten for staff: the CSV import of a group's results (preview first, bad rows with
their line numbers and nothing saved, the same file twice changing nothing), releasing one
row or a whole group, a report that must be a PDF, the scope of the listings and the line
that says the module is switched off."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schoolportal.people.models import StaffRole
from schoolportal.results import models as results
from tests.absence_helpers import family
from tests.factories import PupilFactory, StaffMemberFactory, pupil_result, school_report

pytestmark = pytest.mark.django_db

IMPORT = reverse("results_import")
HEADER = "Leerling;Geboortedatum;Toets;Datum;Score;Niveau;Opmerking\n"


@pytest.fixture
def home():
    home = family(results_enabled=True)
    home.classmate = PupilFactory(
        first_name="Emma", last_name="de Vries", group=home.group, school=home.group.school
    )
    return home


def upload(client, group, text, encoding="utf-8"):
    return client.post(
        IMPORT,
        {"group": group.pk, "file": SimpleUploadedFile("toetsen.csv", text.encode(encoding))},
    )


def confirm(client, response):
    """Posts the preview's "Importeren" form as the browser would."""
    form = response.context["confirm"]
    return client.post(
        IMPORT, {"group": form.initial["group"].pk, "content": form.initial["content"]}
    )


GOOD = (
    HEADER
    + "Daan Jansen;;Rekenen-Wiskunde M5;24-01-2027;45,5;II;Mooie groei\n"
    + "Emma de Vries;;Rekenen-Wiskunde M5;24-01-2027;51;I;\n"
)


def test_import_shows_a_preview_and_saves_only_when_confirmed(client, home):
    client.force_login(home.teacher.user)
    preview = upload(client, home.group, GOOD)
    assert preview.status_code == 200
    assert "2 nieuw, 0 gewijzigd, 0 ongewijzigd." in preview.text
    assert not results.TestResult.objects.exists()

    done = confirm(client, preview)
    assert done.status_code == 302
    daan = results.TestResult.objects.get(pupil=home.child)
    assert (daan.score, daan.level, daan.note) == (Decimal("45.5"), "II", "Mooie groei")
    assert daan.taken_on == date(2027, 1, 24) and daan.released_at is None


def test_the_same_file_twice_changes_nothing(client, home):
    client.force_login(home.teacher.user)
    confirm(client, upload(client, home.group, GOOD))
    before = list(results.TestResult.objects.order_by("pk").values())
    again = upload(client, home.group, GOOD)
    assert "0 nieuw, 0 gewijzigd, 2 ongewijzigd." in again.text
    assert "Dit bestand verandert niets" in again.text
    assert list(results.TestResult.objects.order_by("pk").values()) == before


def test_a_changed_score_is_previewed_as_a_change_and_updated(client, home):
    client.force_login(home.teacher.user)
    confirm(client, upload(client, home.group, GOOD))
    changed = GOOD.replace("45,5;II", "47;II")
    preview = upload(client, home.group, changed)
    assert "0 nieuw, 1 gewijzigd, 1 ongewijzigd." in preview.text
    assert "score: 45.5 → 47" in preview.text.replace(",", ".")
    confirm(client, preview)
    assert results.TestResult.objects.get(pupil=home.child).score == Decimal("47")
    assert results.TestResult.objects.count() == 2


def test_bad_rows_are_listed_by_line_and_nothing_is_saved(client, home):
    client.force_login(home.teacher.user)
    bad = (
        HEADER
        + "Daan Jansen;;Spelling;24-01-2027;38;;\n"  # good, but not saved with the bad ones
        + "Noah Blom;;Spelling;24-01-2027;40;;\n"
        + "Emma de Vries;;Spelling;31-02-2027;40;;\n"
        + "Emma de Vries;;Spelling;24-01-2027;veertig;F;\n"
        + "Daan Jansen;;Spelling;24-01-2027;39;;\n"
    )
    response = upload(client, home.group, bad)
    assert response.status_code == 400
    page = response.text
    assert "Er is niets geïmporteerd" in page
    assert "Regel 3: “Noah Blom” zit niet in deze groep" in page
    assert "Regel 4: datum “31-02-2027” is geen datum" in page
    assert "Regel 5: score “veertig” is geen getal; niveau “F” bestaat niet" in page
    assert "Regel 6: staat al op regel 2" in page
    assert "Importeren</button>" not in page
    assert not results.TestResult.objects.exists()


def test_a_file_without_the_needed_columns_is_refused(client, home):
    client.force_login(home.teacher.user)
    response = upload(client, home.group, "Naam,Cijfer\nDaan Jansen,8\n")
    assert response.status_code == 400
    assert "De eerste regel mist de kolom(men): Toets, Datum, Score of Niveau." in response.text


def test_comma_separated_windows_file_with_first_and_last_names(client, home):
    client.force_login(home.teacher.user)
    text = "Voornaam,Achternaam,Toets,Datum,Niveau\nDaan,Jansen,Begrijpend lezen,2027-01-24,A\n"
    confirm(client, upload(client, home.group, text, encoding="cp1252"))
    assert results.TestResult.objects.get().level == "A"


def test_teacher_imports_only_for_her_own_groups(client, home):
    far = family(teacher_email="meester.jan@example.org", results_enabled=True)
    client.force_login(home.teacher.user)
    response = upload(client, far.group, GOOD)
    assert response.status_code == 400
    assert not results.TestResult.objects.exists()


def test_release_makes_a_result_visible_to_the_parents(client, home):
    result = pupil_result(home.child, released=False)
    client.force_login(home.parent.user)
    child_page = reverse("results:child", args=[home.child.pk])
    assert "Rekenen" not in client.get(child_page).text
    client.force_login(home.teacher.user)
    url = reverse("results_release", args=["toets", result.pk])
    assert "Vrijgeven" in client.get(url).text
    assert client.post(url).status_code == 302
    result.refresh_from_db()
    assert result.is_released
    client.force_login(home.parent.user)
    assert "Rekenen" in client.get(child_page).text
    client.force_login(home.teacher.user)
    assert client.get(url).status_code == 404  # released already: nothing to release


def test_teacher_cannot_release_another_groups_result(client, home):
    far = family(teacher_email="meester.jan@example.org", results_enabled=True)
    result = pupil_result(far.child, released=False)
    client.force_login(home.teacher.user)
    url = reverse("results_release", args=["toets", result.pk])
    assert client.post(url).status_code == 404
    result.refresh_from_db()
    assert not result.is_released


def test_a_whole_group_is_released_at_once(client, home):
    pupil_result(home.child, released=False)
    pupil_result(home.classmate, released=False)
    school_report(home.child, released=False)
    far = family(teacher_email="meester.jan@example.org", results_enabled=True)
    elsewhere = pupil_result(far.child, released=False)
    client.force_login(home.teacher.user)
    url = reverse("results_release_group")
    preview = client.get(url, {"group": home.group.pk}).text
    assert "Nog niet vrijgegeven: 1 rapporten en 2 toetsresultaten." in preview
    assert client.post(url, {"group": home.group.pk}).status_code == 302
    assert not results.TestResult.objects.filter(pupil__group=home.group).unreleased().exists()
    assert not results.SchoolReport.objects.unreleased().exists()
    elsewhere.refresh_from_db()
    assert not elsewhere.is_released


def test_a_report_must_be_a_pdf(client, home):
    client.force_login(home.teacher.user)
    add = reverse("wagtailsnippets_results_schoolreport:add")
    fields = {"pupil": home.child.pk, "school_year": "2026-2027", "title": "Rapport 1"}
    fake = SimpleUploadedFile("rapport.pdf", b"<html>geen pdf</html>")
    response = client.post(add, {**fields, "file": fake})
    assert response.status_code == 200
    assert "Dit bestand is geen PDF." in response.text
    assert not results.SchoolReport.objects.exists()
    real = SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 echt")
    assert client.post(add, {**fields, "file": real}).status_code == 302
    report = results.SchoolReport.objects.get()
    assert report.school == home.child.school and report.released_at is None
    assert not report.file.name.endswith("rapport.pdf")  # a name nobody can guess


def test_listing_shows_a_teacher_only_her_groups_results(client, home):
    pupil_result(home.child, test_name="Eigen toets")
    far = family(teacher_email="meester.jan@example.org", results_enabled=True)
    pupil_result(far.child, test_name="Andere toets")
    manager = StaffMemberFactory(school=home.child.school, role=StaffRole.MANAGEMENT)
    pupil_result(home.classmate, test_name="Klasgenoot toets")
    listing = reverse("wagtailsnippets_results_testresult:list")
    client.force_login(home.teacher.user)
    page = client.get(listing).text
    assert "Eigen toets" in page and "Andere toets" not in page
    client.force_login(manager.user)
    page = client.get(listing).text
    assert "Eigen toets" in page and "Klasgenoot toets" in page and "Andere toets" not in page


def test_staff_read_that_the_module_is_switched_off(client):
    home = family(results_enabled=False)
    client.force_login(home.teacher.user)
    listing = client.get(reverse("wagtailsnippets_results_testresult:list")).text
    assert "Resultaten staat uit voor" in listing
    assert "Resultaten staat uit voor" in client.get(IMPORT).text
    on = family(teacher_email="meester.jan@example.org", results_enabled=True)
    client.force_login(on.teacher.user)
    assert "Resultaten staat uit" not in client.get(IMPORT).text


def test_staff_open_a_report_through_the_check_only(client, home):
    report = school_report(home.child, released=False)
    client.force_login(home.teacher.user)
    edit = client.get(reverse("wagtailsnippets_results_schoolreport:edit", args=[report.pk]))
    url = reverse("results_report_file", args=[report.pk])
    assert f'href="{url}"' in edit.text
    assert report.file.url not in edit.text  # the storage's URL serves nothing
    response = client.get(url)
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 rapport"
    far = family(teacher_email="meester.jan@example.org", results_enabled=True)
    client.force_login(far.teacher.user)
    assert client.get(url).status_code == 404
