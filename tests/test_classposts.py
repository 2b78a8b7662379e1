"""Klassenouders write blog posts for their group; the group's teacher approves them (#19).

The post is a draft below the group page, in the workflow "Goedkeuring door de leerkracht":
other parents never see it until a teacher of the group (or the school's management)
approves it in the admin; a post sent back goes to its author with the teacher's comment.
"""

from io import BytesIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.models import WorkflowState

from pages.models import BlogPostPage
from schoolportal import access
from schoolportal.classposts import writing
from schoolportal.classposts.models import TeacherApprovalTask
from schoolportal.classposts.notices import APPROVED, REJECTED
from schoolportal.notifications.models import OutboxMessage
from schoolportal.people.models import ClassParent, StaffRole
from tests.factories import (
    GroupFactory,
    PupilFactory,
    StaffMemberFactory,
    group_page,
    parent_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def klas(db):
    group = GroupFactory(name="Groep 5")
    school = group.school
    other_group = GroupFactory(school_year=group.school_year, school=school, name="Groep 6")
    page = group_page(group)
    other_page = group_page(other_group)
    writer = parent_of(
        PupilFactory(group=group, school=school), first_name="Marieke", last_name="Jansen"
    )
    ClassParent.objects.create(group=group, guardian=writer)
    classmate_parent = parent_of(PupilFactory(group=group, school=school), first_name="Ilse")
    other_class_parent = parent_of(PupilFactory(group=other_group, school=school))
    ClassParent.objects.create(group=other_group, guardian=other_class_parent)
    teacher = StaffMemberFactory(school=school, display_name="juf Bakker")
    group.teachers.add(teacher)
    other_teacher = StaffMemberFactory(school=school, display_name="meester Visser")
    other_group.teachers.add(other_teacher)
    return {
        "group": group,
        "page": page,
        "other_page": other_page,
        "writer": writer,
        "classmate_parent": classmate_parent,
        "other_class_parent": other_class_parent,
        "teacher": teacher,
        "other_teacher": other_teacher,
    }


def jpeg(name="klas.jpg"):
    buffer = BytesIO()
    PILImage.new("RGB", (64, 48), (200, 120, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def write(client, klas, action="submit", **fields):
    client.force_login(klas["writer"].user)
    data = {
        "title": "Uitje naar de kinderboerderij",
        "text": "Wat een leuke dag!\n\nDe geiten waren <b>brutaal</b>.",
        "photo_caption": "",
        "action": action,
        **fields,
    }
    return client.post(reverse("classposts:write", args=[klas["page"].pk]), data)


def approve(client, user, post, action="approve", comment=""):
    client.force_login(user)
    post = BlogPostPage.objects.get(pk=post.pk)
    task_state = post.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[post.pk, action, task_state.pk])
    return client.post(url, {"comment": comment} if comment else {})


def blog(client, user, page):
    client.force_login(user)
    return client.get(reverse("grouppages:blog", args=[page.pk])).content.decode()


# --- Who writes ------------------------------------------------------------------------------


def test_only_class_parents_of_the_group_may_write(client, klas):
    url = reverse("classposts:write", args=[klas["page"].pk])
    client.force_login(klas["classmate_parent"].user)
    refused_parent = client.get(url)
    client.force_login(klas["other_class_parent"].user)
    refused_other_class_parent = client.get(url)
    client.force_login(klas["writer"].user)
    allowed = client.get(url)

    assert refused_parent.status_code == 404
    assert refused_other_class_parent.status_code == 404
    assert allowed.status_code == 200
    assert "Bericht schrijven" in allowed.content.decode()


def test_the_blog_and_group_page_offer_writing_to_its_class_parents_only(client, klas):
    write_url = reverse("classposts:write", args=[klas["page"].pk])
    group_url = reverse("grouppages:group", args=[klas["page"].pk])

    assert write_url in blog(client, klas["writer"].user, klas["page"])
    assert write_url in client.get(group_url).content.decode()
    assert write_url not in blog(client, klas["classmate_parent"].user, klas["page"])
    assert write_url not in client.get(group_url).content.decode()


def test_a_school_without_group_pages_has_no_writing(client, klas):
    school = klas["group"].school
    school.group_pages_enabled = False
    school.save()
    client.force_login(klas["writer"].user)

    assert client.get(reverse("classposts:write", args=[klas["page"].pk])).status_code == 404
    assert client.get(reverse("classposts:own_posts")).status_code == 404


# --- Writing: a draft in the workflow, invisible to others ----------------------------------


def test_a_written_post_waits_for_the_teacher_and_no_other_parent_sees_it(client, klas):
    response = write(client, klas)

    post = BlogPostPage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("classposts:own_post", args=[post.pk])
    assert post.get_parent().pk == klas["page"].pk
    assert not post.live
    assert post.owner == klas["writer"].user
    assert post.class_parent == klas["writer"]
    assert post.workflow_in_progress
    assert isinstance(post.current_workflow_task.specific, TeacherApprovalTask)
    # Other parents: not in the blog, not on its own URL, not among the published posts.
    assert "kinderboerderij" not in blog(client, klas["classmate_parent"].user, klas["page"])
    assert client.get(reverse("grouppages:post", args=[post.pk])).status_code == 404
    assert not access.published_children(klas["page"], BlogPostPage).exists()
    # Nor the author: the blog shows what is published, "Mijn berichten" the rest.
    assert "kinderboerderij" not in blog(client, klas["writer"].user, klas["page"])
    client.force_login(klas["writer"].user)
    own = client.get(reverse("classposts:own_posts")).content.decode()
    assert "Uitje naar de kinderboerderij" in own
    assert "Wacht op goedkeuring" in own


def test_the_text_is_paragraphs_and_never_markup(client, klas):
    write(client, klas)

    body = BlogPostPage.objects.get().get_latest_revision_as_object().body
    assert body == ("<p>Wat een leuke dag!</p><p>De geiten waren &lt;b&gt;brutaal&lt;/b&gt;.</p>")


def test_a_post_saved_as_concept_is_not_sent_to_the_teacher(client, klas):
    write(client, klas, action="save")

    post = BlogPostPage.objects.get()
    assert not post.workflow_in_progress
    assert writing.state_of(post).status == writing.CONCEPT


def test_a_photo_goes_to_the_group_pages_collection_with_its_caption(client, klas):
    response = write(client, klas, photo=jpeg(), photo_caption="Geiten bij het hek")

    assert response.status_code == 302
    draft = BlogPostPage.objects.get().get_latest_revision_as_object()
    assert draft.photo.collection_id == klas["page"].collection_id
    assert draft.photo.uploaded_by_user == klas["writer"].user
    assert draft.photo_caption == "Geiten bij het hek"


def test_a_photo_needs_its_caption_and_nothing_is_saved_without_it(client, klas):
    response = write(client, klas, photo=jpeg())

    assert response.status_code == 400
    assert "Beschrijf wat er op de foto te zien is." in response.content.decode()
    assert not BlogPostPage.objects.exists()


def test_a_file_that_is_no_photo_is_refused_with_a_dutch_message(client, klas):
    upload = SimpleUploadedFile("brief.pdf", b"%PDF-1.4 geen foto", "application/pdf")

    response = write(client, klas, photo=upload, photo_caption="Brief")

    assert response.status_code == 400
    assert "field__error" in response.content.decode()
    assert not BlogPostPage.objects.exists()


# --- Approving ------------------------------------------------------------------------------


def test_the_groups_teacher_approves_and_every_parent_of_the_group_reads_it(
    client, klas, committed
):
    write(client, klas)
    post = BlogPostPage.objects.get()
    mail.outbox.clear()

    with committed():
        approve(client, klas["teacher"].user, post)

    post.refresh_from_db()
    assert post.live
    page = blog(client, klas["classmate_parent"].user, klas["page"])
    assert "Uitje naar de kinderboerderij" in page
    read = client.get(reverse("grouppages:post", args=[post.pk])).content.decode()
    assert "Geschreven door Marieke Jansen (klassenouder)" in read
    # One e-mail, through the outbox, to the author; none of Wagtail's own.
    [message] = OutboxMessage.objects.filter(kind=APPROVED)
    assert message.recipient_user_id == klas["writer"].user_id
    [email] = mail.outbox
    assert email.to == [klas["writer"].user.email]
    assert "goedgekeurd" in email.body
    assert reverse("grouppages:post", args=[post.pk]) in email.body
    assert "/admin/" not in email.body
    assert "niet antwoorden" in email.body


def test_only_the_groups_teachers_and_the_schools_management_may_approve(client, klas):
    write(client, klas)
    post = BlogPostPage.objects.get()
    management = StaffMemberFactory(school=klas["group"].school, role=StaffRole.MANAGEMENT)
    far_management = StaffMemberFactory(role=StaffRole.MANAGEMENT)

    for outsider in (klas["other_teacher"].user, far_management.user, klas["writer"].user):
        approve(client, outsider, post)
        post.refresh_from_db()
        assert not post.live

    task = post.current_workflow_task.specific
    assert task.get_actions(post, klas["teacher"].user)
    assert task.get_actions(post, management.user)
    assert not task.get_actions(post, klas["other_teacher"].user)
    assert not task.get_actions(post, far_management.user)
    approve(client, management.user, post)  # the control: management may
    post.refresh_from_db()
    assert post.live


def test_class_parents_never_reach_the_admin(client, klas):
    write(client, klas)
    post = BlogPostPage.objects.get()
    client.force_login(klas["writer"].user)

    assert client.get(reverse("wagtailadmin_home")).status_code in (302, 403)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[post.pk]))
    assert edit.status_code in (302, 403)


