"""Whom a parent can address, as parents see them: "juf Bakker – leerkracht groep 3".

The labels carry a staff member's display name, role and the groups they teach this
school year; never an e-mail address or phone number. The value a parent's browser sends
back is the staff member's id, checked against ``access.addressable_staff`` on every post.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from schoolportal import access
from schoolportal.people.models import Group, StaffRole


@dataclass(frozen=True)
class Addressee:
    value: str
    label: str
    school: str
    staff_member: object


def _group_name(name):
    # "Groep 3" reads "leerkracht groep 3" within a sentence.
    return name[:1].lower() + name[1:] if name.lower().startswith("groep") else name


def label(staff_member, groups):
    role = StaffRole(staff_member.role).label
    if staff_member.role == StaffRole.TEACHER and groups:
        role = f"{role} {', '.join(_group_name(group.name) for group in groups)}"
    return _("%(name)s – %(role)s") % {"name": staff_member.display_name, "role": role}


def addressees(user):
    """Everyone the parent may write to, by school then name: two queries in all."""
    today = timezone.localdate()
    current = Group.objects.filter(
        Q(school_year__start_date__lte=today) & Q(school_year__end_date__gte=today)
    ).order_by("lowest_year_level", "name")
    staff = (
        access.addressable_staff(user)
        .select_related("school")
        .prefetch_related(Prefetch("groups", queryset=current, to_attr="current_groups"))
        .order_by("school__name", "display_name", "pk")
    )
    return [
        Addressee(str(member.pk), label(member, member.current_groups), member.school.name, member)
        for member in staff
    ]


def grouped_choices(people):
    """Choices for a select: one optgroup per school."""
    schools = {}
    for person in people:
        schools.setdefault(person.school, []).append((person.value, person.label))
    return list(schools.items())


def matching(people, query, limit=10):
    """Addressees whose label contains every word typed, in any case."""
    words = query.lower().split()
    if not words:
        return []
    return [person for person in people if all(word in person.label.lower() for word in words)][
        :limit
    ]
