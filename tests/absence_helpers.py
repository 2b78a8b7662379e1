"""What the absence tests share: a frozen clock and a family with a teacher."""

from dataclasses import dataclass
from datetime import datetime, time
from unittest import mock
from zoneinfo import ZoneInfo

from django.conf import settings

from schoolportal.agenda.models import AgendaItem
from schoolportal.people.models import Group, Guardian, Pupil, StaffMember
from tests.factories import GroupFactory, PupilFactory, StaffMemberFactory, UserFactory, parent_of


def at(day, hour=10, minute=0):
    """Freeze the clock at ``hour`` on ``day`` (school's time zone)."""
    moment = datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE))
    return mock.patch("django.utils.timezone.now", return_value=moment)


@dataclass
class Family:
    child: Pupil
    group: Group
    teacher: StaffMember
    parent: Guardian
    co_parent: Guardian


def family(teacher_email="juf.bakker@example.org", **school):
    group = GroupFactory(**{f"school_year__school__{k}": v for k, v in school.items()})
    teacher = StaffMemberFactory(school=group.school, user=UserFactory(email=teacher_email))
    group.teachers.add(teacher)
    child = PupilFactory(first_name="Daan", last_name="Jansen", group=group, school=group.school)
    parent = parent_of(child, first_name="Marieke", email="marieke@example.org")
    co_parent = parent_of(child, first_name="Peter", email="peter@example.org")
    return Family(child, group, teacher, parent, co_parent)


def holiday(school, first, last, title="Voorjaarsvakantie"):
    return AgendaItem.objects.create(
        school=school,
        title=title,
        start_date=first,
        end_date=last,
        all_day=True,
        whole_school=True,
        is_holiday=True,
    )
