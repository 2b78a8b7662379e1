"""The portal's main menu (the seed manual's menukeuzes).

An item appears once its feature exists; an optional module's item appears only
when one of the parent's schools switched that module on (``School.<module>_enabled``).
Feature apps add their item here when they land.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    module: str | None = None  # School field that switches this item on, e.g. "results_enabled"
    exact: bool = False  # marked current only on its own URL, not on pages below it

    def url(self):
        return reverse(self.url_name)


MENU = [
    MenuItem(_("Dashboard"), "portal:dashboard", exact=True),
]


def menu_for(schools, current_path):
    """The items for a parent whose children are at ``schools``, with the current one marked."""
    items = []
    for item in MENU:
        if item.module and not any(getattr(school, item.module) for school in schools):
            continue
        url = item.url()
        current = current_path == url or (not item.exact and current_path.startswith(url))
        items.append({"label": item.label, "url": url, "current": current})
    return items
