"""Issue 20, the Inzagelog screen: management and administration read their own school's
rows, filtered by pupil, by staff member and by date; teachers do not read it, and nobody
adds, changes or deletes a row from the admin."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from schoolportal.accesslog.models import AccessLogEntry, Action, Screen, Subject
from schoolportal.people.models import StaffRole
from snippets.accesslog import PER_PAGE
from tests.factories import GroupFactory, PupilFactory, StaffMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/inzagelog/"


def entry(school, pupil=None, user=None, days_ago=0, name=None, **fields):
    return AccessLogEntry.objects.create(
        at=timezone.now() - timedelta(days=days_ago),
        school=school,
        user=user,
        user_name=(user.get_full_name() if user else "") or "",
        pupil=pupil,
        subject=Subject.PUPIL,
        subject_name=name or (pupil.full_name if pupil else "Iemand"),
        action=Action.VIEWED,
        where=Screen.ADMIN_CLASS_LIST,
        **fields,
    )


@pytest.fixture
def world():
    group = GroupFactory()
    other_group = GroupFactory()  # another school
    school, other = group.school, other_group.school
    lotte = PupilFactory(first_name="Lotte", last_name="Jansen", group=group)
    sem = PupilFactory(first_name="Sem", last_name="Bakker", group=group)
    stranger = PupilFactory(first_name="Zeldzaam", last_name="Vreemd", group=other_group)
    teacher = StaffMemberFactory(
        school=school,
        role=StaffRole.TEACHER,
        user=UserFactory(first_name="Juf", last_name="Bakker"),
    )
    colleague = StaffMemberFactory(
        school=school,
        role=StaffRole.TEACHER,
        user=UserFactory(first_name="Meester", last_name="Visser"),
    )
    other_teacher = StaffMemberFactory(school=other, role=StaffRole.TEACHER)
    entry(school, lotte, teacher.user, days_ago=3)
    entry(school, sem, colleague.user, days_ago=1)
    entry(other, stranger, other_teacher.user, name="Zeldzaam Vreemd")
    return {
        "school": school,
        "lotte": lotte,
        "sem": sem,
        "stranger": stranger,
        "teacher": teacher,
        "colleague": colleague,
        "other_teacher": other_teacher,
        "management": StaffMemberFactory(school=school, role=StaffRole.MANAGEMENT),
        "administration": StaffMemberFactory(school=school, role=StaffRole.ADMINISTRATION),
    }


@pytest.mark.parametrize("role", ["management", "administration"])
def test_management_and_administration_read_only_their_own_schools_rows(client, world, role):
    client.force_login(world[role].user)

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Lotte Jansen" in page and "Sem Bakker" in page
    assert "Zeldzaam" not in page


def test_a_teacher_does_not_read_the_log_nor_sees_it_in_the_menu(client, world):
    client.force_login(world["teacher"].user)

    response = client.get(URL)

    assert response.status_code in (302, 403)  # Wagtail sends a refused user to the start
    assert "Lotte Jansen" not in response.content.decode()
    assert URL not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_management_finds_the_log_in_the_menu(client, world):
    client.force_login(world["management"].user)

    assert URL in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_log_filters_by_pupil_by_staff_member_and_by_date(client, world):
    client.force_login(world["management"].user)

    by_pupil = client.get(URL, {"pupil": world["lotte"].pk}).content.decode()
    by_staff = client.get(URL, {"user": world["colleague"].user.pk}).content.decode()
    recent = client.get(
        URL, {"start": (timezone.localdate() - timedelta(days=2)).isoformat()}
    ).content.decode()

    assert "Lotte Jansen<br>" in by_pupil and "Sem Bakker<br>" not in by_pupil
    assert "Sem Bakker<br>" in by_staff and "Lotte Jansen<br>" not in by_staff
    assert "Sem Bakker<br>" in recent and "Lotte Jansen<br>" not in recent


def test_another_schools_pupil_or_staff_member_is_no_filter_choice(client, world):
    client.force_login(world["management"].user)

    for query in ({"pupil": world["stranger"].pk}, {"user": world["other_teacher"].user.pk}):
        response = client.get(URL, query)
        page = response.content.decode()
        assert response.status_code == 200
        assert "Zeldzaam" not in page
        assert "error-message" in page
        assert "Lotte Jansen<br>" not in page  # an invalid filter shows no rows at all


def test_an_end_before_the_start_is_a_clear_error(client, world):
    client.force_login(world["management"].user)

    page = client.get(URL, {"start": "2026-12-10", "end": "2026-12-01"}).content.decode()

    assert "Deze datum ligt vóór de datum bij ‘Van’." in page


def test_the_log_is_paginated_with_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for _ in range(PER_PAGE + 5):
        entry(world["school"], world["lotte"], world["teacher"].user)
    client.force_login(world["management"].user)
    client.get(URL)  # warm the admin's own caches

    with django_assert_max_num_queries(20):
        first = client.get(URL).content.decode()
    second = client.get(URL, {"p": 2}).content.decode()

    assert "p=2" in first
    assert "Sem Bakker" in second  # the oldest rows come last


def test_the_admin_offers_no_way_to_add_change_or_delete_rows(client, world):
    superuser = UserFactory(is_superuser=True)
    client.force_login(superuser)

    for name in ("accesslog_add", "accesslog_edit", "accesslog_delete"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[1])
    for path in ("add/", f"{world['lotte'].pk}/", f"{world['lotte'].pk}/delete/"):
        assert client.get(URL + path).status_code == 404
    assert client.post(URL).status_code == 405
    assert not Permission.objects.filter(content_type__app_label="accesslog").exists()
    assert AccessLogEntry.objects.count() == 3
