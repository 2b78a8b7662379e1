"""Groepspagina: group pages made with their group, edited by its teachers and the school's
management in the admin, read by the group's parents in the portal only."""

import json
from datetime import date
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.models import Page, Site

from pages.models import BlogPostPage, GroupPage, PhotoAlbumPage, SchoolHomePage
from pages.provisioning import ensure_group_page
from pages.tasks import make_album_renditions
from schoolportal.parentviews.caching import bump_version
from schoolportal.people.models import Group, StaffRole
from tests.factories import (
    GroupFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    blog_post,
    group_file,
    image,
    parent_of,
    photo_album,
    school_home,
)

pytestmark = pytest.mark.django_db


# --- The world ---------------------------------------------------------------------------------


@pytest.fixture
def world():
    """Two groups of one school (each with a teacher, a child and its parent), the school's
    management and administration, and a second school with its own group, teacher, manager
    and family. Both schools have a home page, so every group has its page."""
    school = SchoolFactory(name="Basisschool Het Anker")
    school_home(school)
    group = GroupFactory(school_year__school=school, name="Groep 3a")
    other_group = GroupFactory(school_year=group.school_year, school=school, name="Groep 7b")
    teacher = StaffMemberFactory(school=school, display_name="juf Anna")
    other_teacher = StaffMemberFactory(school=school, display_name="meester Bas")
    group.teachers.add(teacher)
    other_group.teachers.add(other_teacher)
    manager = StaffMemberFactory(school=school, role=StaffRole.MANAGEMENT)
    administrator = StaffMemberFactory(school=school, role=StaffRole.ADMINISTRATION)
    child = PupilFactory(group=group, first_name="Lotte")
    parent = parent_of(child, first_name="Marieke")
    other_child = PupilFactory(group=other_group, first_name="Daan")
    other_parent = parent_of(other_child)

    elsewhere = SchoolFactory(name="Basisschool De Linde")
    school_home(elsewhere)
    far_group = GroupFactory(school_year__school=elsewhere, name="Groep 3a")
    far_teacher = StaffMemberFactory(school=elsewhere)
    far_group.teachers.add(far_teacher)
    far_manager = StaffMemberFactory(school=elsewhere, role=StaffRole.MANAGEMENT)
    far_child = PupilFactory(group=far_group)
    far_parent = parent_of(far_child)
    return SimpleNamespace(
        school=school,
        group=group,
        page=GroupPage.objects.get(group=group),
        other_group=other_group,
        other_page=GroupPage.objects.get(group=other_group),
        teacher=teacher,
        other_teacher=other_teacher,
        manager=manager,
        administrator=administrator,
        child=child,
        parent=parent,
        other_child=other_child,
        other_parent=other_parent,
        elsewhere=elsewhere,
        far_group=far_group,
        far_page=GroupPage.objects.get(group=far_group),
        far_teacher=far_teacher,
        far_manager=far_manager,
        far_parent=far_parent,
    )


def editor_ids(group):
    page = GroupPage.objects.get(group=group)
    return set(page.editors.user_set.values_list("pk", flat=True))


def user_ids(*staff_members):
    return {staff.user_id for staff in staff_members}


# --- Provisioning ------------------------------------------------------------------------------


def test_a_new_group_gets_a_live_page_below_its_schools_home_page():
    school = SchoolFactory()
    home = school_home(school)

    group = GroupFactory(school_year__school=school, name="Groep 5c")

    page = GroupPage.objects.get(group=group)
    assert page.live
    assert page.get_parent().pk == home.pk
    assert page.editors is not None
    assert page.collection is not None
    assert "Groep 5c" in page.title


def test_groups_made_before_the_home_page_get_their_page_with_it():
    school = SchoolFactory()
    group = GroupFactory(school_year__school=school)
    other = GroupFactory(school_year=group.school_year, school=school)
    assert not GroupPage.objects.filter(group__in=[group, other]).exists()

    home = school_home(school)

    pages = GroupPage.objects.filter(group__in=[group, other])
    assert {page.group_id for page in pages} == {group.pk, other.pk}
    assert all(page.live and page.get_parent().pk == home.pk for page in pages)


def test_groups_whose_names_slugify_alike_get_pages_with_distinct_slugs():
    school = SchoolFactory()
    school_home(school)
    first = GroupFactory(school_year__school=school, name="Groep 4a")
    second = GroupFactory(school_year=first.school_year, school=school, name="groep 4a")

    slugs = {GroupPage.objects.get(group=group).slug for group in (first, second)}

    assert len(slugs) == 2


def test_editors_are_the_groups_teachers_and_the_schools_management_and_administration(world):
    assert editor_ids(world.group) == user_ids(world.teacher, world.manager, world.administrator)
    assert editor_ids(world.other_group) == user_ids(
        world.other_teacher, world.manager, world.administrator
    )
    assert editor_ids(world.far_group) == user_ids(world.far_teacher, world.far_manager)


