"""Checks of the admin screens a journey passes: the school's own must pass, Wagtail's are listed.

The project's own admin screens (the dashboard panels, Versturen, Verzending, Antwoorden,
Klassenlijst, Uitnodigen, Koppelcodes) are held to what the portal's pages are held to: no
serious or critical WCAG 2.1 A/AA violation found by axe-core, and on a phone no sideways
scrolling. Wagtail's stock screens (page and snippet forms, listings, choosers), and
Wagtail's message bar on the school's screens, are Wagtail's markup, which the project
does not write: what axe finds there is gathered in ``WagtailFindings`` and written to
``axe-wagtail.txt``, and fails nothing. Only the listings staff read on a phone are held to
one thing, which the school's admin stylesheet provides: titles that stay readable.

``AdminChecks`` gathers a journey's problems instead of stopping at the first, so the
journey still runs to its end and its clicks are counted; ``assert_clean()`` then fails
the test with all of them.
"""

import functools
import json
from dataclasses import dataclass, field

from .accessibility import AXE_JS, BLOCKING_IMPACTS, REPORT_VIOLATIONS, WCAG_TAGS, describe


class ScreenProblems(AssertionError):
    """A screen failed its check: axe-core on the school's own screens, or on a phone
    sideways scrolling or squeezed listing titles."""


# Wagtail's message bar ("De mailing is gepubliceerd ..."), the same on every admin screen.
WAGTAIL_MESSAGES = ".messages"


# Wagtail's editing screens bring an axe of their own (its accessibility checker), of
# another version: the checks run the one site/e2e installs.
# Read when a journey runs, not on import: `make test` collects these files without axe installed.
@functools.cache
def axe_version():
    return json.loads((AXE_JS.parent / "package.json").read_text(encoding="utf-8"))["version"]


# As accessibility.AXE_RUN, on part of the page: ``include`` (a CSS selector, or the whole
# document) without ``exclude``.
AXE_RUN_PART = (
    """async ([tags, include, exclude]) => {
  let context = document;
  if (include || exclude) {
    context = {include: include ? [include] : [document]};
    if (exclude) context.exclude = [exclude];
  }
  const results = await axe.run(context, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
"""
    + REPORT_VIOLATIONS
    + "\n}"
)


# Wagtail fades its dialogs and messages in: colours read half-way are not the screen's.
# Longer animations (the help menu's "new" badge pings for 25 s) are decoration to ignore.
SETTLED = """() => document.getAnimations().every(
  (animation) => animation.playState !== "running"
    || animation.effect.getComputedTiming().activeDuration > 2000
)"""


def blocking_violations(page, include=None, exclude=None):
    page.wait_for_function(SETTLED)
    loaded = page.evaluate("() => window.axe ? window.axe.version : null")
    if loaded != axe_version():
        page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate(AXE_RUN_PART, [WCAG_TAGS, include, exclude])
    return [violation for violation in found if violation["impact"] in BLOCKING_IMPACTS]


def sideways_scroll(page):
    """How far a phone's page scrolls sideways, in px (0: not at all)."""
    width = page.viewport_size["width"]
    return max(0, page.evaluate("() => document.documentElement.scrollWidth") - width)


# Narrower than this, a listing's title column wraps its titles a letter or two a line.
MIN_TITLE_WIDTH = 100  # px

NARROW_TITLES = """(minimum) => [...document.querySelectorAll("table.listing tbody tr")]
  .map((row) => row.querySelector("a"))
  .filter((link) => link && link.closest("td, th").getBoundingClientRect().width < minimum)
  .map((link) => link.textContent.trim())"""


def narrow_titles(page):
    """The titles of a Wagtail listing whose column is too narrow to read them."""
    return page.evaluate(NARROW_TITLES, MIN_TITLE_WIDTH)


@dataclass
class WagtailFindings:
    """What axe finds on Wagtail's own screens, per screen and viewport, for the report."""

    screens: dict = field(default_factory=dict)

    def add(self, screen, viewport, violations):
        seen = self.screens.setdefault((screen, viewport), {})
        for violation in violations:
            key = (violation["id"], violation["impact"], violation["help"])
            example = violation["nodes"][0]["target"] if violation["nodes"] else ""
            count = len(violation["nodes"])
            if count >= seen.get(key, (0, ""))[0]:
                seen[key] = (count, example)

    def lines(self):
        lines = [
            "axe-core (WCAG 2.1 A/AA, serious and critical) on Wagtail's own admin screens,",
            "as the admin journeys met them; these fail no test.",
            "",
        ]
        for (screen, viewport), seen in sorted(self.screens.items()):
            if not seen:
                lines.append(f"{screen} [{viewport}]: nothing found")
                continue
            lines.append(f"{screen} [{viewport}]:")
            for (rule, impact, help_text), (count, example) in sorted(seen.items()):
                lines.append(
                    f"  - {rule} ({impact}, {count} element(s), e.g. {example}): {help_text}"
                )
        return lines

    def write(self, path):
        if not self.screens:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(self.lines()) + "\n", encoding="utf-8")


class AdminChecks:
    """``own(page, screen)`` for the school's screens, ``wagtail(page, screen)`` for Wagtail's."""

    def __init__(self, findings, viewport):
        self.findings = findings
        self.viewport = viewport
        self.problems = []

    def own(self, page, screen, within=None):
        """Check one of the school's screens, or its part ``within`` (a CSS selector)."""
        label = f"{screen} [{self.viewport}]"
        exclude = None
        if within is None and page.locator(WAGTAIL_MESSAGES).count():
            exclude = WAGTAIL_MESSAGES
            self.wagtail(page, f"{screen}: Wagtail's messages", include=WAGTAIL_MESSAGES)
        violations = blocking_violations(page, within, exclude)
        if violations:
            self.problems.append(f"{label}: {describe(violations, page.url)}")
        if self.viewport == "phone" and (overflow := sideways_scroll(page)):
            self.problems.append(f"{label}: {page.url} scrolls {overflow}px sideways")

    def listing(self, page, screen):
        """A Wagtail listing the school's staff read on a phone: its titles stay readable
        (the school's admin stylesheet sees to that)."""
        if self.viewport == "phone" and (narrow := narrow_titles(page)):
            self.problems.append(
                f"{screen} [{self.viewport}]: titles squeezed below {MIN_TITLE_WIDTH}px "
                f"on {page.url}: {', '.join(narrow[:5])}"
            )
        self.wagtail(page, screen)

    def wagtail(self, page, screen, include=None):
        self.findings.add(screen, self.viewport, blocking_violations(page, include))

    def assert_clean(self):
        if self.problems:
            raise ScreenProblems("\n\n".join(self.problems))
