"""Nieuwsbrieven, read as a parent on a desktop and on a phone.

The parent finds the December issue on the dashboard and the archive from the School page,
searches the archive, reads the issue (its photo served by the portal, the group news, a
teacher's approved item and the school's agenda) and downloads the November issue's
document. Every portal page on the way is checked with axe-core and must not scroll
sideways on a phone.
"""

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # plain `make test` without the e2e extra: conftest skips every test here
    expect = None

from .test_mailing_journeys import (
    JANSEN,
    PASSWORD,
    check_no_sideways_scroll,
    heading,
    log_in,
    main_menu,
)

pytestmark = pytest.mark.e2e

DECEMBER = "Nieuwsbrief december"
NOVEMBER = "Nieuwsbrief november"


def parent_newsletter_journey(page, axe, viewport):
    log_in(page, JANSEN, PASSWORD)
    expect(heading(page, "Welkom, Marieke")).to_be_visible()
    recent = page.get_by_role("region", name="Recente nieuwsbrieven")
    expect(recent.get_by_role("link").first).to_have_text(DECEMBER)

    # From the main menu's School page; School stays the current item.
    link = main_menu(page).get_by_role("link", name="School", exact=True)
    if viewport == "phone":
        expect(link).to_be_in_viewport(ratio=1)
    link.click()
    page.get_by_role("main").get_by_role("link", name="Nieuwsbrieven van school").click()
    expect(heading(page, "Nieuwsbrieven")).to_be_visible()
    expect(link).to_have_attribute("aria-current", "page")
    school = page.get_by_role("main").get_by_role("region", name="Basisschool De Regenboog")
    expect(school.get_by_role("link")).to_have_text([DECEMBER, NOVEMBER])  # newest first
    axe(page)
    check_no_sideways_scroll(page, viewport)

    # The search finds what is in an issue's text, not only in its title.
    page.get_by_label("Zoeken in de nieuwsbrieven").fill("schoolfotograaf")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("status")).to_contain_text("1 nieuwsbrief gevonden")
    expect(school.get_by_role("link")).to_have_text([NOVEMBER])
    axe(page)
    page.get_by_role("main").get_by_role("link", name="Alle nieuwsbrieven").click()

    # The December issue: its photo comes through the portal's permission check.
    with page.expect_response(re.compile(r"/portaal/nieuwsbrieven/\d+/foto/\d+/$")) as photo:
        school.get_by_role("link", name=DECEMBER).click()
        expect(heading(page, DECEMBER)).to_be_visible()
    assert photo.value.status == 200
    assert photo.value.headers["content-type"] == "image/jpeg"
    main = page.get_by_role("main")
    picture = main.get_by_role("img", name="Lichtjes in de aula")
    picture.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=picture.element_handle()
    )
    # Group 3's item as the editor typed it, then juf Bakker's, approved in the workflow
    # (meester Visser's waits for approval: not shown).
    group3 = main.get_by_role("region", name="Uit Groep 3")
    expect(group3).to_have_count(2)
    expect(group3.first).to_contain_text("kerstliedje")
    expect(group3.last).to_contain_text("Groep 3 leest!")
    expect(main).not_to_contain_text("twee ouders die willen helpen")
    expect(main.get_by_role("heading", name="Agenda", level=2)).to_be_visible()
    axe(page)
    check_no_sideways_scroll(page, viewport)

    # The November issue's button is a download of the school's document.
    main.get_by_role("link", name=re.compile("Alle nieuwsbrieven$")).click()
    school.get_by_role("link", name=NOVEMBER).click()
    expect(heading(page, NOVEMBER)).to_be_visible()
    axe(page)
    check_no_sideways_scroll(page, viewport)
    with page.expect_download() as download:
        page.get_by_role("link", name="Informatie over de schoolfoto's").click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_parent_reads_a_newsletter_on_desktop(desktop_page, axe):
    parent_newsletter_journey(desktop_page, axe, "desktop")


def test_parent_reads_a_newsletter_on_phone(phone_page, axe):
    parent_newsletter_journey(phone_page, axe, "phone")
