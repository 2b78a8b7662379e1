"""Issue #22, a teacher's group-page content in the admin: a photo in a blog post, many photos
into an album at once, files on the group page; and what parents then see of them."""

import json
import re
from io import BytesIO
from types import SimpleNamespace
from unittest import mock

import pytest
from django.templatetags.static import static
from django.urls import reverse
from PIL import Image as PILImage

from pages.models import BlogPostPage, GroupPage, GroupPageFile, PhotoAlbumPage
from schoolportal.people.models import StaffRole
from tests.factories import (
    GroupFactory,
    GuardianFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    blog_post,
    image,
    parent_of,
    school_home,
)

pytestmark = pytest.mark.django_db

PENDING = static("img/photo-pending.svg")


@pytest.fixture
def world():
    """Juf Bakker's group 3a and meester Bas's 7b at one school, each with a child and its
    parent; the school's management; a second school with a group, its teacher and a parent;
    and a parent whose account is linked to no child."""
    school = SchoolFactory(name="Basisschool Het Anker")
    school_home(school)
    group = GroupFactory(school_year__school=school, name="Groep 3a")
    other_group = GroupFactory(school_year=group.school_year, school=school, name="Groep 7b")
    teacher = StaffMemberFactory(school=school, display_name="juf Bakker")
    other_teacher = StaffMemberFactory(school=school, display_name="meester Bas")
    group.teachers.add(teacher)
    other_group.teachers.add(other_teacher)
    elsewhere = SchoolFactory(name="Basisschool De Linde")
    school_home(elsewhere)
    far_group = GroupFactory(school_year__school=elsewhere, name="Groep 3a")
    far_teacher = StaffMemberFactory(school=elsewhere)
    far_group.teachers.add(far_teacher)
    return SimpleNamespace(
        school=school,
        group=group,
        page=GroupPage.objects.get(group=group),
        other_page=GroupPage.objects.get(group=other_group),
        far_page=GroupPage.objects.get(group=far_group),
        teacher=teacher,
        other_teacher=other_teacher,
        far_teacher=far_teacher,
        manager=StaffMemberFactory(school=school, role=StaffRole.MANAGEMENT),
        parent=parent_of(PupilFactory(group=group, first_name="Lotte")),
        other_parent=parent_of(PupilFactory(group=other_group)),
        far_parent=parent_of(PupilFactory(group=far_group)),
        unlinked_parent=GuardianFactory(),
    )


@pytest.fixture
def queued():
    """What was handed to django-q2 (instead of running it)."""
    with mock.patch("schoolportal.notifications.queue.async_task") as async_task:
        yield async_task


def add_url(model_name, parent):
    return reverse("wagtailadmin_pages:add", args=["pages", model_name, parent.pk])


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def portal_url(name, obj):
    return reverse(f"grouppages:{name}", args=[obj.pk])


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


def in_collection(photo, page):
    photo.collection = page.collection
    photo.save()
    return photo


def image_bytes(response):
    return b"".join(response.streaming_content)


# --- A photo in a blog post ---------------------------------------------------------------------


def post_form(photo=None, caption="", title="Op bezoek bij de bakker", publish=True):
    data = {
        "title": title,
        "date": "2026-10-05",
        "body": rich_text("We hebben brood gebakken."),
        "photo": str(photo.pk) if photo is not None else "",
        "photo_caption": caption,
    }
    if publish:
        data["action-publish"] = "action-publish"
    return data


def test_the_post_form_offers_one_photo_and_says_albums_are_for_many(client, world):
    client.force_login(world.teacher.user)

    html = client.get(add_url("blogpostpage", world.page)).content.decode()

    assert 'name="photo"' in html
    assert 'name="photo_caption"' in html
    assert "Voor veel foto&#x27;s: maak een fotoalbum." in html


def test_a_teacher_publishes_a_post_with_a_photo_parents_see_once_resized(client, world, committed):
    photo = in_collection(image("Bakker"), world.page)
    client.force_login(world.teacher.user)

    with committed():  # publishing asks the worker for the photo's size
        response = client.post(
            add_url("blogpostpage", world.page), post_form(photo, "Sem kneedt het deeg")
        )

    assert response.status_code == 302
    post = BlogPostPage.objects.get(title="Op bezoek bij de bakker")
    assert post.live and post.photo == photo
    assert photo.renditions.filter(filter_spec=BlogPostPage.PHOTO_SIZE).exists()
    client.force_login(world.parent.user)
    html = client.get(portal_url("post", post)).content.decode()
    served = client.get(portal_url("post_photo", post))
    assert f'src="{portal_url("post_photo", post)}" alt="Sem kneedt het deeg"' in html
    assert served.status_code == 200
    assert "private" in served["Cache-Control"]
    assert PILImage.open(BytesIO(image_bytes(served))).format == "JPEG"


