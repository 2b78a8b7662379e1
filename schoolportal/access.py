"""Who may see what: the single authority on visibility.

Every view, export and task asks these functions instead of writing its own
membership query. Each returns a queryset, so callers can filter, annotate and
count it further. What the rules rest on (a user's children with their groups and
schools, their staff memberships, the groups they teach) is read once per user
object into a ``Scope``: after that the querysets filter on plain id lists, so
the number and the cost of queries do not grow with a family or a group.

The rules (Plone's local roles, in Wagtail terms):
- A guardian sees a school and a group because one of their children is in it,
  sees the pupils of those groups, and the guardians of those pupils (the
  *fields* other parents may see are decided by the guardian's privacy flags,
  see ``ContactDetailsPolicy``).
- A guardian changes only their own children.
- A staff member sees everything of the schools they work at; a teacher
  changes the groups they teach; management and administration change
  everything of their school.
- A superuser (the installation's technical administrator) sees everything.
"""

import functools
from functools import cached_property

from django.db.models import Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.db.models.signals import m2m_changed, post_delete, post_save

from schoolportal import access_admin
from schoolportal.agenda.models import AgendaException, AgendaItem
from schoolportal.mailings.models import (
    AddressedPupil,
    Audience,
    Mailing,
    MailingAttachment,
    ReplySlipAnswer,
    Sender,
)
from schoolportal.people.models import (
    Babysitter,
    ClassParent,
    EmergencyContact,
    Group,
    Guardian,
    Guardianship,
    Pupil,
    PupilLinkCode,
    School,
    SchoolYear,
    StaffMember,
    StaffRole,
)
from schoolportal.prepared import PreparedQuery

SCHOOL_WIDE_ROLES = (StaffRole.MANAGEMENT, StaffRole.ADMINISTRATION)


def _is_anonymous(user):
    return user is None or not user.is_authenticated or not user.is_active


# --- What a user's rights rest on ------------------------------------------------------------

_generation = 0


def _memberships_changed(**kwargs):
    """Children, groups, staff roles or teaching changed: every cached Scope is stale."""
    global _generation
    _generation += 1


for _model in (Guardianship, Pupil, StaffMember):
    post_save.connect(_memberships_changed, sender=_model, dispatch_uid=f"access-{_model}")
    post_delete.connect(_memberships_changed, sender=_model, dispatch_uid=f"access-d-{_model}")
m2m_changed.connect(_memberships_changed, sender=Group.teachers.through, dispatch_uid="access-t")


# Read on nearly every request: prepared once (``schoolportal.prepared``).
_children_of_user = PreparedQuery(
    lambda user_id: Guardianship.objects.filter(guardian__user_id=user_id).values_list(
        "pupil_id", "pupil__group_id", "pupil__school_id"
    )
)
# No ordering: StaffMember's default one joins and sorts.
_staff_memberships_of_user = PreparedQuery(
    lambda user_id: (
        StaffMember.objects.filter(user_id=user_id).order_by().values_list("school_id", "role")
    )
)


_class_parent_groups_of_user = PreparedQuery(
    lambda user_id: ClassParent.objects.filter(guardian__user_id=user_id).values_list(
        "group_id", flat=True
    )
)


class Scope:
    """A user's children (with their groups and schools), staff memberships and taught groups.

    Each part is read with one small query when first needed, then kept on the user
    object (which lives for one request) until a membership changes anywhere.
    """

    def __init__(self, user):
        self.user = user
        self.generation = _generation

    @cached_property
    def _children(self):
        return _children_of_user(self.user.pk)

    @cached_property
    def pupil_ids(self):
        return sorted({pupil for pupil, _group, _school in self._children})

    @cached_property
    def group_ids(self):
        return sorted({group for _pupil, group, _school in self._children if group})

    @cached_property
    def child_school_ids(self):
        return sorted({school for _pupil, _group, school in self._children})

    @cached_property
    def _staff(self):
        return _staff_memberships_of_user(self.user.pk)

    @cached_property
    def staff_school_ids(self):
        return sorted({school for school, _role in self._staff})

    @cached_property
    def managed_school_ids(self):
        return sorted({school for school, role in self._staff if role in SCHOOL_WIDE_ROLES})

    @cached_property
    def class_parent_group_ids(self):
        return sorted(set(_class_parent_groups_of_user(self.user.pk)))

    @cached_property
    def taught_group_ids(self):
        taught = Group.teachers.through.objects.filter(staffmember__user=self.user)
        return sorted(set(taught.values_list("group_id", flat=True)))


