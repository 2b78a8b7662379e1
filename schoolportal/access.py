"""Who may see what: the single authority on visibility.

Every view, export and task asks these functions instead of writing its own
membership query. Each returns a queryset built from subqueries, so callers can
filter, annotate and count it further without extra round trips, and the number
of queries does not grow with the size of a family or a group.

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

from django.db.models import Q

from schoolportal.agenda.models import AgendaException, AgendaItem
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

SCHOOL_WIDE_ROLES = (StaffRole.MANAGEMENT, StaffRole.ADMINISTRATION)


def _is_anonymous(user):
    return user is None or not user.is_authenticated or not user.is_active


def guardian_for(user):
    """The guardian profile of a user, or None. Reads the cached reverse relation."""
    if _is_anonymous(user):
        return None
    try:
        return user.guardian
    except Guardian.DoesNotExist:
        return None


def _staff_memberships(user, roles=None):
    memberships = StaffMember.objects.filter(user=user)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return memberships


def is_staff_member(user):
    return not _is_anonymous(user) and (user.is_superuser or _staff_memberships(user).exists())


# --- Schools ---------------------------------------------------------------


def staff_schools(user, roles=None):
    """Schools where the user works (optionally only in the given roles)."""
    if _is_anonymous(user):
        return School.objects.none()
    if user.is_superuser:
        return School.objects.all()
    return School.objects.filter(pk__in=_staff_memberships(user, roles).values("school"))


def managed_schools(user):
    """Schools whose people and structure the user may change in the admin."""
    return staff_schools(user, roles=SCHOOL_WIDE_ROLES)


def schools_for(user):
    """Schools the user belongs to: as staff, or as guardian of a pupil there."""
    if _is_anonymous(user):
        return School.objects.none()
    if user.is_superuser:
        return School.objects.all()
    return School.objects.filter(
        Q(pk__in=_staff_memberships(user).values("school"))
        | Q(pk__in=own_pupils(user).values("school"))
    )


# --- Pupils ----------------------------------------------------------------


def own_pupils(user):
    """The user's own children: the pupils they may change."""
    if _is_anonymous(user):
        return Pupil.objects.none()
    return Pupil.objects.filter(guardianships__guardian__user=user)


def editable_pupils(user):
    """Pupils whose data the user may change: own children, or all of a managed school."""
    if _is_anonymous(user):
        return Pupil.objects.none()
    if user.is_superuser:
        return Pupil.objects.all()
    return Pupil.objects.filter(
        Q(pk__in=own_pupils(user).values("pk")) | Q(school__in=managed_schools(user))
    )


def pupils_for(user):
    """Pupils the user may see: classmates of their children, or everybody at their school."""
    if _is_anonymous(user):
        return Pupil.objects.none()
    if user.is_superuser:
        return Pupil.objects.all()
    return Pupil.objects.filter(
        Q(pk__in=own_pupils(user).values("pk"))
        | Q(group__in=own_pupils(user).filter(group__isnull=False).values("group"))
        | Q(school__in=staff_schools(user))
    )


# --- Groups ----------------------------------------------------------------


def groups_for(user):
    """Groups the user may see: those of their children, or all groups of their school."""
    if _is_anonymous(user):
        return Group.objects.none()
    if user.is_superuser:
        return Group.objects.all()
    return Group.objects.filter(
        Q(pk__in=own_pupils(user).filter(group__isnull=False).values("group"))
        | Q(school__in=staff_schools(user))
    )


def parent_groups(user):
    """Groups the user sees *as a parent* (through a child), whatever else they are."""
    if _is_anonymous(user):
        return Group.objects.none()
    return Group.objects.filter(pk__in=own_pupils(user).filter(group__isnull=False).values("group"))


def editable_groups(user):
    """Groups whose pages and data the user may change: taught groups, or a managed school's."""
    if _is_anonymous(user):
        return Group.objects.none()
    if user.is_superuser:
        return Group.objects.all()
    return Group.objects.filter(
        Q(teachers__user=user) | Q(school__in=managed_schools(user))
    ).distinct()


