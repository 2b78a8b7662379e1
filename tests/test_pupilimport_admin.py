"""The import screens: upload → preview → confirm for a school's management and
administration only; inviting every guardian without an account through the outbox with
the sending shown; and the new school year: every group a year up, groep 8 leaves."""

from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schoolportal.mailings.models import AddressedPupil
from schoolportal.notifications.models import OutboxMessage
from schoolportal.notifications.outbox import deliver_pending
from schoolportal.people.models import Group, Guardian, Pupil, StaffRole
from schoolportal.pupilimport import invitations
from schoolportal.pupilimport.models import ImportRun
from schoolportal.pupilimport.promotion import promote
from schoolportal.pupilimport.sample import as_csv, sample_rows
from tests.factories import (
    GroupFactory,
    PupilFactory,
    SchoolYearFactory,
    StaffMemberFactory,
    parent_of,
    send_mailing,
)

pytestmark = pytest.mark.django_db
UPLOAD = reverse("pupilimport_upload")


@pytest.fixture
def year():
    return SchoolYearFactory()


@pytest.fixture
def manager(year):
    return StaffMemberFactory(school=year.school, role=StaffRole.ADMINISTRATION)


def export(rows, name="export.csv"):
    return SimpleUploadedFile(name, as_csv(rows))


def test_administration_uploads_previews_and_confirms_an_import(client, year, manager):
    client.force_login(manager.user)
    response = client.post(UPLOAD, {"school": year.school.pk, "export": export(sample_rows(20))})
    run = ImportRun.objects.get()
    assert response.url == reverse("pupilimport_preview", args=[run.pk])
    preview = client.get(response.url)
    assert "20 nieuwe leerlingen" in preview.content.decode()
    assert not Pupil.objects.exists()  # a preview saves nothing
    confirmed = client.post(response.url)
    assert confirmed.url == reverse("pupilimport_invite", args=[run.pk])
    assert Pupil.objects.count() == 20
    run.refresh_from_db()
    assert run.applied_at is not None and run.rows == [] and run.summary["additions"] == 20
    # Confirming again (a double click) imports nothing twice.
    client.post(response.url)
    assert Pupil.objects.count() == 20


def test_a_file_with_bad_rows_shows_them_and_cannot_be_confirmed(client, year, manager):
    rows = sample_rows(3)
    rows[2][4] = "gisteren"
    client.force_login(manager.user)
    client.post(UPLOAD, {"school": year.school.pk, "export": export(rows)})
    url = reverse("pupilimport_preview", args=[ImportRun.objects.get().pk])
    page = client.get(url).content.decode()
    assert "Regel 4: geboortedatum" in page and "Import verwerken" not in page
    client.post(url)
    assert not Pupil.objects.exists()


def test_an_unreadable_file_is_an_error_on_the_form(client, year, manager):
    client.force_login(manager.user)
    response = client.post(
        UPLOAD,
        {"school": year.school.pk, "export": SimpleUploadedFile("x.xlsx", b"geen excel")},
    )
    assert response.status_code == 200
    assert "Dit Excel-bestand kan niet worden gelezen." in response.content.decode()
    assert not ImportRun.objects.exists()


def test_teachers_and_other_schools_cannot_import(client, year, manager):
    teacher = StaffMemberFactory(school=year.school, role=StaffRole.TEACHER)
    client.force_login(teacher.user)
    for url in (UPLOAD, reverse("pupilimport_promotion")):
        refused = client.post(url, {"school": year.school.pk})
        # Wagtail answers a refusal with its start page.
        assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    assert not year.school.school_years.exclude(pk=year.pk).exists()
    other = StaffMemberFactory(role=StaffRole.ADMINISTRATION)
    run = ImportRun.objects.create(school=year.school, file_name="x.csv", rows=[])
    client.force_login(other.user)
    assert client.get(reverse("pupilimport_preview", args=[run.pk])).status_code == 404
    assert client.post(reverse("pupilimport_invite", args=[run.pk])).status_code == 404
    response = client.post(UPLOAD, {"school": year.school.pk, "export": export(sample_rows(1))})
    assert (
        response.status_code == 200
        and not ImportRun.objects.filter(school=year.school).exclude(pk=run.pk).exists()
    )


