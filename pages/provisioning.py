"""Every school gets its collection and staff group; every group a page, and whoever
teaches the group the right to edit it.

Wagtail grants page rights to Django groups. Each group page has its own editors' group
holding add, change, publish, lock and unlock on the page's subtree, and add, change,
delete and choose on the page's own collection of photos and files (so a teacher's image
chooser shows their group's photos only). Its members are always ``access.group_page_editors``: the
group's teachers and the school's management and administration; they follow teaching
assignments and staff roles as these change.

Wagtail's collection rights are inherited downwards, so nobody holds any on the root
collection: each school's staff group may add and choose documents in the school's own
collection (``SchoolCollection``), and the group pages' collections sit below it. That is
what keeps uploads, choosers and the admin's collection drop-downs within the school.
"""

from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageViewRestriction,
)

from schoolportal import access

from .models import GroupPage, NewsletterIndexPage, SchoolCollection, SchoolHomePage

PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
# Change and delete too: a photo must come down when consent is withdrawn, also when the
# teacher who uploaded it has left the group.
COLLECTION_PERMISSIONS = tuple(
    (app_label, f"{action}_{model}")
    for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document"))
    for action in ("add", "change", "delete", "choose")
)


# Staff upload mailing attachments into their school's collection and pick them there.
SCHOOL_COLLECTION_PERMISSIONS = (
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
)


def _grant(auth_group, collection, permissions):
    for app_label, codename in permissions:
        GroupCollectionPermission.objects.get_or_create(
            group=auth_group,
            collection=collection,
            permission=Permission.objects.get(content_type__app_label=app_label, codename=codename),
        )


@transaction.atomic
def ensure_school_collection(school):
    """The school's collection (named after the school) and staff group, with their rights
    and the right members."""
    media = SchoolCollection.objects.filter(school=school).select_related("collection").first()
    if media is None:
        staff = AuthGroup.objects.create(name=f"{f'Medewerkers {school.name}'[:140]} #{school.pk}")
        root = Collection.get_first_root_node()
        collection = root.add_child(name=school.name)
        media = SchoolCollection.objects.create(school=school, collection=collection, staff=staff)
    elif media.collection.name != school.name:
        media.collection.name = school.name
        media.collection.save(update_fields=["name"])
    _grant(media.staff, media.collection, SCHOOL_COLLECTION_PERMISSIONS)
    sync_school_staff(school.pk)
    return media


def sync_school_staff(school_id):
    media = SchoolCollection.objects.filter(school_id=school_id).select_related("staff").first()
    if media is not None:
        media.staff.user_set.set(access.staff_accounts_of_school(school_id))


def _label(group):
    return f"{group.school} · {group.name} {group.school_year.name}"


def _free_slug(home, group):
    base = slugify(f"{group.name} {group.school_year.name}") or f"groep-{group.pk}"
    taken = set(home.get_children().values_list("slug", flat=True))
    return base if base not in taken else f"{base}-{group.pk}"


@transaction.atomic
def ensure_group_page(group):
    """The group's page, made (live, empty) under the school's home page when missing.

    None while the school has no home page: the page is made when the home page is.
    """
    page = GroupPage.objects.filter(group=group).first()
    if page is None:
        home = SchoolHomePage.objects.filter(school_id=group.school_id).first()
        if home is None:
            return None
        page = home.add_child(
            instance=GroupPage(
                title=f"{group.name} {group.school_year.name}",
                slug=_free_slug(home, group),
                group=group,
            )
        )
    provide_editing(page)
    return page


def ensure_group_pages(school):
    for group in school.groups.select_related("school", "school_year"):
        ensure_group_page(group)


def provide_editing(page):
    """The page's editors' group and collection, with their rights, and the right members."""
    group = page.group
    changes = {}
    if page.editors_id is None:
        name = f"Groepspagina {_label(group)}"[:140]
        changes["editors"] = AuthGroup.objects.create(name=f"{name} #{group.pk}")
    if page.collection_id is None:
        school_collection = ensure_school_collection(group.school).collection
        changes["collection"] = school_collection.add_child(name=_label(group))
    if changes:
        # Not page.save(): that would touch the live page's revision bookkeeping.
        GroupPage.objects.filter(pk=page.pk).update(**changes)
        for field, value in changes.items():
            setattr(page, field, value)

    page_type = ContentType.objects.get_for_model(Page)
    for codename in PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=page.editors,
            page=page,
            permission=Permission.objects.get(content_type=page_type, codename=codename),
        )
    _grant(page.editors, page.collection, COLLECTION_PERMISSIONS)
    # Wagtail's own mark that the page and all below it are not public: the admin shows it
    # as private, and Wagtail's page URL asks for a login before the portal asks ``access``.
    PageViewRestriction.objects.get_or_create(page=page, restriction_type=PageViewRestriction.LOGIN)
    sync_editors(page)


