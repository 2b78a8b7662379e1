"""Resultaten in the browser: a parent follows the dashboard's "Nieuwe resultaten" to Daan's
results, chooses the test the chart shows, goes back to the overview and downloads Emma's
report, on a desktop and on a phone; every page on the way is checked with axe-core."""

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # plain `make test` without the e2e extra: conftest skips every test here
    expect = None

from tests.e2e.test_absence_journeys import heading, log_in

pytestmark = pytest.mark.e2e


def results_journey(page, axe):
    log_in(page)
    news = page.get_by_role("region", name="Nieuwe resultaten")
    expect(news).to_contain_text("1 nieuw toetsresultaat")
    news.get_by_role("link", name="Daan Jansen").click()
    expect(heading(page, "Resultaten: Daan Jansen")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Scores .* door de jaren heen"))).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Methodetoets rekenen blok 3")
    axe(page)

    page.get_by_label("Grafiek van toets").select_option("Spelling")
    page.get_by_role("button", name="Tonen").click()
    expect(page.get_by_role("img", name="Scores Spelling door de jaren heen")).to_be_visible()
    expect(page.get_by_role("figure")).to_contain_text("Scores Spelling:")
    axe(page)

    page.get_by_role("link", name="← Resultaten").click()
    expect(heading(page, "Resultaten")).to_be_visible()
    emma = page.get_by_role("region", name="Emma Jansen")
    expect(emma).to_contain_text("Rapport 2")
    axe(page)
    with page.expect_download() as download:
        emma.get_by_role("link", name=re.compile("^Rapport 2")).first.click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_results_journey_on_desktop(desktop_page, axe):
    results_journey(desktop_page, axe)


def test_results_journey_on_phone(phone_page, axe):
    results_journey(phone_page, axe)
