"""Counting what a journey costs a person: clicks, and the fields they type in.

Issue #22 measures the admin's daily tasks in clicks. ``Clicks(page)`` performs each click,
tick, choice from a list and choice of files through itself and counts it as one click:
what a person does with a mouse or a finger. Typing is not a click; the fields typed in are
counted beside the clicks. A journey counts from the admin's dashboard after logging in, as
the issue's own counts did, and asserts an upper bound (``Clicks.at_most``).

``ClickReport`` gathers every journey's counts for the summary written at the end of the
session (``click-counts.txt``), which the issue's closing note quotes.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field


class TooManyClicks(AssertionError):
    """A journey took more clicks than its bound: the task got harder."""


class Clicks:
    """Performs a journey's clicks and counts them."""

    def __init__(self, page):
        self.page = page
        self.clicks = 0
        self.fields = 0

    def click(self, locator, **options):
        self.clicks += 1
        locator.click(**options)

    def check(self, locator):
        self.clicks += 1
        locator.check()

    def uncheck(self, locator):
        self.clicks += 1
        locator.uncheck()

    def select(self, locator, **option):
        """Choose from a list (``label=...``): one click, as on a phone's picker."""
        self.clicks += 1
        locator.select_option(**option)

    def choose_files(self, locator, files):
        """Pick one or more files for a file input: the picker's click, the files chosen
        in it together."""
        self.clicks += 1
        locator.set_input_files(files)

    def fill(self, locator, text):
        self.fields += 1
        locator.fill(text)

    def type_into(self, locator, text):
        """A rich-text editor takes no ``fill``: click into it (the field, not a counted
        click) and type."""
        self.fields += 1
        locator.click()
        self.page.keyboard.type(text)

    def at_most(self, bound, journey):
        if self.clicks > bound:
            raise TooManyClicks(f"{journey}: {self.clicks} clicks, at most {bound} expected")


@dataclass
class ClickReport:
    """Every journey's counts in this session, for the summary file."""

    rows: list = field(default_factory=list)

    def record(self, journey, viewport, clicks, bound, passed=True):
        self.rows.append(
            {
                "journey": journey,
                "viewport": viewport,
                "clicks": clicks.clicks,
                "fields": clicks.fields,
                "bound": bound,
                "passed": passed,
            }
        )

    @contextmanager
    def journey(self, page, name, viewport, bound):
        """``with report.journey(page, name, viewport, bound) as clicks:`` the journey's
        clicks, recorded even when it stops half-way, then held to ``bound``."""
        clicks = Clicks(page)
        finished = False
        try:
            yield clicks
            finished = True
        finally:
            self.record(name, viewport, clicks, bound, passed=finished)
        clicks.at_most(bound, name)

    def lines(self):
        lines = [
            "Clicks per journey in the admin (#22), counted from the dashboard after logging in:",
            "a click, tick, choice from a list or choice of files is one click; typing is not.",
            "",
        ]
        width = max((len(row["journey"]) for row in self.rows), default=0)
        for row in sorted(self.rows, key=lambda row: (row["journey"], row["viewport"])):
            note = "" if row["passed"] else "  (did not finish)"
            fields = f"{row['fields']} field{'' if row['fields'] == 1 else 's'} typed"
            lines.append(
                f"{row['journey']:<{width}}  {row['viewport']:<7}  {row['clicks']:>2} clicks"
                f" (at most {row['bound']}), {fields}{note}"
            )
        return lines

    def write(self, path):
        if not self.rows:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(self.lines()) + "\n", encoding="utf-8")