# --- Sent back with a comment, changed and sent again ---------------------------------------


def test_a_rejected_post_goes_back_to_its_author_with_the_comment(client, klas, committed):
    write(client, klas)
    post = BlogPostPage.objects.get()
    mail.outbox.clear()

    with committed():
        approve(client, klas["teacher"].user, post, "reject", "Graag zonder achternamen.")

    post.refresh_from_db()
    assert not post.live
    client.force_login(klas["writer"].user)
    own = client.get(reverse("classposts:own_posts")).content.decode()
    assert "Afgewezen: Graag zonder achternamen." in own
    [email] = mail.outbox
    assert "Graag zonder achternamen." in email.body
    assert reverse("classposts:own_post", args=[post.pk]) in email.body
    assert OutboxMessage.objects.filter(kind=REJECTED).count() == 1

    # Changed and sent again: waiting again, and the teacher approves the new text.
    edit = reverse("classposts:edit", args=[post.pk])
    form = client.get(edit).content.decode()
    assert "Graag zonder achternamen." in form
    client.post(edit, {"title": "Kinderboerderij", "text": "Alleen voornamen.", "action": "submit"})
    post.refresh_from_db()
    assert writing.state_of(post).status == writing.WAITING
    approve(client, klas["teacher"].user, post)
    post.refresh_from_db()
    assert post.live
    assert post.title == "Kinderboerderij"
    assert post.body == "<p>Alleen voornamen.</p>"


