"""A lost phone: the school's management or administration switch off somebody's two-step
verification in the admin; the account is logged out everywhere and the switch is in the
person's history. Nobody else may, and nobody may do it to a superuser or to themselves."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from schoolportal.accounts.models import LoginSession
from schoolportal.people.models import StaffMember, StaffRole
from snippets.second_factor import SWITCHED_OFF
from tests.factories import (
    PASSWORD,
    GroupFactory,
    PupilFactory,
    SchoolFactory,
    SchoolYearFactory,
    StaffMemberFactory,
    UserFactory,
    parent_of,
)

pytestmark = pytest.mark.django_db

STAFF_LIST = reverse(StaffMember.snippet_viewset.get_url_name("list"))


def off_url(kind, person):
    return reverse("second_factor_off", args=[kind, person.pk])


def with_app(user):
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    StaticDevice.objects.create(user=user, name="herstelcodes", confirmed=True)
    return user


def logged_in(user):
    """A browser of ``user``, logged in with the password before the app was set up."""
    client = Client()
    assert (
        client.post(
            "/account/inloggen/", {"username": user.email, "password": PASSWORD}
        ).status_code
        == 302
    )
    return client


@pytest.fixture
def school():
    school = SchoolFactory(name="Basisschool De Regenboog")
    group = GroupFactory(school_year=SchoolYearFactory(school=school), name="Groep 3")
    school.pupil = PupilFactory(group=group)
    return school


@pytest.fixture
def manager(school):
    return StaffMemberFactory(school=school, role=StaffRole.ADMINISTRATION).user


def test_the_administration_switches_off_a_teachers_lost_app_and_logs_her_out(
    client, school, manager
):
    teacher = StaffMemberFactory(school=school, role=StaffRole.TEACHER, display_name="juf Bakker")
    phone = logged_in(teacher.user)
    with_app(teacher.user)
    client.force_login(manager)

    page = client.get(off_url("medewerker", teacher))
    response = client.post(off_url("medewerker", teacher))

    assert page.status_code == 200
    assert "Tweestapsverificatie uitzetten" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        StaffMember.snippet_viewset.get_url_name("edit"), args=[teacher.pk]
    )
    assert not TOTPDevice.objects.filter(user=teacher.user).exists()
    assert not StaticDevice.objects.filter(user=teacher.user).exists()
    assert not LoginSession.objects.filter(user=teacher.user).exists()
    assert phone.get("/admin/").status_code == 302  # logged out
    entry = ModelLogEntry.objects.get(action=SWITCHED_OFF)
    assert (entry.object_id, entry.user_id) == (str(teacher.pk), manager.pk)


def test_a_parents_second_factor_is_switched_off_the_same_way(client, school, manager):
    parent = parent_of(school.pupil)
    with_app(parent.user)
    client.force_login(manager)

    response = client.post(off_url("ouder", parent))

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=parent.user).exists()


def test_a_teacher_or_another_schools_manager_cannot_and_nothing_changes(client, school):
    teacher = StaffMemberFactory(school=school, role=StaffRole.TEACHER)
    with_app(teacher.user)
    colleague = StaffMemberFactory(school=school, role=StaffRole.TEACHER).user
    elsewhere = StaffMemberFactory(school=SchoolFactory(), role=StaffRole.MANAGEMENT).user

    answers = []
    for actor in (colleague, elsewhere):
        client.force_login(actor)
        answers += [client.get(off_url("medewerker", teacher)).status_code]
        answers += [client.post(off_url("medewerker", teacher)).status_code]

    assert answers == [404, 404, 404, 404]
    assert TOTPDevice.objects.filter(user=teacher.user).exists()


def test_nobody_switches_off_a_superusers_or_their_own_second_factor(client, school, manager):
    superuser = UserFactory(email="beheer@example.org", is_superuser=True)
    technical = StaffMemberFactory(school=school, user=with_app(superuser))
    own = StaffMember.objects.get(user=manager)
    client.force_login(manager)

    answers = [
        client.post(off_url("medewerker", technical)).status_code,
        client.post(off_url("medewerker", own)).status_code,
        client.get(reverse("second_factor_off", args=["leerling", own.pk])).status_code,
    ]

    assert answers == [404, 404, 404]
    assert TOTPDevice.objects.filter(user=superuser).exists()


def test_a_person_without_an_account_answers_404(client, school, manager):
    no_account = StaffMemberFactory(school=school, user=None, email="stagiair@example.org")
    client.force_login(manager)

    assert client.get(off_url("medewerker", no_account)).status_code == 404


def test_the_listing_offers_it_only_where_there_is_an_app_at_one_query_for_all_rows(
    client, school, manager
):
    client.force_login(manager)
    with_app(StaffMemberFactory(school=school).user)
    StaffMemberFactory(school=school)
    client.get(STAFF_LIST)
    with CaptureQueriesContext(connection) as few:
        page = client.get(STAFF_LIST)
    with_app(StaffMemberFactory(school=school).user)
    with_app(StaffMemberFactory(school=school).user)
    with CaptureQueriesContext(connection) as more:
        more_page = client.get(STAFF_LIST)

    offered = [m for m in StaffMember.objects.all() if off_url("medewerker", m) in page.text]
    assert [member.user for member in offered] == [
        m.user for m in StaffMember.objects.filter(user__totpdevice__isnull=False)[:1]
    ]
    assert more_page.text.count("Tweestapsverificatie uitzetten") == 3
    assert len(more) == len(few)
