"""The demo school 'Basisschool De Regenboog', built deterministically and idempotently.

Every object is looked up by a natural key before it is created, so running the
command again changes nothing and duplicates nothing. A fixed random seed makes
the generated families the same on every machine.
"""

import json
import math
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from pages.models import SchoolHomePage
from schoolportal.agenda.models import AgendaException, AgendaItem, Repeat
from schoolportal.demo.grouppages import build_group_pages
from schoolportal.demo.mailings import build_mailings
from schoolportal.people.models import (
    Babysitter,
    ClassParent,
    EmergencyContact,
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

DEMO_PASSWORD = "demo-wachtwoord"  # noqa: S105 - documented demo credential, refused in production
NAMES_FILE = settings.BASE_DIR / "site" / "demo" / "names.json"
RESERVED_FIRST_NAMES = {"Emma", "Daan", "Sophie"}
RESERVED_SURNAMES = {("", "Jansen"), ("de", "Vries")}
CHILDREN_PER_FAMILY = 1.75  # the weights of build_families: 1, 2 or 3 children
CLASS_SIZE = 28

TEACHERS = [
    # (year level, display name, first name, infix, last name, e-mail or None)
    (1, "juf Mulder", "Ingrid", "", "Mulder", None),
    (2, "juf Willems", "Sanne", "", "Willems", None),
    (3, "juf Bakker", "Linda", "", "Bakker", "juf.bakker@example.org"),
    (4, "meester De Graaf", "Tom", "de", "Graaf", None),
    (5, "juf Peters", "Kim", "", "Peters", None),
    (6, "meester Hendriks", "Rob", "", "Hendriks", None),
    (7, "meester Visser", "Mark", "", "Visser", "meester.visser@example.org"),
    (8, "juf Van Dijk", "Esther", "van", "Dijk", None),
]


@dataclass
class DemoReport:
    created: dict = field(default_factory=dict)

    def count(self, label, created):
        if created:
            self.created[label] = self.created.get(label, 0) + 1


def ascii_slug(*parts):
    text = ".".join(p for p in parts if p).replace(" ", "")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return text.lower().replace("'", "")


def school_year_bounds(today):
    """The Dutch school year around ``today``: late August to mid July."""
    start_year = today.year if today.month >= 8 else today.year - 1
    return start_year, date(start_year, 8, 24), date(start_year + 1, 7, 16)


class DemoSchoolBuilder:
    def __init__(self, families=120, stdout=None):
        self.families = families
        self.rng = random.Random(20261130)
        self.report = DemoReport()
        self.names = json.loads(NAMES_FILE.read_text(encoding="utf-8"))
        teacher_surnames = {(t[3], t[4]) for t in TEACHERS}
        self.surnames = [
            tuple(s)
            for s in self.names["surnames"]
            if tuple(s) not in RESERVED_SURNAMES and tuple(s) not in teacher_surnames
        ]
        self.used_emails = set()

    # -- helpers ---------------------------------------------------------------------

    def get_or_create(self, model, defaults=None, **lookup):
        obj, created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        self.report.count(model._meta.verbose_name_plural, created)
        return obj

    def account(self, email, first_name, last_name, **extra):
        """A login with the demo password, created once; an existing one is left alone."""
        User = get_user_model()
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, DEMO_PASSWORD, first_name=first_name, last_name=last_name, **extra
            )
            self.report.count("accounts", True)
        return user

    # -- the school ------------------------------------------------------------------

    @transaction.atomic
    def build(self):
        school = self.build_school()
        self.build_site(school)
        year = self.build_school_year(school)
        groups = self.build_groups(school, year)
        self.build_staff(school, groups)
        self.build_named_families(school, groups)
        self.build_families(school, groups)
        self.build_agenda(school, year, groups)
        build_mailings(self, school, groups)
        build_group_pages(self, school, groups)
        return self.report

    def build_school(self):
        return self.get_or_create(
            School,
            brin="07XR",
            defaults={
                "name": "Basisschool De Regenboog",
                "street": "Regenboogstraat",
                "house_number": "12",
                "postcode": "3811 BK",
                "city": "Amersfoort",
                "phone": "033-4651200",
                "email": "info@deregenboog.example.org",
                "website": "https://deregenboog.example.org",
                "support_text": (
                    "Vragen over het ouderportaal? Mail de administratie via "
                    "info@deregenboog.example.org of bel 033-4651200 (ma t/m vr, 8.30–16.00 uur)."
                ),
                "results_enabled": True,
                "lunch_enabled": True,
            },
        )

    def build_site(self, school):
        home = SchoolHomePage.objects.filter(school=school).first()
        if home is None:
            root = Page.get_first_root_node()
            home = root.add_child(
                instance=SchoolHomePage(
                    title=school.name,
                    slug="de-regenboog",
                    school=school,
                    intro=(
                        "<p>Welkom bij De Regenboog, de school waar ieder kind zijn eigen kleur "
                        "mag laten zien. Ouders en verzorgers vinden na het inloggen mailings, "
                        "de agenda en de groepspagina's.</p>"
                    ),
                )
            )
            self.report.count("schoolhomepagina's", True)
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name=school.name,
            )
        elif site.root_page_id != home.pk:
            old_root = site.root_page
            site.root_page = home
            site.site_name = school.name
            site.save()
            # Wagtail's placeholder "Welcome to your new Wagtail site!" page.
            if old_root.specific_class is Page and old_root.depth == 2:
                old_root.delete()
        return home

    def build_school_year(self, school):
        start_year, start, end = school_year_bounds(timezone.localdate())
        return self.get_or_create(
            SchoolYear,
            school=school,
            name=f"{start_year}-{start_year + 1}",
            defaults={"start_date": start, "end_date": end},
        )

    def build_groups(self, school, year):
        """One group per year level; a large school (``--families``) gets parallel groups
        of about 28 ("Groep 3", "Groep 3B", ...). Returns the first group of each level."""
        per_level = max(1, math.ceil(self.families * CHILDREN_PER_FAMILY / 8 / CLASS_SIZE))
        groups = {}
        self.parallel_groups = {}
        for level in range(1, 9):
            names = [f"Groep {level}"] + [
                f"Groep {level}{chr(ord('A') + n)}" for n in range(1, per_level)
            ]
            self.parallel_groups[level] = [
                self.get_or_create(
                    Group,
                    school_year=year,
                    name=name,
                    defaults={
                        "school": school,
                        "lowest_year_level": level,
                        "highest_year_level": level,
                    },
                )
                for name in names
            ]
            groups[level] = self.parallel_groups[level][0]
        return groups

    def build_staff(self, school, groups):
        for level, display, first, infix, last, email in TEACHERS:
            address = email or f"{ascii_slug(first, infix, last)}@deregenboog.example.org"
            user = (
                self.account(address, first, " ".join(p for p in (infix, last) if p))
                if email
                else None
            )
            teacher = self.get_or_create(
                StaffMember,
                school=school,
                email=address,
                defaults={"display_name": display, "role": StaffRole.TEACHER, "user": user},
            )
            groups[level].teachers.add(teacher)
        # A duo teacher shared by groups 5 and 6.
        duo = self.get_or_create(
            StaffMember,
            school=school,
            email="anja.kok@deregenboog.example.org",
            defaults={"display_name": "juf Kok", "role": StaffRole.TEACHER},
        )
        groups[5].teachers.add(duo)
        groups[6].teachers.add(duo)

        director = self.account("directie@example.org", "Karin", "Smit", is_superuser=True)
        self.get_or_create(
            StaffMember,
            school=school,
            email="directie@example.org",
            defaults={
                "display_name": "Karin Smit (directeur)",
                "role": StaffRole.MANAGEMENT,
                "user": director,
            },
        )
        self.get_or_create(
            StaffMember,
            school=school,
            email="administratie@deregenboog.example.org",
            defaults={
                "display_name": "Petra Meijer (administratie)",
                "role": StaffRole.ADMINISTRATION,
            },
        )

    def build_named_families(self, school, groups):
        """The families the README names, easy to recognise in every list."""
        start_year = groups[1].school_year.start_date.year
        jansen_user = self.account("ouder.jansen@example.org", "Marieke", "Jansen")
        marieke = self.get_or_create(
            Guardian,
            email="ouder.jansen@example.org",
            defaults={
                "user": jansen_user,
                "first_name": "Marieke",
                "last_name": "Jansen",
                "street": "Lindelaan",
                "house_number": "7",
                "postcode": "3812 CD",
                "city": "Amersfoort",
                "phone": "033-4567890",
                "mobile_phone": "06-12345678",
                "address_hidden": False,
                "phone_hidden": False,
                "mobile_phone_hidden": False,
                "email_hidden": True,
            },
        )
        peter = self.get_or_create(
            Guardian,
            email="peter.jansen@example.net",
            defaults={
                "first_name": "Peter",
                "last_name": "Jansen",
                "street": "Lindelaan",
                "house_number": "7",
                "postcode": "3812 CD",
                "city": "Amersfoort",
                "mobile_phone": "06-23456789",
                "address_hidden": False,
                "phone_hidden": False,
                "mobile_phone_hidden": False,
            },
        )
        emma = self.pupil(
            school, groups[3], "Emma", "", "Jansen", date(start_year - 6, 3, 14), marieke
        )
        daan = self.pupil(
            school, groups[7], "Daan", "", "Jansen", date(start_year - 10, 9, 2), marieke
        )
        for child in (emma, daan):
            self.guardianship(marieke, child, Relation.MOTHER)
            self.guardianship(peter, child, Relation.FATHER)
        self.get_or_create(ClassParent, group=groups[3], guardian=marieke)
        self.get_or_create(
            Babysitter,
            guardian=marieke,
            name="Lisa Hoekman",
            defaults={
                "phone": "06-45678901",
                "notes": "Haalt Emma en Daan op dinsdag en donderdag van school.",
            },
        )
        self.get_or_create(
            EmergencyContact,
            pupil=emma,
            name="Oma Jansen",
            defaults={"relation": "oma", "phone": "033-4561122"},
        )
        if not emma.allergies:
            emma.allergies = "Pinda's"
            emma.save(update_fields=["allergies"])

        devries_user = self.account("ouder.devries@example.org", "Annelies", "de Vries")
        annelies = self.get_or_create(
            Guardian,
            email="ouder.devries@example.org",
            defaults={
                "user": devries_user,
                "first_name": "Annelies",
                "infix": "de",
                "last_name": "Vries",
                "street": "Kastanjehof",
                "house_number": "23",
                "postcode": "3815 KL",
                "city": "Amersfoort",
                "mobile_phone": "06-34567890",
                "address_hidden": True,
                "phone_hidden": True,
                "mobile_phone_hidden": True,
                "email_hidden": True,
            },
        )
        sophie = self.pupil(
            school, groups[3], "Sophie", "de", "Vries", date(start_year - 6, 11, 21), annelies
        )
        self.guardianship(annelies, sophie, Relation.MOTHER)

    def pupil(self, school, group, first, infix, last, born, address_from):
        return self.get_or_create(
            Pupil,
            school=school,
            first_name=first,
            infix=infix,
            last_name=last,
            date_of_birth=born,
            defaults={
                "group": group,
                "street": address_from.street,
                "house_number": address_from.house_number,
                "postcode": address_from.postcode,
                "city": address_from.city,
            },
        )

    def guardianship(self, guardian, pupil, relation):
        return self.get_or_create(
            Guardianship, guardian=guardian, pupil=pupil, defaults={"relation": relation}
        )

    # -- generated families --------------------------------------------------------

    def build_families(self, school, groups):
        rng = self.rng
        start_year = groups[1].school_year.start_date.year
        # Counted in memory, not read from the database, so a second run makes the same choices.
        sizes = dict.fromkeys(groups, 0)
        sizes[3], sizes[7] = 2, 1  # the named families
        group_sizes = {group.pk: 0 for level in groups for group in self.parallel_groups[level]}
        group_sizes[groups[3].pk], group_sizes[groups[7].pk] = 2, 1
        for number in range(1, self.families + 1):
            infix, surname = rng.choice(self.surnames)
            kind = rng.choices(["couple", "separated", "single"], weights=[70, 15, 15])[0]
            children = rng.choices([1, 2, 3], weights=[40, 45, 15])[0]
            first_parent = self.generated_guardian(
                number, "a", rng.choice(self.names["women"]), infix, surname
            )
            parents = [(first_parent, Relation.MOTHER)]
            if kind != "single":
                second = self.generated_guardian(
                    number,
                    "b",
                    rng.choice(self.names["men"]),
                    infix,
                    surname,
                    same_address_as=first_parent if kind == "couple" else None,
                )
                parents.append((second, Relation.FATHER))
            levels = sorted(range(1, 9), key=lambda level: (sizes[level], rng.random()))[:children]
            for level in levels:
                girl = rng.random() < 0.5
                first = rng.choice(self.names["girls" if girl else "boys"])
                while first in RESERVED_FIRST_NAMES:
                    first = rng.choice(self.names["girls" if girl else "boys"])
                age = level + 4
                born = date(start_year - age, 10, 1) + timedelta(days=rng.randrange(365))
                group = min(self.parallel_groups[level], key=lambda g: group_sizes[g.pk])
                child = self.pupil(school, group, first, infix, surname, born, first_parent)
                sizes[level] += 1
                group_sizes[group.pk] += 1
                for parent, relation in parents:
                    self.guardianship(parent, child, relation)
        for group in (g for level in groups for g in self.parallel_groups[level]):
            if not group.class_parents.exists():
                candidate = (
                    Guardian.objects.filter(guardianships__pupil__group=group)
                    .order_by("last_name", "first_name")
                    .first()
                )
                if candidate:
                    self.get_or_create(ClassParent, group=group, guardian=candidate)

    def build_agenda(self, school, year, groups):
        build_agenda(self, school, year, groups, self.parallel_groups)

    def generated_guardian(self, number, role, first, infix, surname, same_address_as=None):
        rng = self.rng
        email = f"{ascii_slug(first, infix, surname)}.{number}{role}@example.net"
        if same_address_as is not None:
            address = {
                "street": same_address_as.street,
                "house_number": same_address_as.house_number,
                "postcode": same_address_as.postcode,
                "city": same_address_as.city,
            }
        else:
            address = {
                "street": rng.choice(self.names["streets"]),
                "house_number": str(rng.randint(1, 180)),
                "postcode": rng.choice(self.names["postcodes"]),
                "city": "Amersfoort",
            }
        shares = rng.random() < 0.55
        return self.get_or_create(
            Guardian,
            email=email,
            defaults={
                "first_name": first,
                "infix": infix,
                "last_name": surname,
                "mobile_phone": f"06-{rng.randint(10000000, 99999999)}",
                "address_hidden": not shares,
                "phone_hidden": rng.random() < 0.5,
                "mobile_phone_hidden": rng.random() < 0.5,
                "email_hidden": rng.random() < 0.8,
                **address,
            },
        )


