"""Issue 4, the staff class list in the admin: every field, only for staff of the school."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schoolportal.people.models import Babysitter, EmergencyContact, StaffRole
from tests.factories import (
    GroupFactory,
    PupilFactory,
    SchoolYearFactory,
    StaffMemberFactory,
    parent_of,
)

pytestmark = pytest.mark.django_db

HIDDEN_DETAILS = {
    "street": "Geheimstraat",
    "house_number": "417 hs",
    "postcode": "9876 ZX",
    "phone": "020-5550101",
    "mobile_phone": "06-55501234",
    "email": "ingrid.geheim@example.net",
}
STAFF_ONLY = [
    "Diabetes type 1",  # medical notes
    "Wespensteken",  # allergies
    "Opa Sloot",  # emergency contact
    "038-4445566",
    "Oppas Yara",  # babysitter
    "06-77788899",
]


@pytest.fixture
def world():
    school_year = SchoolYearFactory()
    group = GroupFactory(school_year=school_year, name="Groep 4a")
    pupil = PupilFactory(
        first_name="Daan",
        last_name="Sloot",
        group=group,
        medical_notes="Diabetes type 1",
        allergies="Wespensteken",
    )
    guardian = parent_of(pupil, first_name="Ingrid", last_name="Sloot", **HIDDEN_DETAILS)
    assert guardian.address_hidden and guardian.phone_hidden and guardian.email_hidden
    EmergencyContact.objects.create(pupil=pupil, name="Opa Sloot", phone="038-4445566")
    Babysitter.objects.create(guardian=guardian, name="Oppas Yara", phone="06-77788899")
    return {"school": school_year.school, "group": group, "guardian": guardian}


def class_list_url(group):
    return reverse("people_class_list", args=[group.pk])


HIDDEN_FROM_OTHER_GROUPS = [*HIDDEN_DETAILS.values(), "Oppas Yara", "06-77788899"]
FOR_EVERY_TEACHER = ["Daan Sloot", "Ingrid Sloot", "Diabetes type 1", "Wespensteken", "Opa Sloot"]


def staff_member(world, role, teaches=False):
    staff = StaffMemberFactory(school=world["school"], role=role)
    if teaches:
        world["group"].teachers.add(staff)
    return staff


@pytest.mark.parametrize(
    ("role", "teaches"),
    [
        (StaffRole.TEACHER, True),
        (StaffRole.MANAGEMENT, False),
        (StaffRole.ADMINISTRATION, False),
    ],
)
def test_the_groups_teacher_and_management_see_every_field_including_hidden_ones(
    client, world, role, teaches
):
    client.force_login(staff_member(world, role, teaches).user)

    response = client.get(class_list_url(world["group"]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Daan Sloot" in content
    assert "Ingrid Sloot" in content
    for field, value in HIDDEN_DETAILS.items():
        assert value in content, field
    for value in STAFF_ONLY:
        assert value in content, value


def test_a_teacher_of_another_group_sees_no_hidden_contact_details(client, world):
    teacher = staff_member(world, StaffRole.TEACHER)
    GroupFactory(school_year=world["group"].school_year, name="Groep 5").teachers.add(teacher)
    client.force_login(teacher.user)

    response = client.get(class_list_url(world["group"]))

    assert response.status_code == 200
    content = response.content.decode()
    for value in HIDDEN_FROM_OTHER_GROUPS:
        assert value not in content, value
    # Medical notes and emergency contacts stay: any teacher may be the one on duty.
    for value in FOR_EVERY_TEACHER:
        assert value in content, value
    assert "alleen wat zij met andere ouders delen" in content


def test_a_teacher_of_another_group_sees_what_the_family_shares(client, world):
    guardian = world["guardian"]
    guardian.phone_hidden = False
    guardian.save()
    client.force_login(staff_member(world, StaffRole.TEACHER).user)

    content = client.get(class_list_url(world["group"])).content.decode()

    assert HIDDEN_DETAILS["phone"] in content
    assert HIDDEN_DETAILS["mobile_phone"] not in content
    assert HIDDEN_DETAILS["email"] not in content


def test_staff_of_another_school_get_404(client, world):
    outsider = StaffMemberFactory(role=StaffRole.MANAGEMENT)
    client.force_login(outsider.user)

    response = client.get(class_list_url(world["group"]))

    assert response.status_code == 404
    assert "Ingrid" not in response.content.decode()


def test_staff_class_list_index_lists_only_own_schools_groups(client, world):
    GroupFactory(name="Groep Elders")
    staff = StaffMemberFactory(school=world["school"])
    client.force_login(staff.user)

    response = client.get(reverse("people_class_lists"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Groep 4a" in content
    assert "Groep Elders" not in content


def test_the_index_marks_only_the_groups_the_user_teaches_as_theirs(client, world):
    GroupFactory(school_year=world["group"].school_year, name="Groep 5b")
    teacher = StaffMemberFactory(school=world["school"], role=StaffRole.MANAGEMENT)
    world["group"].teachers.add(teacher)  # a director who also teaches groep 4a
    client.force_login(teacher.user)

    content = client.get(reverse("people_class_lists")).content.decode()

    assert content.count("(uw groep)") == 1
    assert "Groep 4a</a> (uw groep)" in content


@pytest.mark.parametrize("url_name", ["people_class_list", "people_class_lists"])
def test_guardian_gets_no_access_to_the_staff_class_list(client, world, url_name):
    classmate = PupilFactory(group=world["group"])
    other_parent = parent_of(classmate)
    client.force_login(other_parent.user)
    args = [world["group"].pk] if url_name == "people_class_list" else []

    response = client.get(reverse(url_name, args=args))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_anonymous_visitor_is_sent_to_the_admin_login(client, world):
    response = client.get(class_list_url(world["group"]))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def group_of(school_year, size):
    group = GroupFactory(school_year=school_year)
    for index in range(size):
        pupil = PupilFactory(group=group)
        guardian = parent_of(pupil)
        if index % 2 == 0:
            parent_of(pupil)
        EmergencyContact.objects.create(pupil=pupil, name="Noodcontact", phone="030-1234567")
        Babysitter.objects.create(guardian=guardian, name="Oppas", phone="06-12345678")
    return group


def test_staff_class_list_query_count_does_not_grow_with_the_group(client):
    staff = StaffMemberFactory(role=StaffRole.MANAGEMENT)
    school_year = SchoolYearFactory(school=staff.school)
    small = group_of(school_year, 3)
    big = group_of(school_year, 25)
    client.force_login(staff.user)
    client.get(class_list_url(small))  # warm per-process caches (admin menu, site)

    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(class_list_url(small)).status_code == 200
    with CaptureQueriesContext(connection) as big_queries:
        assert client.get(class_list_url(big)).status_code == 200

    assert len(big_queries) == len(small_queries)
