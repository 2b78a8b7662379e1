"""Model constraints, validation and normalisation of the school's people."""

from contextlib import contextmanager
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pages.models import SchoolCollection
from schoolportal.people.models import (
    Guardian,
    Pupil,
    School,
    SchoolYear,
    StaffRole,
    brin_validator,
)
from schoolportal.people.roles import ROLE_GROUP_NAMES
from schoolportal.people.validators import normalise_postcode, validate_phone, validate_postcode
from tests.factories import (
    PASSWORD,
    ClassParentFactory,
    GroupFactory,
    GuardianFactory,
    GuardianshipFactory,
    PupilFactory,
    SchoolFactory,
    SchoolYearFactory,
    StaffMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

User = get_user_model()


@contextmanager
def violates_constraint():
    """Expect an IntegrityError, in its own savepoint so the test can go on using the database."""
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


# --- School years -------------------------------------------------------------


@pytest.mark.parametrize("end_date", [date(2026, 8, 24), date(2026, 8, 1)])
def test_school_year_must_end_after_it_starts_in_the_database(end_date):
    school = SchoolFactory()
    with violates_constraint():
        SchoolYear.objects.create(
            school=school, name="2026-2027", start_date=date(2026, 8, 24), end_date=end_date
        )


@pytest.mark.parametrize("end_date", [date(2026, 8, 24), date(2026, 8, 1)])
def test_school_year_must_end_after_it_starts_in_forms(end_date):
    year = SchoolYear(
        school=SchoolFactory(), name="2026-2027", start_date=date(2026, 8, 24), end_date=end_date
    )
    with pytest.raises(ValidationError) as error:
        year.full_clean()
    assert error.value.message_dict["end_date"] == ["De einddatum moet na de begindatum liggen."]


def test_school_year_ending_after_it_starts_is_valid():
    year = SchoolYearFactory.build(school=SchoolFactory())
    year.full_clean()


def test_school_year_name_is_unique_per_school():
    year = SchoolYearFactory()
    SchoolYearFactory(name=year.name)  # another school
    with violates_constraint():
        SchoolYearFactory(school=year.school, name=year.name)


# --- Groups ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lowest", "highest"),
    [(0, 1), (1, 9), (0, 9), (5, 4), (8, 1)],
)
def test_group_year_levels_are_1_to_8_and_ascending_in_the_database(lowest, highest):
    year = SchoolYearFactory()
    with violates_constraint():
        GroupFactory(school_year=year, lowest_year_level=lowest, highest_year_level=highest)


@pytest.mark.parametrize(("lowest", "highest"), [(1, 1), (8, 8), (1, 2), (5, 6), (1, 8)])
def test_group_with_year_levels_within_1_to_8_is_accepted(lowest, highest):
    group = GroupFactory(lowest_year_level=lowest, highest_year_level=highest)
    group.full_clean()
    assert group.year_levels == list(range(lowest, highest + 1))
    assert group.is_combination == (lowest != highest)


@pytest.mark.parametrize(
    ("lowest", "highest", "field"),
    [(0, 1, "lowest_year_level"), (1, 9, "highest_year_level"), (6, 5, "highest_year_level")],
)
def test_group_year_levels_are_validated_in_forms(lowest, highest, field):
    group = GroupFactory.build(
        school_year=SchoolYearFactory(), lowest_year_level=lowest, highest_year_level=highest
    )
    with pytest.raises(ValidationError) as error:
        group.full_clean()
    assert field in error.value.message_dict


def test_group_name_is_unique_per_school_year():
    group = GroupFactory(name="Groep 5a")
    GroupFactory(name="Groep 5a", school_year=SchoolYearFactory(school=group.school, name="2027"))
    with violates_constraint():
        GroupFactory(name="Groep 5a", school_year=group.school_year)


def test_group_school_year_of_another_school_is_rejected():
    group = GroupFactory.build(school=SchoolFactory(), school_year=SchoolYearFactory())
    with pytest.raises(ValidationError) as error:
        group.full_clean()
    assert "school_year" in error.value.message_dict


def test_pupil_in_a_group_of_another_school_is_rejected():
    pupil = PupilFactory.build(school=SchoolFactory(), group=GroupFactory())
    with pytest.raises(ValidationError) as error:
        pupil.full_clean()
    assert "group" in error.value.message_dict


# --- Guardians, class parents, staff --------------------------------------------


def test_guardian_is_linked_to_a_pupil_only_once():
    guardianship = GuardianshipFactory()
    with violates_constraint():
        GuardianshipFactory(guardian=guardianship.guardian, pupil=guardianship.pupil)


