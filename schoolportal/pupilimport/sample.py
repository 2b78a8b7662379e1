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
    "Ouder 1 achternaam",
    "Ouder 1 e-mail",
    "Ouder 1 telefoon",
    "Ouder 1 relatie",
    "Ouder 2 roepnaam",
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
                f"{surname}{family}",
                f"ouder1.{family}@example.org",
                "06-12345678",
                "moeder",
                "Bas",
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
