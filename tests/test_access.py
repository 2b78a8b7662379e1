"""schoolportal.access: who sees and changes which schools, groups, pupils and guardians."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from schoolportal import access
from schoolportal.people.models import (
    ClassParent,
    Group,
    Guardian,
    Guardianship,
    Pupil,
    School,
    SchoolYear,
    StaffMember,
    StaffRole,
)
from tests.factories import (
    ClassParentFactory,
    GroupFactory,
    GuardianFactory,
    GuardianshipFactory,
    PupilFactory,
    SchoolFactory,
    SchoolYearFactory,
    StaffMemberFactory,
    UserFactory,
    parent_of,
)

pytestmark = pytest.mark.django_db


def ids(queryset):
    """The primary keys of a queryset, which must not list any row twice."""
    found = list(queryset.values_list("pk", flat=True))
    assert len(found) == len(set(found)), f"rows listed more than once: {found}"
    return set(found)


def pks(*objects):
    return {obj.pk for obj in objects}


@pytest.fixture
def world():
    """Three schools. One family has a child at school A (group A1) and one at school B (B1).

    Their classmates have their own parents; school A has a second group (A2) with a
    pupil and sibling of an unrelated family, and school C is entirely unrelated.
    """
    w = SimpleNamespace()
    w.school_a, w.school_b, w.school_c = SchoolFactory(), SchoolFactory(), SchoolFactory()
    w.year_a = SchoolYearFactory(school=w.school_a)
    w.year_b = SchoolYearFactory(school=w.school_b)
    w.year_c = SchoolYearFactory(school=w.school_c)
    w.group_a1 = GroupFactory(school_year=w.year_a)
    w.group_a2 = GroupFactory(school_year=w.year_a)
    w.group_b1 = GroupFactory(school_year=w.year_b)
    w.group_c1 = GroupFactory(school_year=w.year_c)

    w.child_a = PupilFactory(group=w.group_a1)
    w.child_b = PupilFactory(group=w.group_b1)
    w.parent = parent_of(w.child_a, w.child_b)
    # The other parent of the first child (divorced: own address, own account).
    w.co_parent = parent_of(w.child_a, street="Kerkstraat", postcode="4321 ZY")

    w.classmate_a = PupilFactory(group=w.group_a1)
    w.classmate_b = PupilFactory(group=w.group_b1)
    w.classmate_a_parent = parent_of(w.classmate_a)
    w.classmate_b_parent = parent_of(w.classmate_b)

    w.other_group_pupil = PupilFactory(group=w.group_a2)
    w.other_group_sibling = PupilFactory(group=w.group_a2)
    w.other_group_parent = parent_of(w.other_group_pupil, w.other_group_sibling)
    w.other_school_pupil = PupilFactory(group=w.group_c1)
    w.other_school_parent = parent_of(w.other_school_pupil)

    w.class_parent_a = ClassParentFactory(group=w.group_a1, guardian=w.classmate_a_parent)
    w.class_parent_b = ClassParentFactory(group=w.group_b1, guardian=w.classmate_b_parent)

    w.teacher_a = StaffMemberFactory(school=w.school_a, role=StaffRole.TEACHER)
    w.group_a1.teachers.add(w.teacher_a)
    w.management_a = StaffMemberFactory(school=w.school_a, role=StaffRole.MANAGEMENT)
    w.administration_a = StaffMemberFactory(school=w.school_a, role=StaffRole.ADMINISTRATION)
    w.teacher_b = StaffMemberFactory(school=w.school_b, role=StaffRole.TEACHER)
    w.group_b1.teachers.add(w.teacher_b)
    w.management_b = StaffMemberFactory(school=w.school_b, role=StaffRole.MANAGEMENT)

    w.school_a_pupils = pks(w.child_a, w.classmate_a, w.other_group_pupil, w.other_group_sibling)
    w.school_a_guardians = pks(w.parent, w.co_parent, w.classmate_a_parent, w.other_group_parent)
    return w


# --- Guardians ----------------------------------------------------------------


def test_guardian_sees_the_schools_of_their_children(world):
    assert ids(access.schools_for(world.parent.user)) == pks(world.school_a, world.school_b)


def test_guardian_sees_only_the_groups_of_their_children(world):
    expected = pks(world.group_a1, world.group_b1)
    assert ids(access.groups_for(world.parent.user)) == expected
    assert ids(access.parent_groups(world.parent.user)) == expected


def test_guardian_sees_their_children_and_their_classmates(world):
    assert ids(access.pupils_for(world.parent.user)) == pks(
        world.child_a, world.child_b, world.classmate_a, world.classmate_b
    )


def test_guardian_owns_only_their_own_children(world):
    assert ids(access.own_pupils(world.parent.user)) == pks(world.child_a, world.child_b)


def test_guardian_without_children_sees_no_pupils_or_schools(world):
    lonely = GuardianFactory()
    assert not access.pupils_for(lonely.user).exists()
    assert not access.schools_for(lonely.user).exists()


def test_guardian_changes_no_groups(world):
    assert not access.editable_groups(world.parent.user).exists()
    assert not access.managed_schools(world.parent.user).exists()


def test_guardian_of_another_group_sees_nothing_of_that_family(world):
    user = world.other_group_parent.user
    assert ids(access.schools_for(user)) == pks(world.school_a)
    assert ids(access.groups_for(user)) == pks(world.group_a2)
    assert ids(access.pupils_for(user)) == pks(world.other_group_pupil, world.other_group_sibling)
    assert not access.own_pupils(user).filter(pk=world.child_a.pk).exists()


def test_guardian_of_another_school_sees_nothing_of_that_family(world):
    user = world.other_school_parent.user
    assert ids(access.schools_for(user)) == pks(world.school_c)
    assert ids(access.groups_for(user)) == pks(world.group_c1)
    assert ids(access.pupils_for(user)) == pks(world.other_school_pupil)


def test_guardian_may_not_use_the_admin(world):
    assert not access.may_use_admin(world.parent.user)
    assert not access.is_staff_member(world.parent.user)


def test_pupil_without_a_group_has_no_classmates():
    school = SchoolFactory()
    loose = PupilFactory(group=None, school=school)
    also_loose = PupilFactory(group=None, school=school)
    guardian = parent_of(loose)
    parent_of(also_loose)
    assert ids(access.pupils_for(guardian.user)) == pks(loose)
    assert not access.groups_for(guardian.user).exists()


# --- Staff --------------------------------------------------------------------


@pytest.mark.parametrize("member", ["teacher_a", "management_a", "administration_a"])
def test_staff_sees_everything_of_their_school_and_nothing_of_another(world, member):
    user = getattr(world, member).user
    assert ids(access.schools_for(user)) == pks(world.school_a)
    assert ids(access.groups_for(user)) == pks(world.group_a1, world.group_a2)
    assert ids(access.pupils_for(user)) == world.school_a_pupils
    assert access.may_use_admin(user)


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (School, lambda w: pks(w.school_a)),
        (SchoolYear, lambda w: pks(w.year_a)),
        (Group, lambda w: pks(w.group_a1, w.group_a2)),
        (Pupil, lambda w: w.school_a_pupils),
        (Guardian, lambda w: w.school_a_guardians),
        (
            Guardianship,
            lambda w: set(
                Guardianship.objects.filter(pupil__school=w.school_a).values_list("pk", flat=True)
            ),
        ),
        (StaffMember, lambda w: pks(w.teacher_a, w.management_a, w.administration_a)),
        (ClassParent, lambda w: pks(w.class_parent_a)),
    ],
)
def test_staff_objects_are_the_rows_of_their_own_school(world, model, expected):
    # ids() also checks that no row is listed twice, e.g. a guardian of two pupils there.
    assert ids(access.staff_objects(world.management_a.user, model)) == expected(world)


@pytest.mark.parametrize(
    "model", [School, SchoolYear, Group, Pupil, Guardian, Guardianship, StaffMember, ClassParent]
)
def test_staff_objects_of_another_school_are_invisible(world, model):
    seen_by_a = ids(access.staff_objects(world.management_a.user, model))
    seen_by_b = ids(access.staff_objects(world.management_b.user, model))
    # Only the parent with a child at both schools belongs to both.
    shared = pks(world.parent) if model is Guardian else set()
    assert seen_by_a
    assert seen_by_b
    assert seen_by_a & seen_by_b == shared


def test_staff_of_school_b_does_not_see_school_a_pupils_or_guardians(world):
    user = world.management_b.user
    assert not ids(access.pupils_for(user)) & world.school_a_pupils
    assert not access.groups_for(user).filter(school=world.school_a).exists()
    assert ids(access.schools_for(user)) == pks(world.school_b)


def test_teacher_changes_only_the_groups_they_teach(world):
    assert ids(access.editable_groups(world.teacher_a.user)) == pks(world.group_a1)
    assert not access.managed_schools(world.teacher_a.user).exists()


@pytest.mark.parametrize("member", ["management_a", "administration_a"])
def test_management_and_administration_change_their_whole_school(world, member):
    user = getattr(world, member).user
    assert ids(access.editable_groups(user)) == pks(world.group_a1, world.group_a2)
    assert ids(access.managed_schools(user)) == pks(world.school_a)


def test_teacher_of_several_groups_gets_each_group_once(world):
    world.group_a2.teachers.add(world.teacher_a)
    editable = access.editable_groups(world.teacher_a.user)
    assert editable.count() == 2
    assert ids(editable) == pks(world.group_a1, world.group_a2)


def test_staff_member_who_is_also_a_parent_sees_both_worlds(world):
    StaffMemberFactory(school=world.school_c, user=world.parent.user, role=StaffRole.TEACHER)
    user = world.parent.user
    assert ids(access.schools_for(user)) == pks(world.school_a, world.school_b, world.school_c)
    assert ids(access.parent_groups(user)) == pks(world.group_a1, world.group_b1)
    # Staff screens list the groups of the school they work at, not their children's.
    assert ids(access.staff_groups(user)) == pks(world.group_c1)
    assert world.other_school_pupil.pk in ids(access.pupils_for(user))
    assert world.other_group_pupil.pk not in ids(access.pupils_for(user))


# --- Superuser and anonymous ----------------------------------------------------


ALL_QUERIES = (
    access.schools_for,
    access.groups_for,
    access.pupils_for,
    access.own_pupils,
    access.editable_groups,
    access.parent_groups,
    access.staff_groups,
    access.taught_groups,
    access.staff_schools,
    access.managed_schools,
)


def test_superuser_sees_everything(world):
    admin = UserFactory(is_superuser=True)
    assert ids(access.schools_for(admin)) == ids(School.objects.all())
    assert ids(access.groups_for(admin)) == ids(Group.objects.all())
    assert ids(access.pupils_for(admin)) == ids(Pupil.objects.all())
    assert ids(access.editable_groups(admin)) == ids(Group.objects.all())
    assert ids(access.staff_groups(admin)) == ids(Group.objects.all())
    for model in (School, SchoolYear, Group, Pupil, Guardian, Guardianship, StaffMember):
        assert ids(access.staff_objects(admin, model)) == ids(model.objects.all())
    assert access.may_use_admin(admin)


@pytest.mark.parametrize("who", ["anonymous", "none", "inactive guardian", "inactive staff"])
def test_anonymous_and_inactive_users_see_nothing(world, who):
    if who == "anonymous":
        user = AnonymousUser()
    elif who == "none":
        user = None
    elif who == "inactive guardian":
        user = world.parent.user
        user.is_active = False
        user.save()
    else:
        user = world.management_a.user
        user.is_active = False
        user.save()
    for query in ALL_QUERIES:
        assert not query(user).exists(), query.__name__
    for model in (School, Group, Pupil, Guardian, StaffMember):
        assert not access.staff_objects(user, model).exists()
    assert access.guardian_for(user) is None
    assert not access.may_use_admin(user)


def test_the_scope_of_an_anonymous_user_is_empty(world):
    # Guardians without an account hold children too: they are nobody's.
    without_account = GuardianFactory(user=None, email="los@example.org")
    GuardianshipFactory(pupil=world.child_a, guardian=without_account)
    rights = access.scope(AnonymousUser())
    assert rights.pupil_ids == rights.group_ids == rights.child_school_ids == []
    assert rights.staff_school_ids == rights.class_parent_group_ids == []
    assert rights.taught_group_ids == []


def test_guardian_for_returns_the_profile_or_none(world):
    assert access.guardian_for(world.parent.user) == world.parent
    assert access.guardian_for(world.teacher_a.user) is None


def test_guardianships_of_own_children_come_in_one_query(world, django_assert_num_queries):
    user = world.parent.user
    access.scope(user).pupil_ids  # noqa: B018 - read the scope outside the count
    with django_assert_num_queries(1):
        pairs = access.guardianships_of_pupils(user, [world.child_b.pk, world.child_a.pk])
    assert [pair.pk for pair in pairs] == sorted(
        Guardianship.objects.filter(pupil__in=[world.child_a, world.child_b]).values_list(
            "pk", flat=True
        )
    )
    assert {pair.guardian for pair in pairs} == {world.parent, world.co_parent}


def test_guardianships_of_other_pupils_only_where_visible(world):
    user = world.parent.user
    pupils = [world.classmate_a.pk, world.other_group_pupil.pk, world.other_school_pupil.pk]
    pairs = access.guardianships_of_pupils(user, pupils)
    assert [pair.pupil for pair in pairs] == [world.classmate_a]
    assert pairs[0].guardian == world.classmate_a_parent


# --- Contact details --------------------------------------------------------------


def test_hidden_contact_details_are_not_shared_with_another_parent(world):
    other = world.classmate_a_parent  # defaults: everything hidden
    details = access.ContactDetailsPolicy(world.parent.user).details(other, world.school_a)
    assert details == {"name": other.full_name}


def test_shared_contact_details_are_visible_to_another_parent(world):
    other = world.classmate_a_parent
    other.address_hidden = other.phone_hidden = other.mobile_phone_hidden = False
    other.email_hidden = False
    other.save()
    details = access.ContactDetailsPolicy(world.parent.user).details(other, world.school_a)
    assert details == {
        "name": other.full_name,
        "address_lines": ["Dorpsstraat 1", "1234 AB Utrecht"],
        "phones": ["030-7654321", "06-12345678"],
        "email": other.email,
    }


def test_each_contact_field_is_shared_on_its_own(world):
    other = world.classmate_a_parent
    other.address_hidden = True
    other.phone_hidden = False
    other.email_hidden = True
    other.save()
    details = access.ContactDetailsPolicy(world.parent.user).details(other, world.school_a)
    assert set(details) == {"name", "phones"}
    assert details["phones"] == [other.phone]  # the mobile number stays hidden on its own


@pytest.mark.parametrize("member", ["management_a", "administration_a"])
def test_management_and_administration_see_hidden_contact_details_of_every_group(world, member):
    user = getattr(world, member).user
    policy = access.ContactDetailsPolicy(user)
    for guardian, group in [
        (world.classmate_a_parent, world.group_a1),
        (world.other_group_parent, world.group_a2),
    ]:
        details = policy.details(guardian, world.school_a, group.pk)
        assert details["address_lines"] == guardian.address_lines
        assert details["email"] == guardian.email
        assert access.sees_hidden_contact_details(user, world.school_a.pk, group.pk)


def test_a_teacher_sees_hidden_contact_details_only_in_the_groups_they_teach(world):
    user = world.teacher_a.user  # teaches A1, not A2
    policy = access.ContactDetailsPolicy(user)

    own_group = policy.details(world.classmate_a_parent, world.school_a, world.group_a1.pk)
    other_group = policy.details(world.other_group_parent, world.school_a, world.group_a2.pk)

    assert own_group["phones"] == ["030-7654321", "06-12345678"]
    assert own_group["email"] == world.classmate_a_parent.email
    assert other_group == {"name": world.other_group_parent.full_name}
    assert access.sees_hidden_contact_details(user, world.school_a.pk, world.group_a1.pk)
    assert not access.sees_hidden_contact_details(user, world.school_a.pk, world.group_a2.pk)
    # A pupil without a group is management's alone.
    assert not access.sees_hidden_contact_details(user, world.school_a.pk, None)


def test_a_teacher_sees_what_another_groups_parents_share(world):
    other = world.other_group_parent
    other.phone_hidden = False
    other.save()
    policy = access.ContactDetailsPolicy(world.teacher_a.user)
    details = policy.details(other, world.school_a, world.group_a2.pk)
    assert details["phones"] == [other.phone]
    assert "email" not in details


def test_nobody_but_staff_sees_hidden_contact_details_by_the_rule(world):
    for user in (world.parent.user, world.classmate_a_parent.user, AnonymousUser()):
        assert not access.sees_hidden_contact_details(user, world.school_a.pk, world.group_a1.pk)


def test_guardian_always_sees_their_own_hidden_contact_details(world):
    details = access.ContactDetailsPolicy(world.parent.user).details(world.parent, world.school_a)
    assert {"address_lines", "phones", "email"} <= set(details)


def test_staff_of_another_school_do_not_see_hidden_contact_details(world):
    other = world.classmate_a_parent
    policy = access.ContactDetailsPolicy(world.management_b.user)
    details = policy.details(other, world.school_a, world.group_a1.pk)
    assert details == {"name": other.full_name}


@pytest.mark.parametrize(("member", "queries"), [("management_a", 1), ("teacher_a", 2)])
def test_contact_details_policy_costs_fixed_queries_whatever_the_class_size(
    world, django_assert_num_queries, member, queries
):
    guardians = list(Guardian.objects.all())
    user = getattr(world, member).user
    with django_assert_num_queries(queries):
        policy = access.ContactDetailsPolicy(user)
        for guardian in guardians:
            for group in (world.group_a1, world.group_a2):
                policy.details(guardian, world.school_a, group.pk)


# --- Query counts -------------------------------------------------------------------


def _family(size):
    school_year = SchoolYearFactory()
    children = [PupilFactory(group=GroupFactory(school_year=school_year)) for _ in range(size)]
    for child in children:
        for classmate in PupilFactory.create_batch(2, group=child.group):
            parent_of(classmate)
    return parent_of(*children).user


@pytest.mark.parametrize("size", [1, 5])
def test_visibility_queries_do_not_grow_with_the_family(size, django_assert_num_queries):
    user = _family(size)
    # What the rights rest on is read once per user object: children, staff memberships.
    with django_assert_num_queries(2):
        assert len(access.scope(user).pupil_ids) == size
        assert access.scope(user).staff_school_ids == []
    with django_assert_num_queries(1):
        assert len(list(access.pupils_for(user))) == size * 3
    with django_assert_num_queries(1):
        assert len(list(access.groups_for(user))) == size
    with django_assert_num_queries(1):
        assert access.schools_for(user).count() == 1


def test_a_new_child_is_visible_at_once_to_the_same_user_object():
    """The scope read once per user object must not go stale when memberships change."""
    child = PupilFactory()
    guardian = parent_of(child)
    user = guardian.user
    assert list(access.own_pupils(user)) == [child]

    second = PupilFactory()
    GuardianshipFactory(guardian=guardian, pupil=second)

    assert set(access.own_pupils(user)) == {child, second}
    assert second.group in set(access.groups_for(user))
