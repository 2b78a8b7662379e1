"""The Wagtail admin: only staff get in, and they see and change only their own school."""

import re
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core import mail

from schoolportal.accounts.models import Invitation
from schoolportal.people.models import Pupil, StaffRole
from tests.factories import (
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

User = get_user_model()

PUPILS = "/admin/snippets/people/pupil/"
GUARDIANS = "/admin/snippets/people/guardian/"
INVITATION_LINK = re.compile(r"http://testserver/account/uitnodiging/([\w-]+)/")


def invite_url(guardian):
    return f"/admin/uitnodigen/guardian/{guardian.pk}/"


@pytest.fixture
def world():
    w = SimpleNamespace()
    w.school_a = SchoolFactory(name="School Alfa")
    w.school_b = SchoolFactory(name="School Beta")
    w.group_a = GroupFactory(school_year=SchoolYearFactory(school=w.school_a), name="Groep Alfa")
    w.group_b = GroupFactory(school_year=SchoolYearFactory(school=w.school_b), name="Groep Beta")
    w.pupil_a = PupilFactory(group=w.group_a, first_name="Annie", last_name="Appel")
    w.pupil_b = PupilFactory(group=w.group_b, first_name="Bertje", last_name="Bes")
    w.guardian_a = parent_of(w.pupil_a, first_name="Anton", last_name="Appel")
    w.guardian_b = parent_of(w.pupil_b, first_name="Bea", last_name="Bes")
    w.teacher_a = StaffMemberFactory(school=w.school_a, role=StaffRole.TEACHER)
    w.management_a = StaffMemberFactory(school=w.school_a, role=StaffRole.MANAGEMENT)
    w.management_b = StaffMemberFactory(school=w.school_b, role=StaffRole.MANAGEMENT)
    return w


@pytest.fixture
def uninvited_guardian(world):
    """A guardian of a school A pupil, entered by the school, without an account yet."""
    guardian = GuardianFactory(
        user=None, email="Nieuwe.Ouder@Example.org", first_name="Nina", last_name="Nieuw"
    )
    GuardianshipFactory(guardian=guardian, pupil=world.pupil_a)
    return guardian


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Who gets in --------------------------------------------------------------


def test_guardian_is_sent_to_the_admin_login(client, world):
    client.force_login(world.guardian_a.user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_guardian_cannot_open_admin_listings(client, world):
    client.force_login(world.guardian_a.user)
    response = client.get(PUPILS)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_teacher_reaches_the_admin(client, world):
    client.force_login(world.teacher_a.user)
    assert client.get("/admin/").status_code == 200


def test_management_reaches_the_admin(client, world):
    client.force_login(world.management_a.user)
    assert client.get("/admin/").status_code == 200


# --- Listings and objects of one's own school -------------------------------------


def test_management_lists_only_their_own_schools_pupils(client, world):
    client.force_login(world.management_a.user)
    response = client.get(PUPILS)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Annie Appel" in content
    assert "Bertje Bes" not in content


def test_management_lists_only_their_own_schools_guardians(client, world):
    client.force_login(world.management_a.user)
    response = client.get(GUARDIANS)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Anton Appel" in content
    assert "Bea Bes" not in content


def test_pupil_search_does_not_find_another_schools_pupil(client, world):
    client.force_login(world.management_a.user)
    response = client.get(PUPILS, {"q": "Bertje"})
    assert response.status_code == 200
    assert "Bertje Bes" not in response.content.decode()


OBJECT_VIEWS = [
    "edit",
    "delete",
    "inspect",
    "history",
    "usage",
]


@pytest.mark.parametrize("view", OBJECT_VIEWS)
@pytest.mark.parametrize(("listing", "name"), [(PUPILS, "pupil_a"), (GUARDIANS, "guardian_a")])
def test_management_opens_every_view_of_their_own_schools_objects(
    client, world, view, listing, name
):
    client.force_login(world.management_a.user)
    response = client.get(f"{listing}{view}/{getattr(world, name).pk}/")
    assert response.status_code == 200


@pytest.mark.parametrize("view", OBJECT_VIEWS)
@pytest.mark.parametrize(("listing", "name"), [(PUPILS, "pupil_b"), (GUARDIANS, "guardian_b")])
def test_another_schools_pupil_or_guardian_is_not_found(client, world, view, listing, name):
    client.force_login(world.management_a.user)
    response = client.get(f"{listing}{view}/{getattr(world, name).pk}/")
    assert response.status_code == 404


def test_another_schools_pupil_cannot_be_deleted(client, world):
    client.force_login(world.management_a.user)
    response = client.post(f"{PUPILS}delete/{world.pupil_b.pk}/")
    assert response.status_code == 404
    assert Pupil.objects.filter(pk=world.pupil_b.pk).exists()


def test_add_pupil_form_accepts_only_own_schools_groups(client, world):
    GroupFactory(school_year=world.group_a.school_year, name="Groep Alfa 2")
    client.force_login(world.management_a.user)
    response = client.get(f"{PUPILS}add/")
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.fields["group"].queryset) == set(world.school_a.groups.all())
    assert list(form.fields["school"].queryset) == [world.school_a]


def test_add_pupil_form_offers_only_own_schools_groups(client, world):
    client.force_login(world.management_a.user)
    form_page = client.get(f"{PUPILS}add/").content.decode()
    chooser_url = re.search(
        r'SnippetChooser\("id_group", \{"modalUrl": "([^"]+)"', form_page
    ).group(1)
    offered = client.get(chooser_url).content.decode()
    assert "Groep Alfa" in offered
    assert "Groep Beta" not in offered


def test_pupil_cannot_be_added_to_another_schools_group(client, world):
    client.force_login(world.management_a.user)
    response = client.post(
        f"{PUPILS}add/",
        {
            "first_name": "Indringer",
            "last_name": "Test",
            "date_of_birth": "2019-05-01",
            "school": world.school_b.pk,
            "group": world.group_b.pk,
        },
    )
    assert response.status_code == 200  # the form again, with errors
    assert set(response.context["form"].errors) >= {"school", "group"}
    assert not Pupil.objects.filter(first_name="Indringer").exists()


@pytest.mark.parametrize(("listing", "name"), [(PUPILS, "pupil_b"), (GUARDIANS, "guardian_b")])
def test_another_schools_pupil_or_guardian_cannot_be_copied(client, world, listing, name):
    client.force_login(world.management_a.user)
    response = client.get(f"{listing}copy/{getattr(world, name).pk}/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("model", "own", "other"),
    [
        ("school", "School Alfa", "School Beta"),
        ("group", "Groep Alfa", "Groep Beta"),
        ("pupil", "Annie", "Bertje"),
        ("guardian", "Anton Appel", "Bea Bes"),
    ],
)
def test_chooser_offers_only_own_schools_rows(client, world, model, own, other):
    client.force_login(world.management_a.user)
    response = client.get(f"/admin/snippets/choose/people/{model}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert own in content
    assert other not in content


def test_pupil_listing_filters_offer_only_own_school_and_groups(client, world):
    client.force_login(world.management_a.user)
    content = client.get(PUPILS).content.decode()
    assert "School Beta" not in content
    assert "Groep Beta" not in content


# --- Inviting a guardian -----------------------------------------------------------


def test_invite_page_asks_for_confirmation_and_changes_nothing(
    client, world, uninvited_guardian, django_capture_on_commit_callbacks
):
    client.force_login(world.management_a.user)
    users_before = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.get(invite_url(uninvited_guardian))
    assert response.status_code == 200
    content = response.content.decode()
    assert "nieuwe.ouder@example.org" in content
    assert 'method="post"' in content
    assert callbacks == []
    assert mail.outbox == []
    assert User.objects.count() == users_before
    uninvited_guardian.refresh_from_db()
    assert uninvited_guardian.user is None


def test_inviting_creates_the_account_and_mails_a_one_time_link(
    client, world, uninvited_guardian, django_capture_on_commit_callbacks
):
    client.force_login(world.management_a.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(uninvited_guardian))

    assert response.status_code == 302
    assert response["Location"] == GUARDIANS
    uninvited_guardian.refresh_from_db()
    user = uninvited_guardian.user
    assert user is not None
    assert user.email == "nieuwe.ouder@example.org"
    assert not user.has_usable_password()
    assert any("nieuwe.ouder@example.org" in message for message in messages_of(response))

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nieuwe.ouder@example.org"]
    token = INVITATION_LINK.search(message.body).group(1)
    invitation = Invitation.find(token)
    assert invitation.user == user
    assert invitation.is_usable
    assert invitation.invited_by == world.management_a.user


def test_invitation_link_opens_the_invitation_page(
    client, world, uninvited_guardian, django_capture_on_commit_callbacks
):
    client.force_login(world.management_a.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(invite_url(uninvited_guardian))
    client.logout()
    token = INVITATION_LINK.search(mail.outbox[0].body).group(1)
    assert client.get(f"/account/uitnodiging/{token}/").status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_of_another_school_cannot_invite_the_guardian(
    client, world, uninvited_guardian, method, django_capture_on_commit_callbacks
):
    client.force_login(world.management_b.user)
    users_before = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = getattr(client, method)(invite_url(uninvited_guardian))
    assert response.status_code == 404
    assert mail.outbox == []
    assert User.objects.count() == users_before
    uninvited_guardian.refresh_from_db()
    assert uninvited_guardian.user is None


def test_teacher_may_not_invite_guardians(
    client, world, uninvited_guardian, django_capture_on_commit_callbacks
):
    client.force_login(world.teacher_a.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(uninvited_guardian))
    # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert mail.outbox == []
    uninvited_guardian.refresh_from_db()
    assert uninvited_guardian.user is None


def test_guardian_without_email_gets_a_clear_error_and_nothing_is_created(
    client, world, django_capture_on_commit_callbacks
):
    guardian = GuardianFactory(user=None, email="", first_name="Zonder", last_name="Mail")
    GuardianshipFactory(guardian=guardian, pupil=world.pupil_a)
    client.force_login(world.management_a.user)
    users_before = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(guardian))
    assert response.status_code == 302
    assert messages_of(response) == ["Zonder Mail heeft geen e-mailadres."]
    assert mail.outbox == []
    assert User.objects.count() == users_before
    assert not Invitation.objects.exists()
    guardian.refresh_from_db()
    assert guardian.user is None


def test_guardian_with_an_account_is_pointed_to_password_reset(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.management_a.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(world.guardian_a))
    assert response.status_code == 302
    assert any("heeft al een account" in message for message in messages_of(response))
    assert mail.outbox == []


# --- Bulk actions -------------------------------------------------------------------------


def test_bulk_delete_of_all_pupils_deletes_only_own_schools(client, world):
    client.force_login(world.management_a.user)
    url = "/admin/bulk/people/pupil/delete/?next=/admin/&id=all"

    confirm = client.get(url)
    assert "Bertje" not in confirm.content.decode()
    client.post(url)

    assert not Pupil.objects.filter(pk=world.pupil_a.pk).exists()
    assert Pupil.objects.filter(pk=world.pupil_b.pk).exists()


def test_bulk_action_naming_another_schools_pupil_is_not_found(client, world):
    client.force_login(world.management_a.user)
    url = f"/admin/bulk/people/pupil/delete/?next=/admin/&id={world.pupil_b.pk}"

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Pupil.objects.filter(pk=world.pupil_b.pk).exists()


def test_bulk_actions_need_admin_access(client, world):
    url = f"/admin/bulk/people/pupil/delete/?next=/admin/&id={world.pupil_a.pk}"

    anonymous = client.get(url)
    client.force_login(world.guardian_a.user)
    guardian = client.get(url)

    assert anonymous.status_code == 302
    assert "/admin/login/" in anonymous["Location"]
    assert guardian.status_code == 302
    assert Pupil.objects.filter(pk=world.pupil_a.pk).exists()


def test_administration_at_one_school_and_teacher_at_another_manages_only_the_first(client, world):
    user = world.management_a.user
    StaffMemberFactory(school=world.school_b, user=user, role=StaffRole.TEACHER)
    client.force_login(user)

    assert client.get(f"{PUPILS}edit/{world.pupil_a.pk}/").status_code == 200
    assert client.get(f"{PUPILS}edit/{world.pupil_b.pk}/").status_code == 404
    assert client.get(f"{PUPILS}inspect/{world.pupil_b.pk}/").status_code == 404
    assert "Bertje" not in client.get(PUPILS).content.decode()


@pytest.mark.parametrize("report", ["site-history", "page-types-usage"])
def test_whole_installation_reports_are_for_superusers_only(client, world, report):
    client.force_login(world.management_a.user)
    assert client.get(f"/admin/reports/{report}/").status_code == 404
    assert client.get(f"/admin/reports/{report}/results/").status_code == 404
    assert f"/admin/reports/{report}/" not in client.get("/admin/").content.decode()

    client.force_login(UserFactory(is_superuser=True))
    assert client.get(f"/admin/reports/{report}/").status_code == 200