def scope(user):
    cached = user.__dict__.get("_access_scope")
    if cached is None or cached.generation != _generation:
        cached = user.__dict__["_access_scope"] = Scope(user)
    return cached


def guardian_for(user):
    """The guardian profile of a user, or None. Reads the cached reverse relation."""
    if _is_anonymous(user):
        return None
    try:
        return user.guardian
    except Guardian.DoesNotExist:
        return None


def is_staff_member(user):
    return not _is_anonymous(user) and (user.is_superuser or bool(scope(user).staff_school_ids))


# --- Schools ---------------------------------------------------------------


def staff_schools(user):
    """Schools where the user works."""
    if _is_anonymous(user):
        return School.objects.none()
    if user.is_superuser:
        return School.objects.all()
    return School.objects.filter(pk__in=scope(user).staff_school_ids)


def managed_schools(user):
    """Schools whose people and structure the user may change in the admin."""
    if _is_anonymous(user):
        return School.objects.none()
    if user.is_superuser:
        return School.objects.all()
    return School.objects.filter(pk__in=scope(user).managed_school_ids)


def schools_for(user):
    """Schools the user belongs to: as staff, or as guardian of a pupil there."""
    if _is_anonymous(user):
        return School.objects.none()
    if user.is_superuser:
        return School.objects.all()
    ids = set(scope(user).staff_school_ids) | set(scope(user).child_school_ids)
    return School.objects.filter(pk__in=sorted(ids))


# --- Pupils ----------------------------------------------------------------


def own_pupils(user):
    """The user's own children: the pupils they may change."""
    if _is_anonymous(user):
        return Pupil.objects.none()
    return Pupil.objects.filter(pk__in=scope(user).pupil_ids)


def own_guardianships(user):
    """The user's own relations to their children, oldest child first, with each child's
    group: what their profile lists."""
    if _is_anonymous(user):
        return []
    return _guardianships_of_user(user.pk)


_guardianships_of_user = PreparedQuery(
    lambda user_id: (
        Guardianship.objects.filter(guardian__user_id=user_id)
        .select_related("pupil__group")
        .order_by("pupil__date_of_birth", "pk")
    )
)


def children_of_outer_user(user_ref):
    """``children_of`` for a subquery: the children of the user that ``user_ref`` points at."""
    return Pupil.objects.filter(guardianships__guardian__user=user_ref)


def staff_memberships_of_outer_user(user_ref):
    """Staff memberships of the user that ``user_ref`` points at, for a subquery."""
    return StaffMember.objects.filter(user=user_ref)


def editable_pupils(user):
    """Pupils whose data the user may change: own children, or all of a managed school."""
    if _is_anonymous(user):
        return Pupil.objects.none()
    if user.is_superuser:
        return Pupil.objects.all()
    rights = scope(user)
    return Pupil.objects.filter(
        Q(pk__in=rights.pupil_ids) | Q(school_id__in=rights.managed_school_ids)
    )


def pupils_for(user):
    """Pupils the user may see: classmates of their children, or everybody at their school."""
    if _is_anonymous(user):
        return Pupil.objects.none()
    if user.is_superuser:
        return Pupil.objects.all()
    rights = scope(user)
    return Pupil.objects.filter(
        Q(pk__in=rights.pupil_ids)
        | Q(group_id__in=rights.group_ids)
        | Q(school_id__in=rights.staff_school_ids)
    )


# --- Groups ----------------------------------------------------------------


def groups_for(user):
    """Groups the user may see: those of their children, or all groups of their school."""
    if _is_anonymous(user):
        return Group.objects.none()
    if user.is_superuser:
        return Group.objects.all()
    rights = scope(user)
    return Group.objects.filter(
        Q(pk__in=rights.group_ids) | Q(school_id__in=rights.staff_school_ids)
    )


_group_by_pk = PreparedQuery(lambda pk: Group.objects.filter(pk=pk).select_related("school"))