# --- Guardians and staff ----------------------------------------------------


def guardians_for(user):
    """Guardians the user may see at all (which fields, see ``ContactDetailsPolicy``)."""
    if _is_anonymous(user):
        return Guardian.objects.none()
    if user.is_superuser:
        return Guardian.objects.all()
    visible_pupils = pupils_for(user)
    return Guardian.objects.filter(
        Q(user=user) | Q(guardianships__pupil__in=visible_pupils)
    ).distinct()


def editable_guardians(user):
    """Guardians whose profile the user may change: their own, or all of a managed school."""
    if _is_anonymous(user):
        return Guardian.objects.none()
    if user.is_superuser:
        return Guardian.objects.all()
    return Guardian.objects.filter(
        Q(user=user) | Q(guardianships__pupil__school__in=managed_schools(user))
    ).distinct()


def own_babysitters(user):
    """The babysitters a guardian registered: only they (and staff) ever see them."""
    if _is_anonymous(user):
        return Babysitter.objects.none()
    return Babysitter.objects.filter(guardian__user=user)


def class_parents_for(user):
    """Class parents of the groups the user may see."""
    return ClassParent.objects.filter(group__in=groups_for(user))


def agenda_items_for(user):
    """Agenda items the user sees: whole-school items of their schools and their groups' items.

    Staff see their schools' whole agenda.
    """
    if _is_anonymous(user):
        return AgendaItem.objects.none()
    if user.is_superuser:
        return AgendaItem.objects.all()
    own_schools = own_pupils(user).values("school")
    return AgendaItem.objects.filter(
        Q(school__in=staff_schools(user))
        | Q(whole_school=True, school__in=own_schools)
        | Q(
            pk__in=AgendaItem.groups.through.objects.filter(group__in=parent_groups(user)).values(
                "agendaitem"
            )
        )
    )


def editable_agenda_items(user):
    """Items a staff member may change: all of a managed school's, or a teacher's own groups'.

    A teacher's item may not be whole-school and may not include a group they do not teach.
    """
    if _is_anonymous(user):
        return AgendaItem.objects.none()
    if user.is_superuser:
        return AgendaItem.objects.all()
    not_taught = Group.objects.exclude(pk__in=editable_groups(user).values("pk"))
    return AgendaItem.objects.filter(
        Q(school__in=managed_schools(user))
        | (
            Q(school__in=staff_schools(user), whole_school=False)
            & ~Q(
                pk__in=AgendaItem.groups.through.objects.filter(group__in=not_taught).values(
                    "agendaitem"
                )
            )
        )
    )


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
        self.staff_school_ids = set(staff_schools(viewer).values_list("pk", flat=True))

    def sees_everything(self, guardian, school):
        own = guardian.user_id is not None and guardian.user_id == self.viewer.pk
        return own or school.pk in self.staff_school_ids

    def details(self, guardian, school):
        everything = self.sees_everything(guardian, school)
        details = {"name": guardian.full_name}
        if everything or not guardian.address_hidden:
            details["address_lines"] = guardian.address_lines
        if everything or not guardian.phone_hidden:
            details["phones"] = [p for p in (guardian.phone, guardian.mobile_phone) if p]
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
}


def staff_objects(user, model):
    """The ``model`` rows of the schools a staff member works at (what the admin lists).

    What they may *do* with them is decided by their role's Django permissions.
    """
    if _is_anonymous(user):
        return model.objects.none()
    if user.is_superuser:
        return model.objects.all()
    path = _SCHOOL_PATHS[model]
    queryset = model.objects.filter(**{f"{path}__in": staff_schools(user)})
    return queryset.distinct() if "__" in path else queryset


def staff_editable_objects(user, model):
    """The rows a staff member may change or delete (their role's permissions still apply)."""
    if model is AgendaItem:
        return editable_agenda_items(user)
    return staff_objects(user, model)


def may_use_admin(user):
    """Only staff reach the Wagtail admin; being a guardian never grants it."""
    return is_staff_member(user)