def test_a_post_photo_not_resized_yet_is_a_placeholder_asked_of_the_worker_once(
    client, world, queued, committed
):
    photo = in_collection(image("Bakker"), world.page)
    post = blog_post(world.page)
    post.photo, post.photo_caption = photo, "Het deeg"
    post.save()
    client.force_login(world.parent.user)

    with committed():
        page = client.get(portal_url("post", post)).content.decode()
        again = client.get(portal_url("post", post)).content.decode()
        served = client.get(portal_url("post_photo", post))

    assert PENDING in page and PENDING in again
    assert portal_url("post_photo", post) not in page
    assert served.status_code == 302 and served["Location"] == PENDING
    assert served["Cache-Control"] == "no-store"
    asked = [call.args[:2] for call in queued.call_args_list if "post" in call.args[0]]
    assert asked == [("pages.tasks.make_post_renditions", post.pk)]
    assert not photo.renditions.exists()  # never made in a parent's request


def test_a_photo_needs_its_caption_to_be_published_and_a_draft_may_wait(client, world):
    photo = in_collection(image("Bakker"), world.page)
    client.force_login(world.teacher.user)

    refused = client.post(add_url("blogpostpage", world.page), post_form(photo, "  "))
    draft = client.post(
        add_url("blogpostpage", world.page), post_form(photo, title="Concept", publish=False)
    )

    assert refused.status_code == 200
    assert "Beschrijf wat er op de foto te zien is." in refused.content.decode()
    assert not BlogPostPage.objects.filter(title="Op bezoek bij de bakker").exists()
    assert draft.status_code == 302
    assert not BlogPostPage.objects.get(title="Concept").live


@pytest.mark.parametrize("page", ["other_page", "far_page"])
def test_a_photo_of_another_group_or_school_is_not_a_valid_choice(client, world, page):
    theirs = in_collection(image("Hun klassenfoto"), getattr(world, page))
    own = in_collection(image("Eigen klassenfoto"), world.page)
    client.force_login(world.teacher.user)

    refused = client.post(
        add_url("blogpostpage", world.page), post_form(theirs, "Foto", title="Geleend")
    )
    accepted = client.post(
        add_url("blogpostpage", world.page), post_form(own, "Foto", title="Eigen")
    )

    assert refused.status_code == 200  # the form again, with its error
    assert not BlogPostPage.objects.filter(title="Geleend").exists()
    assert accepted.status_code == 302  # the control
    assert BlogPostPage.objects.get(title="Eigen").photo == own


def test_a_teacher_saves_a_post_unchanged_whose_photo_a_colleague_chose(client, world):
    elsewhere_filed = image("Van de directie")  # in no group's collection
    post = blog_post(world.page)
    post.photo, post.photo_caption = elsewhere_filed, "De nieuwe speeltuin"
    post.save_revision().publish()
    client.force_login(world.teacher.user)

    data = post_form(elsewhere_filed, "De nieuwe speeltuin", title=post.title)
    response = client.post(edit_url(post), data)

    assert response.status_code == 302
    assert BlogPostPage.objects.get(pk=post.pk).photo == elsewhere_filed


@pytest.mark.parametrize(
    "who", ["other_parent", "far_parent", "unlinked_parent", "other_teacher", "far_teacher"]
)
def test_the_post_photo_is_not_found_by_whoever_may_not_read_the_post(client, world, who):
    photo = in_collection(image("Bakker"), world.page)
    post = blog_post(world.page)
    post.photo, post.photo_caption = photo, "Het deeg"
    post.save()
    photo.get_rendition(BlogPostPage.PHOTO_SIZE)
    person = getattr(world, who)
    client.force_login(person.user)

    answers = [client.get(portal_url(name, post)).status_code for name in ("post", "post_photo")]

    assert answers == [404, 404]
    client.force_login(world.parent.user)  # the control
    assert client.get(portal_url("post_photo", post)).status_code == 200