def group_for(user, pk):
    """Group ``pk`` with its school, if it is one of ``groups_for``; else None.

    A parent's groups are known from ``Scope``: only a group of theirs is read.
    """
    if _is_anonymous(user):
        return None
    rights = scope(user)
    if user.is_superuser or rights.staff_school_ids:
        return groups_for(user).select_related("school").filter(pk=pk).first()
    return _group_by_pk.first(pk) if pk in rights.group_ids else None


def taught_groups(user):
    """The groups the user teaches."""
    if _is_anonymous(user):
        return Group.objects.none()
    return Group.objects.filter(pk__in=scope(user).taught_group_ids)


def staff_groups(user):
    """The groups of the schools the user works at (for staff screens)."""
    return groups_for(user).filter(school__in=staff_schools(user))


def parent_groups(user):
    """Groups the user sees *as a parent* (through a child), whatever else they are."""
    if _is_anonymous(user):
        return Group.objects.none()
    return Group.objects.filter(pk__in=scope(user).group_ids)


def editable_groups(user):
    """Groups whose pages and data the user may change: taught groups, or a managed school's."""
    if _is_anonymous(user):
        return Group.objects.none()
    if user.is_superuser:
        return Group.objects.all()
    rights = scope(user)
    return Group.objects.filter(
        Q(pk__in=rights.taught_group_ids) | Q(school_id__in=rights.managed_school_ids)
    )


# --- Group pages -----------------------------------------------------------------------------
# A group page, its blog, albums, photos and files are read only by the parents of the
# group's children (the seed manual: "alleen toegankelijk voor ouders verzorgers die via
# hun kind gekoppeld zijn aan deze groep"), and only where the school uses group pages.
# Staff edit them in the admin, where Wagtail's page permissions apply
# (``pages.provisioning``); the editors of a page (``group_page_editors``) also open it in
# the portal, read only, to see what the parents see.


def group_pages_for(user):
    """Live group pages of the groups the user's children are in."""
    from pages.models import GroupPage

    if _is_anonymous(user):
        return GroupPage.objects.none()
    return group_pages_read_by(user.pk)


def group_pages_read_by(user_id):
    """``group_pages_for`` an active user's id: its SQL depends on nothing else, so a query
    built on it can be prepared once (``schoolportal.prepared``)."""
    from pages.models import GroupPage

    groups = Guardianship.objects.filter(guardian__user_id=user_id).values("pupil__group_id")
    return GroupPage.objects.live().filter(
        group_id__in=groups, group__school__group_pages_enabled=True
    )


# A group page, post or album is opened on nearly every group page view: prepared once.
_group_page_by_pk = PreparedQuery(
    lambda user_id, pk: group_pages_read_by(user_id).filter(pk=pk).select_related("group__school"),
    arity=2,
)
_group_page_by_path = PreparedQuery(
    lambda user_id, path: (
        group_pages_read_by(user_id).filter(path=path).select_related("group__school")
    ),
    arity=2,
)


def group_pages_opened_by(user):
    """Live group pages the user may open in the portal: those of ``group_pages_for`` and
    those they edit (the groups they teach, every group of a school they manage)."""
    from pages.models import GroupPage

    if _is_anonymous(user):
        return GroupPage.objects.none()
    if user.is_superuser:
        return GroupPage.objects.live().filter(group__school__group_pages_enabled=True)
    return group_pages_opened_by_id(user.pk)


def group_pages_opened_by_id(user_id):
    """``group_pages_opened_by`` an active user's id who is no superuser. Subqueries on the
    id, as ``group_pages_read_by``: a parent pays no query for the staff rule."""
    from pages.models import GroupPage

    taught = Group.teachers.through.objects.filter(staffmember__user_id=user_id)
    managed = StaffMember.objects.filter(user_id=user_id, role__in=SCHOOL_WIDE_ROLES)
    edited = GroupPage.objects.live().filter(
        Q(group_id__in=taught.values("group_id"))
        | Q(group__school_id__in=managed.values("school_id")),
        group__school__group_pages_enabled=True,
    )
    return group_pages_read_by(user_id) | edited