def test_editors_group_holds_page_rights_on_the_page_and_rights_on_its_own_collection(world):
    page = world.page
    page_rights = set(
        page.editors.page_permissions.filter(page=page).values_list(
            "permission__codename", flat=True
        )
    )
    collection_rights = set(
        page.editors.collection_permissions.values_list("collection_id", "permission__codename")
    )

    assert page_rights == {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"}
    assert collection_rights == {
        (page.collection_id, f"{action}_{model}")
        for action in ("add", "change", "delete", "choose")
        for model in ("image", "document")
    }
    assert page.collection_id != world.other_page.collection_id


def test_providing_editing_twice_grants_each_right_once(world):
    ensure_group_page(world.group)

    page = GroupPage.objects.get(group=world.group)
    assert page.pk == world.page.pk
    assert page.editors.page_permissions.count() == 5
    assert page.editors.collection_permissions.count() == 8
    assert GroupPage.objects.filter(group=world.group).count() == 1


@pytest.mark.parametrize("how", ["group.teachers.remove", "staff_member.groups.remove"])
def test_a_teacher_taken_off_the_group_stops_editing_its_page(world, how):
    assert world.teacher.user_id in editor_ids(world.group)

    if how == "group.teachers.remove":
        world.group.teachers.remove(world.teacher)
    else:
        world.teacher.groups.remove(world.group)

    assert world.teacher.user_id not in editor_ids(world.group)
    assert world.manager.user_id in editor_ids(world.group)


@pytest.mark.parametrize("how", ["group.teachers.clear", "staff_member.groups.clear"])
def test_clearing_teaching_assignments_stops_editing(world, how):
    if how == "group.teachers.clear":
        world.group.teachers.clear()
    else:
        world.teacher.groups.clear()

    assert world.teacher.user_id not in editor_ids(world.group)


@pytest.mark.parametrize("how", ["group.teachers.add", "staff_member.groups.add"])
def test_a_teacher_given_the_group_starts_editing_its_page(world, how):
    assert world.other_teacher.user_id not in editor_ids(world.group)

    if how == "group.teachers.add":
        world.group.teachers.add(world.other_teacher)
    else:
        world.other_teacher.groups.add(world.group)

    assert world.other_teacher.user_id in editor_ids(world.group)
    assert world.other_teacher.user_id in editor_ids(world.other_group)


def test_a_teacher_made_management_edits_every_group_page_of_the_school_only(world):
    world.other_teacher.role = StaffRole.MANAGEMENT
    world.other_teacher.save()

    assert world.other_teacher.user_id in editor_ids(world.group)
    assert world.other_teacher.user_id in editor_ids(world.other_group)
    assert world.other_teacher.user_id not in editor_ids(world.far_group)


def test_management_made_teacher_keeps_only_the_groups_taught(world):
    world.manager.role = StaffRole.TEACHER
    world.manager.save()
    world.manager.groups.add(world.other_group)

    assert world.manager.user_id not in editor_ids(world.group)
    assert world.manager.user_id in editor_ids(world.other_group)


def test_a_deleted_staff_member_stops_editing(world):
    user_id = world.manager.user_id

    world.manager.delete()
    world.teacher.delete()

    assert user_id not in editor_ids(world.group)
    assert world.teacher.user_id not in editor_ids(world.group)
    assert world.administrator.user_id in editor_ids(world.group)


def test_a_staff_member_whose_account_is_unlinked_stops_editing(world):
    user_id = world.teacher.user_id

    world.teacher.user = None
    world.teacher.save()

    assert user_id not in editor_ids(world.group)


def test_staff_member_moved_to_another_school_stops_editing_the_old_schools_pages(world):
    world.manager.school = world.elsewhere
    world.manager.save()

    assert world.manager.user_id in editor_ids(world.far_group)
    assert world.manager.user_id not in editor_ids(world.group)


def test_deleting_a_group_deletes_its_page_blog_and_albums_and_keeps_the_tree_whole(world):
    post = blog_post(world.page)
    draft = blog_post(world.page, title="Concept", live=False)
    album = photo_album(world.page)
    other_post = blog_post(world.other_page)
    editors_id = world.page.editors_id

    world.group.delete()

    gone = [world.page.pk, post.pk, draft.pk, album.pk]
    assert not Page.objects.filter(pk__in=gone).exists()
    assert Page.objects.filter(pk__in=[world.other_page.pk, other_post.pk]).count() == 2
    assert not Group.objects.filter(pk=world.group.pk).exists()
    assert not AuthGroup.objects.filter(pk=editors_id).exists()
    assert all(problems == [] for problems in Page.find_problems())
    home = SchoolHomePage.objects.get(school=world.school)
    # The other group's page and the school's newsletter archive.
    assert home.get_children_count() == home.get_children().count() == 2


# --- Admin ---------------------------------------------------------------------------------------


def rich_text(text):
    """Draftail's contentstate for one paragraph, as the admin's rich-text widget posts it."""
    block = {
        "key": "a1b2c",
        "type": "unstyled",
        "depth": 0,
        "text": text,
        "inlineStyleRanges": [],
        "entityRanges": [],
    }
    return json.dumps({"blocks": [block], "entityMap": {}})


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def add_url(model_name, parent):
    return reverse("wagtailadmin_pages:add", args=["pages", model_name, parent.pk])


def group_page_form(page, **changes):
    data = {
        "title": page.title,
        "intro": rich_text("Welkom in de groep!"),
        "files-TOTAL_FORMS": "0",
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "1000",
        "action-publish": "action-publish",
    }
    data.update(changes)
    return data


def blog_post_form(title="Op bezoek bij de bakker", **changes):
    data = {
        "title": title,
        "date": "2026-10-05",
        "body": rich_text("We hebben brood gebakken."),
        "action-publish": "action-publish",
    }
    data.update(changes)
    return data


def album_form(photo, title="Herfstwandeling", **changes):
    data = {
        "title": title,
        "date": "2026-10-12",
        "description": "In het bos",
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "1",
        "photos-MAX_NUM_FORMS": "1000",
        "photos-0-image": str(photo.pk),
        "photos-0-caption": "Paddenstoelen",
        "photos-0-ORDER": "1",
        "action-publish": "action-publish",
    }
    data.update(changes)
    return data


def in_collection(photo, page):
    photo.collection = page.collection
    photo.save()
    return photo


def test_teacher_opens_and_publishes_their_own_group_page(client, world):
    client.force_login(world.teacher.user)

    form = client.get(edit_url(world.page))
    response = client.post(edit_url(world.page), group_page_form(world.page))

    assert form.status_code == 200
    assert response.status_code == 302
    page = GroupPage.objects.get(pk=world.page.pk)
    assert "Welkom in de groep!" in page.intro
    assert page.live and not page.has_unpublished_changes


def test_teacher_cannot_edit_another_groups_page(client, world):
    client.force_login(world.teacher.user)

    form = client.get(edit_url(world.other_page))
    response = client.post(edit_url(world.other_page), group_page_form(world.other_page))

    assert form.status_code in (302, 403)
    assert response.status_code in (302, 403)
    page = GroupPage.objects.get(pk=world.other_page.pk)
    assert "Welkom" not in page.intro
    assert page.revisions.count() == 0


def test_teacher_adds_a_blog_post_below_their_own_group_page(client, world):
    client.force_login(world.teacher.user)

    form = client.get(add_url("blogpostpage", world.page))
    response = client.post(add_url("blogpostpage", world.page), blog_post_form())

    assert form.status_code == 200
    assert response.status_code == 302
    post = BlogPostPage.objects.get(title="Op bezoek bij de bakker")
    assert post.live
    assert post.get_parent().pk == world.page.pk
    assert post.date == date(2026, 10, 5)
    assert "brood gebakken" in post.body


def test_teacher_adds_a_photo_album_with_a_photo_of_their_collection(client, world):
    client.force_login(world.teacher.user)
    photo = in_collection(image("Bos"), world.page)

    form = client.get(add_url("photoalbumpage", world.page))
    response = client.post(add_url("photoalbumpage", world.page), album_form(photo))

    assert form.status_code == 200
    assert response.status_code == 302
    album = PhotoAlbumPage.objects.get(title="Herfstwandeling")
    assert album.live
    assert album.get_parent().pk == world.page.pk
    assert [p.image_id for p in album.photos.all()] == [photo.pk]


@pytest.mark.parametrize("model_name", ["blogpostpage", "photoalbumpage"])
def test_teacher_cannot_add_below_another_groups_page(client, world, model_name):
    client.force_login(world.teacher.user)
    photo = in_collection(image("Bos"), world.other_page)
    data = blog_post_form("Ingebroken") if model_name == "blogpostpage" else album_form(photo)
    data["title"] = "Ingebroken"

    form = client.get(add_url(model_name, world.other_page))
    response = client.post(add_url(model_name, world.other_page), data)

    assert form.status_code in (302, 403)
    assert response.status_code in (302, 403)
    assert not Page.objects.filter(title="Ingebroken").exists()
    assert world.other_page.get_children_count() == 0


def test_posting_another_group_id_does_not_move_the_page_to_that_group(client, world):
    client.force_login(world.teacher.user)

    response = client.post(
        edit_url(world.page), group_page_form(world.page, group=str(world.other_group.pk))
    )

    assert response.status_code == 302  # the rest of the form was saved
    page = GroupPage.objects.get(pk=world.page.pk)
    assert "Welkom in de groep!" in page.intro
    assert page.group_id == world.group.pk
    assert page.get_latest_revision().as_object().group_id == world.group.pk
    assert GroupPage.objects.get(pk=world.other_page.pk).group_id == world.other_group.pk


def test_management_edits_every_group_page_of_their_school_and_none_of_another(client, world):
    client.force_login(world.manager.user)

    own = [client.get(edit_url(page)).status_code for page in (world.page, world.other_page)]
    far_form = client.get(edit_url(world.far_page))
    posted = client.post(
        add_url("blogpostpage", world.other_page), blog_post_form("Van de directie")
    )
    far_post = client.post(add_url("blogpostpage", world.far_page), blog_post_form("Ingebroken"))

    assert own == [200, 200]
    assert posted.status_code == 302
    assert BlogPostPage.objects.get(title="Van de directie").get_parent().pk == world.other_page.pk
    assert far_form.status_code in (302, 403)
    assert far_post.status_code in (302, 403)
    assert not Page.objects.filter(title="Ingebroken").exists()


def test_album_forms_name_the_children_without_photo_consent(client, world):
    PupilFactory(group=world.group, first_name="Fenna", photo_consent_group_page=True)
    PupilFactory(group=world.group, first_name="Sem", photo_consent_group_page=False)
    PupilFactory(group=world.other_group, first_name="Noor", photo_consent_group_page=False)
    album = photo_album(world.page)
    client.force_login(world.teacher.user)

    for url in (add_url("photoalbumpage", world.page), edit_url(album)):
        html = client.get(url).content.decode()
        assert "Noor" not in html, url  # another group's child: not listed, not offered
        # The consent panel's list (the photo rows offer every child of the group to tag).
        content = html.split("leerlingen zonder toestemming")[1].split("</ul>")[0]
        assert "Sem" in content, url
        assert "Lotte" in content, url  # no consent given (the default)
        assert "Fenna" not in content, url
        assert "Noor" not in content, url  # another group


def test_album_form_says_so_when_every_child_has_photo_consent(client, world):
    world.child.photo_consent_group_page = True
    world.child.save()
    client.force_login(world.teacher.user)

    content = client.get(add_url("photoalbumpage", world.page)).content.decode()

    # Lotte is offered to tag on the photos, but not listed as without consent.
    assert "leerling zonder toestemming" not in content
    assert "leerlingen zonder toestemming" not in content
    assert "gaven toestemming voor foto" in content


def test_teachers_image_chooser_lists_their_own_groups_photos_only(client, world):
    in_collection(image("Eigen klassenfoto"), world.page)
    in_collection(image("Andere klassenfoto"), world.other_page)
    in_collection(image("Verre klassenfoto"), world.far_page)

    client.force_login(world.teacher.user)
    teacher = client.get(reverse("wagtailimages_chooser:choose"))
    client.force_login(world.manager.user)
    manager = client.get(reverse("wagtailimages_chooser:choose"))

    assert teacher.status_code == 200
    assert "Eigen klassenfoto" in teacher.content.decode()
    assert "Andere klassenfoto" not in teacher.content.decode()
    assert "Verre klassenfoto" not in teacher.content.decode()
    assert "Eigen klassenfoto" in manager.content.decode()
    assert "Andere klassenfoto" in manager.content.decode()
    assert "Verre klassenfoto" not in manager.content.decode()


# --- Portal -------------------------------------------------------------------------------------


def url(name, obj):
    return reverse(f"grouppages:{name}", args=[obj.pk])


@pytest.fixture
def content(world):
    """The group page with an introduction, a post, an album of two photos and a file."""
    page = world.page
    page.intro = "<p>Welkom bij groep 3a van juf Anna.</p>"
    page.save_revision().publish()
    post = blog_post(page, title="Naar de bakker", body="<p>Broodjes gebakken.</p>")
    album = photo_album(page, title="Kinderboerderij", photos=2)
    pdf = group_file(page, filename="weekplanning.pdf", content=b"%PDF-1.4 planning")
    return SimpleNamespace(page=page, post=post, album=album, photo=album.photos.first(), file=pdf)


@pytest.fixture
def parent_client(client, world):
    client.force_login(world.parent.user)
    return client


def every_url(content):
    return {
        "group": url("group", content.page),
        "blog": url("blog", content.page),
        "post": url("post", content.post),
        "album": url("album", content.album),
        "photo_page": url("photo_page", content.photo),
        "photo": url("photo", content.photo),
        "thumbnail": url("thumbnail", content.photo),
        "file": url("file", content.file),
    }


def test_parent_sees_the_menu_item_and_their_childs_group_on_the_index(parent_client, world):
    dashboard = parent_client.get(reverse("portal:dashboard")).content.decode()
    index = parent_client.get(reverse("grouppages:index"))

    assert f'href="{reverse("grouppages:index")}"' in dashboard
    assert index.status_code == 200
    assert url("group", world.page) in index.content.decode()
    assert url("group", world.other_page) not in index.content.decode()
    assert url("group", world.far_page) not in index.content.decode()


def test_parent_reads_intro_posts_albums_with_photo_count_and_files(parent_client, content):
    response = parent_client.get(url("group", content.page))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Welkom bij groep 3a van juf Anna." in html
    assert "Naar de bakker" in html and url("post", content.post) in html
    assert "Kinderboerderij" in html and url("album", content.album) in html
    assert "2 foto's" in html or "2 foto&#x27;s" in html
    assert url("thumbnail", content.photo) in html  # the cover
    assert "weekplanning.pdf" in html and url("file", content.file) in html


def test_group_page_lists_the_five_newest_posts_and_links_to_the_blog_when_there_are_more(
    parent_client, world
):
    posts = [blog_post(world.page, title=f"Bericht {number}") for number in range(1, 7)]
    for number, post in enumerate(posts, start=1):
        BlogPostPage.objects.filter(pk=post.pk).update(date=date(2026, 9, number))
    bump_version()

    html = parent_client.get(url("group", world.page)).content.decode()

    shown = [f"Bericht {number}" for number in range(6, 1, -1)]
    positions = [html.index(title) for title in shown]
    assert positions == sorted(positions)  # newest first
    assert "Bericht 1<" not in html
    assert url("blog", world.page) in html


def test_group_page_has_no_blog_link_with_five_posts(parent_client, world):
    for number in range(5):
        blog_post(world.page, title=f"Bericht {number}")

    html = parent_client.get(url("group", world.page)).content.decode()

    assert all(f"Bericht {number}" in html for number in range(5))
    assert url("blog", world.page) not in html


def test_the_blog_lists_all_posts_newest_first_ten_a_page(parent_client, world):
    posts = [blog_post(world.page, title=f"Bericht {number:02d}") for number in range(1, 12)]
    for number, post in enumerate(posts, start=1):
        BlogPostPage.objects.filter(pk=post.pk).update(date=date(2026, 9, number))
    bump_version()

    first = parent_client.get(url("blog", world.page))
    second = parent_client.get(url("blog", world.page), {"pagina": 2})

    first_html, second_html = first.content.decode(), second.content.decode()
    assert first.status_code == second.status_code == 200
    assert all(f"Bericht {number:02d}" in first_html for number in range(2, 12))
    assert "Bericht 01" not in first_html
    assert first_html.index("Bericht 11") < first_html.index("Bericht 02")
    assert "Bericht 01" in second_html
    assert "Bericht 02" not in second_html
    assert "?pagina=2" in first_html


def test_parent_reads_a_post_and_an_album(parent_client, content):
    post = parent_client.get(url("post", content.post))
    album = parent_client.get(url("album", content.album))

    assert post.status_code == 200
    assert "Naar de bakker" in post.content.decode()
    assert "Broodjes gebakken." in post.content.decode()
    assert album.status_code == 200
    html = album.content.decode()
    for photo in content.album.photos.all():
        assert url("thumbnail", photo) in html
        assert url("photo", photo) in html
        assert photo.caption in html


@pytest.mark.parametrize("name", ["photo", "thumbnail"])
def test_photos_are_streamed_as_private_images(parent_client, content, name):
    response = parent_client.get(url(name, content.photo))

    data = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert PILImage.open(BytesIO(data)).format in {"JPEG", "PNG", "WEBP"}


def test_a_file_is_downloaded_as_an_attachment(parent_client, content):
    response = parent_client.get(url("file", content.file))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "weekplanning.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 planning"
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("who", ["other_parent", "far_parent"])
def test_parents_of_other_groups_get_404_everywhere(client, world, content, who):
    client.force_login(getattr(world, who).user)

    answers = {name: client.get(path).status_code for name, path in every_url(content).items()}
    index = client.get(reverse("grouppages:index")).content.decode()

    assert answers == dict.fromkeys(answers, 404)
    assert url("group", content.page) not in index


def test_own_parent_gets_200_everywhere(parent_client, content):
    answers = {
        name: parent_client.get(path).status_code for name, path in every_url(content).items()
    }

    assert answers == dict.fromkeys(answers, 200)


def test_school_without_group_pages_shows_no_menu_item_and_answers_404(
    parent_client, world, content
):
    world.school.group_pages_enabled = False
    world.school.save()

    dashboard = parent_client.get(reverse("portal:dashboard")).content.decode()
    answers = {
        name: parent_client.get(path).status_code for name, path in every_url(content).items()
    }

    assert f'href="{reverse("grouppages:index")}"' not in dashboard
    assert answers == dict.fromkeys(answers, 404)


def test_drafts_are_not_shown_and_answer_404(parent_client, world):
    draft_post = blog_post(world.page, title="Nog niet af", live=False)
    draft_album = photo_album(world.page, title="Nog niet klaar", live=False)
    photo = draft_album.photos.first()

    html = parent_client.get(url("group", world.page)).content.decode()

    assert "Nog niet af" not in html
    assert "Nog niet klaar" not in html
    assert parent_client.get(url("post", draft_post)).status_code == 404
    assert parent_client.get(url("album", draft_album)).status_code == 404
    assert parent_client.get(url("photo", photo)).status_code == 404
    assert parent_client.get(url("thumbnail", photo)).status_code == 404


def test_an_unpublished_group_page_answers_404_with_everything_on_it(parent_client, content):
    content.page.unpublish()

    answers = {
        name: parent_client.get(path).status_code for name, path in every_url(content).items()
    }

    assert answers == dict.fromkeys(answers, 404)


def test_a_photo_of_another_groups_album_answers_404(parent_client, world):
    own = photo_album(world.page, photos=1).photos.get()
    other = photo_album(world.other_page, photos=1).photos.get()

    assert parent_client.get(url("photo", own)).status_code == 200
    assert parent_client.get(url("photo", other)).status_code == 404
    assert parent_client.get(url("thumbnail", other)).status_code == 404


def test_the_wagtail_page_urls_send_the_visitor_to_the_portal(parent_client, world):
    home = SchoolHomePage.objects.get(school=world.school)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "testserver", "root_page": home}
    )
    post = blog_post(world.page)
    album = photo_album(world.page)

    for page, name in ((world.page, "group"), (post, "post"), (album, "album")):
        # Its URL is the portal's (#22); the path Wagtail routes still leads there.
        assert page.get_url() == url(name, page)
        page_url = page.url_path[len(home.url_path) - 1 :]
        response = parent_client.get(page_url)
        assert response.status_code == 302, page_url
        assert response["Location"] == url(name, page)


