"""The demo school 'Basisschool De Regenboog', built deterministically and idempotently.

Every object is looked up by a natural key before it is created, so running the
command again changes nothing and duplicates nothing. A fixed random seed makes
the generated families the same on every machine.

This module builds the school, its site, year, groups and staff; each further part has its
own module (``families``, ``agenda``, ``mailings``, ``grouppages``, ``conversations``) with
a function that takes the builder for its ``get_or_create``, ``account``, seed and names.
"""

import json
import math
import random
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from pages.models import SchoolHomePage
from schoolportal.people.models import Group, School, SchoolYear, StaffMember, StaffRole

from .absences import build_absences
from .accesslog import build_accesslog
from .agenda import build_agenda
from .classposts import build_class_posts
from .consent import build_consent
from .conversations import build_conversations
from .families import (
    CHILDREN_PER_FAMILY,
    RESERVED_SURNAMES,
    ascii_slug,
    build_families,
    build_named_families,
)
from .grouppages import build_group_pages
from .interviews import build_interviews
from .lunch import build_lunch
from .mailings import build_mailings
from .newsletters import build_newsletters
from .reactions import build_reactions
from .results import build_results

DEMO_PASSWORD = "demo-wachtwoord"  # noqa: S105 - documented demo credential, refused in production
NAMES_FILE = settings.BASE_DIR / "site" / "demo" / "names.json"
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
        build_named_families(self, school, groups)
        build_families(self, school, groups)
        build_agenda(self, school, year, groups)
        build_mailings(self, school, groups)
        build_group_pages(self, school, groups)
        build_class_posts(self, school, groups)
        build_reactions(self, school, groups)
        build_conversations(self, school)
        build_absences(self, school)
        build_lunch(self, school)
        build_results(self, school, year)
        build_interviews(self, school, year, groups)
        build_newsletters(self, school, groups)
        build_consent(self, school)
        build_accesslog(self, school)
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
