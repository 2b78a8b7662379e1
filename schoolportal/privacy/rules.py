"""A retention rule: one kind of data, its period, which rows are due and how they go.

A rule knows its period (``settings.RETENTION_DAYS[kind]``, or a named setting of its own),
which rows are due at a moment, and how to remove or anonymise them in bulk. The project's
rules are in ``kinds``; another app adds its kind with ``register(Rule(...))`` in its
``AppConfig.ready``. The privacy page and the processing overview list the same rules, so
what the school promises is what runs.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DELETE = _("verwijderd")
ANONYMISE = _("geanonimiseerd")


@dataclass(frozen=True)
class Rule:
    kind: str
    label: str
    # When the period starts, completing "… dagen …": "na het laatste bericht".
    counted_from: str
    # (cutoff: an aware datetime) -> the queryset of rows that are due.
    due: Callable
    # (due queryset) -> None: removes or anonymises them; plain deletion when empty.
    apply: Callable | None = None
    action: str = DELETE
    # A setting of its own (``ACCESS_LOG_RETENTION_DAYS``) instead of RETENTION_DAYS[kind].
    setting: str = ""

    @property
    def days(self):
        if self.setting:
            return getattr(settings, self.setting)
        return settings.RETENTION_DAYS[self.kind]

    def cutoff(self, now):
        return now - timedelta(days=self.days)

    def handle(self, rows):
        if self.apply is not None:
            self.apply(rows)
        else:
            rows.delete()


RULES = []


def register(rule):
    """Add ``rule`` to the retention run (once per kind)."""
    if any(existing.kind == rule.kind for existing in RULES):
        raise ValueError(f"Retention rule {rule.kind!r} registered twice")
    RULES.append(rule)
    return rule