def test_inviting_after_an_import_queues_one_invitation_per_guardian_without_account(
    client, year, manager, settings
):
    client.force_login(manager.user)
    client.post(UPLOAD, {"school": year.school.pk, "export": export(sample_rows(3))})
    run = ImportRun.objects.get()
    client.post(reverse("pupilimport_preview", args=[run.pk]))
    invite_url = reverse("pupilimport_invite", args=[run.pk])
    assert (
        "4 ouders van deze school hebben nog geen account"
        in client.get(invite_url).content.decode()
    )
    client.post(invite_url)
    client.post(invite_url)  # twice: nobody twice
    rows = OutboxMessage.objects.filter(kind=invitations.KIND, cause_id=run.pk)
    assert rows.count() == 4
    assert Guardian.objects.filter(user__isnull=False).count() == 4
    page = client.get(invite_url).content.decode()
    assert "0 van 4 verzonden, 4 wachten" in page
    deliver_pending(invitations.KIND, run.pk)
    assert len(mail.outbox) == 4
    assert "/account/" in mail.outbox[0].body
    assert "4 van 4 verzonden, 0 wachten" in client.get(invite_url).content.decode()


def test_a_new_school_year_moves_every_group_up_and_groep_8_leaves(client, year, manager):
    groep3 = GroupFactory(school_year=year, name="Groep 3")
    groep8 = GroupFactory(
        school_year=year, name="Groep 8", lowest_year_level=8, highest_year_level=8
    )
    emma, sven = PupilFactory(group=groep3), PupilFactory(group=groep8)
    parent = parent_of(emma)
    mailing = send_mailing(groups=[groep3], school=year.school)
    client.force_login(manager.user)
    url = reverse("pupilimport_promotion")
    preview = client.get(url).content.decode()
    assert "Groep 4 (2027-2028)" in preview and "verlaten de school per" in preview
    client.post(url, {"school": year.school.pk})
    emma.refresh_from_db()
    sven.refresh_from_db()
    assert emma.group.name == "Groep 4" and emma.group.school_year.name == "2027-2028"
    assert emma.group.lowest_year_level == 4
    assert sven.group == groep8 and sven.left_on == date(2027, 8, 24)
    # Last year's group keeps its mailing, and the mailing stays Emma's.
    assert AddressedPupil.objects.filter(mailing=mailing, pupil=emma).exists()
    assert Group.objects.filter(pk=groep3.pk).exists()
    assert parent.guardianships.get().pupil == emma


def test_a_new_school_year_uses_the_groups_already_made_for_it(year):
    groep3 = GroupFactory(school_year=year, name="Groep 3")
    emma = PupilFactory(group=groep3)
    following = SchoolYearFactory(
        school=year.school,
        name="2027-2028",
        start_date=date(2027, 8, 23),
        end_date=date(2028, 7, 14),
    )
    groep4 = GroupFactory(
        school_year=following, name="Groep 4", lowest_year_level=4, highest_year_level=4
    )
    promote(year.school)
    emma.refresh_from_db()
    assert emma.group == groep4
    assert Group.objects.filter(school_year=following).count() == 1


def test_a_pupil_who_left_is_off_the_staff_class_list_and_the_link_codes(client, year, manager):
    group = GroupFactory(school_year=year)
    PupilFactory(group=group, first_name="Blijft")
    PupilFactory(group=group, first_name="Vertrokken", left_on=date(2026, 1, 1))
    client.force_login(manager.user)
    page = client.get(reverse("people_class_list", args=[group.pk])).content.decode()
    assert "Blijft" in page and "Vertrokken" not in page
    codes = client.get(reverse("people_linkcodes", args=["groep", group.pk])).content.decode()
    assert "voor 1 leerling." in codes