def test_guardian_is_class_parent_of_a_group_only_once():
    class_parent = ClassParentFactory()
    with violates_constraint():
        ClassParentFactory(group=class_parent.group, guardian=class_parent.guardian)


def test_staff_email_is_unique_per_school_whatever_its_case():
    member = StaffMemberFactory(user=None, email="juf@school.nl")
    StaffMemberFactory(user=None, email="juf@school.nl")  # another school
    with violates_constraint():
        StaffMemberFactory(user=None, school=member.school, email="Juf@School.NL")


def test_staff_account_works_at_a_school_only_once():
    member = StaffMemberFactory()
    with violates_constraint():
        StaffMemberFactory(school=member.school, user=member.user, email="ander@school.nl")


def test_pupil_with_divorced_parents_at_two_addresses():
    pupil = PupilFactory()
    mother = GuardianFactory(street="Dorpsstraat", house_number="1", postcode="1234 AB")
    father = GuardianFactory(
        street="Kerkstraat", house_number="12a", postcode="3511AA", city="Amersfoort"
    )
    GuardianshipFactory(guardian=mother, pupil=pupil, relation="mother")
    GuardianshipFactory(guardian=father, pupil=pupil, relation="father")

    pupil = Pupil.objects.get(pk=pupil.pk)
    guardians = {g.pk: g for g in pupil.guardians.all()}
    assert set(guardians) == {mother.pk, father.pk}
    assert guardians[mother.pk].address_lines == ["Dorpsstraat 1", "1234 AB Utrecht"]
    assert guardians[father.pk].address_lines == ["Kerkstraat 12a", "3511 AA Amersfoort"]
    assert {g.get_relation_display() for g in pupil.guardianships.all()} == {"moeder", "vader"}


def test_guardian_email_is_stored_lowercase():
    guardian = GuardianFactory(user=None, email="  Ouder@Example.NL ")
    assert Guardian.objects.get(pk=guardian.pk).email == "ouder@example.nl"


# --- Users ------------------------------------------------------------------------


def test_user_email_differing_only_in_case_is_rejected():
    User.objects.create_user("a@x.nl", PASSWORD)
    with violates_constraint():
        User.objects.create_user("A@x.nl", PASSWORD)
    with violates_constraint():
        User(email="A@X.NL").save()
    assert User.objects.count() == 1


def test_user_email_uniqueness_holds_in_the_database_itself():
    User.objects.create_user("a@x.nl", PASSWORD)
    other = User.objects.create_user("b@x.nl", PASSWORD)
    with violates_constraint():
        User.objects.filter(pk=other.pk).update(email="A@x.nl")


def test_user_email_is_stored_lowercase():
    user = User.objects.create_user("  Ouder@Example.NL ", PASSWORD)
    assert User.objects.get(pk=user.pk).email == "ouder@example.nl"
    assert User.objects.get_by_natural_key("OUDER@example.nl") == user


