"""Test data per domain object. Build the smallest world a test needs."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from schoolportal.people.models import (
    ClassParent,
    Group,
    Guardian,
    Guardianship,
    Pupil,
    Relation,
    School,
    SchoolYear,
    StaffMember,
    StaffRole,
)

PASSWORD = "een-goed-wachtwoord"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker{n}")
    password = factory.django.Password(PASSWORD)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Basisschool {n}")
    brin = factory.Sequence(lambda n: f"{n % 100:02d}{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    city = "Utrecht"
    email = factory.Sequence(lambda n: f"info{n}@school.example.org")
    phone = "030-1234567"


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear

    school = factory.SubFactory(SchoolFactory)
    name = "2026-2027"
    start_date = date(2026, 8, 24)
    end_date = date(2027, 7, 16)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    school_year = factory.SubFactory(SchoolYearFactory)
    school = factory.SelfAttribute("school_year.school")
    name = factory.Sequence(lambda n: f"Groep {n % 8 + 1}{'abcdefghij'[n // 8 % 10]}")
    lowest_year_level = 3
    highest_year_level = 3


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    first_name = factory.Sequence(lambda n: f"Kind{n}")
    last_name = "Test"
    date_of_birth = date(2019, 5, 1)
    group = factory.SubFactory(GroupFactory)
    school = factory.SelfAttribute("group.school")


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    user = factory.SubFactory(UserFactory)
    first_name = "Ouder"
    last_name = factory.Sequence(lambda n: f"Familie{n}")
    email = factory.SelfAttribute("user.email")
    street = "Dorpsstraat"
    house_number = "1"
    postcode = "1234 AB"
    city = "Utrecht"
    phone = "030-7654321"
    mobile_phone = "06-12345678"


class GuardianshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardianship

    guardian = factory.SubFactory(GuardianFactory)
    pupil = factory.SubFactory(PupilFactory)
    relation = Relation.PARENT


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    school = factory.SubFactory(SchoolFactory)
    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"juf Test{n}")
    email = factory.SelfAttribute("user.email")
    role = StaffRole.TEACHER


class ClassParentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassParent

    group = factory.SubFactory(GroupFactory)
    guardian = factory.SubFactory(GuardianFactory)


def parent_of(*pupils, **guardian_kwargs):
    """A guardian with an account, linked to each of ``pupils``."""
    guardian = GuardianFactory(**guardian_kwargs)
    for pupil in pupils:
        GuardianshipFactory(guardian=guardian, pupil=pupil)
    return guardian