# Asked for every photo a parent's browser loads (``album_photos_for``): prepared once.
_opened_group_page_paths = PreparedQuery(
    lambda user_id: group_pages_opened_by_id(user_id).values_list("path", "depth")
)


@functools.cache
def _live_page_by_pk(model):
    return PreparedQuery(lambda pk: model.objects.live().filter(pk=pk))


def group_page_for(user, pk):
    """Group page ``pk`` with its group and school, if it is one of ``group_pages_opened_by``.

    A parent's page is found by the prepared query; only when that finds nothing is it
    asked whether the user edits the page.
    """
    if _is_anonymous(user):
        return None
    page = _group_page_by_pk.first(user.pk, pk)
    if page is None:
        page = group_pages_opened_by(user).filter(pk=pk).select_related("group__school").first()
    return page


def group_page_child_for(user, model, pk):
    """``(child, group page)``: the live blog post or photo album (``model``) ``pk`` and the
    group page it is directly below, if that is one of ``group_pages_opened_by``; else None."""
    if _is_anonymous(user):
        return None
    child = _live_page_by_pk(model).first(pk)
    if child is None:
        return None
    path = child.path[: -child.steplen]
    page = _group_page_by_path.first(user.pk, path)
    if page is None:
        opened = group_pages_opened_by(user).filter(path=path)
        page = opened.select_related("group__school").first()
    return None if page is None else (child, page)


def group_page_children_for(user, model):
    """Live blog posts or photo albums (``model``) directly below the group pages the user
    may open."""
    if _is_anonymous(user):
        return model.objects.none()
    if user.is_superuser:
        parents = list(group_pages_opened_by(user).values_list("path", "depth"))
    else:
        parents = _opened_group_page_paths(user.pk)
    if not parents:
        return model.objects.none()
    below = Q()
    for path, depth in parents:
        below |= Q(path__startswith=path, depth=depth + 1)
    return model.objects.live().filter(below)


def group_page_children(page, model):
    """Live blog posts or photo albums (``model``) below ``page``, a group page the caller
    got from ``group_pages_for``: one query where ``group_page_children_for`` takes two."""
    return model.objects.live().child_of(page)


def album_photos_for(user):
    """The photos of the albums the user may read."""
    from pages.models import AlbumPhoto, PhotoAlbumPage

    albums = group_page_children_for(user, PhotoAlbumPage)
    return AlbumPhoto.objects.filter(album__in=albums.values("pk"))


def group_files_for(user):
    """The files on the group pages the user may open."""
    from pages.models import GroupPageFile

    return GroupPageFile.objects.filter(page__in=group_pages_opened_by(user).values("pk"))


def group_page_files(page):
    """The files on ``page``, a group page the caller got from ``group_pages_for``."""
    from pages.models import GroupPageFile

    return GroupPageFile.objects.filter(page=page)


def taught_group_pages(user):
    """The pages of the groups the user teaches: where a teacher starts in the admin."""
    from pages.models import GroupPage

    if _is_anonymous(user):
        return GroupPage.objects.none()
    return GroupPage.objects.filter(group_id__in=scope(user).taught_group_ids)


def group_page_editors(group):
    """Accounts that edit a group's page: its teachers, the school's management and
    administration."""
    from django.contrib.auth import get_user_model

    staff = StaffMember.objects.filter(school_id=group.school_id).filter(
        Q(groups=group) | Q(role__in=SCHOOL_WIDE_ROLES)
    )
    return get_user_model().objects.filter(pk__in=staff.exclude(user=None).values("user_id"))


# --- Guardians and staff ----------------------------------------------------


def guardianships_of_pupils(user, pupil_ids):
    """Guardian–child pairs, with pupil and guardian, of those of ``pupil_ids`` the user may
    see (``pupils_for``), in the order they were linked."""
    pupil_ids = set(pupil_ids)
    if pupil_ids <= set(scope(user).pupil_ids):
        # One's own children, always visible: a parent's own class-list row, on every first
        # view of it, from a prepared query per child.
        pairs = [pair for pupil_id in pupil_ids for pair in _guardianships_of_pupil(pupil_id)]
        return sorted(pairs, key=lambda pair: pair.pk)
    visible = pupils_for(user).filter(pk__in=pupil_ids)
    return list(
        Guardianship.objects.filter(pupil__in=visible)
        .select_related("pupil", "guardian")
        .order_by("pk")
    )


