"""Reply slips: who answers (a family or a child), reading and saving answers, the results.

A *family* here is what shares one answer on a per-family slip: the pupils of the audience
and their guardians, joined whenever a guardian cares for more than one of them (so two
parents of the same children, and a parent with children from two relationships, answer
once together). A family's answer is stored on its first pupil (the lowest id).
"""

from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from schoolportal import access
from schoolportal.parentviews.caching import PAGE_TIMEOUT

from . import recipients
from .models import CHOICE_FIELD_TYPES, ReplyPer, ReplySlipAnswer, ReplySlipField


class SlipClosed(Exception):
    """The deadline has passed: the stored answer stays as it was."""


@dataclass
class ReplyUnit:
    """One row of the results: a child, or a family, with who can answer for it."""

    key_pupil_id: int
    pupils: list = field(default_factory=list)
    guardians: list = field(default_factory=list)
    answer: ReplySlipAnswer | None = None

    @property
    def label(self):
        return ", ".join(pupil.full_name for pupil in self.pupils)


def questions_of(mailing):
    """The slip's questions in their order; none for a mailing without a slip."""
    return list(ReplySlipField.objects.filter(mailing_id=mailing.pk).order_by("sort_order", "pk"))


def _families(pairs):
    """Group (guardian id, pupil id) pairs into families: {pupil id: family's key pupil id}."""
    parent = {}

    def find(item):
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for guardian_id, pupil_id in pairs:
        a, b = find(("g", guardian_id)), find(("p", pupil_id))
        if a != b:
            parent[a] = b
    members = {}
    for _guardian_id, pupil_id in pairs:
        members.setdefault(find(("p", pupil_id)), set()).add(pupil_id)
    return {pupil: min(group) for group in members.values() for pupil in group}


def reply_units(mailing):
    """Every child or family of the audience, with guardians and their answer (if any)."""
    guardianships = list(
        recipients.audience_guardianships(mailing)
        .select_related("pupil__group", "guardian")
        .order_by("pupil__group__name", "pupil__last_name", "pupil__first_name")
    )
    pupils = recipients.audience_pupils(mailing).select_related("group")
    pupils = {pupil.pk: pupil for pupil in pupils}
    key_of = {pk: pk for pk in pupils}
    if mailing.reply_per == ReplyPer.FAMILY:
        key_of.update(_families([(g.guardian_id, g.pupil_id) for g in guardianships]))
    units = {}
    for pupil_id in sorted(pupils, key=lambda pk: _sort_key(pupils[pk])):
        unit = units.setdefault(key_of[pupil_id], ReplyUnit(key_of[pupil_id]))
        unit.pupils.append(pupils[pupil_id])
    # A guardian without parental authority reads the slip, but neither answers for the child
    # nor is reminded to (docs/privacy.md); the family stays one unit.
    for guardianship in access.acting_guardianships(guardianships):
        unit = units[key_of[guardianship.pupil_id]]
        if guardianship.guardian not in unit.guardians:
            unit.guardians.append(guardianship.guardian)
    for answer in mailing.answers.select_related("answered_by"):
        if answer.pupil_id in units:
            units[answer.pupil_id].answer = answer
    return list(units.values())


def _sort_key(pupil):
    return (pupil.group.name if pupil.group else "", pupil.last_name, pupil.first_name)


def units_for(user, mailing, version):
    """The units the user answers for: their children, or their family, in the audience.

    ``version`` is the data version the page is rendered under (``parentviews.caching``).
    """
    own = access.own_pupils_addressed_by(user, mailing)
    if not own:
        return []
    if mailing.reply_per == ReplyPer.CHILD:
        units = [ReplyUnit(pupil.pk, [pupil]) for pupil in own]
    else:
        # The user is a guardian of each of their children: all are in one family.
        families = family_keys(mailing, version)
        if own[0].pk not in families:  # kept before the child joined the audience
            families = family_keys(mailing, version, fresh=True)
        units = [ReplyUnit(families[own[0].pk], own)]
    # Only these units' answers (a whole-school slip holds one per family of the school),
    # one small query each: a family is one unit, a parent answers for a child or two.
    for unit in units:
        answers = ReplySlipAnswer.objects.filter(mailing_id=mailing.pk, pupil_id=unit.key_pupil_id)
        unit.answer = answers.first()
    return units


def family_keys(mailing, version, fresh=False):
    """``{pupil id: key pupil id of its family}`` for the audience's pupils with a guardian.

    The same families ``reply_units`` finds, and the same for every family of the audience:
    kept per mailing and data version (a changed guardianship bumps it), so a parent's page
    reads them instead of walking co-parents' children with a query per step.
    """
    key = f"mailing-families:{version}:{mailing.pk}"
    keys = None if fresh else cache.get(key)
    if keys is None:
        pairs = recipients.audience_guardianships(mailing).values_list("guardian_id", "pupil_id")
        keys = _families(list(pairs))
        cache.set(key, keys, PAGE_TIMEOUT)
    return keys


def save_answer(mailing, unit, answers, user, now=None):
    """Store (or replace) a unit's answer; refused once the slip has closed.

    Saved through the model (not a queryset update), so the page cache hears of it and a
    co-parent sees the new answer at once.
    """
    if not mailing.reply_slip_open(now):
        raise SlipClosed
    with transaction.atomic():
        stored = ReplySlipAnswer.objects.filter(mailing=mailing, pupil_id=unit.key_pupil_id)
        answer = stored.select_for_update().first()
        if answer is None:
            try:
                with transaction.atomic():
                    ReplySlipAnswer.objects.create(
                        mailing=mailing,
                        pupil_id=unit.key_pupil_id,
                        answers=answers,
                        answered_by=user,
                    )
                return
            except IntegrityError:  # the co-parent saved at the same moment: theirs, then ours
                answer = stored.get()
        answer.answers = answers
        answer.answered_by = user
        answer.save()


def display_value(value):
    """An answer as people read it: lists joined, yes/no for a checkbox."""
    if value is True:
        return _("ja")
    if value is False:
        return _("nee")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


def option_counts(mailing, units):
    """Per choice question: how often each option was chosen, in the slip's order."""
    counts = []
    for question in mailing.reply_fields.all():
        if question.field_type not in CHOICE_FIELD_TYPES | {"checkbox"}:
            continue
        tally = Counter()
        for unit in units:
            if unit.answer is None:
                continue
            value = unit.answer.answers.get(question.clean_name)
            for item in value if isinstance(value, list) else [value]:
                if item not in (None, ""):
                    tally[display_value(item)] += 1
        if question.field_type == "checkbox":
            options = [_("ja"), _("nee")]
        else:
            options = [choice for choice, _label in _choices(question)]
        counts.append({"question": question, "options": [(o, tally.get(o, 0)) for o in options]})
    return counts


def _choices(question):
    from wagtail.contrib.forms.forms import FormBuilder

    return FormBuilder([question]).get_formatted_field_choices(question)
