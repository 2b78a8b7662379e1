"""Oudergesprekken (#17) with the keyboard only: a parent opens Oudergesprekken, chooses a
time for Emma in the demo's open round of groep 3 (after the message for saving without
one), types a subject, sees the interview on the overview and cancels it; on a desktop and
on a phone, every page checked with axe-core.

Both runs share the demo database: each cancels what it booked, so the next starts from the
same free times.
"""

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # plain `make test` without the e2e extra: conftest skips every test here
    expect = None

from tests.e2e.test_conversation_journeys import check_no_sideways_scroll, heading, log_in, tab_to

pytestmark = pytest.mark.e2e

ROUND = "Tienminutengesprekken groep 3"


def press_on(page, locator):
    tab_to(page, locator)
    page.keyboard.press("Enter")


def interview_journey(page, axe, viewport):
    log_in(page)
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    press_on(page, menu.get_by_role("link", name="Oudergesprekken"))
    expect(heading(page, "Oudergesprekken")).to_be_visible()
    emma = page.get_by_role("region", name="Emma Jansen")
    expect(emma).to_contain_text(ROUND)
    axe(page)
    check_no_sideways_scroll(page, viewport)

    press_on(page, emma.get_by_role("link", name=re.compile(r"^Tijd kiezen \(Emma")))
    expect(heading(page, "Oudergesprek: Emma Jansen")).to_be_visible()
    axe(page)
    check_no_sideways_scroll(page, viewport)

    # Saving without a time: the message says so and the choice is still to be made.
    press_on(page, page.get_by_role("button", name="Opslaan"))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Kies een tijd.")
    expect(summary).to_be_focused()
    axe(page)

    times = page.get_by_role("radio")
    tab_to(page, times.first)
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # the second free time
    expect(times.nth(1)).to_be_checked()
    chosen = times.nth(1).evaluate("radio => radio.labels[0].textContent")
    tab_to(page, page.get_by_label("Onderwerp"))
    page.keyboard.type("Hoe gaat het met lezen?")
    press_on(page, page.get_by_role("button", name="Opslaan"))

    expect(page.get_by_role("status")).to_contain_text("Het gesprek over Emma is op")
    emma = page.get_by_role("region", name="Emma Jansen")
    expect(emma).to_contain_text(chosen.split(" · ")[0].split("–")[0])
    expect(emma).to_contain_text("Hoe gaat het met lezen?")
    axe(page)
    check_no_sideways_scroll(page, viewport)

    press_on(page, emma.get_by_role("link", name=re.compile(r"^Afzeggen \(Emma")))
    expect(heading(page, "Oudergesprek afzeggen")).to_be_visible()
    axe(page)
    press_on(page, page.get_by_role("button", name="Afzeggen"))
    expect(page.get_by_role("status")).to_contain_text("Het gesprek over Emma is afgezegd.")
    axe(page)


def test_interview_journey_on_desktop(desktop_page, axe):
    interview_journey(desktop_page, axe, "desktop")


def test_interview_journey_on_phone(phone_page, axe):
    interview_journey(phone_page, axe, "phone")