_guardianships_of_pupil = PreparedQuery(
    lambda pupil_id: Guardianship.objects.filter(pupil_id=pupil_id).select_related(
        "pupil", "guardian"
    )
)


def guardians_for(user):
    """Guardians the user may see at all (which fields, see ``ContactDetailsPolicy``)."""
    if _is_anonymous(user):
        return Guardian.objects.none()
    if user.is_superuser:
        return Guardian.objects.all()
    visible = Guardianship.objects.filter(pupil__in=pupils_for(user)).values("guardian")
    return Guardian.objects.filter(Q(user=user) | Q(pk__in=visible))


def editable_guardians(user):
    """Guardians whose profile the user may change: their own, or all of a managed school."""
    if _is_anonymous(user):
        return Guardian.objects.none()
    if user.is_superuser:
        return Guardian.objects.all()
    return Guardian.objects.filter(
        Q(user=user)
        | Q(
            pk__in=Guardianship.objects.filter(
                pupil__school_id__in=scope(user).managed_school_ids
            ).values("guardian")
        )
    )


def own_babysitters(user):
    """The babysitters a guardian registered: only they (and staff) ever see them."""
    if _is_anonymous(user):
        return Babysitter.objects.none()
    return Babysitter.objects.filter(guardian__user=user)


def agenda_items_for(user):
    """Agenda items the user sees: whole-school items of their schools and their groups' items.

    Staff see their schools' whole agenda.
    """
    if _is_anonymous(user):
        return AgendaItem.objects.none()
    if user.is_superuser:
        return AgendaItem.objects.all()
    rights = scope(user)
    for_groups = AgendaItem.groups.through.objects.filter(group_id__in=rights.group_ids)
    return AgendaItem.objects.filter(
        Q(school_id__in=rights.staff_school_ids)
        | Q(whole_school=True, school_id__in=rights.child_school_ids)
        | Q(pk__in=for_groups.values("agendaitem"))
    )


def agenda_audience(user):
    """What ``agenda_items_for`` rests on, as a hashable value: equal values, equal agendas.

    Lets the agenda's expanded occurrences be shared by every family with the same groups.
    """
    if _is_anonymous(user):
        return None
    if user.is_superuser:
        return ("all",)
    rights = scope(user)
    return (
        tuple(rights.staff_school_ids),
        tuple(rights.child_school_ids),
        tuple(rights.group_ids),
    )


def editable_agenda_items(user):
    """Items a staff member may change: all of a managed school's, or a teacher's own groups'.

    A teacher's item may not be whole-school and may not include a group they do not teach.
    """
    return _editable_by_group(AgendaItem, user, for_groups=Q(whole_school=False))


def _editable_by_group(model, user, for_groups):
    """Rows of ``model`` (with a school and groups) a staff member may change: every row of
    a school they manage; elsewhere, rows for groups (``for_groups``) that they all teach."""
    if _is_anonymous(user):
        return model.objects.none()
    if user.is_superuser:
        return model.objects.all()
    rights = scope(user)
    untaught = (
        model.groups.through.objects.exclude(group_id__in=rights.taught_group_ids)
        .exclude(group__school_id__in=rights.managed_school_ids)
        .values(model.groups.field.m2m_field_name())
    )
    return model.objects.filter(
        Q(school_id__in=rights.managed_school_ids)
        | (Q(school_id__in=rights.staff_school_ids) & for_groups & ~Q(pk__in=untaught))
    )


# --- Mailings ------------------------------------------------------------------------------


def current_audience_pupils(mailing):
    """The pupils a mailing is addressed to today: the whole school, or its chosen groups."""
    pupils = Pupil.objects.filter(school_id=mailing.school_id)
    if mailing.for_whole_school:
        return pupils
    return pupils.filter(
        group_id__in=mailing.groups.through.objects.filter(mailing_id=mailing.pk).values("group_id")
    )


def mailing_audience_pupils(mailing):
    """The pupils of a mailing: those it was sent for, or (not sent yet) today's audience."""
    if mailing.sent_at is None:
        return current_audience_pupils(mailing)
    addressed = AddressedPupil.objects.filter(mailing_id=mailing.pk).values("pupil_id")
    return Pupil.objects.filter(pk__in=addressed)


