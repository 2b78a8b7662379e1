"""What a user's rights rest on, read once per user object, and the schools they reach.

A user's children (with their groups and schools), staff memberships, taught groups and
klassenouder groups are read into a ``Scope`` when first needed: after that the rules
filter on plain id lists, so the number and the cost of queries do not grow with a family
or a group.
"""

from functools import cached_property

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save

from schoolportal.people.models import (
    ClassParent,
    Group,
    Guardian,
    Guardianship,
    Pupil,
    School,
    StaffMember,
    StaffRole,
    still_at_school,
)

SCHOOL_WIDE_ROLES = (StaffRole.MANAGEMENT, StaffRole.ADMINISTRATION)


def is_anonymous(user):
    """Whether ``user`` has no rights at all: nobody, logged out or deactivated."""
    return user is None or not user.is_authenticated or not user.is_active


_generation = 0


def _memberships_changed(**kwargs):
    """Children, groups, staff roles or teaching changed: every cached Scope is stale."""
    global _generation
    _generation += 1


for _model in (Guardianship, Pupil, StaffMember):
    post_save.connect(_memberships_changed, sender=_model, dispatch_uid=f"access-{_model}")
    post_delete.connect(_memberships_changed, sender=_model, dispatch_uid=f"access-d-{_model}")
m2m_changed.connect(_memberships_changed, sender=Group.teachers.through, dispatch_uid="access-t")


class Scope:
    """A user's children (with their groups and schools), staff memberships and taught groups.

    Each part is read with one small query when first needed, then kept on the user
    object (which lives for one request) until a membership changes anywhere.
    """

    def __init__(self, user):
        self.user = user
        self.generation = _generation

    def _rows(self, queryset):
        # A user without an id (anonymous) has nothing: the ORM would read ``user=None`` as
        # "rows of no user".
        return [] if self.user.pk is None else list(queryset)

    @cached_property
    def _children(self):
        # A child who left school no longer gives the family its groups and school; what was
        # addressed to that child (mailings) stays theirs through its own rule.
        children = Guardianship.objects.filter(
            still_at_school("pupil__"), guardian__user_id=self.user.pk
        )
        return self._rows(
            children.values_list(
                "pupil_id", "pupil__group_id", "pupil__school_id", "has_parental_authority"
            )
        )

    @cached_property
    def pupil_ids(self):
        return sorted({pupil for pupil, _group, _school, _authority in self._children})

    @cached_property
    def authority_pupil_ids(self):
        """The children the user has parental authority over: those they act for."""
        return sorted({pupil for pupil, _group, _school, authority in self._children if authority})

    @cached_property
    def group_ids(self):
        return sorted({group for _pupil, group, _school, _authority in self._children if group})

    @cached_property
    def child_school_ids(self):
        return sorted({school for _pupil, _group, school, _authority in self._children})

    @cached_property
    def _staff(self):
        # No ordering: StaffMember's default one joins and sorts.
        memberships = StaffMember.objects.filter(user_id=self.user.pk).order_by()
        return self._rows(memberships.values_list("school_id", "role"))

    @cached_property
    def staff_school_ids(self):
        return sorted({school for school, _role in self._staff})

    @cached_property
    def managed_school_ids(self):
        return sorted({school for school, role in self._staff if role in SCHOOL_WIDE_ROLES})

    @cached_property
    def class_parent_group_ids(self):
        groups = ClassParent.objects.filter(guardian__user_id=self.user.pk)
        return sorted(set(self._rows(groups.values_list("group_id", flat=True))))

    @cached_property
    def taught_group_ids(self):
        taught = Group.teachers.through.objects.filter(staffmember__user_id=self.user.pk)
        return sorted(set(self._rows(taught.values_list("group_id", flat=True))))


def scope(user):
    cached = user.__dict__.get("_access_scope")
    if cached is None or cached.generation != _generation:
        cached = user.__dict__["_access_scope"] = Scope(user)
    return cached


def all_children_ids(user):
    """Ids of every child the user is guardian of, also one who left school, as a subquery:
    their parents still see their photos and get their data in an export."""
    return Guardianship.objects.filter(guardian__user_id=user.pk).values("pupil_id")


def children_of_outer_user(user_ref):
    """A user's children for a subquery: those (still at school) of the user that
    ``user_ref`` points at. A child's leaving day changes the count, and so the feed."""
    return Pupil.objects.current().filter(guardianships__guardian__user=user_ref)


def staff_memberships_of_outer_user(user_ref):
    """Staff memberships of the user that ``user_ref`` points at, for a subquery."""
    return StaffMember.objects.filter(user=user_ref)


def guardian_for(user):
    """The guardian profile of a user, or None. Reads the cached reverse relation."""
    if is_anonymous(user):
        return None
    try:
        return user.guardian
    except Guardian.DoesNotExist:
        return None


def is_staff_member(user):
    return not is_anonymous(user) and (user.is_superuser or bool(scope(user).staff_school_ids))


def staff_schools(user):
    """Schools where the user works."""
    if is_anonymous(user):
        return School.objects.none()
    if user.is_superuser:
        return School.objects.all()
    return School.objects.filter(pk__in=scope(user).staff_school_ids)


def managed_schools(user):
    """Schools whose people and structure the user may change in the admin."""
    if is_anonymous(user):
        return School.objects.none()
    if user.is_superuser:
        return School.objects.all()
    return School.objects.filter(pk__in=scope(user).managed_school_ids)


def schools_for(user):
    """Schools the user belongs to: as staff, or as guardian of a pupil there."""
    if is_anonymous(user):
        return School.objects.none()
    if user.is_superuser:
        return School.objects.all()
    ids = set(scope(user).staff_school_ids) | set(scope(user).child_school_ids)
    return School.objects.filter(pk__in=sorted(ids))


def editable_by_group(model, user, for_groups):
    """Rows of ``model`` (with a school and groups) a staff member may change: every row of
    a school they manage; elsewhere, rows for groups (``for_groups``) that they all teach."""
    if is_anonymous(user):
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
