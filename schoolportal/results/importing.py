"""The import of a whole group's test results (CSV or XLSX): read, check, preview, then save.

A teacher exports the results from the pupil tracking system and uploads them for one group.
Every row is checked before anything is saved: a bad row is reported with its line number
and nothing of the file is imported. The preview says which results are new, which change
and which stay the same; the import saves them in one transaction. A pupil has one result
per test and date, so importing the same file twice changes nothing the second time.

Headers are Dutch and matched without regard to case, spaces or order. The pupil is found by
"Leerlingnummer" when the file has it (the pupil administration's number, the same in every
export); otherwise, or where a row leaves it empty, by "Leerling" (the whole name) or
"Voornaam"/"Tussenvoegsel"/"Achternaam", with "Geboortedatum" to tell apart two children of
the same name. Then "Toets", "Datum", "Score" and/or "Niveau", and optionally "Opmerking".
A pupil who left the school is never matched: results are for the children in the group.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from .models import LEVELS, TestResult

MAX_ROWS = 2000
HEADERS = {
    "leerlingnummer": "number",
    "leerling nummer": "number",
    "leerlingnr": "number",
    "llnr": "number",
    "leerling": "name",
    "naam": "name",
    "naam leerling": "name",
    "voornaam": "first_name",
    "roepnaam": "first_name",
    "tussenvoegsel": "infix",
    "tussenvoegsels": "infix",
    "achternaam": "last_name",
    "geboortedatum": "date_of_birth",
    "toets": "test_name",
    "toetsnaam": "test_name",
    "datum": "taken_on",
    "afnamedatum": "taken_on",
    "score": "score",
    "vaardigheidsscore": "score",
    "niveau": "level",
    "opmerking": "note",
    "toelichting": "note",
}
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%y")
FIELDS = ("score", "level", "note")


class BadFile(Exception):
    """The file as a whole cannot be read (no rows, unknown headers)."""


@dataclass
class Row:
    line: int
    pupil: object
    test_name: str
    taken_on: date
    score: Decimal | None
    level: str
    note: str
    existing: TestResult | None = None

    @property
    def is_new(self):
        return self.existing is None

    @property
    def changes(self):
        """[(field, old, new)] of an existing result; [] when the row changes nothing."""
        if self.existing is None:
            return []
        return [
            (
                str(TestResult._meta.get_field(name).verbose_name),
                getattr(self.existing, name),
                getattr(self, name),
            )
            for name in FIELDS
            if getattr(self.existing, name) != getattr(self, name)
        ]


@dataclass
class Plan:
    """What the file would do: bad rows (line, message), or the rows to add and change."""

    errors: list = field(default_factory=list)
    new: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)

    @property
    def has_work(self):
        return not self.errors and bool(self.new or self.changed)


def read_rows(table):
    """[(line number, {field: value})] of the non-empty rows of a file's table (header
    first, as ``schoolportal.spreadsheets.read_table`` gives it); BadFile for a bad header."""
    if not table or not any(table[0]):
        raise BadFile(_("Het bestand is leeg."))
    columns = [HEADERS.get(" ".join(str(cell).lower().split())) for cell in table[0]]
    known = set(columns) - {None}
    has_name = "name" in known or {"first_name", "last_name"} <= known
    missing = [
        label
        for label, ok in (
            (
                _("Leerlingnummer of Leerling (of Voornaam en Achternaam)"),
                has_name or "number" in known,
            ),
            (_("Toets"), "test_name" in known),
            (_("Datum"), "taken_on" in known),
            (_("Score of Niveau"), bool({"score", "level"} & known)),
        )
        if not ok
    ]
    if missing:
        raise BadFile(
            _("De eerste regel mist de kolom(men): %(columns)s.") % {"columns": ", ".join(missing)}
        )
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        if not any(str(cell).strip() for cell in cells):
            continue
        values = {}
        for column, cell in zip(columns, cells, strict=False):
            if column and column not in values:
                values[column] = str(cell).strip()
        rows.append((line, values))
        if len(rows) > MAX_ROWS:
            raise BadFile(_("Het bestand heeft meer dan %(max)s regels.") % {"max": MAX_ROWS})
    if not rows:
        raise BadFile(_("Het bestand bevat geen resultaten."))
    return rows


def parse_date(value):
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def parse_score(value):
    """A score as the export writes it ("245", "45,5", "1.234,5"); None if it is no number."""
    cleaned = value.replace(" ", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        score = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not score.is_finite() or abs(score) >= 100000:
        return None
    return score.quantize(Decimal("0.1"))


def normal(text):
    return " ".join(text.lower().split())


def row_name(values):
    return " ".join(
        part
        for part in (values.get("first_name"), values.get("infix"), values.get("last_name"))
        if part
    ) or values.get("name", "")


class PupilFinder:
    """Finds a row's pupil in the group: by pupil number, else by name (and date of birth
    if needed). Pupils who left are known only to say so: they are never matched."""

    def __init__(self, pupils):
        self.by_number, self.by_name = {}, {}
        for pupil in pupils:
            if pupil.pupil_number:
                self.by_number[pupil.pupil_number] = pupil
            if not pupil.has_left:
                self.by_name.setdefault(normal(pupil.full_name), []).append(pupil)

    def find(self, values):
        number = values.get("number")
        if number:
            return self.find_number(number, values)
        name = values.get("name") or row_name(values)
        if not name:
            return None, _("de naam of het leerlingnummer van de leerling ontbreekt")
        found = self.by_name.get(normal(name), [])
        born = values.get("date_of_birth")
        if born:
            day = parse_date(born)
            if day is None:
                return None, _("geboortedatum “%(value)s” is geen datum") % {"value": born}
            found = [pupil for pupil in found if pupil.date_of_birth == day]
        if not found:
            return None, _("“%(name)s” zit niet in deze groep") % {"name": name}
        if len(found) > 1:
            return None, _(
                "er zitten twee kinderen met de naam “%(name)s” in de groep: vul de "
                "geboortedatum in"
            ) % {"name": name}
        return found[0], None

    def find_number(self, number, values):
        pupil = self.by_number.get(number)
        if pupil is None:
            return None, _("leerlingnummer %(number)s zit niet in deze groep") % {"number": number}
        if pupil.has_left:
            return None, _(
                "leerlingnummer %(number)s is van %(name)s, die de school heeft verlaten"
            ) % {"number": number, "name": pupil.full_name}
        # A mistyped number must not put one child's results with another: where the row
        # names the child too, the two have to agree.
        names = {normal(name): name for name in (values.get("name"), row_name(values)) if name}
        if names and normal(pupil.full_name) not in names:
            return None, _("leerlingnummer %(number)s is van %(pupil)s, niet van %(name)s") % {
                "number": number,
                "pupil": pupil.full_name,
                "name": " / ".join(sorted(set(names.values()))),
            }
        return pupil, None


def check_row(values, finder):
    """(Row fields, []) or (None, [problem]) for one line."""
    problems = []
    pupil, problem = finder.find(values)
    if problem:
        problems.append(problem)
    test_name = values.get("test_name", "")
    if not test_name:
        problems.append(_("de naam van de toets ontbreekt"))
    elif len(test_name) > 100:
        problems.append(_("de naam van de toets is langer dan 100 tekens"))
    raw_date = values.get("taken_on", "")
    taken_on = parse_date(raw_date)
    if taken_on is None:
        problems.append(
            _("datum “%(value)s” is geen datum (schrijf bijvoorbeeld 24-01-2027)")
            % {"value": raw_date}
        )
    raw_score, score = values.get("score", ""), None
    if raw_score:
        score = parse_score(raw_score)
        if score is None:
            problems.append(_("score “%(value)s” is geen getal") % {"value": raw_score})
    level = values.get("level", "").upper()
    if level and level not in LEVELS:
        problems.append(
            _("niveau “%(value)s” bestaat niet (I t/m V of A t/m E)") % {"value": level}
        )
    if not raw_score and not level:
        problems.append(_("geef een score of een niveau"))
    note = values.get("note", "")
    if len(note) > 1000:
        problems.append(_("de opmerking is langer dan 1000 tekens"))
    if problems:
        return None, problems
    return {
        "pupil": pupil,
        "test_name": test_name,
        "taken_on": taken_on,
        "score": score,
        "level": level,
        "note": note,
    }, []


def plan(group, table):
    """What importing ``table`` (the file's rows of cells) for ``group`` would do; nothing
    saved."""
    result = Plan()
    try:
        rows = read_rows(table)
    except BadFile as problem:
        result.errors.append((None, str(problem)))
        return result
    pupils = list(group.pupils.all())
    finder = PupilFinder(pupils)
    existing = {
        (found.pupil_id, normal(found.test_name), found.taken_on): found
        for found in TestResult.objects.filter(pupil__in=pupils)
    }
    seen = {}
    for line, values in rows:
        fields, problems = check_row(values, finder)
        if problems:
            result.errors.append((line, "; ".join(problems)))
            continue
        key = (fields["pupil"].pk, normal(fields["test_name"]), fields["taken_on"])
        if key in seen:
            result.errors.append(
                (
                    line,
                    _("staat al op regel %(line)s (zelfde leerling, toets en datum)")
                    % {"line": seen[key]},
                )
            )
            continue
        seen[key] = line
        row = Row(line=line, existing=existing.get(key), **fields)
        if row.is_new:
            result.new.append(row)
        elif row.changes:
            result.changed.append(row)
        else:
            result.unchanged.append(row)
    return result


@transaction.atomic
def apply(group, table):
    """Import ``table`` for ``group`` (all rows or none); the plan it carried out.

    Planned again inside the transaction: what was previewed may have changed since.
    """
    result = plan(group, table)
    if result.errors:
        return result
    TestResult.objects.bulk_create(
        [
            TestResult(
                pupil=row.pupil,
                school_id=row.pupil.school_id,
                test_name=row.test_name,
                taken_on=row.taken_on,
                score=row.score,
                level=row.level,
                note=row.note,
            )
            for row in result.new
        ]
    )
    for row in result.changed:
        for name in FIELDS:
            setattr(row.existing, name, getattr(row, name))
    TestResult.objects.bulk_update([row.existing for row in result.changed], list(FIELDS))
    return result
