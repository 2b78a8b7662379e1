"""The export's sections, one per subject, in the order the HTML page shows them.

A section is a function ``section(user) -> Section`` (see ``base``) that reads its rows
through ``schoolportal.access`` in a fixed number of queries. Adding a subject is writing
one such function and listing it in ``SECTIONS``; the page, the JSON, the ZIP and the
progress follow.
"""

from .base import Attached, Section, Table
from .family import children, consent, profile
from .grouppages import reactions
from .school import absences, interviews, lunch, messages, reply_slips, results

SECTIONS = [
    profile,
    children,
    consent,
    absences,
    lunch,
    interviews,
    results,
    reply_slips,
    messages,
    reactions,
]

__all__ = ["SECTIONS", "Attached", "Section", "Table"]
