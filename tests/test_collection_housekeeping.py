"""Rights and media that outlive what they were for (issue #13).

Wagtail's default groups hold rights on the root page and collection, which reach every
school; a deleted school's staff group, collection, photos and files must not stay behind.
"""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from pages.models import GroupPage, SchoolCollection
from pages.provisioning import WAGTAIL_DEFAULT_GROUPS
from tests.factories import (
    GroupFactory,
    MailingAttachmentFactory,
    SchoolFactory,
    StaffMemberFactory,
    UserFactory,
    document,
    image,
    photo_album,
    school_home,
)

pytestmark = pytest.mark.django_db


def filed(item, collection):
    item.collection = collection
    item.save()
    return item


def root_rights(group):
    """A Wagtail default group with what Wagtail's migrations gave it on the root."""
    root_collection = Collection.get_first_root_node()
    for codename in ("add_document", "change_document", "add_image", "choose_image"):
        GroupCollectionPermission.objects.create(
            group=group,
            collection=root_collection,
            permission=Permission.objects.get(codename=codename),
        )
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=Page.get_first_root_node(),
            permission=Permission.objects.get(codename=codename),
        )
    return group


def rights_on_the_root(group):
    return (
        GroupCollectionPermission.objects.filter(group=group, collection__depth=1).exists()
        or GroupPagePermission.objects.filter(group=group, page__depth=1).exists()
    )


# --- Wagtail's default groups ----------------------------------------------------------------


def test_a_migrated_database_has_no_empty_wagtail_default_groups():
    """Wagtail's first migrations make them; the test database is made by migrating."""
    assert not AuthGroup.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS).exists()


def test_the_migration_deletes_the_empty_default_groups_and_strips_a_used_one():
    migration = importlib.import_module("pages.migrations.0004_retire_wagtail_default_groups")
    editors = root_rights(AuthGroup.objects.create(name="Editors"))
    moderators = root_rights(AuthGroup.objects.create(name="Moderators"))
    member = UserFactory()
    moderators.user_set.add(member)
    school = SchoolFactory()
    below_root = GroupCollectionPermission.objects.create(
        group=moderators,
        collection=school.media.collection,
        permission=Permission.objects.get(codename="choose_document"),
    )

    migration.forwards(apps, None)

    assert not AuthGroup.objects.filter(pk=editors.pk).exists()
    assert list(moderators.user_set.all()) == [member]  # kept: somebody is in it
    assert not rights_on_the_root(moderators)
    assert GroupCollectionPermission.objects.filter(pk=below_root.pk).exists()


def test_every_migrate_takes_root_rights_from_a_default_group_again():
    """As a later Wagtail migration might grant them to a group an installation kept."""
    moderators = root_rights(AuthGroup.objects.create(name="Moderators"))
    moderators.user_set.add(UserFactory())
    other = root_rights(AuthGroup.objects.create(name="Bestuur"))

    call_command("migrate", verbosity=0)

    assert not rights_on_the_root(moderators)
    assert rights_on_the_root(other)  # a group the installation made itself is its business


# --- A deleted school --------------------------------------------------------------------------


def test_a_deleted_school_takes_its_staff_group_collections_photos_and_files_along():
    school = SchoolFactory(name="Basisschool De Wilg")
    staff_member = StaffMemberFactory(school=school)
    media = SchoolCollection.objects.get(school=school)
    staff_group, collection = media.staff, media.collection
    below = collection.add_child(name="Groep 4 2025-2026")
    photos = [filed(image("Schoolreis"), collection), filed(image("Klas"), below)]
    letter = filed(document("klassenlijst.pdf"), below)
    files = [Path(item.file.path) for item in [*photos, letter]]
    other = SchoolFactory()
    kept = filed(image("Andere school"), other.media.collection)

    school.delete()

    assert not AuthGroup.objects.filter(pk=staff_group.pk).exists()
    assert staff_member.user.groups.filter(pk=staff_group.pk).count() == 0
    assert not Collection.objects.filter(pk__in=[collection.pk, below.pk]).exists()
    assert not get_image_model().objects.filter(pk__in=[photo.pk for photo in photos]).exists()
    assert not get_document_model().objects.filter(pk=letter.pk).exists()
    assert get_image_model().objects.filter(pk=kept.pk).exists()
    assert SchoolCollection.objects.filter(school=other).exists()
    assert not any(Collection.find_problems())
    assert all(path.exists() for path in files)  # removed by Wagtail after the commit


def test_files_of_a_deleted_school_go_after_the_commit(committed):
    school = SchoolFactory()
    photo = filed(image("Sportdag"), school.media.collection)
    path = Path(photo.file.path)

    with committed():
        school.delete()

    assert not path.exists()


def test_album_photos_go_with_their_school_also_when_the_site_went_first():
    """The home page and groups protect a school, so they go first: deleting the
    home page deletes the group pages through the tree, and then a deleted group finds no
    page whose photos to delete."""
    school = SchoolFactory()
    home = school_home(school)
    group = GroupFactory(school_year__school=school)
    page = GroupPage.objects.get(group=group)
    album = photo_album(page, photos=2)
    photo_ids = list(album.photos.values_list("image_id", flat=True))
    get_image_model().objects.filter(pk__in=photo_ids).update(collection=page.collection)

    home.delete()
    group.delete()  # its school year protects the school from a cascade
    school.delete()

    assert not get_image_model().objects.filter(pk__in=photo_ids).exists()
    assert not any(Collection.find_problems())


def test_a_file_another_school_still_uses_moves_to_that_school():
    """A colleague at both schools chose it for the other school's mailing."""
    school = SchoolFactory()
    other = SchoolFactory()
    shared = filed(document("schoolgids.pdf"), school.media.collection)
    MailingAttachmentFactory(mailing__school=other, document=shared)

    school.delete()

    shared.refresh_from_db()
    assert shared.collection == other.media.collection


@pytest.mark.parametrize("how", ["with its home page", "with its group"])
def test_a_deleted_group_page_takes_its_editors_group_along(how):
    school = SchoolFactory()
    home = school_home(school)
    group = GroupFactory(school_year__school=school)
    teacher = StaffMemberFactory(school=school)
    group.teachers.add(teacher)
    editors = GroupPage.objects.get(group=group).editors
    assert teacher.user.groups.filter(pk=editors.pk).exists()

    (home if how == "with its home page" else group).delete()

    assert not AuthGroup.objects.filter(pk=editors.pk).exists()
