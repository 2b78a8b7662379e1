"""Reading an export of the pupil administration: CSV or XLSX, one pupil a row.

Headers are recognised the way Dutch administrations name them ("Leerlingnummer",
"Roepnaam", "Ouder 1 e-mail"…): case, spaces, dots and dashes do not matter. Columns we do
not know are ignored, so a full export can be uploaded as it is.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from schoolportal.spreadsheets import read_table

# Largest file we read: a whole school's export is well under a megabyte.
MAX_FILE_SIZE = 5 * 1024 * 1024

PUPIL_FIELDS = {
    "number": ("leerlingnummer", "leerlingnr", "llnr", "lln", "leerlingid", "nummer"),
    "first_name": ("roepnaam", "voornaam", "roepnaamleerling"),
    "infix": ("tussenvoegsel", "tussenvoegsels", "voorvoegsel"),
    "last_name": ("achternaam", "geslachtsnaam", "achternaamleerling"),
    "date_of_birth": ("geboortedatum", "geboren", "gebdatum"),
    "group": ("groep", "klas", "groepsnaam", "stamgroep"),
}
GUARDIAN_FIELDS = {
    "first_name": ("roepnaam", "voornaam", "voorletters"),
    "infix": ("tussenvoegsel", "tussenvoegsels", "voorvoegsel"),
    "last_name": ("achternaam", "naam", "geslachtsnaam"),
    "email": ("email", "emailadres", "mail"),
    "phone": ("telefoon", "telefoonnummer", "tel", "mobiel", "mobielnummer", "gsm"),
    "relation": ("relatie", "relatietotleerling", "rol"),
    "authority": ("gezag", "ouderlijkgezag", "heeftgezag"),
}
GUARDIAN_PREFIX = re.compile(r"^(ouder|verzorger|ouderverzorger|contactpersoon|oudervoogd)([12])")
GUARDIAN_SLOTS = (1, 2)


def _key(header):
    return re.sub(r"[\s._\-/()]+", "", str(header or "").strip().lower())


def column_for(header):
    """The field a header stands for ("number", "guardian1_email", …), or None."""
    key = _key(header)
    for field, names in PUPIL_FIELDS.items():
        if key in names:
            return field
    match = GUARDIAN_PREFIX.match(key)
    if match:
        rest = key[match.end() :]
        for field, names in GUARDIAN_FIELDS.items():
            if rest in names:
                return f"guardian{match.group(2)}_{field}"
    return None


def read_rows(uploaded):
    """[(line number, {field: value})] of an uploaded CSV or XLSX file.

    Line numbers are those a spreadsheet shows: the header is line 1. Raises
    ValidationError with a message for staff when the file cannot be read at all.
    """
    if uploaded.size > MAX_FILE_SIZE:
        raise ValidationError(_("Het bestand is groter dan 5 MB; is dit wel een leerlingexport?"))
    return _rows(read_table(uploaded))


def _rows(table):
    if not table:
        raise ValidationError(_("Het bestand is leeg."))
    columns = [column_for(header) for header in table[0]]
    missing = [
        label
        for field, label in (
            ("number", "Leerlingnummer"),
            ("first_name", "Roepnaam"),
            ("last_name", "Achternaam"),
            ("date_of_birth", "Geboortedatum"),
            ("group", "Groep"),
        )
        if field not in columns
    ]
    if missing:
        raise ValidationError(
            _("Deze kolommen ontbreken: %(columns)s. De eerste regel moet de kolomnamen bevatten.")
            % {"columns": ", ".join(missing)}
        )
    rows = []
    for line, values in enumerate(table[1:], start=2):
        row = {}
        for column, value in zip(columns, values, strict=False):
            if column and column not in row:
                row[column] = value
        if any(row.values()):
            rows.append((line, row))
    if not rows:
        raise ValidationError(_("Het bestand bevat geen leerlingen, alleen kolomnamen."))
    return rows