def test_group_pages_are_private_in_wagtail_and_editors_cannot_make_them_public(client, world):
    """Wagtail marks the page private: its own URL asks for a login first, the admin shows
    it as private, and only a superuser could lift that."""
    home = SchoolHomePage.objects.get(school=world.school)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "testserver", "root_page": home}
    )
    post = blog_post(world.page)

    response = client.get(post.get_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert post.get_view_restrictions().filter(restriction_type="login").exists()
    assert not world.page.permissions_for_user(world.teacher.user).can_set_view_restrictions()
    assert world.page.permissions_for_user(world.teacher.user).can_edit()  # the control


def test_anonymous_visitors_are_sent_to_login(client, content):
    login = reverse("accounts:login")

    for name, path in every_url(content).items():
        response = client.get(path)
        assert response.status_code == 302, name
        assert response["Location"].startswith(login), name


def test_staff_without_children_read_the_pages_they_edit_and_no_other(client, world, content):
    client.force_login(world.teacher.user)

    response = client.get(url("group", content.page))
    photo = client.get(url("photo", content.photo))
    client.force_login(world.other_teacher.user)
    other = client.get(url("group", content.page))
    listing = client.get(reverse("grouppages:index"))

    assert response.status_code == photo.status_code == 200  # as parents see it (#22)
    assert other.status_code == 404
    assert listing.status_code == 302  # the list of group pages is a parent's
    assert listing["Location"] == reverse("wagtailadmin_home")


# --- Caching ------------------------------------------------------------------------------------


def cached_html(client, path):
    """The page as a parent sees it, read twice: the first visit sets the CSRF cookie (part of
    the cache key), so the second is the one stored for the visits that follow."""
    client.get(path)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_newly_published_post_shows_on_the_cached_group_page(parent_client, world):
    blog_post(world.page, title="Eerste bericht")
    assert "Eerste bericht" in cached_html(parent_client, url("group", world.page))

    blog_post(world.page, title="Tweede bericht")

    html = parent_client.get(url("group", world.page)).content.decode()
    assert "Tweede bericht" in html


def test_the_cached_group_page_is_cached(parent_client, world):
    """The control for the caching tests: an unrelated change that bumps no version stays
    unseen until the version changes."""
    blog_post(world.page, title="Eerste bericht")
    cached_html(parent_client, url("group", world.page))
    BlogPostPage.objects.filter(title="Eerste bericht").update(title="Stil veranderd")

    cached = parent_client.get(url("group", world.page)).content.decode()
    bump_version()
    fresh = parent_client.get(url("group", world.page)).content.decode()

    assert "Eerste bericht" in cached
    assert "Stil veranderd" in fresh


def test_a_file_removed_from_the_page_disappears_from_the_cached_page(parent_client, world):
    group_file(world.page, filename="weekplanning.pdf")
    assert "weekplanning.pdf" in cached_html(parent_client, url("group", world.page))

    page = GroupPage.objects.get(pk=world.page.pk)
    page.files = []
    page.save_revision().publish()

    assert "weekplanning.pdf" not in parent_client.get(url("group", world.page)).content.decode()


def test_an_unpublished_post_disappears_from_the_cached_pages(parent_client, world):
    post = blog_post(world.page, title="Eerste bericht")
    assert "Eerste bericht" in cached_html(parent_client, url("group", world.page))
    assert "Eerste bericht" in cached_html(parent_client, url("post", post))

    Page.objects.get(pk=post.pk).unpublish()  # a plain Page, as Wagtail's bulk actions do

    assert "Eerste bericht" not in parent_client.get(url("group", world.page)).content.decode()
    assert parent_client.get(url("post", post)).status_code == 404


def test_an_album_moved_to_another_group_disappears_from_the_cached_page(parent_client, world):
    album = photo_album(world.page, title="Verkeerde groep")
    assert "Verkeerde groep" in cached_html(parent_client, url("group", world.page))
    assert "Verkeerde groep" in cached_html(parent_client, url("album", album))

    Page.objects.get(pk=album.pk).move(world.other_page, pos="last-child")

    assert "Verkeerde groep" not in parent_client.get(url("group", world.page)).content.decode()
    assert parent_client.get(url("album", album)).status_code == 404


@pytest.mark.parametrize("view", ["group", "album"])
def test_what_is_below_the_access_check_is_kept_for_every_parent_of_the_group(
    parent_client, client, world, view
):
    album = photo_album(world.page, title="Herfst", photos=1)
    blog_post(world.page, title="Eerste bericht")
    target = world.page if view == "group" else album
    client.force_login(parent_of(PupilFactory(group=world.group, first_name="Sem")).user)
    assert "Herfst" in parent_client.get(url(view, target)).content.decode()
    # Changed without a signal, in what each page shows below its heading.
    PhotoAlbumPage.objects.filter(pk=album.pk).update(title="Stil veranderd")
    album.photos.update(caption="Stil veranderd")

    with CaptureQueriesContext(connection) as queries:
        kept = client.get(url(view, target)).content.decode()
    bump_version()
    fresh = client.get(url(view, target)).content.decode()

    assert "Stil veranderd" not in kept.split("<main")[1]
    assert "Stil veranderd" in fresh.split("<main")[1]
    assert not any("pages_albumphoto" in query["sql"] for query in queries)


# --- Query counts -------------------------------------------------------------------------------


def _group_page_queries(client, page):
    bump_version()  # a rendered page, not the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("group", page))
    assert response.status_code == 200
    return len(queries)


def _add_content(page, number):
    blog_post(page, title=f"Bericht {number}")
    photo_album(page, title=f"Album {number}", photos=3)
    group_file(page, filename=f"bestand-{number}.pdf")


def test_group_page_queries_do_not_grow_with_posts_albums_photos_and_files(parent_client, world):
    _add_content(world.page, 1)
    parent_client.get(url("group", world.page))  # warm up the session
    one = _group_page_queries(parent_client, world.page)

    for number in range(2, 6):
        _add_content(world.page, number)
    html = parent_client.get(url("group", world.page)).content.decode()
    five = _group_page_queries(parent_client, world.page)

    assert all(f"Album {number}" in html for number in range(1, 6))
    assert five == one


def test_album_queries_do_not_grow_with_photos(parent_client, world):
    small = photo_album(world.page, title="Klein", photos=1)
    large = photo_album(world.page, title="Groot", photos=6)
    parent_client.get(url("album", small))

    counts = []
    for album in (small, large):
        bump_version()
        with CaptureQueriesContext(connection) as queries:
            assert parent_client.get(url("album", album)).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


# --- MEDIA_URL ----------------------------------------------------------------------------------


def media_url(name):
    return "/media/" + name


@pytest.fixture
def group_photo(world):
    """A photo in the group page's collection (where the teacher's uploads go)."""
    return in_collection(image("Klassenfoto"), world.page)


def test_a_photo_file_is_served_to_the_groups_teacher_and_management(client, world, group_photo):
    for staff in (world.teacher, world.manager):
        client.force_login(staff.user)
        response = client.get(media_url(group_photo.file.name))
        assert response.status_code == 200, staff
        assert b"".join(response.streaming_content) == group_photo.file.open("rb").read()
        assert "private" in response["Cache-Control"]


def test_a_rendition_is_served_to_the_groups_teacher_only(client, world, group_photo):
    rendition = group_photo.get_rendition("max-165x165")

    client.force_login(world.teacher.user)
    own = client.get(media_url(rendition.file.name))
    client.force_login(world.other_teacher.user)
    other = client.get(media_url(rendition.file.name))

    assert own.status_code == 200
    assert other.status_code == 404


@pytest.mark.parametrize("who", ["parent", "other_teacher", "far_teacher", "far_manager"])
def test_a_photo_file_is_not_served_to_parents_or_other_staff(client, world, group_photo, who):
    person = getattr(world, who)
    client.force_login(person.user)

    response = client.get(media_url(group_photo.file.name))

    assert response.status_code == 404


def test_an_album_photo_file_is_not_served_to_its_parents(client, world, content):
    original = content.photo.image.file.name
    client.force_login(world.parent.user)

    assert client.get(url("photo", content.photo)).status_code == 200  # the portal way
    assert client.get(media_url(original)).status_code == 404


def test_media_sends_anonymous_visitors_to_login(client, group_photo):
    response = client.get(media_url(group_photo.file.name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["teacher", "manager", "parent"])
def test_documents_are_never_served_from_media(client, world, content, who):
    client.force_login(getattr(world, who).user)

    response = client.get(media_url(content.file.document.file.name))

    assert response.status_code == 404


def test_a_missing_media_path_answers_404_to_staff(client, world):
    client.force_login(world.manager.user)

    assert client.get(media_url("original_images/bestaat-niet.jpg")).status_code == 404


def test_a_group_file_is_not_served_by_wagtails_document_url_to_another_schools_staff(
    client, world, content
):
    doc = content.file.document
    client.force_login(world.far_teacher.user)

    response = client.get(reverse("wagtaildocs_serve", args=[doc.pk, doc.filename]))

    assert response.status_code in (403, 404)


def test_a_group_file_is_served_by_wagtails_document_url_to_the_schools_staff(
    client, world, content
):
    doc = content.file.document
    client.force_login(world.teacher.user)

    response = client.get(reverse("wagtaildocs_serve", args=[doc.pk, doc.filename]))

    assert response.status_code == 200


def test_a_group_file_is_not_served_by_wagtails_document_url_to_parents(client, world, content):
    doc = content.file.document
    client.force_login(world.parent.user)

    response = client.get(reverse("wagtaildocs_serve", args=[doc.pk, doc.filename]))

    assert response.status_code in (403, 404)


def test_teacher_cannot_delete_the_group_page_itself(client, world):
    client.force_login(world.teacher.user)

    client.post(reverse("wagtailadmin_pages:delete", args=[world.page.pk]))

    assert GroupPage.objects.filter(pk=world.page.pk, group=world.group, live=True).exists()


def test_teacher_cannot_delete_another_groups_page(client, world):
    client.force_login(world.teacher.user)

    response = client.post(reverse("wagtailadmin_pages:delete", args=[world.other_page.pk]))

    assert response.status_code in (302, 403)
    assert GroupPage.objects.filter(pk=world.other_page.pk, live=True).exists()


def test_teacher_deletes_a_post_they_wrote(client, world):
    client.force_login(world.teacher.user)
    client.post(add_url("blogpostpage", world.page), blog_post_form("Foutje"))
    post = BlogPostPage.objects.get(title="Foutje")

    response = client.post(reverse("wagtailadmin_pages:delete", args=[post.pk]))

    assert response.status_code == 302
    assert not BlogPostPage.objects.filter(pk=post.pk).exists()


def test_switching_group_pages_off_empties_an_already_cached_page(parent_client, world):
    path = url("group", world.page)
    cached_html(parent_client, path)

    world.school.group_pages_enabled = False
    world.school.save()

    assert parent_client.get(path).status_code == 404


# --- Review findings: what an editor chooses, drafts, metadata, deletion, the demo ------------


def test_a_forged_photo_of_another_school_is_refused_and_never_reaches_parents(client, world):
    far_photo = in_collection(image("Verre klassenfoto"), world.far_page)
    own_photo = in_collection(image("Eigen klassenfoto"), world.page)
    client.force_login(world.teacher.user)

    refused = client.post(
        add_url("photoalbumpage", world.page), album_form(far_photo, title="Gestolen")
    )
    accepted = client.post(
        add_url("photoalbumpage", world.page), album_form(own_photo, title="Eigen")
    )

    assert refused.status_code == 200  # the form again, with its error
    assert not PhotoAlbumPage.objects.filter(title="Gestolen").exists()
    assert accepted.status_code == 302  # the control: the own group's photo is fine
    assert PhotoAlbumPage.objects.get(title="Eigen").live


def test_a_forged_document_of_another_school_is_refused(client, world):
    from schoolportal.mailings.models import MailingAttachment
    from tests.factories import MailingFactory, document

    far_document = document("verre-brief.pdf", b"%PDF-1.4 geheim")
    MailingAttachment.objects.create(
        mailing=MailingFactory(school=world.elsewhere), document=far_document
    )
    own_document = document("weekplanning.pdf")
    own_document.uploaded_by_user = world.teacher.user
    own_document.save()
    client.force_login(world.teacher.user)

    def post_file(chosen):
        files = {
            "files-TOTAL_FORMS": "1",
            "files-0-document": str(chosen.pk),
            "files-0-description": "",
            "files-0-ORDER": "1",
        }
        return client.post(edit_url(world.page), group_page_form(world.page, **files))

    assert post_file(far_document).status_code == 200
    assert not world.page.files.exists()
    assert post_file(own_document).status_code == 302  # the control
    assert list(world.page.files.values_list("document", flat=True)) == [own_document.pk]


def test_a_draft_of_a_group_page_leaves_the_cached_pages_alone(client, world):
    from schoolportal.parentviews.caching import current_version

    client.force_login(world.teacher.user)
    before = current_version()
    draft = group_page_form(world.page)
    del draft["action-publish"]

    assert client.post(edit_url(world.page), draft).status_code == 302
    assert current_version() == before
    assert client.post(edit_url(world.page), group_page_form(world.page)).status_code == 302
    assert current_version() > before  # the control: publishing does change what parents see


def test_parents_photos_carry_no_camera_metadata(parent_client, world):
    buffer = BytesIO()
    exif = PILImage.Exif()
    exif[0x010F] = "Apple"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 30.0), 3: "E", 4: (4.0, 53.0, 10.0)}  # GPS
    PILImage.new("RGB", (2000, 1500), (10, 200, 30)).save(buffer, "JPEG", exif=exif)
    from django.core.files.base import ContentFile
    from wagtail.images import get_image_model

    original = get_image_model().objects.create(
        title="gps", file=ContentFile(buffer.getvalue(), name="gps.jpg")
    )
    assert PILImage.open(original.file).getexif().get(0x010F) == "Apple"  # the control
    photo = photo_album(world.page, photos=1).photos.get()
    photo.image = original
    photo.save()
    make_album_renditions(photo.album_id)  # as publishing the changed album does

    for name in ("photo", "thumbnail"):
        response = parent_client.get(url(name, photo))
        served = PILImage.open(BytesIO(b"".join(response.streaming_content)))
        assert served.format == "JPEG"
        assert dict(served.getexif()) == {}, name


