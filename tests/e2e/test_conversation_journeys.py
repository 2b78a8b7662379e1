"""Berichten (#15), with the keyboard only: a parent opens Berichten, reads the demo
conversation with juf Bakker and writes a new message to juf Bakker and the directeur.

With JavaScript the "Aan" field is the combobox (recipient-combobox.js): type part of a
name, choose with the arrow keys and Enter, hear how many suggestions there are. Without
it (the script not loaded) it is the plain list grouped by school, chosen by typing the
start of a name. Both on a desktop and a phone screen; every page checked with axe-core.

All runs share one database and one parent: each writes a message with a subject of its
own (SUBJECTS), and none counts on the demo conversation still being unread.
"""

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # plain `make test` without the e2e extra: conftest skips every test here
    expect = None

pytestmark = pytest.mark.e2e

PASSWORD = "demo-wachtwoord"
JANSEN = "ouder.jansen@example.org"
DEMO_SUBJECT = "Emma naar de tandarts"
BAKKER = "juf Bakker – leerkracht groep 3"
DIRECTOR = "Karin Smit (directeur) – directie"
SENT = "Uw bericht is verzonden."
SUBJECTS = {
    ("desktop", True): "Gymspullen Emma (desktop)",
    ("desktop", False): "Ziekmelding Emma (desktop)",
    ("phone", True): "Gymspullen Emma (telefoon)",
    ("phone", False): "Ziekmelding Emma (telefoon)",
}
BODY = "Emma neemt morgen haar gymspullen weer mee naar huis."


def heading(page, name):
    return page.get_by_role("heading", level=1, name=name)


def log_in(page):
    page.goto("/account/inloggen/")
    page.get_by_label("E-mailadres").fill(JANSEN)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r"/portaal/$"))


def is_focused(locator):
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, limit=60):
    """Press Tab until ``locator`` has the focus: how a keyboard user gets there."""
    for _ in range(limit):
        if is_focused(locator):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} is not reached with Tab in {limit} presses")


def check_no_sideways_scroll(page, viewport):
    if viewport != "phone":
        return
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways: {scroll_width}px"


def open_berichten(page, axe, viewport):
    link = page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name=re.compile(r"^Berichten")
    )
    if viewport == "phone":
        expect(link).to_be_in_viewport(ratio=1)
    tab_to(page, link)
    page.keyboard.press("Enter")
    expect(heading(page, "Berichten")).to_be_visible()
    expect(link).to_have_attribute("aria-current", "page")
    axe(page)
    check_no_sideways_scroll(page, viewport)


def read_demo_conversation(page, axe, viewport):
    conversation = page.get_by_role("main").get_by_role(
        "link", name=re.compile(rf"^(nieuw )?{re.escape(DEMO_SUBJECT)}$")
    )
    tab_to(page, conversation)
    page.keyboard.press("Enter")
    expect(heading(page, DEMO_SUBJECT)).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Ik haal haar om 9.45 uur op")
    expect(main).to_contain_text("gymspullen op school laten liggen")
    expect(main.get_by_role("button", name="Bericht verzenden")).to_be_visible()
    axe(page)
    check_no_sideways_scroll(page, viewport)
    # Read now: no longer marked in the inbox.
    back = main.get_by_role("link", name=re.compile(r"Berichten$"))
    tab_to(page, back)
    page.keyboard.press("Enter")
    expect(heading(page, "Berichten")).to_be_visible()
    expect(
        page.get_by_role("main").get_by_role("link", name=DEMO_SUBJECT, exact=True)
    ).to_be_visible()


def open_compose(page, axe):
    compose = page.get_by_role("navigation", name="Berichten").get_by_role("link", name="Opstellen")
    tab_to(page, compose)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Nieuw bericht")).to_be_visible()
    axe(page)


