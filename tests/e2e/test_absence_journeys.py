"""Absent melden in the browser: a parent reports a child absent, corrects a wrong date,
extends the report and ends it ("weer beter"), on a desktop and on a phone; every page on
the way is checked with axe-core.

Both runs share the demo database: each ends the report it made, so the other starts
from the same state (Emma Jansen present, Daan Jansen ill from the demo).
"""

import re
from datetime import date, timedelta

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # plain `make test` without the e2e extra: conftest skips every test here
    expect = None

pytestmark = pytest.mark.e2e

PASSWORD = "demo-wachtwoord"
JANSEN = "ouder.jansen@example.org"


def heading(page, name):
    return page.get_by_role("heading", level=1, name=name)


def log_in(page):
    page.goto("/account/inloggen/")
    page.get_by_label("E-mailadres").fill(JANSEN)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r"/portaal/$"))


def child_card(page, name):
    return page.get_by_role("region", name=name)


def absence_journey(page, axe):
    today = date.today()
    log_in(page)

    # The dashboard's button (the menu has an item of the same name).
    page.get_by_role("main").get_by_role("link", name="Absent melden").click()
    expect(heading(page, "Absent melden")).to_be_visible()
    axe(page)

    # A wrong return date comes back with the reason, and everything typed stays.
    page.get_by_label("Emma Jansen").check()
    page.get_by_label("arts/tandarts").check()
    page.get_by_label("Toelichting").fill("Orthodontist in Utrecht")
    expect(page.get_by_label("Eerste dag afwezig")).to_have_value(today.isoformat())
    page.get_by_label("Verwacht terug").fill((today - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("moet na de eerste dag van afwezigheid liggen")).to_be_visible()
    expect(page.get_by_label("Toelichting")).to_have_value("Orthodontist in Utrecht")
    expect(page.get_by_label("arts/tandarts")).to_be_checked()
    axe(page)

    back = today + timedelta(days=3)
    page.get_by_label("Verwacht terug").fill(back.isoformat())
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Emma Jansen is absent gemeld")
    emma = child_card(page, "Emma Jansen")
    expect(emma).to_contain_text("Orthodontist in Utrecht")
    axe(page)

    # Extend: one week instead of three days.
    emma.get_by_role("link", name=re.compile("Verlengen of inkorten")).click()
    expect(heading(page, "Absentie verlengen of inkorten")).to_be_visible()
    axe(page)
    longer = today + timedelta(days=7)
    page.get_by_label("Verwacht terug").fill(longer.isoformat())
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("De absentiemelding is gewijzigd")
    emma = child_card(page, "Emma Jansen")
    expect(emma).to_contain_text("verwacht terug op")

    # Daan, ill since the demo was loaded, stays as he was.
    expect(child_card(page, "Daan Jansen")).to_contain_text("ziek")

    # Weer beter: Emma's report moves to the earlier ones.
    emma.get_by_role("link", name=re.compile("Weer beter")).click()
    expect(heading(page, "Weer beter")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Weer beter melden").click()
    expect(page.get_by_role("status")).to_contain_text("weer beter")
    emma = child_card(page, "Emma Jansen")
    expect(emma).to_contain_text("Geen lopende absentiemelding")
    expect(emma.get_by_role("table")).to_contain_text("door ouder/verzorger")
    axe(page)


def test_absence_journey_on_desktop(desktop_page, axe):
    absence_journey(desktop_page, axe)


def test_absence_journey_on_phone(phone_page, axe):
    absence_journey(phone_page, axe)
