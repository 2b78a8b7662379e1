"""Issue 20, least privilege among staff: what a family hid from other parents, a teacher
reads only for the groups they teach; management and administration read it for the school.
Every admin screen that shows a guardian's contact details is walked here: the class list
(and its print), the portal class list staff also reach, and the people screens with their
chooser."""

import pytest
from django.urls import reverse

from schoolportal.people.models import Guardian, StaffRole
from tests.factories import GroupFactory, PupilFactory, StaffMemberFactory, parent_of

pytestmark = pytest.mark.django_db

HIDDEN = {
    "street": "Verstopstraat",
    "phone": "020-5559999",
    "mobile_phone": "06-55599999",
    "email": "verborgen.ouder@example.net",
}


@pytest.fixture
def world():
    group3 = GroupFactory(name="Groep 3")
    group5 = GroupFactory(school_year=group3.school_year, name="Groep 5")
    school = group3.school
    teacher3 = StaffMemberFactory(school=school, role=StaffRole.TEACHER)
    group3.teachers.add(teacher3)
    families = {}
    for group, prefix in ((group3, "drie"), (group5, "vijf")):
        pupil = PupilFactory(group=group, school=school)
        details = {field: f"{prefix}-{value}" for field, value in HIDDEN.items()}
        details["email"] = f"{prefix}.{HIDDEN['email']}"
        families[group.pk] = (pupil, parent_of(pupil, **details), details)
    return {
        "group3": group3,
        "group5": group5,
        "teacher3": teacher3,
        "management": StaffMemberFactory(school=school, role=StaffRole.MANAGEMENT),
        "administration": StaffMemberFactory(school=school, role=StaffRole.ADMINISTRATION),
        "families": families,
    }


def family(world, group):
    return world["families"][world[group].pk]


def screens(world, group):
    """Every staff screen that shows the contact details of ``group``'s family."""
    _pupil, guardian, _details = family(world, group)
    guardian_views = Guardian.snippet_viewset
    return [
        reverse("people_class_list", args=[world[group].pk]),
        reverse("portal:class_list", args=[world[group].pk]),
        reverse(guardian_views.get_url_name("list")),
        reverse(guardian_views.get_url_name("inspect"), args=[guardian.pk]),
        reverse(guardian_views.get_url_name("edit"), args=[guardian.pk]),
        reverse(guardian_views.chooser_viewset.get_url_name("choose")) + "?q=Ouder",
    ]


def shown(client, url):
    response = client.get(url)
    assert response.status_code < 500, url
    return response.content.decode() if response.status_code == 200 else ""


def test_a_teacher_of_group_3_reads_no_hidden_details_of_group_5_anywhere(client, world):
    client.force_login(world["teacher3"].user)
    _pupil, _guardian, details = family(world, "group5")

    for url in screens(world, "group5"):
        content = shown(client, url)
        for field, value in details.items():
            assert value not in content, (url, field)


def test_a_teacher_of_group_3_reads_the_hidden_details_in_group_3s_class_list(client, world):
    # The portal's class list, for a teacher who is also a parent: tests/test_class_lists.py.
    client.force_login(world["teacher3"].user)
    _pupil, _guardian, details = family(world, "group3")

    content = shown(client, reverse("people_class_list", args=[world["group3"].pk]))

    for field in ("phone", "mobile_phone", "email"):
        assert details[field] in content, field


@pytest.mark.parametrize("member", ["management", "administration"])
def test_management_and_administration_read_every_groups_hidden_details(client, world, member):
    client.force_login(world[member].user)

    for group in ("group3", "group5"):
        _pupil, guardian, details = family(world, group)
        class_list = shown(client, reverse("people_class_list", args=[world[group].pk]))
        inspect = shown(
            client,
            reverse(Guardian.snippet_viewset.get_url_name("inspect"), args=[guardian.pk]),
        )
        for field in ("phone", "mobile_phone", "email"):
            assert details[field] in class_list, (group, field)
            assert details[field] in inspect, (group, field)
