"""Everything the admin shows or serves about documents, images, pages and collections stays
within the user's own schools (issue #13, parts 2, 3 and 5).

A teacher of "Het Anker" must never read a title, name or file of "De Linde": not in the
admin API, choosers, bulk-action pages, collection drop-downs or document downloads; uploads
go only into their own school's collections; and a group page they edit keeps the files it
holds, whoever uploaded them.
"""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection, GroupCollectionPermission
from wagtail.test.utils.form_data import rich_text

from pages.models import GroupPage, GroupPageFile, SchoolCollection
from schoolportal.people.models import StaffRole
from schoolportal.people.roles import ROLE_GROUP_NAMES
from tests.factories import (
    GroupFactory,
    SchoolFactory,
    StaffMemberFactory,
    UserFactory,
    blog_post,
    document,
    image,
    photo_album,
    school_home,
)

pytestmark = pytest.mark.django_db

FAR = "De Linde"  # in every name and title of the other school


def filed(item, collection):
    item.collection = collection
    item.save()
    return item


@pytest.fixture
def world():
    school = SchoolFactory(name="Basisschool Het Anker")
    home = school_home(school)
    group = GroupFactory(school_year__school=school, name="Groep 3a")
    teacher = StaffMemberFactory(school=school, display_name="juf Anna")
    group.teachers.add(teacher)
    colleague_group = GroupFactory(school_year=group.school_year, school=school, name="Groep 5b")
    colleague = StaffMemberFactory(school=school, display_name="meester Bas")
    colleague_group.teachers.add(colleague)
    manager = StaffMemberFactory(school=school, role=StaffRole.MANAGEMENT)
    page = GroupPage.objects.get(group=group)

    far = SchoolFactory(name=f"Basisschool {FAR}")
    far_home = school_home(far)
    far_group = GroupFactory(school_year__school=far, name="Groep 8c")
    far_teacher = StaffMemberFactory(school=far, display_name="juf Linde")
    far_group.teachers.add(far_teacher)
    far_page = GroupPage.objects.get(group=far_group)

    own_document = filed(
        document("rooster.pdf", title="Rooster Het Anker"), school.media.collection
    )
    far_document = filed(document("lijst.pdf", title=f"Klassenlijst {FAR}"), far.media.collection)
    return SimpleNamespace(
        school=school,
        home=home,
        page=page,
        teacher=teacher,
        colleague=colleague,
        colleague_page=GroupPage.objects.get(group=colleague_group),
        manager=manager,
        far=far,
        far_home=far_home,
        far_page=far_page,
        far_teacher=far_teacher,
        far_post=blog_post(far_page, title=f"Uitje {FAR}"),
        own_document=own_document,
        far_document=far_document,
        own_photo=filed(image("Klassenfoto Het Anker"), page.collection),
        far_photo=filed(image(f"Klassenfoto {FAR}"), far_page.collection),
    )


@pytest.fixture
def teacher_client(client, world):
    client.force_login(world.teacher.user)
    return client


def shown(response):
    return response.content.decode()


# --- The admin API -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint, own, far",
    [
        ("documents", "own_document", "far_document"),
        ("images", "own_photo", "far_photo"),
        ("pages", "page", "far_page"),
    ],
)
def test_the_admin_api_lists_and_details_only_the_users_own_school(
    teacher_client, world, endpoint, own, far
):
    listing = teacher_client.get(f"/admin/api/main/{endpoint}/")
    own_detail = teacher_client.get(f"/admin/api/main/{endpoint}/{getattr(world, own).pk}/")
    far_detail = teacher_client.get(f"/admin/api/main/{endpoint}/{getattr(world, far).pk}/")

    assert listing.status_code == 200
    assert getattr(world, own).title in shown(listing)
    assert FAR not in shown(listing)
    assert own_detail.status_code == 200
    assert far_detail.status_code == 404


def test_the_admin_api_opens_no_page_of_another_school(teacher_client, world):
    children = teacher_client.get(f"/admin/api/main/pages/?child_of={world.far_home.pk}")
    explorer = teacher_client.get("/admin/api/main/pages/?child_of=root&for_explorer=1")

    assert children.status_code in (400, 404)
    assert FAR not in shown(children)
    assert world.home.title in shown(explorer)
    assert FAR not in shown(explorer)


# --- Bulk-action pages ---------------------------------------------------------------------

