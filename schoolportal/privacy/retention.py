"""Bewaartermijnen: every rule (``rules.RULES``) run daily by django-q2 and by
``manage.py retention``, each handling what is due in one transaction, the counts logged."""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import PrivacyLogEntry
from .rules import RULES, Rule

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    rule: Rule
    count: int
    objects: list


def run(now=None, dry_run=False, list_objects=False):
    """Handle every rule's due rows as of ``now``; [Outcome] per rule, in rule order.

    A dry run only counts (and lists, when asked). A real run is one transaction per rule,
    so a failing rule leaves the others done, and it logs the counts.
    """
    now = now or timezone.now()
    outcomes = []
    for rule in RULES:
        rows = rule.due(rule.cutoff(now))
        if dry_run:
            count = rows.count()
            objects = [f"{row.pk}: {row}" for row in rows[:1000]] if list_objects else []
            outcomes.append(Outcome(rule, count, objects))
            continue
        with transaction.atomic():
            # The ids first: handling a row can change whether the queryset selects it.
            ids = list(rows.values_list("pk", flat=True))
            if ids:
                rule.handle(rows.model.objects.filter(pk__in=ids))
        outcomes.append(Outcome(rule, len(ids), []))
        if ids:
            log.info("retention: %s %s: %d", rule.kind, rule.action, len(ids))
    if not dry_run:
        PrivacyLogEntry.objects.create(
            action=PrivacyLogEntry.Action.RETENTION,
            done_at=now,
            counts={outcome.rule.kind: outcome.count for outcome in outcomes if outcome.count},
        )
    return outcomes


def run_scheduled():
    """The daily django-q2 task."""
    outcomes = run()
    return {outcome.rule.kind: outcome.count for outcome in outcomes}