def on_weekday(day, weekday=0):
    """The first date on or after ``day`` that falls on ``weekday`` (Monday is 0)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def holidays(start_year):
    """Regio midden, roughly as the ministry sets them."""
    return [
        ("Herfstvakantie", date(start_year, 10, 17), date(start_year, 10, 25)),
        ("Kerstvakantie", date(start_year, 12, 19), date(start_year + 1, 1, 3)),
        ("Voorjaarsvakantie", date(start_year + 1, 2, 20), date(start_year + 1, 2, 28)),
        ("Meivakantie", date(start_year + 1, 4, 24), date(start_year + 1, 5, 2)),
        ("Zomervakantie", date(start_year + 1, 7, 17), date(start_year + 1, 8, 29)),
    ]


def _agenda_item(builder, school, title, start, end=None, groups=(), **fields):
    item = builder.get_or_create(
        AgendaItem,
        school=school,
        title=title,
        start_date=start,
        defaults={"end_date": end or start, "whole_school": not groups, **fields},
    )
    if groups and set(item.groups.all()) != set(groups):
        # A ParentalManyToManyField is written to the database when its item is saved.
        item.groups.set(groups)
        item.save()
    return item


def build_agenda(builder, school, year, groups, parallel_groups):
    start_year = year.start_date.year
    breaks = holidays(start_year)
    for title, first, last in breaks:
        _agenda_item(
            builder, school, title, first, last, all_day=True, description="Alle groepen zijn vrij."
        )
    for title, day in [
        ("Studiedag: alle kinderen vrij", on_weekday(date(start_year, 11, 18), 2)),
        ("Studiedag: alle kinderen vrij", on_weekday(date(start_year + 1, 3, 15), 0)),
    ]:
        _agenda_item(
            builder,
            school,
            title,
            day,
            all_day=True,
            description="Het team volgt een scholing. Er is geen opvang op school.",
        )
    _agenda_item(
        builder,
        school,
        "Sportdag",
        on_weekday(date(start_year + 1, 6, 3), 4),
        start_time=time(8, 30),
        end_time=time(14, 0),
        location="Sportpark De Hoef",
        description="De hele school sport. Neem gymkleding, een lunch en drinken mee.",
    )
    _agenda_item(
        builder,
        school,
        "Excursie kinderboerderij",
        on_weekday(date(start_year, 9, 22), 1),
        start_time=time(9, 0),
        end_time=time(12, 0),
        groups=[groups[3]],
        location="Kinderboerderij De Schaapskooi",
        description="We lopen samen naar de kinderboerderij. Hulpouders zijn welkom.",
    )
    camp = on_weekday(date(start_year + 1, 6, 14), 2)
    _agenda_item(
        builder,
        school,
        "Kamp groep 7",
        camp,
        camp + timedelta(days=2),
        all_day=True,
        groups=[groups[7]],
        location="Kampeerboerderij De Veluwe",
        description="Drie dagen op kamp. De paklijst volgt in een mailing.",
    )
    first_school_day = on_weekday(year.start_date, 0)
    last_school_day = breaks[-1][1] - timedelta(days=1)
    for level, group in ((lvl, g) for lvl in groups for g in parallel_groups[lvl]):
        weekday = (level - 1) % 5
        first = on_weekday(first_school_day, weekday)
        hour = 9 + level % 5
        gym = _agenda_item(
            builder,
            school,
            f"Gym {group.name}",
            first,
            groups=[group],
            start_time=time(hour, 0),
            end_time=time(hour, 45),
            location="Gymzaal Regenboog",
            repeat=Repeat.WEEKLY,
            repeat_until=last_school_day,
            description="Vergeet de gymschoenen niet.",
        )
        for _title, holiday_start, holiday_end in breaks[:-1]:
            day = on_weekday(holiday_start, weekday)
            while day <= holiday_end:
                builder.get_or_create(AgendaException, item=gym, date=day)
                day += timedelta(days=7)