def test_deleting_a_group_deletes_its_photos_but_not_another_groups(world):
    own = in_collection(image("Eigen"), world.page)
    other = in_collection(image("Ander"), world.other_page)

    world.group.delete()

    from wagtail.images import get_image_model

    remaining = set(get_image_model().objects.values_list("pk", flat=True))
    assert own.pk not in remaining
    assert other.pk in remaining


def test_editors_may_take_down_a_photo_a_colleague_uploaded(client, world):
    photo = in_collection(image("Zonder toestemming"), world.page)
    client.force_login(world.manager.user)

    response = client.post(reverse("wagtailimages:delete", args=[photo.pk]))

    assert response.status_code == 302
    from wagtail.images import get_image_model

    assert not get_image_model().objects.filter(pk=photo.pk).exists()


def test_the_page_chooser_lists_only_pages_the_editor_edits(client, world, content):
    client.force_login(world.far_teacher.user)
    response = client.get(reverse("wagtailadmin_choose_page_child", args=[world.page.pk]))
    search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": content.post.title})

    assert content.post.title not in response.content.decode()
    assert content.post.title not in search.content.decode()
    client.force_login(world.teacher.user)  # the control
    own = client.get(reverse("wagtailadmin_choose_page_search"), {"q": content.post.title})
    assert content.post.title in own.content.decode()


