"""A made-up export of a pupil administration of any size: for the tests and the bench."""

import csv
import io

HEADERS = [
    "Leerlingnummer",
    "Roepnaam",
    "Tussenvoegsel",
    "Achternaam",
    "Geboortedatum",
    "Groep",
    "Ouder 1 roepnaam",
    "Ouder 1 tussenvoegsel",
    "Ouder 1 achternaam",
    "Ouder 1 e-mail",
    "Ouder 1 telefoon",
    "Ouder 1 relatie",
    "Ouder 2 roepnaam",
    "Ouder 2 tussenvoegsel",
    "Ouder 2 achternaam",
    "Ouder 2 e-mail",
    "Ouder 2 relatie",
]
FIRST_NAMES = ["Emma", "Daan", "Sophie", "Liam", "Julia", "Noah", "Tess", "Sem", "Mila", "Lucas"]
LAST_NAMES = ["Jansen", "de Vries", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer"]


def sample_rows(count, start=1000):
    """``count`` pupils spread over groep 1 to 8, each with two guardians; brothers and
    sisters (every third pupil and the next) share their parents."""
    rows = []
    for n in range(count):
        family = n - (n % 3 == 1)
        last = LAST_NAMES[family % len(LAST_NAMES)]
        infix, _space, surname = last.rpartition(" ")
        level = n % 8 + 1
        rows.append(
            [
                str(start + n),
                FIRST_NAMES[n % len(FIRST_NAMES)],
                infix,
                f"{surname}{family}",
                f"{(n % 28) + 1:02d}-{(n % 12) + 1:02d}-{2022 - level}",
                f"Groep {level}",
                "Anne",
                infix,
                f"{surname}{family}",
                f"ouder1.{family}@example.org",
                "06-12345678",
                "moeder",
                "Bas",
                infix,
                f"{surname}{family}",
                f"ouder2.{family}@example.org",
                "vader",
            ]
        )
    return rows


def as_csv(rows, headers=HEADERS, delimiter=";"):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def school_rows(school):
    """The school's current pupils as an export in ``HEADERS``' columns (two guardians each,
    mother first): how the demo's sample file was made."""
    from schoolportal.people.models import Pupil

    pupils = (
        Pupil.objects.current()
        .filter(school=school)
        .select_related("group")
        .prefetch_related("guardianships__guardian")
        .order_by("pupil_number", "pk")
    )
    rows = []
    for pupil in pupils:
        links = sorted(pupil.guardianships.all(), key=lambda g: (g.relation != "mother", g.pk))
        guardians = []
        for link in links[:2]:
            guardian = link.guardian
            guardians.append(
                [
                    guardian.first_name,
                    guardian.infix,
                    guardian.last_name,
                    guardian.email,
                    link.get_relation_display(),
                ]
            )
        while len(guardians) < 2:
            guardians.append(["", "", "", "", ""])
        (first1, infix1, last1, email1, relation1) = guardians[0]
        (first2, infix2, last2, email2, relation2) = guardians[1]
        phone = links[0].guardian.mobile_phone or links[0].guardian.phone if links else ""
        rows.append(
            [
                pupil.pupil_number,
                pupil.first_name,
                pupil.infix,
                pupil.last_name,
                pupil.date_of_birth.strftime("%d-%m-%Y"),
                pupil.group.name if pupil.group else "",
                first1,
                infix1,
                last1,
                email1,
                phone,
                relation1,
                first2,
                infix2,
                last2,
                email2,
                relation2,
            ]
        )
    return rows
