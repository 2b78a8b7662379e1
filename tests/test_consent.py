"""Issue 20, consent with history: every change of a pupil's photo consent is kept, with who
changed it (parent in the portal, staff in the admin); staff read it per child and per group."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schoolportal.consent.models import ConsentChange, ConsentChannel, ConsentUse
from schoolportal.consent.recording import actor_name
from schoolportal.people.models import StaffRole
from tests.factories import GroupFactory, PupilFactory, StaffMemberFactory, parent_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    group3 = GroupFactory(name="Groep 3")
    group5 = GroupFactory(school_year=group3.school_year, name="Groep 5")
    school = group3.school
    lotte = PupilFactory(first_name="Lotte", last_name="Jansen", group=group3, school=school)
    daan = PupilFactory(first_name="Daan", last_name="Visser", group=group5, school=school)
    teacher3 = StaffMemberFactory(school=school, role=StaffRole.TEACHER)
    group3.teachers.add(teacher3)
    return {
        "school": school,
        "group3": group3,
        "group5": group5,
        "lotte": lotte,
        "daan": daan,
        "parent": parent_of(lotte, first_name="Marieke", last_name="Jansen"),
        "teacher3": teacher3,
        "management": StaffMemberFactory(school=school, role=StaffRole.MANAGEMENT),
    }


def admin_pupil_input(pupil, **consent):
    data = {
        "first_name": pupil.first_name,
        "last_name": pupil.last_name,
        "date_of_birth": pupil.date_of_birth.isoformat(),
        "school": pupil.school_id,
        "group": pupil.group_id or "",
        "emergency_contacts-TOTAL_FORMS": "0",
        "emergency_contacts-INITIAL_FORMS": "0",
        "emergency_contacts-MIN_NUM_FORMS": "0",
        "emergency_contacts-MAX_NUM_FORMS": "1000",
    }
    data.update({field: "on" for field, given in consent.items() if given})
    return data


def test_a_parents_change_in_the_portal_is_kept_with_the_parent_as_actor(client, world):
    client.force_login(world["parent"].user)

    response = client.post(
        reverse("portal:child_edit", args=[world["lotte"].pk, "toestemming"]),
        {"photo_consent_group_page": "on"},
    )

    assert response.status_code == 302
    change = ConsentChange.objects.get()
    assert change.pupil == world["lotte"]
    assert change.use == ConsentUse.GROUP_PAGE
    assert (change.old_value, change.new_value) == (False, True)
    assert change.changed_by == world["parent"].user
    assert change.changed_by_name == actor_name(world["parent"].user)
    assert change.channel == ConsentChannel.PORTAL


def test_saving_without_a_change_writes_no_history(client, world):
    client.force_login(world["parent"].user)
    url = reverse("portal:child_edit", args=[world["lotte"].pk, "toestemming"])

    client.post(url, {"photo_consent_group_page": "on"})
    client.post(url, {"photo_consent_group_page": "on"})
    client.post(reverse("portal:child_edit", args=[world["lotte"].pk, "medisch"]), {})

    assert ConsentChange.objects.count() == 1


def test_withdrawing_consent_is_kept_as_its_own_change(client, world):
    client.force_login(world["parent"].user)
    url = reverse("portal:child_edit", args=[world["lotte"].pk, "toestemming"])

    client.post(url, {"photo_consent_website": "on", "photo_consent_social_media": "on"})
    client.post(url, {"photo_consent_website": "on"})

    changes = list(
        ConsentChange.objects.order_by("pk").values_list("use", "old_value", "new_value")
    )
    assert changes == [
        (ConsentUse.WEBSITE, False, True),
        (ConsentUse.SOCIAL_MEDIA, False, True),
        (ConsentUse.SOCIAL_MEDIA, True, False),
    ]


def test_a_parent_changing_another_familys_child_gets_404_and_no_history(client, world):
    client.force_login(world["parent"].user)

    response = client.post(
        reverse("portal:child_edit", args=[world["daan"].pk, "toestemming"]),
        {"photo_consent_group_page": "on"},
    )

    assert response.status_code == 404
    assert not ConsentChange.objects.exists()


def test_a_staff_change_in_the_admin_is_kept_with_the_staff_member_as_actor(client, world):
    client.force_login(world["management"].user)
    pupil = world["lotte"]

    response = client.post(
        reverse("wagtailsnippets_people_pupil:edit", args=[pupil.pk]),
        admin_pupil_input(pupil, photo_consent_website=True),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    change = ConsentChange.objects.get()
    assert (change.use, change.old_value, change.new_value) == (ConsentUse.WEBSITE, False, True)
    assert change.changed_by == world["management"].user
    assert change.channel == ConsentChannel.ADMIN


def test_a_pupil_added_in_the_admin_starts_its_history_with_the_first_answers(client, world):
    client.force_login(world["management"].user)
    new = PupilFactory.build(group=world["group3"], school=world["school"], first_name="Noor")

    response = client.post(
        reverse("wagtailsnippets_people_pupil:add"),
        admin_pupil_input(new, photo_consent_group_page=True),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    changes = ConsentChange.objects.filter(pupil__first_name="Noor")
    assert {(c.use, c.old_value, c.new_value) for c in changes} == {
        (ConsentUse.GROUP_PAGE, None, True),
        (ConsentUse.WEBSITE, None, False),
        (ConsentUse.SOCIAL_MEDIA, None, False),
    }


# --- Reading it in the admin -------------------------------------------------------------


def history_url(pupil):
    return reverse("consent_history", args=[pupil.pk])


def group_url(group):
    return reverse("consent_group", args=[group.pk])


def test_staff_read_a_childs_history_with_who_and_when(client, world):
    client.force_login(world["parent"].user)
    client.post(
        reverse("portal:child_edit", args=[world["lotte"].pk, "toestemming"]),
        {"photo_consent_group_page": "on"},
    )
    client.force_login(world["teacher3"].user)

    response = client.get(history_url(world["lotte"]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Lotte Jansen" in content
    assert actor_name(world["parent"].user) in content
    assert "via ouderportaal" in content
    assert [change.new_value for change in response.context["changes"]] == [True]


def test_the_history_has_no_admin_screen_to_change_or_delete_it(client, world):
    client.force_login(world["management"].user)
    # No snippet viewset or model admin: the only way in is the read-only history screen.
    assert not hasattr(ConsentChange, "snippet_viewset")
    content = client.get(history_url(world["lotte"])).content.decode()
    assert "<form" not in content.split('id="main"')[-1]
    response = client.post(history_url(world["lotte"]), {})
    assert response.status_code == 405


def test_a_teacher_reads_consent_of_their_own_groups_only(client, world):
    client.force_login(world["teacher3"].user)

    assert client.get(group_url(world["group3"])).status_code == 200
    assert client.get(history_url(world["lotte"])).status_code == 200
    assert client.get(group_url(world["group5"])).status_code == 404
    assert client.get(history_url(world["daan"])).status_code == 404
    index = client.get(reverse("consent_groups")).content.decode()
    assert "Groep 3" in index
    assert "Groep 5" not in index


def test_management_reads_consent_of_the_whole_school(client, world):
    client.force_login(world["management"].user)

    for url in (group_url(world["group5"]), history_url(world["daan"])):
        assert client.get(url).status_code == 200
    index = client.get(reverse("consent_groups")).content.decode()
    assert "Groep 3" in index
    assert "Groep 5" in index


def test_staff_of_another_school_and_parents_get_no_consent_screens(client, world):
    outsider = StaffMemberFactory(role=StaffRole.MANAGEMENT)
    for user in (outsider.user, world["parent"].user):
        client.force_login(user)
        assert client.get(group_url(world["group3"])).status_code in (302, 403, 404)
        assert client.get(history_url(world["lotte"])).status_code in (302, 403, 404)


def test_the_group_overview_shows_each_pupils_consent_per_use_and_prints(client, world):
    lotte = world["lotte"]
    lotte.photo_consent_group_page = True
    lotte.save()
    PupilFactory(
        first_name="Sem", last_name="Bakker", group=world["group3"], school=world["school"]
    )
    client.force_login(world["teacher3"].user)

    response = client.get(group_url(world["group3"]))

    content = response.content.decode()
    assert "schoolportal-printable" in content
    assert "data-print" in content
    rows = {pupil.first_name: values for pupil, values in response.context["rows"]}
    assert rows == {"Lotte": [True, False, False], "Sem": [False, False, False]}
    assert response.context["totals"] == [1, 0, 0]


def test_the_group_overview_costs_the_same_for_a_big_group(client, world):
    client.force_login(world["teacher3"].user)
    client.get(group_url(world["group3"]))  # warm up menus and caches

    with CaptureQueriesContext(connection) as small:
        client.get(group_url(world["group3"]))
    for index in range(20):
        PupilFactory(first_name=f"Kind{index}", group=world["group3"], school=world["school"])
    with CaptureQueriesContext(connection) as big:
        client.get(group_url(world["group3"]))

    assert len(big) == len(small)