BULK = {
    "document": "/admin/bulk/wagtaildocs/document/delete/",
    "image": "/admin/bulk/wagtailimages/image/delete/",
    "page": "/admin/bulk/wagtailcore/page/delete/",
}


@pytest.mark.parametrize(
    "kind, far", [("document", "far_document"), ("image", "far_photo"), ("page", "far_post")]
)
def test_a_bulk_action_naming_another_schools_item_is_not_found(teacher_client, world, kind, far):
    response = teacher_client.get(f"{BULK[kind]}?id={getattr(world, far).pk}")

    assert response.status_code == 404
    assert FAR not in shown(response)


@pytest.mark.parametrize("kind, own", [("document", "own_document"), ("image", "own_photo")])
def test_a_bulk_action_on_all_takes_only_the_users_own_items(teacher_client, world, kind, own):
    world.own_document.uploaded_by_user = world.teacher.user  # theirs to delete
    world.own_document.save()

    response = teacher_client.get(f"{BULK[kind]}?id=all")

    assert response.status_code == 200
    assert getattr(world, own).title in shown(response)
    assert FAR not in shown(response)


def test_a_page_bulk_action_on_all_below_another_schools_page_is_not_found(teacher_client, world):
    response = teacher_client.get(f"{BULK['page']}?id=all&childOf={world.far_page.pk}")

    assert response.status_code == 404
    assert FAR not in shown(response)


# --- The page chooser ----------------------------------------------------------------------


def test_the_page_chooser_opens_no_page_of_another_school(teacher_client, world):
    far_home = teacher_client.get(
        reverse("wagtailadmin_choose_page_child", args=[world.far_home.pk])
    )
    far_page = teacher_client.get(
        reverse("wagtailadmin_choose_page_child", args=[world.far_page.pk])
    )
    own = teacher_client.get(reverse("wagtailadmin_choose_page_child", args=[world.page.pk]))

    assert far_home.status_code == far_page.status_code == 404
    assert own.status_code == 200
    assert world.page.title in shown(own)


def test_the_page_chooser_starts_within_the_users_own_schools(teacher_client, world):
    start = teacher_client.get(reverse("wagtailadmin_choose_page"))
    # Only De Linde has a blog post: Wagtail would open at its group page.
    posts = teacher_client.get(
        reverse("wagtailadmin_choose_page"), {"page_type": "pages.blogpostpage"}
    )
    search = teacher_client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Uitje"})

    assert world.home.title in shown(start)
    for response in (start, posts, search):
        assert response.status_code == 200
        assert FAR not in shown(response)
        assert world.far_page.title not in shown(response)  # names no school


def test_the_page_chooser_names_no_chosen_page_of_another_school(teacher_client, world):
    chosen = reverse("wagtailadmin_choose_page_chosen_multiple")

    far = teacher_client.get(chosen, {"id": [world.far_post.pk]})
    own = teacher_client.get(chosen, {"id": [world.page.pk]})

    assert far.status_code == 404
    assert own.status_code == 200
    assert world.page.title in shown(own)


# --- Collections: drop-downs and uploads ---------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "wagtaildocs:add_multiple",
        "wagtaildocs:index",
        "wagtaildocs_chooser:choose",
        "wagtailimages:add_multiple",
        "wagtailimages:index",
    ],
)
def test_collection_drop_downs_offer_only_the_users_own_schools_collections(
    teacher_client, world, url
):
    response = teacher_client.get(reverse(url))

    assert response.status_code == 200
    assert FAR not in shown(response)


def test_the_document_upload_offers_the_schools_collection_and_its_group_collections(
    teacher_client, world
):
    response = teacher_client.get(reverse("wagtaildocs:add_multiple"))

    assert world.school.media.collection.name in shown(response)
    assert world.page.collection.name in shown(response)


def upload(client, collection, name="brief.pdf"):
    return client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile(name, b"%PDF-1.4 brief"), "collection": collection.pk},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )


def test_an_upload_into_another_schools_collection_is_refused(teacher_client, world):
    upload(teacher_client, world.far.media.collection, name="stiekem.pdf")
    upload(teacher_client, world.school.media.collection, name="brief.pdf")  # the control

    documents = get_document_model().objects
    assert not documents.filter(title="stiekem.pdf").exists()
    assert documents.get(title="brief.pdf").collection == world.school.media.collection


