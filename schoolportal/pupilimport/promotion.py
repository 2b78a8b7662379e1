"""The start of a school year: every group moves up a year, groep 8 leaves.

Groups belong to a school year, and so do their group pages: the new year gets its own
groups (each with a new group page, through Group's save signal) and the pupils move into
them. Last year's groups, their pages, agenda items and mailings stay as they were, and a
mailing sent for a child stays that child's. A combination group with groep 8 (7/8) cannot
be moved by rule, since nobody recorded which of its pupils are in 8: the preview names it,
and staff place those pupils by hand or with the next import.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schoolportal.people.models import Group, Pupil, School, SchoolYear


@dataclass
class Promotion:
    school: School
    year: SchoolYear
    next_year: SchoolYear  # unsaved when it is still to be made
    moves: list = field(default_factory=list)  # (old group, new group name, pupil count)
    leaving: list = field(default_factory=list)  # (group, pupil count)
    by_hand: list = field(default_factory=list)  # (group, pupil count)


def next_name(name, step=1):
    """ "Groep 5/6" → "Groep 6/7": every year level in the name one up."""
    return re.sub(r"(?<!\d)([1-8])(?!\d)", lambda m: str(int(m.group(1)) + step), name)


def make_promotion(school):
    """What moving ``school``'s current year up would do."""
    year = school.current_school_year or school.school_years.order_by("-start_date").first()
    if year is None:
        raise ValidationError(_("Deze school heeft nog geen schooljaar."))
    next_year = school.school_years.filter(start_date__gt=year.start_date).order_by(
        "start_date"
    ).first() or _following(year)
    promotion = Promotion(school=school, year=year, next_year=next_year)
    counts = {
        g.pk: g
        for g in Group.objects.filter(school_year=year).order_by(
            "lowest_year_level", "highest_year_level", "name"
        )
    }
    pupils = dict.fromkeys(counts, 0)
    for group_id in (
        Pupil.objects.current().filter(group_id__in=counts).values_list("group_id", flat=True)
    ):
        pupils[group_id] += 1
    for pk, group in counts.items():
        if group.lowest_year_level == 8:
            promotion.leaving.append((group, pupils[pk]))
        elif group.highest_year_level == 8:
            promotion.by_hand.append((group, pupils[pk]))
        else:
            promotion.moves.append((group, next_name(group.name), pupils[pk]))
    return promotion


def _following(year):
    def shifted(day):
        try:
            return day.replace(year=day.year + 1)
        except ValueError:  # 29 February
            return day + datetime.timedelta(days=365)

    start, end = shifted(year.start_date), shifted(year.end_date)
    return SchoolYear(
        school_id=year.school_id, name=f"{start.year}-{end.year}", start_date=start, end_date=end
    )


@transaction.atomic
def promote(school):
    """Move ``school`` up a year; returns the Promotion carried out."""
    promotion = make_promotion(school)
    next_year = promotion.next_year
    if next_year.pk is None:
        next_year.save()
    existing = {g.name.lower(): g for g in Group.objects.filter(school_year=next_year)}
    for group, name, _count in promotion.moves:
        new_group = existing.get(name.lower())
        if new_group is None:
            new_group = Group.objects.create(
                school=school,
                school_year=next_year,
                name=name,
                lowest_year_level=group.lowest_year_level + 1,
                highest_year_level=group.highest_year_level + 1,
            )
        Pupil.objects.current().filter(group=group).update(group=new_group)
    # Leavers stay in groep 8 until the new year starts: they leave on its first day.
    leaving_groups = [group for group, _count in promotion.leaving]
    Pupil.objects.current().filter(group__in=leaving_groups).update(left_on=next_year.start_date)
    School.objects.filter(pk=school.pk).update(agenda_changed_at=timezone.now())
    return promotion
