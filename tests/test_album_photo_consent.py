"""Issue 19 (third part): photo consent per album photo.

A teacher tags the children on an album photo. A photo showing a child whose guardians did
not consent to photos on the group page is shown only to that child's own guardians and the
group page's editors; other parents see nothing of it (not in the album, its count, its
cover or its paging, and every size answers 404). A withdrawal counts at once, also where
a page or a size was seen before; giving consent again shows the photo again.
"""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pages.models import AlbumPhoto, GroupPage
from schoolportal.parentviews.caching import bump_version
from schoolportal.people.models import StaffRole
from tests.factories import (
    GroupFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    parent_of,
    photo_album,
    school_home,
)
from tests.test_consent import admin_pupil_input

pytestmark = pytest.mark.django_db

# The view serving each size of ``AlbumPhoto.SIZES``, and the photo's own page.
SIZE_VIEWS = {"large": "photo", "thumbnail": "thumbnail"}
PHOTO_VIEWS = ("photo_page", *SIZE_VIEWS.values())


def url(name, obj):
    return reverse(f"grouppages:{name}", args=[obj.pk])


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def tag(photo, *pupils):
    photo.pupils.set(pupils)
    photo.save()


@pytest.fixture
def world():
    """Groep 3 with Lotte (consent, parent Marieke), Sem (no consent, parent Ilse) and Fenna
    (consent, parent Joost); an album whose first photo shows Sem, second Lotte and Fenna,
    third nobody; the group's teacher, the school's management, a teacher of another group."""
    school = SchoolFactory(name="Basisschool Het Anker")
    school_home(school)
    group = GroupFactory(school_year__school=school, name="Groep 3a")
    other_group = GroupFactory(school_year=group.school_year, school=school, name="Groep 7b")
    teacher = StaffMemberFactory(school=school, display_name="juf Anna")
    group.teachers.add(teacher)
    other_teacher = StaffMemberFactory(school=school, display_name="meester Bas")
    other_group.teachers.add(other_teacher)
    lotte = PupilFactory(group=group, first_name="Lotte", photo_consent_group_page=True)
    sem = PupilFactory(group=group, first_name="Sem", last_name="Bakker")
    fenna = PupilFactory(group=group, first_name="Fenna", photo_consent_group_page=True)
    page = GroupPage.objects.get(group=group)
    album = photo_album(page, title="Kinderboerderij", photos=3)
    first, second, third = album.photos.all()
    tag(first, sem)
    tag(second, lotte, fenna)
    return SimpleNamespace(
        school=school,
        group=group,
        other_group=other_group,
        page=page,
        album=album,
        hidden=first,
        shown=second,
        untagged=third,
        lotte=lotte,
        sem=sem,
        fenna=fenna,
        marieke=parent_of(lotte, first_name="Marieke"),
        ilse=parent_of(sem, first_name="Ilse"),
        joost=parent_of(fenna, first_name="Joost"),
        teacher=teacher,
        other_teacher=other_teacher,
        manager=StaffMemberFactory(school=school, role=StaffRole.MANAGEMENT),
    )


def album_html(client, world):
    response = client.get(url("album", world.album))
    assert response.status_code == 200
    return response.content.decode().split("<main")[1]


def shows(client, world, photo):
    """Whether the album shows ``photo`` and each of its views answers (200) or not (404)."""
    html = album_html(client, world)
    statuses = {client.get(url(name, photo)).status_code for name in PHOTO_VIEWS}
    listed = url("photo_page", photo) in html or photo.caption in html
    if listed:
        assert statuses == {200}, statuses
    else:
        assert statuses == {404}, statuses
    return listed


# --- Who sees the photo -------------------------------------------------------------------------


def test_a_photo_of_a_child_without_consent_is_hidden_from_other_parents(world):
    marieke = client_of(world.marieke.user)

    assert not shows(marieke, world, world.hidden)
    assert shows(marieke, world, world.shown)
    assert shows(marieke, world, world.untagged)


def test_the_childs_own_guardians_see_the_photo(world):
    ilse = client_of(world.ilse.user)

    assert shows(ilse, world, world.hidden)
    assert shows(ilse, world, world.shown)


@pytest.mark.parametrize("who", ["teacher", "manager"])
def test_the_groups_staff_see_the_photo(world, who):
    staff = client_of(getattr(world, who).user)

    assert shows(staff, world, world.hidden)


def test_a_teacher_of_another_group_reads_none_of_it(world):
    other = client_of(world.other_teacher.user)

    assert other.get(url("album", world.album)).status_code == 404
    assert {other.get(url(name, world.hidden)).status_code for name in PHOTO_VIEWS} == {404}


