"""Uit de groepen: a teacher writes her group's item for an issue and sends it for
approval; the school's newsletter editors approve it in the workflow, and only then does
the issue show it, in the portal and in the e-mail, next to the items the editor typed."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from schoolportal.newsletters.models import GroupNewsItem
from schoolportal.people.models import StaffRole
from tests.factories import (
    GroupFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    image,
    newsletter,
    parent_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    class World:
        pass

    w = World()
    w.school = SchoolFactory(name="Basisschool De Regenboog")
    w.group = GroupFactory(school_year__school=w.school, name="Groep 3")
    w.other_group = GroupFactory(school_year=w.group.school_year, name="Groep 7")
    w.teacher = StaffMemberFactory(school=w.school, role=StaffRole.TEACHER)
    w.group.teachers.add(w.teacher)
    w.other_group.teachers.add(StaffMemberFactory(school=w.school, role=StaffRole.TEACHER))
    w.manager = StaffMemberFactory(school=w.school, role=StaffRole.MANAGEMENT)
    w.far_manager = StaffMemberFactory(
        school=SchoolFactory(name="Basisschool De Linde"), role=StaffRole.MANAGEMENT
    )
    w.emma = PupilFactory(first_name="Emma", group=w.group)
    w.parent = parent_of(w.emma, email="marieke@example.org")
    w.issue = newsletter(
        w.school,
        live=False,
        body=[
            ("heading", "Nieuws"),
            ("group_news", {"group": w.other_group, "text": "Groep 7 ging naar het museum."}),
            ("heading", "Tot slot"),
        ],
    )
    return w


ADD = reverse("wagtailsnippets_newsletters_groupnewsitem:add")


def item_form(world, group=None, **fields):
    return {
        "issue": world.issue.pk,
        "group": (group or world.group).pk,
        "text": "Wij hebben de letter k geleerd.",
        "caption": "",
        "image": "",
        **fields,
    }


def submit(client, world, **fields):
    """The teacher's "Stuur door" on a new item: saved as a draft, sent for approval."""
    client.force_login(world.teacher.user)
    return client.post(ADD, {**item_form(world, **fields), "action-submit": "action-submit"})


def approve(client, user, item):
    client.force_login(user)
    task_state = item.current_workflow_task_state
    url = reverse(
        "wagtailsnippets_newsletters_groupnewsitem:workflow_action",
        args=[item.pk, "approve", task_state.pk],
    )
    return client.post(url)


def issue_page(client, world):
    client.force_login(world.parent.user)
    return client.get(reverse("newsletters:issue", args=[world.issue.pk])).content.decode()


def test_a_teacher_cannot_write_for_a_group_she_does_not_teach(client, world):
    response = submit(client, world, group=world.other_group)

    assert response.status_code == 200
    assert "group" in response.context["form"].errors
    assert not GroupNewsItem.objects.exists()


def test_a_teacher_cannot_change_another_groups_item(client, world):
    item = GroupNewsItem.objects.create(issue=world.issue, group=world.other_group, text="x")
    client.force_login(world.teacher.user)

    url = reverse("wagtailsnippets_newsletters_groupnewsitem:edit", args=[item.pk])

    assert client.get(url).status_code == 404


def test_a_submitted_item_waits_for_approval_and_is_not_shown(client, world, committed):
    submit(client, world)
    item = GroupNewsItem.objects.get()
    with committed():
        world.issue.save_revision().publish()

    assert not item.live
    assert item.workflow_in_progress
    assert "de letter k" not in issue_page(client, world)
    assert all("de letter k" not in message.body for message in mail.outbox)


def test_the_teacher_cannot_approve_her_own_item(client, world):
    submit(client, world)
    item = GroupNewsItem.objects.get()

    approve(client, world.teacher.user, item)

    assert not GroupNewsItem.objects.get().live


def test_management_of_another_school_cannot_approve(client, world):
    submit(client, world)
    item = GroupNewsItem.objects.get()

    response = approve(client, world.far_manager.user, item)

    assert response.status_code == 404
    assert not GroupNewsItem.objects.get().live


def test_an_approved_item_shows_after_the_editors_group_items(client, world):
    submit(client, world)
    approve(client, world.manager.user, GroupNewsItem.objects.get())
    world.issue.save_revision().publish()

    page = issue_page(client, world)

    assert GroupNewsItem.objects.get().live
    assert "Uit Groep 3" in page and "de letter k" in page
    assert page.index("Groep 7 ging") < page.index("de letter k") < page.index("Tot slot")


def test_the_email_includes_the_approved_item(client, world, committed):
    submit(client, world)
    approve(client, world.manager.user, GroupNewsItem.objects.get())

    with committed():
        world.issue.save_revision().publish()

    # (Wagtail also tells the teacher her item was approved.)
    [email] = [message for message in mail.outbox if message.to == ["marieke@example.org"]]
    assert "Uit Groep 3\nWij hebben de letter k geleerd." in email.body
    assert "de letter k" in email.alternatives[0][0]


def test_an_items_photo_follows_the_childrens_consent(client, world):
    photo = image("Letterfeest")
    world.emma.photo_consent_website = False
    world.emma.save()
    item = GroupNewsItem.objects.create(
        issue=world.issue, group=world.group, text="Letterfeest", image=photo, caption="De k"
    )
    item.pupils.set([world.emma])
    item.save_revision().publish()
    world.issue.save_revision().publish()
    photo_url = reverse("newsletters:image", args=[world.issue.pk, photo.pk])

    assert photo_url not in issue_page(client, world)
    assert client.get(photo_url).status_code == 404

    world.emma.photo_consent_website = True
    world.emma.save()

    assert photo_url in issue_page(client, world)


def test_only_the_schools_own_management_is_asked_to_review_it(client, world):
    submit(client, world, text="Wij vierden het letterfeest.")
    item = GroupNewsItem.objects.get()
    task = item.current_workflow_task_state.task.specific

    assert list(task.get_task_states_user_can_moderate(world.manager.user)) == [
        item.current_workflow_task_state
    ]
    assert not task.get_task_states_user_can_moderate(world.far_manager.user).exists()
    assert not task.get_task_states_user_can_moderate(world.teacher.user).exists()
    client.force_login(world.manager.user)
    assert (
        "Groep 3 – Nieuwsbrief december"
        in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    client.force_login(world.far_manager.user)
    assert "Nieuwsbrief december" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_archive_search_finds_an_approved_item_only(client, world):
    submit(client, world, text="Wij bezochten de kinderboerderij.")
    world.issue.save_revision().publish()
    archive = reverse("newsletters:index") + "?zoek=kinderboerderij"
    client.force_login(world.parent.user)

    assert client.get(archive).context["found"] == 0
    approve(client, world.manager.user, GroupNewsItem.objects.get())
    client.force_login(world.parent.user)

    assert client.get(archive).context["found"] == 1


def test_the_form_offers_her_group_and_the_next_unsent_issue_chosen(client, world):
    sent = newsletter(world.school, title="Nieuwsbrief november", sent_at=timezone.now())
    client.force_login(world.teacher.user)

    form = client.get(ADD).context["form"]

    assert list(form.fields["group"].queryset) == [world.group]
    assert list(form.fields["issue"].queryset) == [world.issue]  # not the sent one
    assert sent not in form.fields["issue"].queryset
    assert form.initial["group"] == world.group.pk
    assert form.initial["issue"] == world.issue.pk
