"""Families with the same groups share one expansion of the agenda, and never a stale one."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from schoolportal.agenda import schedule
from schoolportal.agenda.models import AgendaItem
from tests.factories import GroupFactory, PupilFactory, parent_of

pytestmark = pytest.mark.django_db


def agenda_queries(queries):
    return [q["sql"] for q in queries if 'FROM "agenda_agendaitem"' in q["sql"]]


@pytest.fixture
def classmates():
    group = GroupFactory()
    first = parent_of(PupilFactory(group=group, school=group.school))
    second = parent_of(PupilFactory(group=group, school=group.school))
    other_group = GroupFactory(school_year=group.school_year, school=group.school)
    elsewhere = parent_of(PupilFactory(group=other_group, school=group.school))
    return group, first.user, second.user, elsewhere.user


def item(school, title, groups=()):
    today = timezone.localdate()
    agenda_item = AgendaItem(
        school=school,
        title=title,
        start_date=today + timedelta(days=1),
        end_date=today + timedelta(days=1),
        all_day=True,
        whole_school=not groups,
    )
    agenda_item.groups.set(groups)
    agenda_item.save()
    return agenda_item


def titles(user):
    today = timezone.localdate()
    return [o.item.title for o in schedule.occurrences(user, today, today + timedelta(days=7))]


def test_a_second_family_of_the_same_group_reuses_the_expanded_agenda(classmates):
    group, first, second, _elsewhere = classmates
    item(group.school, "Schoolreisje", [group])
    with CaptureQueriesContext(connection) as first_queries:
        assert titles(first) == ["Schoolreisje"]

    with CaptureQueriesContext(connection) as queries:
        assert titles(second) == ["Schoolreisje"]

    assert agenda_queries(first_queries.captured_queries)  # the first family's expansion
    assert agenda_queries(queries.captured_queries) == []


def test_a_family_of_another_group_gets_its_own_agenda(classmates):
    group, first, _second, elsewhere = classmates
    item(group.school, "Schoolreisje", [group])
    item(group.school, "Studiedag")
    assert titles(first) == ["Schoolreisje", "Studiedag"]

    assert titles(elsewhere) == ["Studiedag"]


def test_an_agenda_change_is_seen_at_once(classmates):
    group, first, second, _elsewhere = classmates
    trip = item(group.school, "Schoolreisje", [group])
    assert titles(first) == ["Schoolreisje"]

    trip.title = "Schoolreisje (verzet)"
    trip.save()
    item(group.school, "Kerstviering", [group])

    assert titles(second) == ["Kerstviering", "Schoolreisje (verzet)"]