def test_a_parent_who_opens_the_album_after_the_childs_parent_is_not_shown_their_photos(world):
    """The album's body is kept for parents who see the same photos, never for others."""
    ilse, marieke = client_of(world.ilse.user), client_of(world.marieke.user)
    for client in (ilse, marieke):
        client.get(url("group", world.page))

    assert world.hidden.caption in album_html(ilse, world)
    assert world.hidden.caption not in album_html(marieke, world)
    group_page = marieke.get(url("group", world.page)).content.decode()
    assert "2 foto&#x27;s" in group_page or "2 foto's" in group_page


def test_other_parents_learn_nothing_of_the_hidden_photo(world):
    marieke, ilse = client_of(world.marieke.user), client_of(world.ilse.user)

    group_page = marieke.get(url("group", world.page)).content.decode()
    own_group_page = ilse.get(url("group", world.page)).content.decode()
    photo_page = marieke.get(url("photo_page", world.shown)).content.decode()
    album = album_html(marieke, world)

    # The count and the cover are of the photos shown: the hidden one is the album's first.
    assert "2 foto" in group_page and "3 foto" not in group_page
    assert url("thumbnail", world.shown) in group_page
    assert url("thumbnail", world.hidden) not in group_page
    assert "3 foto" in own_group_page and url("thumbnail", world.hidden) in own_group_page
    # Paged among the photos shown: the first one shown has no previous one.
    assert "Foto 1 van 2" in photo_page and 'rel="prev"' not in photo_page
    for text in (group_page, photo_page, album):
        assert "Sem" not in text
        assert "verborgen" not in text.lower() and "toestemming" not in text.lower()


def test_an_album_whose_every_photo_is_hidden_is_not_listed_for_other_parents(world):
    for photo in (world.shown, world.untagged):
        tag(photo, world.sem)
    bump_version()

    marieke = client_of(world.marieke.user).get(url("group", world.page)).content.decode()
    ilse = client_of(world.ilse.user).get(url("group", world.page)).content.decode()

    assert url("album", world.album) not in marieke
    assert url("album", world.album) in ilse


# --- Withdrawing and giving consent ------------------------------------------------------------


def withdraw_in_portal(world, pupil, guardian, given=False):
    response = client_of(guardian.user).post(
        reverse("portal:child_edit", args=[pupil.pk, "toestemming"]),
        {"photo_consent_group_page": "on"} if given else {},
    )
    assert response.status_code == 302


def withdraw_in_admin(world, pupil, given=False):
    response = client_of(world.manager.user).post(
        reverse("wagtailsnippets_people_pupil:edit", args=[pupil.pk]),
        admin_pupil_input(pupil, photo_consent_group_page=given),
    )
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize("where", ["portal", "admin"])
def test_a_withdrawn_consent_hides_the_photo_at_once_in_every_size(world, where):
    assert set(SIZE_VIEWS) == set(AlbumPhoto.SIZES)  # every size is asked below
    marieke = client_of(world.marieke.user)
    # Seen before (the pages kept, the sizes made): the group page, the album, every size.
    assert url("thumbnail", world.shown) in marieke.get(url("group", world.page)).content.decode()
    assert shows(marieke, world, world.shown)

    if where == "portal":
        withdraw_in_portal(world, world.fenna, world.joost)
    else:
        withdraw_in_admin(world, world.fenna)

    assert not shows(marieke, world, world.shown)
    group_page = marieke.get(url("group", world.page)).content.decode()
    assert "1 foto" in group_page and url("thumbnail", world.shown) not in group_page
    # Fenna's own parent and the teacher still see it.
    assert shows(client_of(world.joost.user), world, world.shown)
    assert shows(client_of(world.teacher.user), world, world.shown)


@pytest.mark.parametrize("where", ["portal", "admin"])
def test_giving_consent_again_shows_the_photo_again(world, where):
    marieke = client_of(world.marieke.user)
    assert not shows(marieke, world, world.hidden)

    if where == "portal":
        withdraw_in_portal(world, world.sem, world.ilse, given=True)
    else:
        withdraw_in_admin(world, world.sem, given=True)

    assert shows(marieke, world, world.hidden)
    assert "3 foto" in marieke.get(url("group", world.page)).content.decode()


def test_a_parent_with_a_child_on_a_hidden_photo_of_another_child_does_not_see_it(world):
    """Own consent does not open a photo on which another child without consent is."""
    tag(world.hidden, world.sem, world.lotte)
    bump_version()

    assert not shows(client_of(world.marieke.user), world, world.hidden)
    assert shows(client_of(world.ilse.user), world, world.hidden)


# --- Query counts -------------------------------------------------------------------------------


