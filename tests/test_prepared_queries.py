"""PreparedQuery: the ORM's rows and objects, from SQL compiled once per process."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from schoolportal.accounts.backends import EmailBackend
from schoolportal.people.models import Guardian, Pupil
from schoolportal.prepared import PreparedQuery
from tests.factories import GuardianFactory, PupilFactory, UserFactory, parent_of

pytestmark = pytest.mark.django_db

User = get_user_model()


def test_it_returns_the_objects_the_orm_returns_with_their_converted_values():
    guardian = GuardianFactory(phone_hidden=False, email_hidden=True)
    prepared = PreparedQuery(lambda pk: Guardian.objects.filter(pk=pk))

    [found] = prepared(guardian.pk)

    expected = Guardian.objects.get(pk=guardian.pk)
    for field in Guardian._meta.concrete_fields:
        value = getattr(found, field.attname)
        assert value == getattr(expected, field.attname), field.name
        assert type(value) is type(getattr(expected, field.attname)), field.name
    assert found._state.adding is False and found._state.db == "default"


def test_it_runs_one_query_per_call_and_compiles_only_once():
    first, second = GuardianFactory(), GuardianFactory()
    built = []

    def build(pk):
        built.append(pk)
        return Guardian.objects.filter(pk=pk)

    prepared = PreparedQuery(build)
    with CaptureQueriesContext(connection) as queries:
        assert prepared(first.pk) == [first]
        assert prepared(second.pk) == [second]
        assert prepared(second.pk + 1000) == []
    assert len(queries) == 3
    assert len(built) == 1


def test_select_related_objects_come_along_and_missing_ones_are_known_to_be_missing():
    guardian = GuardianFactory()
    staff_user = UserFactory()
    prepared = PreparedQuery(lambda pk: User.objects.select_related("guardian").filter(pk=pk))

    [with_profile] = prepared(guardian.user_id)
    [without_profile] = prepared(staff_user.pk)

    with CaptureQueriesContext(connection) as queries:
        assert with_profile.guardian == guardian
        assert with_profile.guardian.user is with_profile
        with pytest.raises(Guardian.DoesNotExist):
            without_profile.guardian  # noqa: B018 - the access is the test
    assert len(queries) == 0


def test_values_go_to_their_own_places_in_the_sql():
    pupil = PupilFactory(first_name="Sam")
    other = PupilFactory(first_name="Sam", school=pupil.school)
    prepared = PreparedQuery(
        lambda school_id, pk: Pupil.objects.filter(school_id=school_id, pk=pk), arity=2
    )

    assert prepared(pupil.school_id, pupil.pk) == [pupil]
    assert prepared(pupil.school_id, other.pk) == [other]
    assert prepared(pupil.school_id + 1000, pupil.pk) == []
    with pytest.raises(TypeError):
        prepared(pupil.pk)


def test_constants_in_the_query_stay_and_every_value_must_be_used():
    guardian = GuardianFactory(first_name="Ouder")
    GuardianFactory(first_name="Anders")
    by_name = PreparedQuery(lambda pk: Guardian.objects.filter(pk__gte=pk, first_name="Ouder"))
    unused = PreparedQuery(lambda pk: Guardian.objects.filter(first_name="Ouder"))

    assert by_name(0) == [guardian]
    with pytest.raises(ValueError, match="every value"):
        unused(1)


def test_the_login_backend_reads_user_and_guardian_in_one_query():
    guardian = GuardianFactory()
    backend = EmailBackend()

    with CaptureQueriesContext(connection) as queries:
        user = backend.get_user(str(guardian.user_id))
        assert user.pk == guardian.user_id
        assert user.guardian.pk == guardian.pk
    assert len(queries) == 1


def test_the_login_backend_refuses_inactive_unknown_and_malformed_ids():
    inactive = UserFactory(is_active=False)
    backend = EmailBackend()

    assert backend.get_user(inactive.pk) is None
    assert backend.get_user(inactive.pk + 1000) is None
    assert backend.get_user("not-a-number") is None


def test_values_list_rows_come_back_as_tuples():
    pupil = PupilFactory()
    guardian = parent_of(pupil)
    prepared = PreparedQuery(
        lambda user_id: Pupil.objects.filter(guardianships__guardian__user_id=user_id).values_list(
            "pk", "group_id", "school_id"
        )
    )

    flat = PreparedQuery(
        lambda user_id: Pupil.objects.filter(guardianships__guardian__user_id=user_id).values_list(
            "pk", flat=True
        )
    )

    assert prepared(guardian.user_id) == [(pupil.pk, pupil.group_id, pupil.school_id)]
    assert prepared(guardian.user_id + 1000) == []
    assert flat(guardian.user_id) == [pupil.pk]


def test_annotations_are_set_on_the_objects():
    pupil = PupilFactory()
    guardian = parent_of(pupil)
    prepared = PreparedQuery(
        lambda pk: Guardian.objects.filter(pk=pk).annotate(children=Count("guardianships"))
    )

    [found] = prepared(guardian.pk)

    assert found.children == 1


def test_what_it_cannot_run_as_the_orm_does_is_refused():
    values = PreparedQuery(lambda pk: Pupil.objects.filter(pk=pk).values("pk"))
    prefetching = PreparedQuery(
        lambda pk: Pupil.objects.filter(pk=pk).prefetch_related("guardians")
    )
    with pytest.raises(ValueError, match="values_list"):
        values(1)
    with pytest.raises(ValueError, match="prefetch_related"):
        prefetching(1)


def test_an_id_no_column_can_hold_finds_nothing_instead_of_failing():
    prepared = PreparedQuery(lambda pk: Guardian.objects.filter(pk=pk))

    assert prepared(10**30) == []
    assert prepared(-(10**30)) == []
