"""Admin rights follow a staff member's role: their account joins the matching Wagtail group.

Teachers reach the admin (their group pages get page permissions when those
exist); administration and management also change the school's people and structure.
"""

from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.db import transaction

from .models import StaffMember, StaffRole

ROLE_GROUP_NAMES = {
    StaffRole.TEACHER: "Leerkrachten",
    StaffRole.ADMINISTRATION: "Administratie",
    StaffRole.MANAGEMENT: "Directie",
}

PEOPLE_MODELS = (
    "school",
    "schoolyear",
    "group",
    "pupil",
    "guardian",
    "guardianship",
    "staffmember",
    "classparent",
)


def _permissions_for(role):
    codenames = ["access_admin"]
    if role in (StaffRole.ADMINISTRATION, StaffRole.MANAGEMENT):
        for model in PEOPLE_MODELS:
            if model == "school" and role != StaffRole.MANAGEMENT:
                codenames.append("view_school")
                continue
            codenames += [f"{action}_{model}" for action in ("add", "change", "delete", "view")]
    return Permission.objects.filter(
        codename__in=codenames, content_type__app_label__in=("people", "wagtailadmin")
    )


def role_group(role):
    """The Wagtail group for a role, created with its permissions on first use."""
    group, created = AuthGroup.objects.get_or_create(name=ROLE_GROUP_NAMES[role])
    if created:
        group.permissions.set(_permissions_for(role))
    return group


@transaction.atomic
def sync_admin_groups(user):
    """Put the user in exactly the role groups of their staff memberships (at any school)."""
    if user is None:
        return
    roles = set(StaffMember.objects.filter(user=user).values_list("role", flat=True))
    for role in StaffRole:
        group = role_group(role)
        if role in roles:
            user.groups.add(group)
        else:
            user.groups.remove(group)
