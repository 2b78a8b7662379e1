"""What an import changes, worked out before anything is saved, and applying it at once.

Pupils are matched on their pupil number; a pupil entered by hand (no number yet) on name
and date of birth, and gets the number. Pupils of the school missing from the export have
left: they are marked, never deleted. Guardians are matched on e-mail address, else by name
among the child's guardians, so nobody is added twice. What parents keep in their own
profile is never overwritten: the export only fills what is empty.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schoolportal.people.models import Group, Guardian, Guardianship, Pupil, School

from .rows import check_rows

PUPIL_FIELDS = ("first_name", "infix", "last_name", "date_of_birth")


@dataclass
class Plan:
    school: School
    year: object
    errors: list = field(default_factory=list)
    additions: list = field(default_factory=list)  # PupilRow
    changes: list = field(default_factory=list)  # (Pupil, PupilRow, [what changed])
    moves: list = field(default_factory=list)  # (Pupil, PupilRow, old group name)
    departures: list = field(default_factory=list)  # Pupil
    new_groups: dict = field(default_factory=dict)  # name -> (lowest, highest)
    unchanged: int = 0
    matched: dict = field(default_factory=dict)  # number -> Pupil
    rows: list = field(default_factory=list)
    new_guardians: int = 0
    new_links: int = 0
    # (Guardianship, has_parental_authority) the file changes: the school's own record.
    authority_changes: list = field(default_factory=list)

    @property
    def has_changes(self):
        return bool(
            self.additions
            or self.changes
            or self.moves
            or self.departures
            or self.new_groups
            or self.new_guardians
            or self.new_links
            or self.authority_changes
        )

    def summary(self):
        return {
            "additions": len(self.additions),
            "changes": len(self.changes),
            "moves": len(self.moves),
            "departures": len(self.departures),
            "new_groups": len(self.new_groups),
            "new_guardians": self.new_guardians,
            "new_links": self.new_links,
            "authority_changes": len(self.authority_changes),
            "unchanged": self.unchanged,
        }


def make_plan(school, raw_rows, today=None):
    """The Plan of importing ``raw_rows`` (from ``reader.read_rows``) into ``school``."""
    today = today or timezone.localdate()
    year = school.current_school_year
    if year is None:
        raise ValidationError(
            _(
                "%(school)s heeft geen schooljaar dat vandaag loopt: "
                "voeg het eerst toe onder Schooljaren."
            )
            % {"school": school}
        )
    if not raw_rows:
        # An empty export would mark every pupil as left: never what the school meant.
        raise ValidationError(_("Dit bestand bevat geen leerlingen; er is niets geïmporteerd."))
    rows, errors = check_rows(raw_rows)
    plan = Plan(school=school, year=year, errors=errors, rows=rows)
    groups = {g.name.lower(): g for g in Group.objects.filter(school_year=year)}
    pupils = list(Pupil.objects.filter(school=school).select_related("group").order_by("pk"))
    by_number = {p.pupil_number: p for p in pupils if p.pupil_number}
    by_identity = {_identity(p): p for p in pupils if not p.pupil_number}
    seen = set()
    for row in rows:
        pupil = by_number.get(row.number) or by_identity.pop(_identity(row), None)
        if row.group.lower() not in groups:
            plan.new_groups.setdefault(row.group, row.levels)
        if pupil is None:
            plan.additions.append(row)
            continue
        seen.add(pupil.pk)
        plan.matched[row.number] = pupil
        changed = [
            str(Pupil._meta.get_field(name).verbose_name)
            for name in PUPIL_FIELDS
            if getattr(pupil, name) != getattr(row, name)
        ]
        if pupil.pupil_number != row.number:
            changed.append(_("leerlingnummer"))
        if pupil.left_on is not None:
            changed.append(_("weer ingeschreven"))
        group = groups.get(row.group.lower())
        moved = group is None or pupil.group_id != group.pk
        if changed:
            plan.changes.append((pupil, row, changed))
        if moved:
            plan.moves.append((pupil, row, pupil.group.name if pupil.group else ""))
        if not changed and not moved:
            plan.unchanged += 1
    plan.departures = [
        p for p in pupils if p.pk not in seen and (p.left_on is None or p.left_on > today)
    ]
    _plan_guardians(plan)
    return plan


def _identity(pupil):
    return (pupil.first_name.lower(), pupil.last_name.lower(), pupil.date_of_birth)


def _name(person):
    return (person.first_name.lower(), person.last_name.lower())


def _plan_guardians(plan):
    emails = {g.email for row in plan.rows for g in row.guardians if g.email}
    plan.known_guardians = {
        g.email: g for g in Guardian.objects.filter(email__in=sorted(emails)).order_by("pk")
    }
    matched_ids = [p.pk for p in plan.matched.values()]
    plan.links = {}
    known_links = Guardianship.objects.filter(pupil_id__in=matched_ids)
    for link in known_links.select_related("guardian", "pupil"):
        plan.links.setdefault(link.pupil_id, []).append(link)
    new_people = set()
    for row in plan.rows:
        pupil = plan.matched.get(row.number)
        links = plan.links.get(pupil.pk, []) if pupil else []
        for guardian_row in row.guardians:
            guardian = _existing_guardian(plan, guardian_row, links)
            if guardian is None:
                new_people.add(_person_key(guardian_row) or (_name(guardian_row), row.number))
                plan.new_links += 1
            else:
                link = next((ln for ln in links if ln.guardian_id == guardian.pk), None)
                if link is None:
                    plan.new_links += 1
                elif guardian_row.authority not in (None, link.has_parental_authority):
                    plan.authority_changes.append((link, guardian_row.authority))
    plan.new_guardians = len(new_people)


def _person_key(guardian_row):
    """What makes two rows one new guardian: the e-mail address, or without one the same
    name and phone number (brothers' and sisters' rows); None when nothing does."""
    if guardian_row.email:
        return guardian_row.email
    if guardian_row.phone:
        return (*_name(guardian_row), guardian_row.phone)
    return None


def _existing_guardian(plan, guardian_row, links):
    if guardian_row.email and guardian_row.email in plan.known_guardians:
        return plan.known_guardians[guardian_row.email]
    for link in links:
        if _name(link.guardian) == _name(guardian_row):
            return link.guardian
    return None


@transaction.atomic
def apply_plan(school, raw_rows, user, today=None):
    """Import ``raw_rows`` into ``school`` in one transaction; returns the Plan applied.

    The plan is worked out again inside the transaction, so what another import changed
    since the preview is taken into account. Rows with errors are never imported: callers
    refuse to apply a plan with errors.
    """
    today = today or timezone.localdate()
    plan = make_plan(school, raw_rows, today)
    if plan.errors:
        raise ValidationError(_("Het bestand bevat fouten; er is niets geïmporteerd."))
    now = timezone.now()
    changer = user if user is not None and user.is_authenticated else None
    groups = {g.name.lower(): g for g in Group.objects.filter(school_year=plan.year)}
    for name, (lowest, highest) in plan.new_groups.items():
        # One by one: a new group gets its group page through Group's save signal.
        groups[name.lower()] = Group.objects.create(
            school=school,
            school_year=plan.year,
            name=name,
            lowest_year_level=lowest,
            highest_year_level=highest,
        )
    created = Pupil.objects.bulk_create(
        [
            Pupil(
                school=school,
                pupil_number=row.number,
                first_name=row.first_name,
                infix=row.infix,
                last_name=row.last_name,
                date_of_birth=row.date_of_birth,
                group=groups[row.group.lower()],
                updated_at=now,
                updated_by=changer,
            )
            for row in plan.additions
        ],
        batch_size=500,
    )
    pupils_by_number = {p.pupil_number: p for p in created}
    updated = {}
    for pupil, row, _changed in plan.changes:
        for name in PUPIL_FIELDS:
            setattr(pupil, name, getattr(row, name))
        pupil.pupil_number, pupil.left_on = row.number, None
        updated[pupil.pk] = pupil
    for pupil, row, _old in plan.moves:
        pupil.group = groups[row.group.lower()]
        updated[pupil.pk] = pupil
    for pupil in updated.values():
        pupil.mark_changed_by(changer)
    Pupil.objects.bulk_update(
        list(updated.values()),
        [*PUPIL_FIELDS, "pupil_number", "left_on", "group", "updated_at", "updated_by"],
        batch_size=500,
    )
    Pupil.objects.filter(pk__in=[p.pk for p in plan.departures]).update(
        left_on=today, updated_at=now, updated_by=changer
    )
    pupils_by_number.update(plan.matched)
    _apply_guardians(plan, pupils_by_number, now, changer)
    # Bulk writes send no signals: the school's calendar feeds are told here, once.
    School.objects.filter(pk=school.pk).update(agenda_changed_at=now)
    return plan


def _apply_guardians(plan, pupils_by_number, now, changer):
    made = dict(plan.known_guardians)
    fill, links, new_guardians = {}, [], []
    for row in plan.rows:
        pupil = pupils_by_number[row.number]
        existing_links = plan.links.get(pupil.pk, [])
        for guardian_row in row.guardians:
            guardian = _existing_guardian(plan, guardian_row, existing_links)
            key = _person_key(guardian_row)
            if guardian is None and key in made:
                guardian = made[key]  # a brother's or sister's new guardian
            if guardian is None:
                guardian = _new_guardian(guardian_row, now, changer)
                new_guardians.append(guardian)
                if key is not None:
                    made[key] = guardian
            elif _fill_empty(guardian, guardian_row):
                fill[guardian.pk] = guardian
            links.append((pupil, guardian, guardian_row))
    Guardian.objects.bulk_create(new_guardians, batch_size=500)
    Guardian.objects.bulk_update(
        list(fill.values()), ["first_name", "infix", "last_name", "phone", "mobile_phone"]
    )
    known = {(link.pupil_id, link.guardian_id) for ls in plan.links.values() for link in ls}
    Guardianship.objects.bulk_create(
        [
            Guardianship(
                pupil=pupil,
                guardian=guardian,
                relation=row.relation,
                has_parental_authority=row.authority is not False,
            )
            for pupil, guardian, row in links
            if (pupil.pk, guardian.pk) not in known
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    for link, authority in plan.authority_changes:
        link.has_parental_authority = authority
    Guardianship.objects.bulk_update(
        [link for link, _authority in plan.authority_changes], ["has_parental_authority"]
    )


def _phone_field(number):
    return "mobile_phone" if number.replace(" ", "").startswith(("06", "+316")) else "phone"


def _new_guardian(row, now, changer):
    guardian = Guardian(
        first_name=row.first_name,
        infix=row.infix,
        last_name=row.last_name or row.email.split("@")[0],
        email=row.email,
        updated_at=now,
        updated_by=changer,
    )
    if row.phone:
        setattr(guardian, _phone_field(row.phone), row.phone)
    return guardian


def _fill_empty(guardian, row):
    """Fill what the guardian's profile leaves empty; True when anything was filled."""
    filled = False
    wanted = [("first_name", row.first_name), ("infix", row.infix), ("last_name", row.last_name)]
    if row.phone:
        wanted.append((_phone_field(row.phone), row.phone))
    for name, value in wanted:
        if value and not getattr(guardian, name):
            setattr(guardian, name, value)
            filled = True
    return filled
