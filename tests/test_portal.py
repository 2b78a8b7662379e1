"""The parent portal shell: landing, menu, profile button, contact details, security headers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page, Site

from pages.models import SchoolHomePage
from tests.factories import (
    GuardianFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    UserFactory,
    parent_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def family():
    school = SchoolFactory(
        name="Basisschool Het Anker", phone="030-1112233", email="info@hetanker.example.org"
    )
    child = PupilFactory(first_name="Lotte", group__school_year__school=school)
    guardian = parent_of(child, first_name="Marieke")
    return guardian, child, school


def test_dashboard_shows_own_children_with_group_and_teacher(client, family):
    guardian, child, _school = family
    teacher = StaffMemberFactory(school=child.school, display_name="juf Appel")
    child.group.teachers.add(teacher)
    client.force_login(guardian.user)

    response = client.get(reverse("portal:dashboard"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Lotte" in content
    assert child.group.name in content
    assert "juf Appel" in content
    assert teacher.email not in content


def test_dashboard_never_shows_another_familys_children(client, family):
    guardian, child, _school = family
    stranger_child = PupilFactory(first_name="Vreemdeling", group=child.group)
    parent_of(stranger_child)
    client.force_login(guardian.user)

    content = client.get(reverse("portal:dashboard")).content.decode()

    assert "Vreemdeling" not in content


def test_dashboard_query_count_does_not_grow_with_family_size(client):
    small = parent_of(PupilFactory())
    big_children = [PupilFactory() for _ in range(5)]
    big = parent_of(*big_children)
    for child in big_children:
        child.group.teachers.add(StaffMemberFactory(school=child.school))

    client.force_login(small.user)
    with CaptureQueriesContext(connection) as small_queries:
        client.get(reverse("portal:dashboard"))
    client.force_login(big.user)
    with CaptureQueriesContext(connection) as big_queries:
        client.get(reverse("portal:dashboard"))

    assert len(big_queries) == len(small_queries)


def test_menu_shows_dashboard_and_name_button_leads_to_profile(client, family):
    guardian, _child, _school = family
    client.force_login(guardian.user)

    content = client.get(reverse("portal:dashboard")).content.decode()

    assert 'aria-label="Hoofdmenu"' in content
    assert f'href="{reverse("portal:dashboard")}" aria-current="page">Dashboard' in content
    assert f'href="{reverse("portal:profile")}">{guardian.full_name}</a>' in content


def test_profile_shows_own_data_and_hidden_state(client, family):
    guardian, child, _school = family
    client.force_login(guardian.user)

    content = client.get(reverse("portal:profile")).content.decode()

    assert guardian.full_name in content
    assert guardian.postcode in content
    assert "Nee, verborgen" in content
    assert child.full_name in content


def test_footer_and_help_show_the_schools_contact_details(client, family):
    guardian, _child, _school = family
    client.force_login(guardian.user)

    content = client.get(reverse("portal:help")).content.decode()

    assert "Basisschool Het Anker" in content
    assert "030-1112233" in content
    assert "info@hetanker.example.org" in content
    assert reverse("accounts:password_reset") in content


def test_footer_shows_both_schools_of_a_family_with_children_at_two_schools(client):
    first = PupilFactory(group__school_year__school__name="School Een")
    second = PupilFactory(group__school_year__school__name="School Twee")
    guardian = parent_of(first, second)
    client.force_login(guardian.user)

    content = client.get(reverse("portal:dashboard")).content.decode()

    assert "School Een" in content
    assert "School Twee" in content


def test_portal_pages_are_dutch_by_default_and_english_on_request(client, family):
    guardian, _child, _school = family
    client.force_login(guardian.user)

    dutch = client.get(reverse("portal:profile")).content.decode()
    english = client.get(reverse("portal:profile"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Mijn profiel" in dutch
    assert "My profile" in english


def test_staff_member_without_children_is_sent_to_the_admin(client):
    staff = StaffMemberFactory()
    client.force_login(staff.user)

    response = client.get(reverse("portal:dashboard"))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_user_without_any_role_gets_404(client):
    client.force_login(UserFactory())

    assert client.get(reverse("portal:dashboard")).status_code == 404


def test_portal_pages_send_strict_security_headers(client, family):
    guardian, _child, _school = family
    client.force_login(guardian.user)

    response = client.get(reverse("portal:dashboard"))

    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_logged_out_visitor_of_the_home_page_sees_the_school_and_a_login_link(client):
    school = SchoolFactory(name="Basisschool De Linde")
    root = Page.get_first_root_node()
    home = root.add_child(instance=SchoolHomePage(title="De Linde", slug="de-linde", school=school))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "testserver", "root_page": home}
    )

    response = client.get("/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "De Linde" in content
    assert reverse("accounts:login") in content
    assert school.phone in content


def test_guardian_profile_never_shows_other_parents(client, family):
    guardian, _child, _school = family
    other = GuardianFactory(first_name="Geheim", last_name="Anders")
    client.force_login(guardian.user)

    content = client.get(reverse("portal:profile")).content.decode()

    assert "Geheim" not in content
    assert other.email not in content