def test_no_staff_group_holds_collection_rights_on_the_root(world):
    root = Collection.get_first_root_node()
    staff_groups = [*ROLE_GROUP_NAMES.values(), world.school.media.staff.name]

    assert AuthGroup.objects.filter(name__in=staff_groups).count() == 4
    assert (
        not GroupCollectionPermission.objects.filter(group__name__in=staff_groups)
        .filter(collection=root)
        .exists()
    )
    assert not GroupCollectionPermission.objects.filter(
        group__name__in=ROLE_GROUP_NAMES.values()
    ).exists()


def test_each_school_has_its_collection_with_its_group_pages_collections_below_it(world):
    school_collection = world.school.media.collection

    assert school_collection.name == world.school.name
    assert world.page.collection.get_parent() == school_collection
    assert world.far_page.collection.get_parent() == world.far.media.collection
    assert not Collection.find_problems()[-1]  # numchild right everywhere


def test_the_school_staff_group_follows_who_works_there(world):
    newcomer = StaffMemberFactory(school=world.school)
    staff = world.school.media.staff
    assert newcomer.user in staff.user_set.all()
    assert world.teacher.user in staff.user_set.all()
    assert world.far_teacher.user not in staff.user_set.all()

    newcomer.school = world.far
    newcomer.save()

    assert newcomer.user not in staff.user_set.all()
    assert newcomer.user in world.far.media.staff.user_set.all()


def test_a_renamed_school_renames_its_collection(world):
    world.school.name = "Basisschool Het Nieuwe Anker"
    world.school.save()

    assert SchoolCollection.objects.get(school=world.school).collection.name == world.school.name


# --- Document downloads --------------------------------------------------------------------


def test_another_schools_document_is_not_served(teacher_client, client, world):
    refused = teacher_client.get(world.far_document.url)
    client.force_login(world.far_teacher.user)
    served = client.get(world.far_document.url)

    assert refused.status_code == 404
    assert served.status_code == 200


def test_an_orphan_is_served_only_to_its_uploaders_school(teacher_client, client, world):
    """A document of no mailing or group page, left in the root collection."""
    orphan = document("oud.pdf", title="Oud")
    orphan.uploaded_by_user = world.far_teacher.user
    orphan.save()

    refused = teacher_client.get(orphan.url)
    client.force_login(world.far_teacher.user)
    served = client.get(orphan.url)

    assert refused.status_code == 404
    assert served.status_code == 200


def test_a_parents_upload_of_a_deleted_draft_is_served_to_no_staff(teacher_client, client, world):
    parent = UserFactory()
    orphan = document("concept.pdf", title="Concept klassenouder")
    orphan.uploaded_by_user = parent
    orphan.save()

    client.force_login(world.far_teacher.user)
    assert teacher_client.get(orphan.url).status_code == 404
    assert client.get(orphan.url).status_code == 404


@pytest.fixture
def colleagues_group_file(world):
    """A file the colleague uploaded into their own group page's collection (group B)."""
    theirs = document("spreekbeurten.pdf", title="Rooster spreekbeurten groep 5b")
    theirs.uploaded_by_user = world.colleague.user
    return filed(theirs, world.colleague_page.collection)


def document_doors(client, item):
    """Whether each admin door that names or serves a document names or serves ``item``."""
    chooser = client.get(reverse("wagtaildocs_chooser:choose"))
    api_listing = client.get("/admin/api/main/documents/")
    return {
        "chooser": item.title in shown(chooser),
        "chosen": client.get(reverse("wagtaildocs_chooser:chosen", args=[item.pk])).status_code
        == 200,
        "api listing": item.title in shown(api_listing),
        "api detail": client.get(f"/admin/api/main/documents/{item.pk}/").status_code == 200,
        "download": client.get(item.url).status_code == 200,
    }


@pytest.mark.parametrize(
    "reader, sees",
    [("teacher", True), ("colleague", True), ("manager", True), ("far_teacher", False)],
)
def test_every_door_to_a_group_pages_file_agrees_it_is_the_schools(
    client, world, colleagues_group_file, reader, sees
):
    """Documents are per school (docs/security.md): the staff group chooses in the school's
    collection and the group collections below it, so a colleague's group file may go on a
    mailing or another group page. Chooser, admin API and download all say so from
    ``access.staff_documents``; one door narrower or wider than the others fails here.
    (The admin's document listing is narrower on purpose: it lists what the user may
    change, which for a teacher is their own groups' files and their own uploads.)"""
    client.force_login(getattr(world, reader).user)

    doors = document_doors(client, colleagues_group_file)

    assert doors == dict.fromkeys(doors, sees)


