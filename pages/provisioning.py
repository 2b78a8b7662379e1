"""Every group gets a page, and whoever teaches the group the right to edit it.

Wagtail grants page rights to Django groups. Each group page has its own editors' group
holding add, change, publish, lock and unlock on the page's subtree, and add, change,
delete and choose on the page's own collection of photos and files (so a teacher's image
chooser shows their group's photos only). Its members are always ``access.group_page_editors``: the
group's teachers and the school's management and administration; they follow teaching
assignments and staff roles as these change.
"""

from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageViewRestriction,
)

from .models import GroupPage, SchoolHomePage

PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
# Change and delete too: a photo must come down when consent is withdrawn, also when the
# teacher who uploaded it has left the group.
COLLECTION_PERMISSIONS = tuple(
    (app_label, f"{action}_{model}")
    for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document"))
    for action in ("add", "change", "delete", "choose")
)


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
        root = Collection.get_first_root_node()
        changes["collection"] = root.add_child(name=_label(group))
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
    for app_label, codename in COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=page.editors,
            collection=page.collection,
            permission=Permission.objects.get(content_type__app_label=app_label, codename=codename),
        )
    # Wagtail's own mark that the page and all below it are not public: the admin shows it
    # as private, and Wagtail's page URL asks for a login before the portal asks ``access``.
    PageViewRestriction.objects.get_or_create(page=page, restriction_type=PageViewRestriction.LOGIN)
    sync_editors(page)


def sync_editors(page):
    from schoolportal import access  # access imports the page models

    if page.editors_id is not None:
        page.editors.user_set.set(access.group_page_editors(page.group))


def sync_pages_editors(pages):
    """``sync_editors`` for each page of a GroupPage queryset."""
    for page in pages.distinct().select_related("editors", "group"):
        sync_editors(page)


def sync_school_editors(school_id):
    sync_pages_editors(GroupPage.objects.filter(group__school_id=school_id))