def choose_with_combobox(page, axe):
    combobox = page.get_by_role("combobox", name="Aan")
    expect(page.get_by_role("listbox", name="Aan")).to_be_hidden()
    expect(combobox).to_have_accessible_description(re.compile("pijltjestoetsen en Enter"))
    tab_to(page, combobox)
    # The suggestions come from the server (under the site's CSP in production: connect-src
    # 'self'), not from the select's own options.
    with page.expect_response(
        lambda response: (
            "/portaal/berichten/ontvangers/?q=bakk" in response.url and response.status == 200
        )
    ):
        page.keyboard.type("bakk")
    option = page.get_by_role("option", name=BAKKER)
    expect(option).to_be_visible()
    expect(combobox).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("status").filter(has_text="1 suggesties")).to_have_count(1)
    axe(page)  # with the suggestions open
    page.keyboard.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(combobox).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    page.keyboard.press("Enter")
    chosen = page.get_by_role("list", name="Gekozen ontvangers")
    expect(chosen).to_contain_text(BAKKER)
    expect(combobox).to_have_value("")
    expect(combobox).to_be_focused()

    page.keyboard.type("directeur")
    expect(page.get_by_role("option", name=DIRECTOR)).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(chosen).to_contain_text(DIRECTOR)
    # A name from another school, or a parent, is never suggested.
    page.keyboard.type("Jansen")
    expect(page.get_by_role("status").filter(has_text="Geen medewerker gevonden")).to_have_count(1)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(combobox).to_have_value("")


def choose_in_plain_list(page):
    recipients = page.get_by_role("listbox", name="Aan")
    expect(page.get_by_role("combobox", name="Aan")).to_have_count(0)
    expect(recipients).to_have_accessible_description(re.compile(r"Ctrl \(Mac: Cmd\)"))
    expect(recipients.locator('optgroup[label="Basisschool De Regenboog"]')).to_have_count(1)
    tab_to(page, recipients)
    page.keyboard.type("juf ba")  # the list's own type-ahead: the first option starting so
    selected = recipients.evaluate(
        "select => Array.from(select.selectedOptions).map((option) => option.text)"
    )
    assert selected == [BAKKER], selected


def write_and_send(page, axe, viewport, subject):
    form_main = page.get_by_role("main")
    tab_to(page, form_main.get_by_label("Onderwerp"))
    page.keyboard.type(subject)
    tab_to(page, form_main.get_by_label("Bericht", exact=True))
    page.keyboard.type(BODY)
    axe(page)
    check_no_sideways_scroll(page, viewport)
    tab_to(page, form_main.get_by_role("button", name="Bericht verzenden"))
    page.keyboard.press("Enter")
    expect(heading(page, subject)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text=SENT)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(BODY)
    axe(page)
    check_no_sideways_scroll(page, viewport)


def missing_recipient_keeps_the_text(page, axe, subject):
    """Sent without anyone in "Aan": a clear error, and what was typed is still there."""
    main = page.get_by_role("main")
    tab_to(page, main.get_by_label("Onderwerp"))
    page.keyboard.type(subject)
    tab_to(page, main.get_by_label("Bericht", exact=True))
    page.keyboard.type(BODY)
    tab_to(page, main.get_by_role("button", name="Bericht verzenden"))
    page.keyboard.press("Enter")
    expect(main).to_contain_text("Kies een ontvanger.")
    expect(main.get_by_label("Onderwerp")).to_have_value(subject)
    expect(main.get_by_label("Bericht", exact=True)).to_have_value(BODY)
    axe(page)
    # The subject and text stay; start again from the recipients.
    main.get_by_label("Onderwerp").fill("")
    main.get_by_label("Bericht", exact=True).fill("")


def journey(page, axe, viewport, javascript):
    if not javascript:
        # The page without its script: what a browser without JavaScript gets.
        page.route("**/recipient-combobox.js", lambda route: route.abort())
    subject = SUBJECTS[(viewport, javascript)]
    log_in(page)
    open_berichten(page, axe, viewport)
    read_demo_conversation(page, axe, viewport)
    open_compose(page, axe)
    if not javascript:
        missing_recipient_keeps_the_text(page, axe, subject)
        choose_in_plain_list(page)
    else:
        choose_with_combobox(page, axe)
    write_and_send(page, axe, viewport, subject)
    parties = page.get_by_role("main").get_by_text(re.compile(r"^Met "))
    expect(parties).to_contain_text("juf Bakker")
    if javascript:
        expect(parties).to_contain_text("Karin Smit (directeur)")

    # The message is in Verzonden, newest first.
    sent = page.get_by_role("navigation", name="Berichten")
    open_berichten(page, axe, viewport)
    tab_to(page, sent.get_by_role("link", name="Verzonden"))
    page.keyboard.press("Enter")
    first = page.get_by_role("region", name="Verzonden").get_by_role("listitem").first
    expect(first).to_contain_text(subject)
    axe(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_parent_writes_a_message_with_the_keyboard_on_desktop(desktop_page, axe, javascript):
    journey(desktop_page, axe, "desktop", javascript)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_parent_writes_a_message_with_the_keyboard_on_phone(phone_page, axe, javascript):
    journey(phone_page, axe, "phone", javascript)