def mailing_guardianships(mailing):
    """Guardian–child pairs of the audience: whom a mailing reaches, and how families form."""
    return Guardianship.objects.filter(pupil__in=mailing_audience_pupils(mailing))


def mailing_recipients(mailing):
    """(e-mail address, user id) of every guardian of a pupil in the audience, once each."""
    return guardian_addresses(mailing_guardianships(mailing).values("guardian_id"))


def guardian_addresses(guardian_ids):
    """(e-mail address, user id) of these guardians: the address a guardian keeps in their
    profile, else their login address; guardians with neither are left out."""
    return (
        Guardian.objects.filter(pk__in=guardian_ids)
        .annotate(address=Coalesce(NullIf("email", Value("")), "user__email"))
        .exclude(address__isnull=True)
        .exclude(address="")
        .values_list("address", "user_id")
    )


def mailings_for(user):
    """Sent mailings that were sent for one of the user's children."""
    if _is_anonymous(user):
        return Mailing.objects.none()
    return mailings_received_by(user.pk)


def mailings_received_by(user_id):
    """``mailings_for`` an active user's id: its SQL depends on nothing else, so a query built
    on it can be prepared once (``schoolportal.prepared``)."""
    addressed = AddressedPupil.objects.filter(pupil__guardianships__guardian__user_id=user_id)
    return Mailing.objects.sent().filter(pk__in=addressed.values("mailing_id"))


# A mailing is opened on every mailing page: prepared once.
_mailing_by_pk = PreparedQuery(
    lambda user_id, pk: mailings_received_by(user_id).filter(pk=pk).select_related("school"),
    arity=2,
)


def mailing_for(user, pk):
    """Mailing ``pk`` with its school, if it is one of ``mailings_for``; else None."""
    if _is_anonymous(user):
        return None
    return _mailing_by_pk.first(user.pk, pk)


def attachments_for(user, mailing):
    """The attachments of a mailing the user may read (``mailing`` from ``mailings_for``)."""
    if not mailings_for(user).filter(pk=mailing.pk).exists():
        return MailingAttachment.objects.none()
    return MailingAttachment.objects.filter(mailing=mailing)


def own_pupils_addressed_by(user, mailing):
    """The user's children in a mailing's audience, youngest last: whom they answer a reply
    slip for."""
    if _is_anonymous(user):
        return []
    if mailing.sent_at is not None:  # every parent's page of a sent mailing asks this
        return _own_pupils_addressed_by(mailing.pk, user.pk)
    own = mailing_audience_pupils(mailing).filter(pk__in=scope(user).pupil_ids)
    return list(own.order_by("date_of_birth"))


_own_pupils_addressed_by = PreparedQuery(
    lambda mailing_id, user_id: Pupil.objects.filter(
        pk__in=AddressedPupil.objects.filter(mailing_id=mailing_id).values("pupil_id"),
        guardianships__guardian__user_id=user_id,
    ).order_by("date_of_birth"),
    arity=2,
)


def class_parent_groups(user):
    """The groups the user is klassenouder of: they write mailings to those groups' parents."""
    if _is_anonymous(user):
        return Group.objects.none()
    return Group.objects.filter(class_parents__guardian__user=user)


def is_class_parent(user):
    """Whether the user is klassenouder of a group (and so writes mailings to it)."""
    return not _is_anonymous(user) and bool(scope(user).class_parent_group_ids)


def _class_parents_mailings(user):
    """Mailings the user wrote as klassenouder, to a group they still are klassenouder of."""
    if _is_anonymous(user):
        return Mailing.objects.none()
    return _class_parents_mailings_by(user.pk)


def _class_parents_mailings_by(user_id):
    for_their_groups = Mailing.groups.through.objects.filter(
        group__class_parents__guardian__user_id=user_id
    ).values("mailing_id")
    return Mailing.objects.filter(
        created_by_id=user_id, sender=Sender.CLASS_PARENTS, pk__in=for_their_groups
    )


_drafts_newest_first = PreparedQuery(
    lambda user_id: (
        _class_parents_mailings_by(user_id).filter(sent_at__isnull=True).order_by("-created_at")
    )
)