def test_a_post_without_a_photo_has_no_photo_to_serve(client, world):
    post = blog_post(world.page)
    client.force_login(world.parent.user)

    assert client.get(portal_url("post", post)).status_code == 200
    assert client.get(portal_url("post_photo", post)).status_code == 404


# --- Many photos into an album at once ----------------------------------------------------------


def jpeg(name, colour=(200, 120, 40)):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = BytesIO()
    PILImage.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def three_photos():
    return [
        jpeg("IMG_2031.jpg", (250, 0, 0)),
        jpeg("IMG_2032.jpg", (0, 250, 0)),
        jpeg("IMG_2033.jpg", (0, 0, 250)),
    ]


def album_form(uploads=(), rows=((None, "", ""),), title="Herfstwandeling", publish=True):
    """The album form as the admin posts it: ``rows`` are (id, image, caption); a new album
    shows one empty row."""
    data = {
        "title": title,
        "date": "2026-10-12",
        "description": "",
        "new_photos": list(uploads),
        "photos-TOTAL_FORMS": str(len(rows)),
        "photos-INITIAL_FORMS": str(sum(1 for row in rows if row[0])),
        "photos-MIN_NUM_FORMS": "1",
        "photos-MAX_NUM_FORMS": "1000",
    }
    for index, (pk, photo, caption) in enumerate(rows):
        data[f"photos-{index}-id"] = str(pk or "")
        data[f"photos-{index}-image"] = str(photo or "")
        data[f"photos-{index}-caption"] = caption
        data[f"photos-{index}-ORDER"] = str(index + 1)
    if publish:
        data["action-publish"] = "action-publish"
    return data


def shown_rows(response):
    """(image id, caption) of each photo row of the form the admin shows again."""
    formset = response.context["form"].formsets["photos"]
    return [(int(form["image"].value()), form["caption"].value()) for form in formset.forms]


def group_images(page):
    from wagtail.images import get_image_model

    return get_image_model().objects.filter(collection=page.collection).order_by("pk")


def test_the_album_form_uploads_many_photos_with_a_plain_input_asking_nothing_else(client, world):
    client.force_login(world.teacher.user)

    html = client.get(add_url("photoalbumpage", world.page)).content.decode()

    upload = next(tag for tag in html.split("<input") if 'name="new_photos"' in tag)
    assert 'type="file"' in upload and "multiple" in upload and 'accept="image/*"' in upload
    assert 'enctype="multipart/form-data"' in html
    assert "admin/js/album-upload.js" in html  # keeps the photos out of autosave
    assert 'name="collection"' not in html and 'name="tags"' not in html


def test_three_photos_uploaded_at_once_become_rows_to_caption_then_publish(client, world):
    client.force_login(world.teacher.user)
    url = add_url("photoalbumpage", world.page)

    uploaded = client.post(url, album_form(three_photos()))

    assert uploaded.status_code == 200  # the captions are still to write
    images = list(group_images(world.page))
    assert [image.title for image in images] == ["IMG_2031.jpg", "IMG_2032.jpg", "IMG_2033.jpg"]
    assert {image.uploaded_by_user for image in images} == {world.teacher.user}
    assert shown_rows(uploaded) == [(image.pk, "") for image in images]
    captions = ["De kastanjes", "Een paddenstoel", "Terug naar school"]
    rows = [(None, image.pk, caption) for image, caption in zip(images, captions, strict=True)]

    published = client.post(url, album_form(rows=rows))

    assert published.status_code == 302
    album = PhotoAlbumPage.objects.get(title="Herfstwandeling")
    assert album.live
    assert [(photo.image_id, photo.caption) for photo in album.photos.all()] == [
        (image.pk, caption) for image, caption in zip(images, captions, strict=True)
    ]
    assert group_images(world.page).count() == 3  # nothing uploaded twice


def test_saving_a_draft_keeps_the_uploaded_photos_as_rows_to_caption_later(client, world):
    client.force_login(world.teacher.user)

    response = client.post(
        add_url("photoalbumpage", world.page), album_form(three_photos(), publish=False)
    )

    assert response.status_code == 302
    album = PhotoAlbumPage.objects.get(title="Herfstwandeling")
    draft = album.get_latest_revision_as_object()
    assert not album.live
    assert [photo.image_id for photo in draft.photos.all()] == list(
        group_images(world.page).values_list("pk", flat=True)
    )
    assert {photo.caption for photo in draft.photos.all()} == {""}