# --- Group page files (part 5) -------------------------------------------------------------


def group_page_form(page, documents):
    data = {
        "title": page.title,
        "intro": rich_text("Welkom in de groep!"),
        "files-TOTAL_FORMS": str(len(documents)),
        "files-INITIAL_FORMS": str(page.files.count()),
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "1000",
        "action-publish": "action-publish",
    }
    existing = list(page.files.order_by("sort_order"))
    for index, chosen in enumerate(documents):
        if index < len(existing):
            data[f"files-{index}-id"] = str(existing[index].pk)
        data[f"files-{index}-document"] = str(chosen.pk)
        data[f"files-{index}-description"] = ""
        data[f"files-{index}-ORDER"] = str(index + 1)
    return data


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_a_teacher_saves_their_page_with_a_file_nobody_uploaded_unchanged(teacher_client, world):
    """As the demo's group file before it had a school collection: no uploader, root."""
    kept = document("rooster-spreekbeurten.pdf", title="Rooster spreekbeurten")
    GroupPageFile.objects.create(page=world.page, document=kept)

    response = teacher_client.post(edit_url(world.page), group_page_form(world.page, [kept]))

    assert response.status_code == 302, response.context["form"].formsets["files"].errors
    assert list(
        GroupPage.objects.get(pk=world.page.pk).files.values_list("document", flat=True)
    ) == [kept.pk]


@pytest.mark.parametrize("uploader", ["colleague", "manager"])
def test_a_colleagues_or_the_managements_upload_is_a_valid_choice(teacher_client, world, uploader):
    theirs = document("weekbrief.pdf", title="Weekbrief")
    theirs.uploaded_by_user = getattr(world, uploader).user
    theirs.collection = (
        world.colleague_page.collection
        if uploader == "colleague"
        else (world.school.media.collection)
    )
    theirs.save()

    response = teacher_client.post(edit_url(world.page), group_page_form(world.page, [theirs]))

    assert response.status_code == 302
    assert world.page.files.filter(document=theirs).exists()


def test_another_schools_document_is_not_a_valid_choice(teacher_client, world):
    response = teacher_client.post(
        edit_url(world.page), group_page_form(world.page, [world.far_document])
    )

    assert response.status_code == 200
    assert not world.page.files.exists()


def test_a_teacher_saves_an_album_with_photos_nobody_uploaded_unchanged(teacher_client, world):
    """Photos put on the album by someone else (here: nobody, in the root collection)."""
    album = photo_album(world.page, title="Herfst", photos=2, sizes=False)
    photos = list(album.photos.order_by("sort_order"))
    data = {
        "title": album.title,
        "date": album.date.isoformat(),
        "description": "",
        "photos-TOTAL_FORMS": str(len(photos)),
        "photos-INITIAL_FORMS": str(len(photos)),
        "photos-MIN_NUM_FORMS": "1",
        "photos-MAX_NUM_FORMS": "1000",
        "action-publish": "action-publish",
    }
    for index, photo in enumerate(photos):
        data[f"photos-{index}-id"] = str(photo.pk)
        data[f"photos-{index}-image"] = str(photo.image_id)
        data[f"photos-{index}-caption"] = photo.caption
        data[f"photos-{index}-ORDER"] = str(index + 1)

    response = teacher_client.post(edit_url(album), data)

    assert response.status_code == 302
    assert album.photos.count() == 2


def test_a_demo_teacher_saves_the_demo_group_page_unchanged(client, demo_school):
    page = GroupPage.objects.filter(group__school=demo_school, files__isnull=False).first()
    teacher = page.group.teachers.exclude(user=None).first()
    files = [item.document for item in page.files.order_by("sort_order")]
    client.force_login(teacher.user)

    response = client.post(edit_url(page), group_page_form(page, files))

    assert response.status_code == 302
    assert [item.document for item in page.files.order_by("sort_order")] == files


def test_the_demo_puts_mailing_attachments_in_the_schools_collection(demo_school):
    from schoolportal.mailings.models import MailingAttachment

    attachments = MailingAttachment.objects.filter(mailing__school=demo_school)

    assert attachments.exists()
    assert {item.document.collection_id for item in attachments} == {
        demo_school.media.collection_id
    }


