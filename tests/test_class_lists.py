"""Issue 4, class lists: parents see only what other parents chose to share."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schoolportal import access
from schoolportal.people.models import Babysitter, EmergencyContact, Pupil
from tests.factories import (
    ClassParentFactory,
    GroupFactory,
    GuardianshipFactory,
    PupilFactory,
    SchoolYearFactory,
    StaffMemberFactory,
    parent_of,
)

pytestmark = pytest.mark.django_db

CLASS_LIST_VIEWS = ["portal:class_list", "portal:class_list_print"]

# The neighbour's contact details: distinctive, and never part of a CSRF token or an id.
NEIGHBOUR = {
    "first_name": "Ingrid",
    "infix": "van der",
    "last_name": "Sloot",
    "street": "Geheimstraat",
    "house_number": "417 hs",
    "postcode": "9876 ZX",
    "city": "Zwolle",
    "phone": "020-5550101",
    "mobile_phone": "06-55501234",
    "email": "ingrid.geheim@example.net",
}
FIELDS_BY_FLAG = {
    "address_hidden": ["street", "house_number", "postcode"],
    "phone_hidden": ["phone"],
    "mobile_phone_hidden": ["mobile_phone"],
    "email_hidden": ["email"],
}
ALL_CONTACT_FIELDS = [name for names in FIELDS_BY_FLAG.values() for name in names]


@pytest.fixture
def world():
    """A viewer's family and a neighbour's family in one group, plus a second group."""
    teacher = StaffMemberFactory(display_name="juf Appel")
    school = teacher.school
    year = SchoolYearFactory(school=school)
    group = GroupFactory(school_year=year, name="Groep 4a")
    group.teachers.add(teacher)
    child = PupilFactory(first_name="Lotte", last_name="Jansen", group=group)
    viewer = parent_of(
        child,
        first_name="Marieke",
        last_name="Jansen",
        street="Eigenweg",
        house_number="5",
        postcode="1111 AA",
        phone="030-1010101",
        mobile_phone="06-10101010",
    )
    neighbour_child = PupilFactory(
        first_name="Daan",
        last_name="Sloot",
        group=group,
        medical_notes="Diabetes type 1",
        allergies="Wespensteken",
    )
    neighbour = parent_of(neighbour_child, **NEIGHBOUR)
    EmergencyContact.objects.create(
        pupil=neighbour_child, name="Opa Sloot", relation="opa", phone="038-4445566"
    )
    Babysitter.objects.create(
        guardian=neighbour, name="Oppas Yara", phone="06-77788899", notes="Dinsdagavond"
    )
    other_group = GroupFactory(school_year=year, name="Groep 7b")
    PupilFactory(first_name="Vreemde", last_name="Leerling", group=other_group)
    return {
        "school": school,
        "teacher": teacher,
        "group": group,
        "child": child,
        "viewer": viewer,
        "neighbour": neighbour,
        "neighbour_child": neighbour_child,
        "other_group": other_group,
    }


@pytest.fixture
def viewer_client(client, world):
    client.force_login(world["viewer"].user)
    return client


# --- Which groups --------------------------------------------------------------------


@pytest.mark.parametrize("url_name", CLASS_LIST_VIEWS)
def test_parent_sees_the_class_list_of_their_childs_group(viewer_client, world, url_name):
    response = viewer_client.get(reverse(url_name, args=[world["group"].pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Groep 4a" in content
    assert "Lotte Jansen" in content
    assert "Daan Sloot" in content
    assert "Vreemde Leerling" not in content


@pytest.mark.parametrize("url_name", CLASS_LIST_VIEWS)
def test_class_list_of_another_group_at_the_same_school_answers_404(viewer_client, world, url_name):
    response = viewer_client.get(reverse(url_name, args=[world["other_group"].pk]))

    assert response.status_code == 404
    assert "Vreemde Leerling" not in response.content.decode()


@pytest.mark.parametrize("url_name", CLASS_LIST_VIEWS)
def test_class_list_of_a_group_at_another_school_answers_404(viewer_client, url_name):
    foreign = PupilFactory(first_name="Buitenstaander")
    parent_of(foreign)

    response = viewer_client.get(reverse(url_name, args=[foreign.group.pk]))

    assert response.status_code == 404
    assert "Buitenstaander" not in response.content.decode()


def test_groups_root_leads_to_the_school_overview(viewer_client):
    response = viewer_client.get(reverse("portal:class_list_root"))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:school")


# --- Field by field --------------------------------------------------------------------


@pytest.mark.parametrize("url_name", CLASS_LIST_VIEWS)
@pytest.mark.parametrize("field", ALL_CONTACT_FIELDS)
def test_hidden_contact_field_of_another_parent_never_appears(
    viewer_client, world, url_name, field
):
    neighbour = world["neighbour"]
    assert neighbour.address_hidden and neighbour.phone_hidden and neighbour.email_hidden

    content = viewer_client.get(reverse(url_name, args=[world["group"].pk])).content.decode()

    assert NEIGHBOUR[field] not in content
    assert "Ingrid van der Sloot" in content


@pytest.mark.parametrize("url_name", CLASS_LIST_VIEWS)
@pytest.mark.parametrize("flag", sorted(FIELDS_BY_FLAG))
def test_shared_contact_fields_appear_and_only_those(viewer_client, world, url_name, flag):
    neighbour = world["neighbour"]
    setattr(neighbour, flag, False)
    neighbour.save()

    content = viewer_client.get(reverse(url_name, args=[world["group"].pk])).content.decode()

    assert "Ingrid van der Sloot" in content
    for field in ALL_CONTACT_FIELDS:
        if field in FIELDS_BY_FLAG[flag]:
            assert NEIGHBOUR[field] in content, field
        else:
            assert NEIGHBOUR[field] not in content, field


def test_guardian_without_account_is_listed_by_name_with_hidden_details(viewer_client, world):
    """A guardian the school registered but who never logged in keeps the hidden defaults."""
    GuardianshipFactory(
        pupil=world["neighbour_child"],
        guardian__user=None,
        guardian__first_name="Kees",
        guardian__last_name="Sloot",
        guardian__email="kees.sloot@example.net",
        guardian__street="Verstopstraat",
    )

    content = viewer_client.get(
        reverse("portal:class_list", args=[world["group"].pk])
    ).content.decode()

    assert "Kees Sloot" in content
    assert "kees.sloot@example.net" not in content
    assert "Verstopstraat" not in content


# --- Never shared ------------------------------------------------------------------------

NEVER_SHARED = [
    "Diabetes type 1",  # medical notes
    "Wespensteken",  # allergies
    "Opa Sloot",  # emergency contact
    "038-4445566",
    "Oppas Yara",  # babysitter
    "06-77788899",
    "Dinsdagavond",
]


@pytest.mark.parametrize(
    "url_name",
    ["portal:class_list", "portal:class_list_print", "portal:school", "portal:dashboard"],
)
def test_medical_data_emergency_contacts_and_babysitters_of_others_never_appear(
    viewer_client, world, url_name
):
    neighbour = world["neighbour"]
    neighbour.address_hidden = neighbour.phone_hidden = neighbour.email_hidden = False
    neighbour.mobile_phone_hidden = False
    neighbour.save()
    ClassParentFactory(group=world["group"], guardian=neighbour)
    args = [world["group"].pk] if "class_list" in url_name else []

    response = viewer_client.get(reverse(url_name, args=args))

    assert response.status_code == 200
    content = response.content.decode()
    for secret in NEVER_SHARED:
        assert secret not in content, secret


def test_own_hidden_details_appear_on_own_profile(viewer_client, world):
    viewer = world["viewer"]
    assert viewer.address_hidden and viewer.phone_hidden and viewer.email_hidden

    content = viewer_client.get(reverse("portal:profile")).content.decode()

    for value in ("Eigenweg", "1111 AA", "030-1010101", "06-10101010", viewer.email):
        assert value in content, value
    assert "Nee, verborgen" in content


def test_own_hidden_details_are_not_shown_to_the_other_parents(client, world):
    viewer = world["viewer"]
    client.force_login(world["neighbour"].user)

    content = client.get(reverse("portal:class_list", args=[world["group"].pk])).content.decode()

    assert "Marieke Jansen" in content
    for value in ("Eigenweg", "1111 AA", "030-1010101", "06-10101010", viewer.email):
        assert value not in content, value


@pytest.mark.parametrize("url_name", CLASS_LIST_VIEWS)
def test_rows_rendered_for_one_parent_are_kept_for_the_group_but_own_rows_are_each_parents(
    client, world, url_name
):
    url = reverse(url_name, args=[world["group"].pk])
    classmate = PupilFactory(first_name="Sara", last_name="Bakker", group=world["group"])
    client.force_login(world["viewer"].user)
    first = client.get(url).content.decode()
    assert "Eigenweg" in first and "Geheimstraat" not in first  # the viewer's own row
    # Changed without a signal: a page that renders the row again would show it.
    Pupil.objects.filter(pk=classmate.pk).update(first_name="Veranderd")

    client.force_login(world["neighbour"].user)
    second = client.get(url).content.decode()

    assert "Sara Bakker" in second and "Veranderd" not in second  # the kept row
    assert "Geheimstraat" in second  # the neighbour's own row shows all of their details
    for value in ("Eigenweg", "1111 AA", "030-1010101", "06-10101010", world["viewer"].email):
        assert value not in second, value  # the viewer's row, as every parent may see it


def test_a_change_renders_the_kept_rows_again(viewer_client, world):
    url = reverse("portal:class_list", args=[world["group"].pk])
    assert "Daan Sloot" in viewer_client.get(url).content.decode()

    neighbour_child = world["neighbour_child"]
    neighbour_child.first_name = "Daniel"
    neighbour_child.save()

    assert "Daniel Sloot" in viewer_client.get(url).content.decode()


def test_the_groups_teacher_who_is_a_parent_sees_every_guardian_whole_after_rows_were_kept(
    client, world
):
    url = reverse("portal:class_list", args=[world["group"].pk])
    client.force_login(world["viewer"].user)
    assert "Geheimstraat" not in client.get(url).content.decode()
    colleague = parent_of(PupilFactory(group=world["group"]))
    teacher = StaffMemberFactory(school=world["school"], user=colleague.user)
    world["group"].teachers.add(teacher)

    client.force_login(colleague.user)
    content = client.get(url).content.decode()

    for field in ALL_CONTACT_FIELDS:
        assert NEIGHBOUR[field] in content, field


def test_a_teacher_of_another_group_who_is_a_parent_sees_only_what_families_share(client, world):
    url = reverse("portal:class_list", args=[world["group"].pk])
    colleague = parent_of(PupilFactory(group=world["group"]))
    world["other_group"].teachers.add(
        StaffMemberFactory(school=world["school"], user=colleague.user)
    )

    client.force_login(colleague.user)
    content = client.get(url).content.decode()

    for field in ALL_CONTACT_FIELDS:
        assert NEIGHBOUR[field] not in content, field


# --- School overview --------------------------------------------------------------------


def test_school_overview_shows_group_teachers_and_class_parents(viewer_client, world):
    ClassParentFactory(group=world["group"], guardian=world["neighbour"])

    response = viewer_client.get(reverse("portal:school"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Groep 4a" in content
    assert "juf Appel" in content
    assert "Ingrid van der Sloot" in content
    assert reverse("portal:class_list", args=[world["group"].pk]) in content
    assert world["teacher"].email not in content
    for field in ALL_CONTACT_FIELDS:
        assert NEIGHBOUR[field] not in content, field


def test_school_overview_shows_only_the_groups_of_own_children(viewer_client, world):
    world["other_group"].teachers.add(
        StaffMemberFactory(school=world["school"], display_name="meester Berk")
    )

    content = viewer_client.get(reverse("portal:school")).content.decode()

    assert "Groep 7b" not in content
    assert "meester Berk" not in content
    assert reverse("portal:class_list", args=[world["other_group"].pk]) not in content


# --- Query counts -----------------------------------------------------------------------


def viewer_in_group_of(size):
    """A parent whose child is in a group of ``size`` pupils, each with one or two parents."""
    teacher = StaffMemberFactory()
    group = GroupFactory(school_year__school=teacher.school)
    group.teachers.add(teacher)
    pupils = [PupilFactory(group=group) for _ in range(size)]
    viewer = parent_of(pupils[0])
    for index, pupil in enumerate(pupils[1:]):
        guardian = parent_of(pupil, address_hidden=index % 2 == 0, email_hidden=False)
        if index % 3 == 0:
            parent_of(pupil)
        if index < 2:
            ClassParentFactory(group=group, guardian=guardian)
        EmergencyContact.objects.create(pupil=pupil, name="Noodcontact", phone="030-1234567")
    return viewer, group


def count_queries(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", CLASS_LIST_VIEWS)
def test_class_list_query_count_does_not_grow_with_the_group(client, url_name):
    small_viewer, small_group = viewer_in_group_of(3)
    big_viewer, big_group = viewer_in_group_of(25)

    small = count_queries(client, small_viewer.user, reverse(url_name, args=[small_group.pk]))
    big = count_queries(client, big_viewer.user, reverse(url_name, args=[big_group.pk]))

    assert big == small


def test_dashboard_query_count_does_not_grow_with_the_group(client):
    small_viewer, _small_group = viewer_in_group_of(3)
    big_viewer, _big_group = viewer_in_group_of(25)

    small = count_queries(client, small_viewer.user, reverse("portal:dashboard"))
    big = count_queries(client, big_viewer.user, reverse("portal:dashboard"))

    assert big == small


def test_school_overview_query_count_does_not_grow_with_the_group(client):
    small_viewer, _small_group = viewer_in_group_of(3)
    big_viewer, _big_group = viewer_in_group_of(25)

    small = count_queries(client, small_viewer.user, reverse("portal:school"))
    big = count_queries(client, big_viewer.user, reverse("portal:school"))

    assert big == small


# --- Print view and menu --------------------------------------------------------------


def test_class_list_links_to_the_print_view(viewer_client, world):
    print_url = reverse("portal:class_list_print", args=[world["group"].pk])

    content = viewer_client.get(
        reverse("portal:class_list", args=[world["group"].pk])
    ).content.decode()

    assert f'href="{print_url}">Afdrukken</a>' in content


def test_print_view_uses_the_print_stylesheet_and_links_back(viewer_client, world):
    response = viewer_client.get(reverse("portal:class_list_print", args=[world["group"].pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "css/print.css" in content
    assert f'href="{reverse("portal:class_list", args=[world["group"].pk])}"' in content


def test_school_menu_item_is_current_on_the_class_list(viewer_client, world):
    content = viewer_client.get(
        reverse("portal:class_list", args=[world["group"].pk])
    ).content.decode()

    assert f'href="{reverse("portal:school")}" aria-current="page">School</a>' in content
    assert f'href="{reverse("portal:dashboard")}" aria-current="page"' not in content


def test_guardianships_of_pupils_are_only_those_of_pupils_the_viewer_may_see(world):
    stranger = Pupil.objects.get(first_name="Vreemde")
    parent_of(stranger)
    own_and_classmate = [world["child"].pk, world["neighbour_child"].pk]

    visible = access.guardianships_of_pupils(
        world["viewer"].user, [*own_and_classmate, stranger.pk]
    )

    assert {g.pupil_id for g in visible} == set(own_and_classmate)


def test_guardianships_of_the_viewers_own_children_come_with_pupil_and_guardian_in_order(
    world, django_assert_num_queries
):
    child = world["child"]
    co_parent = parent_of(child)
    viewer = world["viewer"].user
    assert child.pk in access.scope(viewer).pupil_ids  # read once per request anyway

    with django_assert_num_queries(1):
        pairs = access.guardianships_of_pupils(viewer, [child.pk])
        names = [(pair.pupil.first_name, pair.guardian.full_name) for pair in pairs]

    assert [pair.pk for pair in pairs] == sorted(child.guardianships.values_list("pk", flat=True))
    assert (child.first_name, co_parent.full_name) in names


def test_group_for_gives_a_parent_only_their_childrens_groups_and_staff_their_schools(
    world, django_assert_num_queries
):
    viewer = world["viewer"].user
    rights = access.scope(viewer)
    assert rights.group_ids and not rights.staff_school_ids  # read once per request anyway

    with django_assert_num_queries(0):
        assert access.group_for(viewer, world["other_group"].pk) is None
    with django_assert_num_queries(1):
        found = access.group_for(viewer, world["group"].pk)
        assert found == world["group"] and found.school == world["school"]
    assert access.group_for(world["teacher"].user, world["other_group"].pk) == world["other_group"]
    elsewhere = GroupFactory()
    assert access.group_for(world["teacher"].user, elsewhere.pk) is None
    assert access.group_for(AnonymousUser(), world["group"].pk) is None
