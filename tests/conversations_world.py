"""The smallest world for Berichten tests: two schools, two families, their staff."""

from types import SimpleNamespace

from schoolportal.people.models import StaffRole
from tests.factories import (
    GroupFactory,
    PupilFactory,
    SchoolFactory,
    SchoolYearFactory,
    StaffMemberFactory,
    UserFactory,
    parent_of,
)


def build():
    """De Regenboog: groep 3 (Emma Jansen, taught by juf Bakker; Sophie de Vries), its
    directie and administratie; De Linde next door with meester Smit and the Visser family."""
    w = SimpleNamespace()
    w.school = SchoolFactory(name="Basisschool De Regenboog", email="info@regenboog.example.org")
    year = SchoolYearFactory(school=w.school)
    w.group = GroupFactory(school_year=year, name="Groep 3")
    w.bakker = StaffMemberFactory(
        school=w.school,
        display_name="juf Bakker",
        user=UserFactory(email="bakker@regenboog.example.org"),
    )
    w.group.teachers.add(w.bakker)
    w.director = StaffMemberFactory(
        school=w.school,
        display_name="meester De Boer",
        role=StaffRole.MANAGEMENT,
        user=UserFactory(email="directie@regenboog.example.org"),
    )
    w.emma = PupilFactory(group=w.group, first_name="Emma", last_name="Jansen")
    w.jansen = parent_of(
        w.emma,
        first_name="Peter",
        last_name="Jansen",
        user=UserFactory(email="peter@jansen.example.org"),
    )
    w.jansen_mother = parent_of(
        w.emma,
        first_name="Anna",
        last_name="Jansen",
        user=UserFactory(email="anna@jansen.example.org"),
    )
    w.sophie = PupilFactory(group=w.group, first_name="Sophie", last_name="de Vries")
    w.de_vries = parent_of(
        w.sophie,
        first_name="Marit",
        last_name="de Vries",
        user=UserFactory(email="marit@devries.example.org"),
    )

    w.other_school = SchoolFactory(name="Basisschool De Linde")
    other_group = GroupFactory(school_year=SchoolYearFactory(school=w.other_school))
    w.smit = StaffMemberFactory(
        school=w.other_school,
        display_name="meester Smit",
        user=UserFactory(email="smit@linde.example.org"),
    )
    other_group.teachers.add(w.smit)
    w.tim = PupilFactory(group=other_group, first_name="Tim", last_name="Visser")
    w.visser = parent_of(w.tim, first_name="Jan", last_name="Visser")
    return w
