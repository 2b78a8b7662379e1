"""The portal's main menu (the seed manual's menukeuzes).

An item appears once its feature exists; an optional module's item appears only
when one of the parent's schools switched that module on (``School.<module>_enabled``).
Feature apps add their item here when they land.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    module: str | None = None  # School field that switches this item on, e.g. "results_enabled"
    exact: bool = False  # marked current only on its own URL, not on pages below it
    sections: tuple = field(default=())  # more URL names whose pages belong to this item
    badge: str | None = None  # a count shown with the item, by name, e.g. "unread_messages"

    def url(self):
        return _url(self.url_name, get_script_prefix())

    def is_current(self, path):
        url = self.url()
        if path == url or (not self.exact and path.startswith(url)):
            return True
        return any(path.startswith(_url(name, get_script_prefix())) for name in self.sections)


@lru_cache(maxsize=64)
def _url(url_name, script_prefix):
    """The menu's URLs are the same on every page: reversed once per script prefix."""
    return reverse(url_name)


MENU = [
    MenuItem(_("Dashboard"), "portal:dashboard", exact=True),
    MenuItem(
        _("School"),
        "portal:school",
        # Nieuwsbrieven is reached from the School page (the seed manual's place for what the
        # school publishes): a sixth item would wrap the menu onto another row on a phone.
        sections=(
            "portal:children",
            "portal:babysitters",
            "portal:class_list_root",
            "newsletters:index",
        ),
    ),
    MenuItem(_("Mailings"), "mailings:index"),
    MenuItem(_("Berichten"), "conversations:index", badge="unread_messages"),
    MenuItem(_("Agenda"), "agenda:index"),
    MenuItem(_("Groepspagina"), "grouppages:index", module="group_pages_enabled"),
    MenuItem(_("Absent melden"), "absences:index", module="absences_enabled"),
    MenuItem(_("Overblijven"), "lunch:index", module="lunch_enabled"),
    MenuItem(_("Resultaten"), "results:index", module="results_enabled"),
    MenuItem(_("Oudergesprekken"), "interviews:index", module="interviews_enabled"),
]


def menu_for(schools, current_path, counts=None):
    """The items for a parent whose children are at ``schools``, with the current one marked
    and their counts (``counts``: name -> number, read only for items that show one)."""
    return [
        {
            "label": item.label,
            "url": item.url(),
            "current": item.is_current(current_path),
            "badge": counts[item.badge] if item.badge and counts is not None else 0,
        }
        for item in MENU
        if not item.module or any(getattr(school, item.module) for school in schools)
    ]


def menu_key(menu):
    """What a rendered menu rests on besides the language: its items and the current one."""
    return ",".join(
        f"{item['url']}{'*' if item['current'] else ''}{item['badge'] or ''}" for item in menu
    )
