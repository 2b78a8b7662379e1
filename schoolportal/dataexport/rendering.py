"""The export's HTML page: every value formatted the way the portal shows it."""

import datetime

from django.template.defaultfilters import date as format_date
from django.utils import timezone
from django.utils.translation import gettext as _

from schoolportal import access

from .sections import Attached


def display(value):
    """A cell: ``{"text": ...}`` or ``{"links": [Attached, ...]}``."""
    if isinstance(value, Attached):
        return {"links": [value]}
    if isinstance(value, list):
        if value and all(isinstance(item, Attached) for item in value):
            return {"links": value}
        return {"text": "\n".join(str(item) for item in value)}
    if value is None or value == "":
        return {"text": "–"}
    if value is True:
        return {"text": _("ja")}
    if value is False:
        return {"text": _("nee")}
    if isinstance(value, datetime.datetime):
        return {"text": format_date(timezone.localtime(value), "j F Y, H:i")}
    if isinstance(value, datetime.date):
        return {"text": format_date(value, "j F Y")}
    return {"text": str(value)}


def page_context(user, sections, missing, now):
    guardian = access.guardian_for(user)
    return {
        "name": guardian.full_name if guardian else user.get_full_name() or user.email,
        "generated_at": now,
        "missing": missing,
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "intro": section.intro,
                "tables": [
                    {
                        "title": table.title,
                        "headings": [label for _key, label in table.columns],
                        "rows": [
                            [display(row.get(key)) for key, _label in table.columns]
                            for row in table.rows
                        ],
                    }
                    for table in section.tables
                ],
            }
            for section in sections
        ],
    }
