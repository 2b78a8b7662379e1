"""Issue #22, "Arriving": a teacher lands on her groups, management on their school, and
neither sees Wagtail's installation-wide panels, help links or reports."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from pages.models import GroupPage
from schoolportal.agenda.models import AgendaItem
from schoolportal.mailings.models import Mailing, ReplySlipAnswer
from schoolportal.notifications.models import OutboxMessage
from schoolportal.people.models import StaffRole
from tests.factories import (
    GroupFactory,
    GuardianFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    UserFactory,
    draft_mailing,
    parent_of,
    school_home,
    send_mailing,
)

pytestmark = pytest.mark.django_db

HOME = reverse("wagtailadmin_home")
QUESTION = [("Komt u mee?", "radio", "Ja\nNee", True)]


@pytest.fixture
def world():
    """A school with two groups and their teachers, three children in the first group
    (two families, one answered slip), management, and a second school."""
    school = SchoolFactory(name="Basisschool Het Anker")
    Site.objects.create(hostname="testserver", port=80, root_page=school_home(school))
    group = GroupFactory(school_year__school=school, name="Groep 3a")
    other_group = GroupFactory(school_year=group.school_year, school=school, name="Groep 7b")
    teacher = StaffMemberFactory(school=school, display_name="juf Bakker")
    other_teacher = StaffMemberFactory(school=school, display_name="meester Bas")
    group.teachers.add(teacher)
    other_group.teachers.add(other_teacher)
    children = [PupilFactory(group=group) for _ in range(3)]
    parent_of(children[0], children[1])
    parent_of(children[2])
    elsewhere = SchoolFactory(name="Basisschool De Linde")
    Site.objects.create(hostname="linde.example.org", port=80, root_page=school_home(elsewhere))
    far_group = GroupFactory(school_year__school=elsewhere, name="Groep 5c")
    slip = send_mailing([group], QUESTION, title="Schoolreisje Artis")
    ReplySlipAnswer.objects.create(mailing=slip, pupil=children[0], answers={"komt_u_mee": "Ja"})
    return SimpleNamespace(
        school=school,
        group=group,
        other_group=other_group,
        page=GroupPage.objects.get(group=group),
        teacher=teacher,
        other_teacher=other_teacher,
        manager=StaffMemberFactory(school=school, role=StaffRole.MANAGEMENT),
        elsewhere=elsewhere,
        far_group=far_group,
        slip=slip,
    )


def home(client, staff):
    client.force_login(staff.user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def add_page(model_name, page):
    return reverse("wagtailadmin_pages:add", args=["pages", model_name, page.pk])


def test_a_teacher_lands_on_her_groups_buttons(client, world):
    html = home(client, world.teacher)

    assert "Groep 3a" in html
    assert f'href="{add_page("blogpostpage", world.page)}"' in html
    assert f'href="{add_page("photoalbumpage", world.page)}"' in html
    assert f'href="{reverse("wagtailadmin_pages:edit", args=[world.page.pk])}"' in html
    assert f'href="{reverse(Mailing.snippet_viewset.get_url_name("add"))}"' in html
    assert f'href="{reverse(AgendaItem.snippet_viewset.get_url_name("add"))}"' in html


def test_a_teacher_sees_her_open_reply_slips_answered_count(client, world):
    html = home(client, world.teacher)

    answers = reverse("wagtailsnippets_mailings_mailing:answers", args=[world.slip.pk])
    assert f'href="{answers}"' in html
    assert "Schoolreisje Artis" in html
    assert "1 van 2 beantwoord" in html  # two families, one answered


def test_a_closed_slip_is_not_open_any_more(client, world):
    Mailing.objects.filter(pk=world.slip.pk).update(
        reply_deadline=timezone.now() - timedelta(days=1)
    )

    assert "Schoolreisje Artis" not in home(client, world.teacher)


def test_a_teacher_sees_nothing_of_another_group_or_school(client, world):
    other_page = GroupPage.objects.get(group=world.other_group)
    send_mailing([world.other_group], QUESTION, title="Gymkleding groep 7")

    html = home(client, world.other_teacher)

    assert "Groep 7b" in html
    assert "Groep 3a" not in html
    assert "Groep 5c" not in html
    assert f'href="{add_page("blogpostpage", world.page)}"' not in html
    assert f'href="{add_page("blogpostpage", other_page)}"' in html
    assert "Schoolreisje Artis" not in html
    assert "Gymkleding groep 7" in html


def test_management_sees_mailings_with_state_invitations_and_modules(client, world):
    draft_mailing([world.group], title="Kerstviering (concept)")
    OutboxMessage.objects.filter(cause_id=world.slip.pk).update(status=OutboxMessage.Status.SENT)
    GuardianFactory(user=None, email="los@example.org")  # of no school: not hers to invite
    waiting = parent_of(PupilFactory(group=world.group))
    waiting.user.set_unusable_password()
    waiting.user.save()
    world.school.lunch_enabled = False
    world.school.save()

    html = home(client, world.manager)

    delivery = reverse("wagtailsnippets_mailings_mailing:delivery", args=[world.slip.pk])
    assert f'href="{delivery}"' in html
    assert "verzonden aan 2" in html
    assert "Kerstviering (concept)" in html and "concept" in html
    assert "1 ouder/verzorger zonder account" in html
    assert "0 medewerkers zonder account" in html
    assert "Overblijf: uit" in html
    assert "Groepspagina&#x27;s: aan" in html or "Groepspagina's: aan" in html
    school_edit = reverse("wagtailsnippets_people_school:edit", args=[world.school.pk])
    assert f'href="{school_edit}"' in html


def test_failed_deliveries_show_on_managements_dashboard(client, world):
    OutboxMessage.objects.filter(cause_id=world.slip.pk).update(status=OutboxMessage.Status.FAILED)

    assert "2 niet afgeleverd" in home(client, world.manager)


def test_a_teacher_has_no_management_panel(client, world):
    html = home(client, world.teacher)

    assert "Recente mailings" not in html
    assert "zonder account" not in html


def test_wagtails_stock_dashboard_is_gone_for_staff(client, world):
    html = home(client, world.teacher)

    assert "w-summary" not in html  # "6 Pagina's / 9 Afbeeldingen"
    assert "Mijn groepen" in html


def test_no_gravatar_in_a_teachers_admin(client, world):
    assert "gravatar" not in home(client, world.teacher).lower()


def test_reports_and_help_links_hidden_from_a_teacher(client, world):
    html = home(client, world.teacher)

    for url in (
        "/admin/reports/aging-pages/",
        "/admin/reports/locked/",
        "/admin/reports/workflow/",
    ):
        assert url not in html
    # The help menu's items, by their names in the sidebar's data.
    assert "editor-guide" not in html
    assert "whats-new-in-wagtail" not in html


def test_hidden_reports_show_a_teacher_only_what_she_may_edit(client, world):
    """Aging pages is hidden, not closed: it lists only pages she may edit."""
    client.force_login(world.other_teacher.user)

    response = client.get("/admin/reports/aging-pages/")

    assert response.status_code in (200, 403, 404)
    assert world.page.title not in response.content.decode()


def test_dashboard_queries_stay_bounded(client, world, django_assert_max_num_queries):
    for group in (world.other_group, GroupFactory(school=world.school, name="Groep 8")):
        group.teachers.add(world.teacher)
    for number in range(8):
        send_mailing([world.group], QUESTION, title=f"Strookje {number}")
    client.force_login(world.teacher.user)

    # 18 for one group and one slip, 30 here: open slips beyond MAX_OPEN_SLIPS cost nothing.
    # One more on every admin page: the Berichten menu item's unread count.
    # Today's absences add two, whatever the groups: whether the school uses them, and who.
    # The menu's "Overblijven" one: whether a school of the user uses it (once per request).
    # The menu's "Oudergesprekken" one likewise.
    # Klassenouders' posts waiting for her: two (her group pages, the posts below them).
    with django_assert_max_num_queries(39):
        assert client.get(HOME).status_code == 200


def test_a_superuser_who_works_at_the_school_sees_its_panel(client, world):
    """The demo's directie is also the installation's superuser: she still lands on her school."""
    world.manager.user.is_superuser = True
    world.manager.user.save()

    html = home(client, world.manager)

    assert "Recente mailings" in html


def test_a_superuser_of_no_school_keeps_wagtails_dashboard(client, world):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)

    html = client.get(HOME).content.decode()

    assert "w-summary" in html
    assert "Recente mailings" not in html
