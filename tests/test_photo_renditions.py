"""Issue 13: a web request never decodes a full image; the task worker resizes photos.

Parents' views only read existing sizes. A missing size is asked of the worker once, however
many parents look, and shown as a placeholder meanwhile. Saving an image asks the worker
for the admin's thumbnails. Uploads above 50 million pixels are refused.
"""

from io import BytesIO
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form

from pages.models import AlbumPhoto
from pages.tasks import ADMIN_SIZES, make_admin_renditions, make_album_renditions
from tests.factories import GroupFactory, PupilFactory, group_page, image, parent_of, photo_album

pytestmark = pytest.mark.django_db

Image = get_image_model()
Rendition = Image.get_rendition_model()
PENDING = static("img/photo-pending.svg")


@pytest.fixture
def group():
    return GroupFactory(name="Groep 4")


@pytest.fixture
def parents(client, group):
    """Logged-in clients of two parents of the group."""
    from django.test import Client

    clients = []
    for name in ("Lotte", "Sem"):
        guardian = parent_of(PupilFactory(group=group, school=group.school, first_name=name))
        parent_client = Client()
        parent_client.force_login(guardian.user)
        clients.append(parent_client)
    return clients


@pytest.fixture
def new_album(group):
    """A live album whose sizes have not been made yet (just published, or a photo added)."""
    return photo_album(group_page(group), title="Schoolreis", photos=2, sizes=False)


@pytest.fixture
def queued():
    """What was handed to django-q2 (instead of running it)."""
    with mock.patch("schoolportal.notifications.queue.async_task") as async_task:
        yield async_task


def url(name, obj):
    return reverse(f"grouppages:{name}", args=[obj.pk])


def test_a_missing_size_is_asked_of_the_worker_once_and_never_made_in_the_request(
    parents, new_album, queued, committed
):
    photo = new_album.photos.first()

    with committed():
        answers = [
            client.get(url(name, photo)) for client in parents for name in ("thumbnail", "photo")
        ]

    assert not Rendition.objects.exists()
    assert [call.args[:2] for call in queued.call_args_list] == [
        ("pages.tasks.make_album_renditions", new_album.pk)
    ]
    for answer in answers:
        assert answer.status_code == 302
        assert answer["Location"] == PENDING
        assert answer["Cache-Control"] == "no-store"  # the photo itself next time


def test_the_album_shows_placeholders_until_the_worker_made_the_thumbnails(
    parents, new_album, queued, committed
):
    parent = parents[0]
    photos = list(new_album.photos.all())

    with committed():
        pending = parent.get(url("album", new_album)).content.decode()

    assert not Rendition.objects.exists()
    assert queued.call_count == 1
    assert pending.count(f'src="{PENDING}" alt="Foto wordt verwerkt"') == 2
    assert url("thumbnail", photos[0]) not in pending
    assert photos[0].caption in pending

    make_album_renditions(new_album.pk)  # what the worker does
    shown = parent.get(url("album", new_album)).content.decode()

    # Neither the page nor its body was kept with the placeholders.
    assert PENDING not in shown
    assert all(url("thumbnail", photo) in shown for photo in photos)
    assert f'alt="{photos[0].caption}"' in shown


def test_the_photo_page_shows_a_placeholder_until_the_large_size_is_made(
    parents, new_album, queued, committed
):
    parent = parents[0]
    photo = new_album.photos.first()

    with committed():
        pending = parent.get(url("photo_page", photo)).content.decode()

    assert 'alt="Foto wordt verwerkt"' in pending
    assert f'src="{url("photo", photo)}"' not in pending
    assert not Rendition.objects.exists()
    assert queued.call_count == 1

    make_album_renditions(new_album.pk)
    shown = parent.get(url("photo_page", photo)).content.decode()

    assert f'<img src="{url("photo", photo)}" alt="{photo.caption}">' in shown


def test_the_task_makes_every_size_and_the_views_serve_them(parents, new_album):
    make_album_renditions(new_album.pk)

    for photo in new_album.photos.select_related("image"):
        made = set(photo.image.renditions.values_list("filter_spec", flat=True))
        assert made == set(AlbumPhoto.SIZES.values())
    response = parents[0].get(url("thumbnail", new_album.photos.first()))
    data = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert PILImage.open(BytesIO(data)).format == "JPEG"


def test_a_photo_added_to_a_live_album_gets_its_sizes_when_the_album_is_republished(
    group, committed
):
    album = photo_album(group_page(group), title="Sportdag", photos=1)
    added = image("Sportdag nieuw")
    album.photos.add(AlbumPhoto(image=added, caption="De estafette"))

    with committed():
        album.save_revision().publish()

    assert added.renditions.count() == len(AlbumPhoto.SIZES)


def test_saving_an_image_asks_the_worker_for_the_admins_thumbnails_once(queued, committed):
    with committed():
        uploaded = image("Klassenfoto")
        uploaded.title = "Klassenfoto 2026"
        uploaded.save()  # saved again within the minute: asked once

    assert [call.args[:2] for call in queued.call_args_list] == [
        ("pages.tasks.make_admin_renditions", uploaded.pk)
    ]
    assert not uploaded.renditions.exists()

    make_admin_renditions(uploaded.pk)

    assert set(uploaded.renditions.values_list("filter_spec", flat=True)) == set(ADMIN_SIZES)


def png(width, height):
    """A one-bit PNG: millions of pixels in a few kilobytes, as in the issue."""
    buffer = BytesIO()
    PILImage.new("1", (width, height)).save(buffer, "PNG")
    return SimpleUploadedFile("groot.png", buffer.getvalue(), content_type="image/png")


def upload_form(file):
    form_class = get_image_form(Image)
    return form_class(data={"title": "Groot"}, files={"file": file})


def test_an_image_over_50_million_pixels_is_refused_by_wagtails_form_in_dutch():
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 50_000_000

    with translation.override("nl"):
        form = upload_form(png(10_001, 5_000))
        valid = form.is_valid()
        errors = form.errors["file"] if not valid else []

    assert not valid
    assert errors == [
        "Deze afbeelding bevat teveel pixels (50005000). Het maximum aantal toegestane pixels "
        "is 50000000. Snij de afbeelding bij of verlaag de resolutie en probeer het opnieuw."
    ]


def test_an_image_of_50_million_pixels_is_accepted():
    form = upload_form(png(10_000, 5_000))

    assert form.is_valid(), form.errors
    saved = form.save()
    assert (saved.width, saved.height) == (10_000, 5_000)
