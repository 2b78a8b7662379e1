"""Checking the rows of an export: each one a clean pupil with guardians, or a message."""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from schoolportal.people.models import Relation
from schoolportal.people.validators import validate_phone

from .reader import GUARDIAN_SLOTS

DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%y")
RELATIONS = {
    "moeder": Relation.MOTHER,
    "vader": Relation.FATHER,
    "ouder": Relation.PARENT,
    "verzorger": Relation.CARER,
    "verzorgster": Relation.CARER,
    "pleegouder": Relation.FOSTER_PARENT,
    "pleegmoeder": Relation.FOSTER_PARENT,
    "pleegvader": Relation.FOSTER_PARENT,
    "voogd": Relation.GUARDIAN,
}


# Ouderlijk gezag as administrations write it; an empty cell leaves what the school recorded.
AUTHORITY = {"": None, "ja": True, "j": True, "nee": False, "n": False}


@dataclass
class GuardianRow:
    first_name: str
    infix: str
    last_name: str
    email: str
    phone: str
    relation: str
    authority: bool | None = None  # ouderlijk gezag; None: the file does not say


@dataclass
class PupilRow:
    line: int
    number: str
    first_name: str
    infix: str
    last_name: str
    date_of_birth: datetime.date
    group: str
    levels: tuple
    guardians: list = field(default_factory=list)


def group_name(text):
    """The group's name as the portal writes it: "5/6" and "groep 5/6" are "Groep 5/6"."""
    text = " ".join(text.split())
    if re.fullmatch(r"\d(\s*/\s*\d)*", text):
        # Stored data, not interface text: the school's groups are Dutch in every language.
        return "Groep " + text.replace(" ", "")
    return text[:1].upper() + text[1:]


def year_levels(name):
    """(lowest, highest) year level named in a group's name, or None."""
    levels = [int(digit) for digit in re.findall(r"(?<!\d)([1-8])(?!\d)", name)]
    return (min(levels), max(levels)) if levels else None


def parse_date(text):
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None


def check_rows(rows):
    """([PupilRow], [(line, message)]) of the file's rows; a pupil number used twice is an
    error on each later line."""
    pupils, errors, seen = [], [], {}
    for line, raw in rows:
        problems = []
        pupil = _pupil(line, raw, problems)
        if pupil and pupil.number in seen:
            problems.append(
                _("leerlingnummer %(number)s staat ook op regel %(line)s")
                % {"number": pupil.number, "line": seen[pupil.number]}
            )
        if problems:
            errors.append((line, "; ".join(problems)))
        else:
            seen[pupil.number] = line
            pupils.append(pupil)
    return pupils, errors


def _value(raw, key, limit):
    return " ".join(str(raw.get(key) or "").split())[:limit]


def _pupil(line, raw, problems):
    number = _value(raw, "number", 30)
    first_name, last_name = _value(raw, "first_name", 100), _value(raw, "last_name", 100)
    born_text = _value(raw, "date_of_birth", 20)
    group = group_name(_value(raw, "group", 50))
    if not number:
        problems.append(_("geen leerlingnummer"))
    if not first_name or not last_name:
        problems.append(_("roepnaam of achternaam ontbreekt"))
    born = parse_date(born_text)
    if born is None:
        problems.append(
            _("geboortedatum '%(value)s' is geen datum (dd-mm-jjjj)") % {"value": born_text}
        )
    levels = year_levels(group)
    if not group:
        problems.append(_("geen groep"))
    elif levels is None:
        problems.append(_("groep '%(value)s' noemt geen jaargroep 1 tot 8") % {"value": group})
    guardians = [g for slot in GUARDIAN_SLOTS if (g := _guardian(raw, slot, problems))]
    if problems:
        return None
    return PupilRow(
        line=line,
        number=number,
        first_name=first_name,
        infix=_value(raw, "infix", 20),
        last_name=last_name,
        date_of_birth=born,
        group=group,
        levels=levels,
        guardians=guardians,
    )


def _guardian(raw, slot, problems):
    prefix = f"guardian{slot}_"
    values = {
        name: _value(raw, prefix + name, limit)
        for name, limit in (
            ("first_name", 100),
            ("infix", 20),
            ("last_name", 100),
            ("email", 254),
            ("phone", 30),
            ("relation", 30),
            ("authority", 10),
        )
    }
    if not any(values.values()):
        return None
    label = _("ouder %(slot)s") % {"slot": slot}
    email = values["email"].lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                _("%(who)s: '%(value)s' is geen e-mailadres") % {"who": label, "value": email}
            )
    if values["phone"]:
        try:
            validate_phone(values["phone"])
        except ValidationError:
            problems.append(
                _("%(who)s: '%(value)s' is geen telefoonnummer")
                % {"who": label, "value": values["phone"]}
            )
    if not values["last_name"] and not email:
        problems.append(_("%(who)s: naam of e-mailadres ontbreekt") % {"who": label})
    relation = RELATIONS.get(
        values["relation"].lower(), Relation.PARENT if not values["relation"] else None
    )
    if relation is None:
        problems.append(
            _(
                "%(who)s: relatie '%(value)s' is onbekend "
                "(moeder, vader, ouder, verzorger, pleegouder of voogd)"
            )
            % {"who": label, "value": values["relation"]}
        )
    authority = AUTHORITY.get(values["authority"].lower(), "unknown")
    if authority == "unknown":
        problems.append(
            _("%(who)s: gezag '%(value)s' is onbekend (ja of nee)")
            % {"who": label, "value": values["authority"]}
        )
    return GuardianRow(
        first_name=values["first_name"],
        infix=values["infix"],
        last_name=values["last_name"],
        email=email,
        phone=values["phone"],
        relation=relation,
        authority=None if authority == "unknown" else authority,
    )