def test_loading_the_demo_twice_draws_no_photos_twice():
    from io import StringIO

    from django.core.management import call_command
    from wagtail.images import get_image_model

    call_command("demo", stdout=StringIO())
    drawn = get_image_model().objects.count()
    call_command("demo", stdout=StringIO())

    assert drawn > 0
    assert get_image_model().objects.count() == drawn


@pytest.mark.parametrize("kind", ["page", "post", "album"])
def test_editors_preview_their_drafts(client, world, content, kind):
    page = {"page": world.page, "post": content.post, "album": content.album}[kind]
    client.force_login(world.teacher.user)
    draft = page.specific
    draft.title = f"{page.title} (concept)"
    draft.save_revision(user=world.teacher.user)

    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))

    assert response.status_code == 200
    shown = response.content.decode()
    assert "Voorbeeld: zo zien de ouders van de groep" in shown
    assert "(concept)" in shown  # the draft, not the live version
    if kind == "album":
        assert "/media/images/" in response.content.decode()  # photos for staff, not the portal


def test_the_document_chooser_names_no_document_of_another_school(client, world, content):
    chosen = reverse("wagtaildocs_chooser:chosen", args=[content.file.document_id])

    client.force_login(world.far_teacher.user)
    refused = client.get(chosen)
    client.force_login(world.teacher.user)
    content.file.document.collection = world.page.collection  # where the teacher uploads
    content.file.document.save()
    allowed = client.get(chosen)

    assert refused.status_code == 404
    assert allowed.status_code == 200  # the control
    assert content.file.document.title in allowed.content.decode()


def test_publishing_an_album_makes_its_photo_sizes_in_a_task(world, committed):
    album = photo_album(world.page, photos=2, live=False)
    images = [photo.image for photo in album.photos.all()]
    assert all(image.renditions.count() == 0 for image in images)

    with committed():
        album.save_revision().publish()

    assert all(image.renditions.count() == 2 for image in images)


def test_a_photo_opens_on_its_own_page_with_the_previous_and_next_one(parent_client, world):
    album = photo_album(world.page, photos=3)
    first, second, third = album.photos.all()

    middle = parent_client.get(url("photo_page", second)).content.decode()
    last = parent_client.get(url("photo_page", third)).content.decode()

    assert "Foto 2 van 3" in middle
    assert f'href="{url("photo_page", first)}" rel="prev"' in middle
    assert f'href="{url("photo_page", third)}" rel="next"' in middle
    assert f'src="{url("photo", second)}" alt="{second.caption}"' in middle
    assert f'href="{url("album", album)}"' in middle  # the way back
    assert "Foto 3 van 3" in last
    assert 'rel="next"' not in last
    album_page = parent_client.get(url("album", album)).content.decode()
    assert f'href="{url("photo_page", first)}"' in album_page