def test_login_with_email_in_another_case(client):
    UserFactory(email="ouder@example.nl")
    response = client.post(
        "/account/inloggen/", {"username": "Ouder@Example.NL", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


# --- Postcodes, phone numbers, BRIN -------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1234ab", "1234 AB"), ("1234 ab", "1234 AB"), (" 1234  AB ", "1234 AB"), ("", "")],
)
def test_postcode_is_normalised_on_save(typed, stored):
    guardian = GuardianFactory(postcode=typed)
    assert Guardian.objects.get(pk=guardian.pk).postcode == stored
    school = SchoolFactory(postcode=typed)
    assert School.objects.get(pk=school.pk).postcode == stored


@pytest.mark.parametrize("postcode", ["123 AB", "0123 AB", "1234 A", "12345", "ABCD 12"])
def test_invalid_postcode_is_rejected_with_a_dutch_message(postcode):
    with pytest.raises(ValidationError) as error:
        validate_postcode(postcode)
    assert error.value.messages == ["Vul een Nederlandse postcode in, bijvoorbeeld 1234 AB."]
    guardian = GuardianFactory.build(user=None, email="", postcode=postcode)
    with pytest.raises(ValidationError) as error:
        guardian.full_clean()
    assert error.value.message_dict["postcode"] == [
        "Vul een Nederlandse postcode in, bijvoorbeeld 1234 AB."
    ]


def test_invalid_postcode_is_left_as_typed_by_normalisation():
    assert normalise_postcode(" 123 AB ") == "123 AB"


@pytest.mark.parametrize("phone", ["06-12345678", "+32 2 123 45 67", "020 123 4567", "0201234567"])
def test_valid_phone_numbers_are_accepted(phone):
    validate_phone(phone)


@pytest.mark.parametrize(
    "phone", ["abc", "123", "06-1234", "+31 6 1234 5678 9012 3", "06-1234567x"]
)
def test_invalid_phone_numbers_are_rejected(phone):
    with pytest.raises(ValidationError) as error:
        validate_phone(phone)
    assert error.value.code == "invalid_phone"


def test_invalid_phone_number_is_rejected_on_the_guardian():
    guardian = GuardianFactory.build(user=None, email="", phone="abc", mobile_phone="123")
    with pytest.raises(ValidationError) as error:
        guardian.full_clean()
    assert set(error.value.message_dict) == {"phone", "mobile_phone"}


@pytest.mark.parametrize("brin", ["12AB", "00ZZ", "12AB34"])
def test_valid_brin_numbers_are_accepted(brin):
    brin_validator(brin)


@pytest.mark.parametrize("brin", ["12ab", "1ABC", "12A", "12ABC", "12AB3", "AB12", "12AB345"])
def test_invalid_brin_numbers_are_rejected(brin):
    with pytest.raises(ValidationError):
        brin_validator(brin)


def test_brin_is_stored_uppercase_and_unique():
    school = SchoolFactory(brin=" 12ab ")
    assert School.objects.get(pk=school.pk).brin == "12AB"
    with violates_constraint():
        SchoolFactory(brin="12AB")


# --- Admin groups follow the staff role ----------------------------------------------


def fresh(user):
    """The user reloaded, so permission caches do not hide a change."""
    return User.objects.get(pk=user.pk)


def group_names(user):
    """The role groups of the account (not its schools' staff groups, ``pages.provisioning``)."""
    return set(
        fresh(user)
        .groups.exclude(pk__in=SchoolCollection.objects.values("staff"))
        .values_list("name", flat=True)
    )


def test_teacher_joins_the_teachers_group_with_admin_access():
    member = StaffMemberFactory(role=StaffRole.TEACHER)
    assert group_names(member.user) == {"Leerkrachten"}
    user = fresh(member.user)
    assert user.has_perm("wagtailadmin.access_admin")
    assert not user.has_perm("people.change_pupil")


def test_management_joins_the_management_group_with_people_permissions():
    member = StaffMemberFactory(role=StaffRole.MANAGEMENT)
    assert group_names(member.user) == {"Directie"}
    user = fresh(member.user)
    assert user.has_perm("wagtailadmin.access_admin")
    for model in ("pupil", "guardian", "group", "staffmember", "school"):
        assert user.has_perm(f"people.change_{model}")
        assert user.has_perm(f"people.add_{model}")


def test_administration_changes_people_but_not_the_school_itself():
    member = StaffMemberFactory(role=StaffRole.ADMINISTRATION)
    assert group_names(member.user) == {ROLE_GROUP_NAMES[StaffRole.ADMINISTRATION]}
    user = fresh(member.user)
    assert user.has_perm("people.change_pupil")
    assert user.has_perm("people.view_school")
    assert not user.has_perm("people.change_school")


def test_changing_the_role_moves_the_account_to_the_new_group():
    member = StaffMemberFactory(role=StaffRole.TEACHER)
    member.role = StaffRole.MANAGEMENT
    member.save()
    assert group_names(member.user) == {"Directie"}


def test_removing_the_staff_member_removes_the_group():
    member = StaffMemberFactory(role=StaffRole.TEACHER)
    user = member.user
    member.delete()
    assert group_names(user) == set()
    assert not fresh(user).has_perm("wagtailadmin.access_admin")


def test_account_keeps_the_group_of_a_remaining_membership_at_another_school():
    member = StaffMemberFactory(role=StaffRole.TEACHER)
    StaffMemberFactory(user=member.user, role=StaffRole.TEACHER)
    member.delete()
    assert group_names(member.user) == {"Leerkrachten"}


def test_guardian_account_gets_no_admin_group():
    guardian = GuardianFactory()
    assert group_names(guardian.user) == set()
    assert not fresh(guardian.user).has_perm("wagtailadmin.access_admin")


def test_moving_a_staff_member_to_another_account_revokes_the_previous_account():
    member = StaffMemberFactory(role=StaffRole.MANAGEMENT)
    previous = member.user
    member.user = UserFactory()
    member.save()
    assert group_names(member.user) == {"Directie"}
    assert group_names(previous) == set()