def sync_editors(page):
    if page.editors_id is not None:
        page.editors.user_set.set(access.group_page_editors(page.group))


def sync_pages_editors(pages):
    """``sync_editors`` for each page of a GroupPage queryset."""
    for page in pages.distinct().select_related("editors", "group"):
        sync_editors(page)


def sync_school_editors(school_id):
    sync_pages_editors(GroupPage.objects.filter(group__school_id=school_id))


# Newsletter editors also upload the photos into the school's collection.
NEWSLETTER_COLLECTION_PERMISSIONS = tuple(
    ("wagtailimages", f"{action}_image") for action in ("add", "change", "delete", "choose")
)


@transaction.atomic
def ensure_newsletter_index(home):
    """The school's newsletter archive page below its home page, with its editors' group
    (the school's management and administration, ``access.newsletter_editors``)."""
    index = NewsletterIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=NewsletterIndexPage(title="Nieuwsbrieven", slug="nieuwsbrieven")
        )
    if index.editors_id is None:
        name = f"Nieuwsbrief {home.school.name}"[:140]
        editors = AuthGroup.objects.create(name=f"{name} #{home.school_id}")
        NewsletterIndexPage.objects.filter(pk=index.pk).update(editors=editors)
        index.editors = editors
    page_type = ContentType.objects.get_for_model(Page)
    for codename in PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=index.editors,
            page=index,
            permission=Permission.objects.get(content_type=page_type, codename=codename),
        )
    collection = ensure_school_collection(home.school).collection
    _grant(index.editors, collection, SCHOOL_COLLECTION_PERMISSIONS)
    _grant(index.editors, collection, NEWSLETTER_COLLECTION_PERMISSIONS)
    # As a group page: the admin shows it private, and Wagtail's own URL asks for a login.
    PageViewRestriction.objects.get_or_create(
        page=index, restriction_type=PageViewRestriction.LOGIN
    )
    sync_newsletter_editors(home.school_id)
    return index


def ensure_newsletter_indexes(**kwargs):
    """After every migrate: every school's home page has its archive (schools made before
    newsletters existed get theirs here)."""
    for home in SchoolHomePage.objects.select_related("school"):
        ensure_newsletter_index(home)


def sync_newsletter_editors(school_id):
    home = SchoolHomePage.objects.filter(school_id=school_id).first()
    if home is None:
        return
    index = NewsletterIndexPage.objects.child_of(home).select_related("editors").first()
    if index is not None and index.editors_id is not None:
        index.editors.user_set.set(access.newsletter_editors(school_id))


# Made by Wagtail's first migrations with rights on the root page and collection.
WAGTAIL_DEFAULT_GROUPS = ("Editors", "Moderators")


def retire_wagtail_default_groups(**kwargs):
    """After every migrate, as ``pages`` migration 0004 did once: Wagtail's default groups
    hold nothing on the root collection or the root page, which reach every school. Wagtail
    grants them rights only in its own migrations, looking them up by name, so a later
    Wagtail release could do it again for a group an installation kept."""
    groups = AuthGroup.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS)
    GroupCollectionPermission.objects.filter(group__in=groups, collection__depth=1).delete()
    GroupPagePermission.objects.filter(group__in=groups, page__depth=1).delete()


def remember_school_media(school):
    """What ``remove_school_media`` needs once the school (and the link) is deleted."""
    return (
        SchoolCollection.objects.filter(school=school).values("collection_id", "staff_id").first()
    )


@transaction.atomic
def remove_school_media(collection_id, staff_id):
    """A deleted school's staff group and collection go, with the photos and files in and
    below it. Photos never outlive their school; a file another school still uses (a
    colleague at both schools chose it for a mailing or group page) moves to that school's
    collection, or to the root when several use it, where they still reach it by that use."""
    from schoolportal.mailings.attachments import in_use
    from schoolportal.mailings.models import MailingAttachment

    from .models import GroupPageFile

    AuthGroup.objects.filter(pk=staff_id).delete()
    collection = Collection.objects.filter(pk=collection_id).first()
    if collection is None:
        return
    below = collection.get_descendants(inclusive=True)
    # One by one: Wagtail removes each one's files and renditions after the commit.
    for image in get_image_model().objects.filter(collection__in=below):
        image.delete()
    root = Collection.get_first_root_node()
    for document in get_document_model().objects.filter(collection__in=below):
        if not in_use(document):
            document.delete()
            continue
        schools = set(
            MailingAttachment.objects.filter(document=document).values_list(
                "mailing__school_id", flat=True
            )
        ) | set(
            GroupPageFile.objects.filter(document=document)
            .exclude(page__group=None)
            .values_list("page__group__school_id", flat=True)
        )
        media = SchoolCollection.objects.filter(school_id__in=schools).first()
        document.collection = media.collection if len(schools) == 1 and media else root
        document.save(update_fields=["collection"])
    collection.delete()  # treebeard's: with the group collections below, keeping the tree whole