def own_mailing_drafts(user):
    """Mailings a class parent wrote and has not sent yet: only they see and send them."""
    return _class_parents_mailings(user).filter(sent_at__isnull=True)


def own_mailing_drafts_newest_first(user):
    """``own_mailing_drafts`` as a list, newest first (the Mailings page lists them)."""
    return [] if _is_anonymous(user) else _drafts_newest_first(user.pk)


def own_sent_mailings(user):
    """Mailings a class parent wrote and sent: they see the answers to their reply slips."""
    return _class_parents_mailings(user).sent()


def is_own_sent_mailing(user, mailing):
    """Whether ``mailing`` is one of ``own_sent_mailings(user)``; asks the database only
    when the mailing's author and sender leave it possible."""
    if _is_anonymous(user) or mailing.created_by_id != user.pk:
        return False
    if mailing.sender != Sender.CLASS_PARENTS:
        return False
    return own_sent_mailings(user).filter(pk=mailing.pk).exists()


def open_reply_slips_of_taught_groups(user, now):
    """Sent mailings to a group the user teaches whose reply slip is still open."""
    if _is_anonymous(user):
        return Mailing.objects.none()
    to_taught = Mailing.groups.through.objects.filter(
        group_id__in=scope(user).taught_group_ids
    ).values("mailing_id")
    return (
        Mailing.objects.sent()
        .filter(pk__in=to_taught, audience=Audience.GROUPS, reply_fields__isnull=False)
        .filter(Q(reply_deadline__isnull=True) | Q(reply_deadline__gt=now))
        .distinct()
    )


def editable_mailings(user):
    """Mailings a staff member may change: all of a managed school's, or a teacher's groups'.

    Like the agenda: a teacher's mailing is for groups they teach only.
    """
    return _editable_by_group(Mailing, user, for_groups=Q(audience=Audience.GROUPS))


def staff_for(user):
    """Staff members the user may see (display names; e-mail addresses only for staff)."""
    return StaffMember.objects.filter(school__in=schools_for(user))


class ContactDetailsPolicy:
    """Decides which contact fields of a guardian a viewer may read.

    Built once per request (one query), then asked per guardian without further
    queries, so a class list costs the same for 5 or 30 pupils.
    Names are always shared; address, phones and e-mail only when the guardian
    has not hidden them, unless the viewer is that guardian or staff of the school.
    """

    def __init__(self, viewer):
        self.viewer = viewer
        anonymous = _is_anonymous(viewer)
        self.viewer_pk = None if anonymous else viewer.pk
        self.staff_school_ids = set() if anonymous else set(scope(viewer).staff_school_ids)
        self.sees_all_schools = not anonymous and viewer.is_superuser

    @classmethod
    def shared_with_every_parent(cls):
        """What a parent who is none of the guardians sees: only what each one shares."""
        return cls(None)

    @cached_property
    def own_pupil_ids(self):
        return set() if self.viewer_pk is None else set(scope(self.viewer).pupil_ids)

    def sees_everything(self, guardian, school):
        own = guardian.user_id is not None and guardian.user_id == self.viewer_pk
        return own or self.sees_all_schools or school.pk in self.staff_school_ids

    def sees_only_shared(self, pupil_id, school):
        """Whether the viewer sees of the pupil's guardians only what they share.

        Then the viewer sees what ``shared_with_every_parent()`` sees, and a class list row
        rendered for one such viewer fits all of them. A guardian is the viewer themselves
        exactly when the pupil is one of the viewer's own children; staff of the school
        see every guardian whole.
        """
        if self.sees_all_schools or school.pk in self.staff_school_ids:
            return False
        return pupil_id not in self.own_pupil_ids

    def details(self, guardian, school):
        everything = self.sees_everything(guardian, school)
        details = {"name": guardian.full_name}
        if everything or not guardian.address_hidden:
            details["address_lines"] = guardian.address_lines
        phones = [
            number
            for number, hidden in (
                (guardian.phone, guardian.phone_hidden),
                (guardian.mobile_phone, guardian.mobile_phone_hidden),
            )
            if number and (everything or not hidden)
        ]
        if phones:
            details["phones"] = phones
        if everything or not guardian.email_hidden:
            details["email"] = guardian.email
        return details


