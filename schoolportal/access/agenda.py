"""The agenda: which items a user sees, and which a staff member changes."""

from django.db.models import Q

from schoolportal.agenda.models import AgendaItem

from .scope import editable_by_group, is_anonymous, scope


def agenda_items_for(user):
    """Agenda items the user sees: whole-school items of their schools and their groups' items.

    Staff see their schools' whole agenda.
    """
    if is_anonymous(user):
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
    if is_anonymous(user):
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
    return editable_by_group(AgendaItem, user, for_groups=Q(whole_school=False))
