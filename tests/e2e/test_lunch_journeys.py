"""Overblijven in the browser: a parent opens the lunch page from the dashboard, gets a
Dutch message for an end date before the first day (what was typed stays), registers
fixed weekdays, and cancels a day, on a desktop and on a phone; every page on the way is
checked with axe-core.

Both runs share the demo database: registering Emma's Wednesdays again brings back a day
the other run cancelled, so each run starts from the same state.
"""

import re
from datetime import date, timedelta

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # plain `make test` without the e2e extra: conftest skips every test here
    expect = None

from tests.e2e.test_absence_journeys import heading, log_in

pytestmark = pytest.mark.e2e


def lunch_journey(page, axe):
    tomorrow = date.today() + timedelta(days=1)
    log_in(page)

    page.get_by_role("main").get_by_role("link", name="Overblijven").click()
    expect(heading(page, "Overblijven")).to_be_visible()
    emma = page.get_by_role("region", name="Emma Jansen")
    expect(emma).to_contain_text("Komende overblijfdagen")
    axe(page)

    emma.get_by_role("link", name=re.compile("Emma aanmelden voor overblijven")).click()
    expect(heading(page, "Overblijven: Emma Jansen")).to_be_visible()
    axe(page)

    weekly = page.get_by_role("region", name="Vaste dagen per week aanmelden")
    weekly.get_by_label("woensdag").check()
    weekly.get_by_label("Vanaf").fill((tomorrow + timedelta(days=10)).isoformat())
    weekly.get_by_label("Tot en met").fill(tomorrow.isoformat())
    weekly.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_text("ligt vóór de eerste dag")).to_be_visible()
    weekly = page.get_by_role("region", name="Vaste dagen per week aanmelden")
    expect(weekly.get_by_label("woensdag")).to_be_checked()
    expect(weekly.get_by_label("Tot en met")).to_have_value(tomorrow.isoformat())
    axe(page)

    weekly.get_by_label("Vanaf").fill(tomorrow.isoformat())
    weekly.get_by_label("Tot en met").fill((tomorrow + timedelta(days=60)).isoformat())
    weekly.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("status")).to_contain_text("Emma blijft")
    axe(page)

    page.get_by_role("link", name=re.compile("^Afmelden")).first.click()
    expect(heading(page, "Afmelden voor overblijven")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Afmelden").click()
    expect(page.get_by_role("status")).to_contain_text("is afgemeld voor")
    axe(page)


def test_lunch_journey_on_desktop(desktop_page, axe):
    lunch_journey(desktop_page, axe)


def test_lunch_journey_on_phone(phone_page, axe):
    lunch_journey(phone_page, axe)