def test_photos_added_to_an_album_come_after_its_photos(client, world):
    from tests.factories import photo_album

    album = photo_album(world.page, photos=1)
    kept = album.photos.get()
    client.force_login(world.teacher.user)

    response = client.post(
        edit_url(album),
        album_form(
            [jpeg("IMG_3001.jpg")], rows=[(kept.pk, kept.image_id, kept.caption)], title=album.title
        ),
    )

    assert response.status_code == 200
    new = group_images(world.page).get(title="IMG_3001.jpg")
    assert shown_rows(response) == [(kept.image_id, kept.caption), (new.pk, "")]


def test_a_bad_file_is_named_in_dutch_and_the_good_ones_are_kept(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.teacher.user)
    bad = SimpleUploadedFile("verslag.pdf", b"%PDF-1.4 geen foto", content_type="application/pdf")
    broken = SimpleUploadedFile("kapot.jpg", b"geen jpeg", content_type="image/jpeg")

    response = client.post(
        add_url("photoalbumpage", world.page),
        album_form([jpeg("IMG_1.jpg", (1, 2, 3)), bad, broken, jpeg("IMG_2.jpg", (3, 2, 1))]),
    )

    errors = response.context["form"].errors["new_photos"]
    assert [error.split(":")[0] for error in errors] == [
        "verslag.pdf is niet toegevoegd",
        "kapot.jpg is niet toegevoegd",
    ]
    assert all("Upload een geldige afbeelding." in error for error in errors)  # Wagtail's
    assert list(group_images(world.page).values_list("title", flat=True)) == [
        "IMG_1.jpg",
        "IMG_2.jpg",
    ]
    assert [image for image, _ in shown_rows(response)] == list(
        group_images(world.page).values_list("pk", flat=True)
    )


def test_the_same_photos_sent_twice_are_stored_once(client, world):
    client.force_login(world.teacher.user)
    url = add_url("photoalbumpage", world.page)

    first = client.post(url, album_form(three_photos()))
    again = client.post(url, album_form(three_photos(), rows=[(None, "", "")] * 2))

    assert group_images(world.page).count() == 3
    assert shown_rows(again) == shown_rows(first)


def test_an_album_saved_without_new_photos_has_no_upload_among_its_changes(world):
    from django.utils.datastructures import MultiValueDict

    from tests.factories import photo_album

    album = photo_album(world.page, photos=1)
    kept = album.photos.get()
    form_class = PhotoAlbumPage.get_edit_handler().get_form_class()
    data = album_form(rows=[(kept.pk, kept.image_id, kept.caption)], title=album.title)

    form = form_class(data, MultiValueDict(), instance=album, for_user=world.teacher.user)

    assert form.is_valid(), form.errors
    assert "new_photos" not in form.changed_data  # Wagtail logs what changed


@pytest.mark.parametrize("who", ["other_teacher", "far_teacher"])
def test_a_teacher_of_another_group_or_school_uploads_nothing_into_the_album(client, world, who):
    from wagtail.images import get_image_model

    from tests.factories import photo_album

    album = photo_album(world.page, photos=1)
    kept = album.photos.get()
    before = get_image_model().objects.count()
    client.force_login(getattr(world, who).user)

    response = client.post(
        edit_url(album),
        album_form([jpeg("IMG_9.jpg")], rows=[(kept.pk, kept.image_id, kept.caption)]),
    )

    assert response.status_code in (302, 403)
    assert get_image_model().objects.count() == before
    assert album.photos.count() == 1


def test_the_consent_list_beside_the_photos_counts_only_the_children_without_consent(client, world):
    PupilFactory(group=world.group, first_name="Fenna", photo_consent_group_page=True)
    PupilFactory(group=world.group, first_name="Sem", photo_consent_group_page=False)
    PupilFactory(group=world.other_page.group, first_name="Noor", photo_consent_group_page=False)
    client.force_login(world.teacher.user)

    html = client.get(add_url("photoalbumpage", world.page)).content.decode()

    assert "2 leerlingen zonder toestemming voor foto's" in html
    # The list (the photo rows offer every child of the group to tag, Fenna too).
    listed = html.split("2 leerlingen zonder toestemming voor foto's")[1].split("</ul>")[0]
    assert "Lotte" in listed and "Sem" in listed  # Lotte: no consent given (the default)
    assert "Fenna" not in listed
    assert "Noor" not in html  # another group's child: not listed, not offered
    upload, rows = html.index('name="new_photos"'), html.index('name="photos-TOTAL_FORMS"')
    assert upload < html.index("zonder toestemming") < rows