# --- Existing installations ------------------------------------------------------------------


def test_the_migration_gives_existing_schools_their_collections(world):
    """The state before: group collections at the root, role groups with document rights on
    the root, and a colleague's upload in the root."""
    migration = importlib.import_module("pages.migrations.0003_school_collections")
    root = Collection.get_first_root_node()
    for page in (world.page, world.far_page):
        page.collection.move(root, "sorted-child")
    for media in SchoolCollection.objects.select_related("collection", "staff"):
        media.staff.delete()
        Collection.objects.get(pk=media.collection.pk).delete()
    teachers = AuthGroup.objects.get(name=ROLE_GROUP_NAMES[StaffRole.TEACHER])
    GroupCollectionPermission.objects.create(
        group=teachers,
        collection=root,
        permission=Permission.objects.get(codename="add_document"),
    )
    uploaded = document("brief.pdf", title="Brief")
    uploaded.uploaded_by_user = world.colleague.user
    uploaded.save()

    migration.forwards(apps, None)

    media = SchoolCollection.objects.get(school=world.school)
    assert media.collection.name == world.school.name
    assert GroupPage.objects.get(pk=world.page.pk).collection.get_parent() == media.collection
    assert get_document_model().objects.get(pk=uploaded.pk).collection == media.collection
    assert set(media.staff.user_set.all()) >= {world.teacher.user, world.colleague.user}
    assert world.far_teacher.user not in media.staff.user_set.all()
    assert not teachers.collection_permissions.exists()
    assert not any(Collection.find_problems())


# --- Other doors the admin walker found ------------------------------------------------------


def test_the_move_confirmation_names_no_page_of_another_school(teacher_client, world):
    url = reverse("wagtailadmin_pages:move_confirm", args=[world.far_post.pk, world.far_page.pk])

    refused = teacher_client.get(url)
    teacher_client.force_login(UserFactory(is_superuser=True))
    allowed = teacher_client.get(url)

    assert refused.status_code == 404
    assert FAR not in shown(refused)
    assert allowed.status_code == 200  # the control: the page is there


def test_a_snippet_chosen_by_id_is_named_only_within_the_users_schools(client, world):
    far_group = world.far_page.group
    own_group = world.page.group
    url = reverse("wagtailsnippetchoosers_people_group:chosen_multiple")
    client.force_login(world.manager.user)

    response = client.get(url, {"id": [far_group.pk, own_group.pk]})

    assert response.status_code == 200
    assert own_group.name in shown(response)
    assert far_group.name not in shown(response)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/reports/locked/",
        "/admin/reports/locked/results/",
        "/admin/reports/workflow/",
        "/admin/reports/workflow_tasks/",
        "/admin/pages/usage/pages/grouppage/",
        "/admin/forms/",
    ],
)
def test_listings_that_filter_by_every_schools_users_or_sites_are_for_superusers_only(
    client, world, url
):
    client.force_login(world.manager.user)
    refused = client.get(url)
    client.force_login(UserFactory(is_superuser=True))
    allowed = client.get(url)

    assert refused.status_code == 404
    assert allowed.status_code == 200


# --- Tags ------------------------------------------------------------------------------------


@pytest.fixture
def tagged(world):
    world.own_photo.tags.add("Tagje Anker")
    world.far_photo.tags.add(f"Tagje {FAR}")
    world.far_document.tags.add(f"Documenttag {FAR}")
    return world


@pytest.mark.parametrize("url", ["/admin/images/", "/admin/images/chooser/", "/admin/documents/"])
def test_tag_filters_offer_only_tags_of_the_users_own_schools(teacher_client, tagged, url):
    response = teacher_client.get(url)

    assert response.status_code == 200
    assert FAR not in shown(response)
    if "images" in url:
        assert "Tagje Anker" in shown(response)  # the control: the filter is there


@pytest.mark.parametrize("url", ["/admin/tag-autocomplete/", "/admin/tag-autocomplete/taggit/tag/"])
def test_tag_autocomplete_completes_only_tags_of_the_users_own_schools(teacher_client, tagged, url):
    photos = teacher_client.get(url, {"term": "Tagje"})
    documents = teacher_client.get(url, {"term": "Documenttag"})

    assert photos.json() == ["Tagje Anker"]
    assert documents.json() == []