def test_a_waiting_post_changed_by_its_author_waits_with_the_new_text(client, klas):
    write(client, klas)
    post = BlogPostPage.objects.get()
    client.force_login(klas["writer"].user)

    client.post(
        reverse("classposts:edit", args=[post.pk]),
        {"title": "Nieuwe titel", "text": "Nieuwe tekst.", "action": "submit"},
    )

    assert WorkflowState.objects.filter(object_id=str(post.pk)).active().count() == 1
    approve(client, klas["teacher"].user, post)
    post.refresh_from_db()
    assert (post.live, post.title) == (True, "Nieuwe titel")


def test_a_published_post_is_no_longer_the_authors_to_change(client, klas):
    write(client, klas)
    post = BlogPostPage.objects.get()
    approve(client, klas["teacher"].user, post)
    client.force_login(klas["writer"].user)

    assert client.get(reverse("classposts:edit", args=[post.pk])).status_code == 404
    own = client.get(reverse("classposts:own_post", args=[post.pk]))
    assert own.status_code == 200
    assert "Gepubliceerd" in own.content.decode() or "gepubliceerd" in own.content.decode()


def test_only_the_author_reaches_a_post(client, klas):
    write(client, klas)
    post = BlogPostPage.objects.get()
    ClassParent.objects.create(group=klas["group"], guardian=klas["classmate_parent"])
    client.force_login(klas["classmate_parent"].user)  # a fellow klassenouder of the group

    for name in ("classposts:own_post", "classposts:edit", "classposts:photo"):
        assert client.get(reverse(name, args=[post.pk])).status_code == 404
    deleted = client.post(reverse("classposts:own_post", args=[post.pk]), {"action": "delete"})
    assert deleted.status_code == 404
    assert BlogPostPage.objects.filter(pk=post.pk).exists()


def test_the_author_deletes_a_post_that_is_not_published(client, klas):
    write(client, klas)
    post = BlogPostPage.objects.get()
    client.force_login(klas["writer"].user)

    response = client.post(reverse("classposts:own_post", args=[post.pk]), {"action": "delete"})

    assert response.status_code == 302
    assert not BlogPostPage.objects.exists()


def test_my_posts_costs_the_same_queries_for_many_posts(
    client, klas, django_assert_max_num_queries
):
    for number in range(6):
        write(client, klas, title=f"Bericht {number}")
    client.force_login(klas["writer"].user)
    client.get(reverse("classposts:own_posts"))  # sessions and the like settle

    with django_assert_max_num_queries(12):
        response = client.get(reverse("classposts:own_posts"))

    assert response.content.decode().count("Wacht op goedkeuring") == 6


# --- The teacher's dashboard ----------------------------------------------------------------


def test_the_teachers_dashboard_shows_the_waiting_post(client, klas):
    write(client, klas)
    client.force_login(klas["teacher"].user)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(klas["other_teacher"].user)
    elsewhere = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Wacht op goedkeuring" in home
    assert "Uitje naar de kinderboerderij" in home
    assert "Uitje naar de kinderboerderij" not in elsewhere