# --- Files on the group page --------------------------------------------------------------------

CHOOSE_DOCUMENT = reverse("wagtaildocs_chooser:choose")
UPLOAD_DOCUMENT = reverse("wagtaildocs_chooser:create")


def document_upload(title, name="wk12_def(2).pdf", **fields):
    """The chooser's upload tab as the group page's file row posts it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        "document-chooser-upload-title": title,
        "document-chooser-upload-file": SimpleUploadedFile(name, b"%PDF-1.4 planning"),
        **{f"document-chooser-upload-{key}": value for key, value in fields.items()},
    }


def test_the_file_upload_for_the_group_page_asks_no_collection(client, world):
    client.force_login(world.teacher.user)

    html = client.get(CHOOSE_DOCUMENT).json()["html"]

    collection = next(
        tag for tag in html.split("<") if 'name="document-chooser-upload-collection"' in tag
    )
    assert 'type="hidden"' in collection
    assert f'value="{world.school.media.collection.pk}"' in collection
    assert not re.search(r'<select[^>]*name="document-chooser-upload-collection"', html)
    assert "Ouders zien deze naam, niet de naam van het bestand." in html


def test_an_uploaded_file_goes_into_the_schools_collection_and_parents_read_its_title(
    client, world
):
    from wagtail.documents import get_document_model

    client.force_login(world.teacher.user)
    response = client.post(UPLOAD_DOCUMENT, document_upload("Weekplanning groep 3"))
    document = get_document_model().objects.get(title="Weekplanning groep 3")
    group_file = GroupPageFile.objects.create(page=world.page, document=document)

    client.force_login(world.parent.user)
    page = client.get(portal_url("group", world.page)).content.decode()
    download = client.get(portal_url("file", group_file))

    assert response.status_code == 200 and response.json()["step"] == "chosen"
    assert document.collection == world.school.media.collection
    assert document.uploaded_by_user == world.teacher.user
    assert "Weekplanning groep 3" in page and "wk12_def" not in page
    assert download["Content-Disposition"] == 'attachment; filename="Weekplanning groep 3.pdf"'
    assert b"".join(download.streaming_content) == b"%PDF-1.4 planning"


def test_an_upload_sent_without_a_collection_goes_into_the_schools(client, world):
    from wagtail.documents import get_document_model

    client.force_login(world.teacher.user)
    data = document_upload("Brief")  # no collection at all, as a script might send it

    client.post(UPLOAD_DOCUMENT, data)

    document = get_document_model().objects.get(title="Brief")
    assert document.collection == world.school.media.collection


def test_an_upload_into_another_schools_collection_is_still_refused(client, world):
    from wagtail.documents import get_document_model

    client.force_login(world.teacher.user)
    far_collection = world.far_page.collection.get_parent()

    response = client.post(
        UPLOAD_DOCUMENT, document_upload("Stiekem", collection=str(far_collection.pk))
    )

    assert response.status_code == 200 and response.json()["step"] != "chosen"
    assert not get_document_model().objects.filter(title="Stiekem").exists()


@pytest.mark.parametrize(
    "title, name", [("Brief: ouders/verzorgers", "brief.docx"), ("x.PDF", "x.pdf")]
)
def test_the_download_is_named_after_the_title_with_the_files_extension(client, world, title, name):
    from tests.factories import document

    group_file = GroupPageFile.objects.create(page=world.page, document=document(name, title=title))
    client.force_login(world.parent.user)

    response = client.get(portal_url("file", group_file))

    expected = {"brief.docx": "Brief  ouders verzorgers.docx", "x.pdf": "x.PDF"}[name]
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'


@pytest.mark.parametrize("who", ["other_parent", "far_parent", "unlinked_parent", "far_teacher"])
def test_a_group_file_is_not_found_by_whoever_may_not_open_the_page(client, world, who):
    from tests.factories import group_file

    on_page = group_file(world.page)
    client.force_login(getattr(world, who).user)

    assert client.get(portal_url("file", on_page)).status_code == 404