# --- The admin ---------------------------------------------------------------

# How each model reaches its school, for staff screens in the admin.
_SCHOOL_PATHS = {
    School: "pk",
    SchoolYear: "school",
    Group: "school",
    Pupil: "school",
    StaffMember: "school",
    Guardian: "guardianships__pupil__school",
    Guardianship: "pupil__school",
    ClassParent: "group__school",
    EmergencyContact: "pupil__school",
    Babysitter: "guardian__guardianships__pupil__school",
    PupilLinkCode: "pupil__school",
    AgendaItem: "school",
    AgendaException: "item__school",
    Mailing: "school",
    ReplySlipAnswer: "mailing__school",
}


def is_school_scoped(model):
    """Whether admin screens limit ``model`` to the user's own schools."""
    return model in _SCHOOL_PATHS


# Every staff member plans the agenda of their school and writes mailings (a teacher for
# their own groups, see ``editable_mailings``); people and structure belong to
# management and administration, school by school.
_ALL_STAFF_MODELS = {AgendaItem, AgendaException, Mailing, ReplySlipAnswer}


def staff_objects(user, model):
    """The ``model`` rows the admin shows a staff member.

    Agenda rows of every school they work at; people and structure only of the schools
    where they are management or administration. Django permissions follow the role groups
    of the whole account, so this per-school scope is what keeps a teacher at one school
    who administers another from reaching the first school's pupils.
    """
    if _is_anonymous(user):
        return model.objects.none()
    if user.is_superuser:
        return model.objects.all()
    path = _SCHOOL_PATHS[model]
    rights = scope(user)
    school_ids = (
        rights.staff_school_ids if model in _ALL_STAFF_MODELS else rights.managed_school_ids
    )
    if "__" not in path:
        return model.objects.filter(**{f"{path}__in": school_ids})
    # Through a to-many relation: a subquery instead of a join keeps rows unique.
    matching = model.objects.filter(**{f"{path}__in": school_ids}).values("pk")
    return model.objects.filter(pk__in=matching)


def staff_editable_objects(user, model):
    """The rows a staff member may change or delete (their role's permissions still apply)."""
    if model is AgendaItem:
        return editable_agenda_items(user)
    if model is Mailing:
        return editable_mailings(user)
    return staff_objects(user, model)


def staff_documents(user):
    """Documents the admin shows, offers and serves a staff member: their schools'."""
    from wagtail.documents import get_document_model

    if not may_use_admin(user):
        return get_document_model().objects.none()
    if user.is_superuser:
        return get_document_model().objects.all()
    return access_admin.documents_of_schools(scope(user).staff_school_ids)


def group_page_documents(user, page):
    """Files for a group page: the editor's schools' and what the page holds, whoever's."""
    return staff_documents(user) | access_admin.group_page_documents(page)


def group_page_images(user, page):
    """Photos for an album of group page ``page``: as ``group_page_documents``."""
    return staff_images(user) | access_admin.group_page_images(page)


def staff_tags(user):
    """Tags of the images and documents the admin shows a staff member."""
    return access_admin.tags_on(staff_images(user), staff_documents(user))


def staff_pages(user):
    """Pages the admin shows: their schools' home pages and what Wagtail lets them explore."""
    from wagtail.models import Page
    from wagtail.permission_policies.pages import PagePermissionPolicy

    if not may_use_admin(user):
        return Page.objects.none()
    if user.is_superuser:
        return Page.objects.all()
    explorable = PagePermissionPolicy().explorable_instances(user).values("pk")
    return access_admin.pages_of_schools(scope(user).staff_school_ids).filter(
        Q(depth=2) | Q(pk__in=explorable)
    )


def staff_images(user):
    """Images a staff member may see in the admin: those of collections they may choose or
    change images in (a teacher: their groups' pages), and their own uploads."""
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    model = get_image_model()
    if _is_anonymous(user) or not may_use_admin(user):
        return model.objects.none()
    policy = policy_registry.get_by_type(model)
    return policy.instances_user_has_any_permission_for(user, ["choose", "change"])


def may_use_admin(user):
    """Only staff reach the Wagtail admin; being a guardian never grants it."""
    return is_staff_member(user)
