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
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr

from schoolportal.people.models import Group, Guardianship, StaffMember, still_at_school

from .scope import SCHOOL_WIDE_ROLES, all_children_ids, is_anonymous, scope


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
    those they edit (``group_pages_edited_by``)."""
    group_page = page_model("GroupPage")
    if is_anonymous(user):
        return group_page.objects.none()
    if user.is_superuser:
        return group_pages_edited_by(user)
    return group_pages_read_by(user.pk) | group_pages_edited_by(user)


def group_pages_edited_by(user):
    """Live group pages the user edits, and opens in the portal as its editor: those of
    ``group_pages_editable_by`` at a school with group pages on."""
    return group_pages_editable_by(user).live().filter(group__school__group_pages_enabled=True)


def group_pages_editable_by(user):
    """Group pages (in any state) the user edits in the admin: those of the groups they
    teach and every group page of a school they manage (all for a superuser). Subqueries on
    the user's id only."""
    group_page = page_model("GroupPage")
    if is_anonymous(user):
        return group_page.objects.none()
    if user.is_superuser:
        return group_page.objects.all()
    taught = Group.teachers.through.objects.filter(staffmember__user_id=user.pk)
    managed = StaffMember.objects.filter(user_id=user.pk, role__in=SCHOOL_WIDE_ROLES)
    return group_page.objects.filter(
        Q(group_id__in=taught.values("group_id"))
        | Q(group__school_id__in=managed.values("school_id"))
    )


def directly_below(pages, prefix=""):
    """A Q for the pages one level below any of ``pages`` (a queryset of group pages), or
    None when there are none; ``prefix`` names the relation to the child ("post__")."""
    below = Q()
    for path, depth in pages.values_list("path", "depth"):
        below |= Q(**{f"{prefix}path__startswith": path, f"{prefix}depth": depth + 1})
    return below or None


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
    below = directly_below(group_pages_opened_by(user))
    return model.objects.none() if below is None else model.objects.live().filter(below)


def published_children(page, model):
    """Live blog posts or photo albums (``model``) directly below ``page``, a group page the
    caller got from ``group_page_for``: parents never see drafts or unpublished pages."""
    return model.objects.live().child_of(page)


def album_photos_for(user):
    """The photos the user may see: of the albums they may read, less those withheld from
    them for lack of photo consent (``photos_shown_to``)."""
    albums = group_page_children_for(user, page_model("PhotoAlbumPage"))
    photos = page_model("AlbumPhoto").objects.filter(album__in=albums.values("pk"))
    return photos_shown_to(user, photos)


# --- Photo consent on album photos ----------------------------------------------------------
#
# A teacher tags the children on an album photo. A photo showing a child whose guardians did
# not consent to photos on the group page (``Pupil.photo_consent_group_page``) is seen only by
# that child's own guardians and the editors of the group page (its teachers, the school's
# management and administration); other parents never learn it is there. The rule is read
# from the consent as it is now, so a withdrawal counts at once and giving consent again
# shows the photo again.


def photos_shown_to(user, photos):
    """``photos`` (album photos of albums the user may read) less those withheld from the
    user for lack of photo consent. Subqueries only: the rule adds no query, whatever the
    number of photos and tags."""
    if is_anonymous(user):
        return photos.none()
    if user.is_superuser:
        return photos
    tag = page_model("AlbumPhoto").pupils.through.objects
    withheld = (
        tag.filter(pupil__photo_consent_group_page=False)
        .exclude(pupil_id__in=all_children_ids(user))
        .values("albumphoto_id")
    )
    # The album's parent is the group page whose path its own path continues.
    album_path = OuterRef("album__path")
    edited = group_pages_edited_by(user).filter(
        path=Substr(album_path, 1, Length(album_path) - page_model("GroupPage").steplen)
    )
    return photos.filter(Q(Exists(edited)) | ~Q(pk__in=withheld))


def album_photos_audience(user, page):
    """What the album photos of group page ``page`` (one ``group_page_for`` gave) that the
    user sees rest on, besides the photos, their tags and the consents (all in the data
    version): ``"all"`` for its editors, else the user's own children without photo consent.
    Everybody with the same audience sees the same photos, so it keys the album fragments
    they share. One or two small queries, however many photos and tags."""
    if is_anonymous(user):
        return "none"
    if user.is_superuser:
        return "all"
    rights = scope(user)
    group = page.group
    if group is not None and (
        group.pk in rights.taught_group_ids or group.school_id in rights.managed_school_ids
    ):
        return "all"
    own = Guardianship.objects.filter(
        guardian__user_id=user.pk, pupil__photo_consent_group_page=False
    )
    ids = sorted(set(own.values_list("pupil_id", flat=True)))
    return "own-" + "-".join(map(str, ids)) if ids else "others"


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
