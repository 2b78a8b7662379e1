"""Group pages: who reads a group page, its blog, albums, photos and files, and who edits it.

A group page is read only by the parents of the group's children (the seed manual: "alleen
toegankelijk voor ouders verzorgers die via hun kind gekoppeld zijn aan deze groep"), and
only where the school uses group pages. Staff edit them in the admin, where Wagtail's page
permissions apply (``pages.provisioning``); the editors of a page (``group_page_editors``)
also open it in the portal, read only, to see what the parents see.

The page types are looked up by name (``page_model``): ``pages`` asks these rules for its
editing forms and panels, so importing ``pages`` here would make an import circle.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q

from schoolportal.people.models import Group, Guardianship, StaffMember, still_at_school

from .scope import SCHOOL_WIDE_ROLES, is_anonymous, scope


def page_model(name):
    """The model of ``pages`` called ``name`` (``GroupPage``, ``AlbumPhoto``, ...)."""
    return apps.get_model("pages", name)


def group_pages_for(user):
    """Live group pages of the groups the user's children are in."""
    if is_anonymous(user):
        return page_model("GroupPage").objects.none()
    return group_pages_read_by(user.pk)


def group_pages_read_by(user_id):
    """``group_pages_for`` an active user's id: subqueries on the id, so a parent's pages
    are found with one query and no read of their ``Scope``."""
    groups = Guardianship.objects.filter(
        still_at_school("pupil__"), guardian__user_id=user_id
    ).values("pupil__group_id")
    return (
        page_model("GroupPage")
        .objects.live()
        .filter(group_id__in=groups, group__school__group_pages_enabled=True)
    )


def group_pages_opened_by(user):
    """Live group pages the user may open in the portal: those of ``group_pages_for`` and
    those they edit (the groups they teach, every group of a school they manage)."""
    group_page = page_model("GroupPage")
    if is_anonymous(user):
        return group_page.objects.none()
    if user.is_superuser:
        return group_page.objects.live().filter(group__school__group_pages_enabled=True)
    taught = Group.teachers.through.objects.filter(staffmember__user_id=user.pk)
    managed = StaffMember.objects.filter(user_id=user.pk, role__in=SCHOOL_WIDE_ROLES)
    edited = group_page.objects.live().filter(
        Q(group_id__in=taught.values("group_id"))
        | Q(group__school_id__in=managed.values("school_id")),
        group__school__group_pages_enabled=True,
    )
    return group_pages_read_by(user.pk) | edited


def group_page_for(user, pk):
    """Group page ``pk`` with its group and school, if it is one of ``group_pages_opened_by``.

    A parent's own page is looked for first; only when that finds nothing is it asked
    whether the user edits the page.
    """
    if is_anonymous(user):
        return None
    return _first_opened(user, pk=pk)


def _first_opened(user, **lookup):
    """The group page matching ``lookup`` that the user opens: as a parent, else as editor."""
    page = group_pages_read_by(user.pk).filter(**lookup).select_related("group__school").first()
    if page is None:
        opened = group_pages_opened_by(user).filter(**lookup)
        page = opened.select_related("group__school").first()
    return page


def group_page_child_for(user, model, pk):
    """``(child, group page)``: the live blog post or photo album (``model``) ``pk`` and the
    group page it is directly below, if that is one of ``group_pages_opened_by``; else None."""
    if is_anonymous(user):
        return None
    child = model.objects.live().filter(pk=pk).first()
    if child is None:
        return None
    page = _first_opened(user, path=child.path[: -child.steplen])
    return None if page is None else (child, page)


def group_page_children_for(user, model):
    """Live blog posts or photo albums (``model``) directly below the group pages the user
    may open."""
    if is_anonymous(user):
        return model.objects.none()
    parents = list(group_pages_opened_by(user).values_list("path", "depth"))
    if not parents:
        return model.objects.none()
    below = Q()
    for path, depth in parents:
        below |= Q(path__startswith=path, depth=depth + 1)
    return model.objects.live().filter(below)


def published_children(page, model):
    """Live blog posts or photo albums (``model``) directly below ``page``, a group page the
    caller got from ``group_page_for``: parents never see drafts or unpublished pages."""
    return model.objects.live().child_of(page)


def album_photos_for(user):
    """The photos of the albums the user may read."""
    albums = group_page_children_for(user, page_model("PhotoAlbumPage"))
    return page_model("AlbumPhoto").objects.filter(album__in=albums.values("pk"))


def group_files_for(user):
    """The files on the group pages the user may open."""
    opened = group_pages_opened_by(user).values("pk")
    return page_model("GroupPageFile").objects.filter(page__in=opened)


def taught_group_pages(user):
    """The pages of the groups the user teaches: where a teacher starts in the admin."""
    group_page = page_model("GroupPage")
    if is_anonymous(user):
        return group_page.objects.none()
    return group_page.objects.filter(group_id__in=scope(user).taught_group_ids)


def group_page_editors(group):
    """Accounts that edit a group's page: its teachers, the school's management and
    administration."""
    staff = StaffMember.objects.filter(school_id=group.school_id).filter(
        Q(groups=group) | Q(role__in=SCHOOL_WIDE_ROLES)
    )
    return get_user_model().objects.filter(pk__in=staff.exclude(user=None).values("user_id"))