def _queries(client, path):
    bump_version()  # a rendered page, not the cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_album_and_group_page_queries_do_not_grow_with_photos_and_tags(world):
    marieke = client_of(world.marieke.user)
    small = photo_album(world.page, title="Klein", photos=1)
    large = photo_album(world.page, title="Groot", photos=12)
    children = [PupilFactory(group=world.group, first_name=f"Kind {n}") for n in range(8)]
    for number, photo in enumerate(large.photos.all()):
        tag(photo, world.lotte, world.fenna, *children[number % 4 : number % 4 + 3])
    marieke.get(url("album", small))  # warm up the session

    small_album = _queries(marieke, url("album", small))
    large_album = _queries(marieke, url("album", large))
    group_page = _queries(marieke, url("group", world.page))
    photo_album(world.page, title="Nog een", photos=6)
    group_page_more = _queries(marieke, url("group", world.page))

    assert large_album == small_album
    assert group_page_more == group_page
    # The children without consent hide every photo of the large album from Marieke.
    assert url("album", large) not in marieke.get(url("group", world.page)).content.decode()


# --- The album editor ---------------------------------------------------------------------------


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def album_post(album, photos, **changes):
    """The album's edit form as posted, with ``photos`` a list of (photo, [pupils])."""
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
    for index, (photo, pupils) in enumerate(photos):
        data.update(
            {
                f"photos-{index}-id": str(photo.pk),
                f"photos-{index}-image": str(photo.image_id),
                f"photos-{index}-caption": photo.caption,
                f"photos-{index}-ORDER": str(index + 1),
                f"photos-{index}-pupils": [str(pupil.pk) for pupil in pupils],
            }
        )
    data.update(changes)
    return data


def test_the_album_editor_warns_per_photo_naming_the_tagged_children_without_consent(world):
    teacher = client_of(world.teacher.user)

    html = teacher.get(edit_url(world.album)).content.decode()

    warnings = html.split("help-block help-warning")[1:]
    assert warnings, "no warning"
    summary = warnings[0].split("</div>")[0]
    assert "1 foto is niet te zien voor andere ouders" in summary
    assert f"{world.hidden.caption}: Sem Bakker" in summary
    rows = [warning.split("</div>")[0] for warning in warnings[1:]]
    assert len(rows) == 1 and "Sem Bakker" in rows[0]
    assert "Andere ouders zien deze foto niet" in rows[0]
    assert "Lotte" not in rows[0] and "Fenna" not in rows[0]


def test_the_editor_offers_the_groups_children_only(world):
    noor = PupilFactory(group=world.other_group, first_name="Noor")
    teacher = client_of(world.teacher.user)

    html = teacher.get(edit_url(world.album)).content.decode()
    refused = teacher.post(edit_url(world.album), album_post(world.album, [(world.hidden, [noor])]))

    assert "Op de foto" in html
    for child in ("Lotte", "Sem", "Fenna"):
        assert child in html
    assert "Noor" not in html
    assert refused.status_code == 200  # the form again, with its error
    assert list(AlbumPhoto.objects.get(pk=world.hidden.pk).pupils.all()) == [world.sem]


def test_a_teacher_tags_a_child_and_publishing_hides_the_photo_from_other_parents(world):
    teacher = client_of(world.teacher.user)
    photos = [(world.hidden, [world.sem]), (world.shown, []), (world.untagged, [world.sem])]

    response = teacher.post(edit_url(world.album), album_post(world.album, photos))

    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(AlbumPhoto.objects.get(pk=world.untagged.pk).pupils.all()) == [world.sem]
    marieke = client_of(world.marieke.user)
    assert not shows(marieke, world, world.untagged)
    assert shows(marieke, world, world.shown)  # its tags taken off


def test_a_child_who_moved_to_another_group_stays_tagged_when_the_album_is_saved(world):
    world.sem.group = world.other_group
    world.sem.save()
    teacher = client_of(world.teacher.user)

    html = teacher.get(edit_url(world.album)).content.decode()
    photos = [(world.hidden, [world.sem]), (world.shown, []), (world.untagged, [])]
    response = teacher.post(edit_url(world.album), album_post(world.album, photos))

    assert "Sem Bakker" in html
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(AlbumPhoto.objects.get(pk=world.hidden.pk).pupils.all()) == [world.sem]


def test_a_drafts_tags_wait_for_publication_and_its_preview_marks_the_hidden_photos(world):
    teacher = client_of(world.teacher.user)
    photos = [(world.hidden, []), (world.shown, []), (world.untagged, [world.sem])]
    data = album_post(world.album, photos)
    del data["action-publish"]

    saved = teacher.post(edit_url(world.album), data)
    preview = teacher.get(reverse("wagtailadmin_pages:view_draft", args=[world.album.pk]))

    assert saved.status_code == 302, saved.content.decode()[:3000]
    html = preview.content.decode()
    assert html.count("Andere ouders zien deze foto niet") == 1
    assert "Sem Bakker" in html
    # Parents still see the published album: its first photo hidden, its last one shown.
    marieke = client_of(world.marieke.user)
    assert not shows(marieke, world, world.hidden)
    assert shows(marieke, world, world.untagged)
