"""A parent's journeys through the portal, clicked through as a person would.

Every step finds what it clicks or fills by its role and accessible name or by its label,
never by posting a form directly, and every page on the way is checked with axe-core.
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
JANSEN_NAME = "Marieke Jansen"
GENERIC_LOGIN_ERROR = (
    "Dit e-mailadres en wachtwoord horen niet bij elkaar. Controleer ze en probeer het opnieuw."
)
POSTCODE_ERROR = "Vul een Nederlandse postcode in, bijvoorbeeld 1234 AB."
SAVED = "De wijzigingen zijn opgeslagen."
# What each run types, so the desktop and phone runs (same database) tell their saves apart.
RUN_DATA = {
    "desktop": {"allergies": "Pinda's en kiwi", "house_number": "9", "babysitter": "Noor Bos"},
    "phone": {"allergies": "Pinda's en lactose", "house_number": "11", "babysitter": "Mila Kok"},
}


def heading(page, name):
    return page.get_by_role("heading", level=1, name=name)


def status_message(page):
    return page.get_by_role("status")


def main_menu(page):
    return page.get_by_role("navigation", name="Hoofdmenu")


def school_tabs(page):
    return page.get_by_role("navigation", name="School", exact=True)


def log_in(page, email, password):
    page.goto("/account/inloggen/")
    expect(heading(page, "Inloggen")).to_be_visible()
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Inloggen").click()


def class_list_row(page, pupil):
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=pupil, exact=True))


def check_class_list(page):
    """Sophie's mother hides her address and phone; Emma's mother shares hers."""
    sophie = class_list_row(page, "Sophie de Vries")
    expect(sophie).to_be_visible()
    expect(sophie).to_contain_text("Annelies de Vries")
    for hidden in ("Kastanjehof", "3815 KL", "06-34567890"):
        expect(sophie).not_to_contain_text(hidden)
    emma = class_list_row(page, "Emma Jansen")
    expect(emma).to_be_visible()
    marieke = emma.get_by_role("listitem").filter(has_text=JANSEN_NAME)
    if not marieke.count():  # the print view lists the guardians without a list
        marieke = emma
    expect(marieke).to_contain_text("Lindelaan")
    expect(marieke).to_contain_text("3812 CD Amersfoort")


def check_menu_reachable(page):
    """On a phone every main menu item is on screen, whole, without scrolling sideways."""
    menu = main_menu(page)
    expect(menu).to_be_visible()
    links = menu.get_by_role("link")
    for index in range(links.count()):
        expect(links.nth(index)).to_be_in_viewport(ratio=1)
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= width, (
        f"the page scrolls sideways: {scroll_width}px on a {width}px screen"
    )


def open_every_menu_item(page, axe):
    menu = main_menu(page)
    names = [name.strip() for name in menu.get_by_role("link").all_inner_texts()]
    assert {"Dashboard", "School"} <= set(names), names
    for name in names:
        link = main_menu(page).get_by_role("link", name=name, exact=True)
        link.click()
        expect(link).to_have_attribute("aria-current", "page")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        axe(page)


def parent_journey(page, axe, viewport):
    data = RUN_DATA[viewport]

    # Log in and land on the dashboard.
    log_in(page, JANSEN, PASSWORD)
    expect(page).to_have_url(re.compile(r"/portaal/$"))
    expect(heading(page, "Welkom, Marieke")).to_be_visible()
    axe(page)
    if viewport == "phone":
        check_menu_reachable(page)

    # Every item of the main menu.
    open_every_menu_item(page, axe)

    # School: jaargroep information, the class list of groep 3 and its print view.
    main_menu(page).get_by_role("link", name="School", exact=True).click()
    expect(heading(page, "School")).to_be_visible()
    expect(school_tabs(page).get_by_role("link", name="Jaargroep informatie")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("region", name="Groep 3", exact=True)).to_be_visible()
    expect(page.get_by_role("region", name="Groep 7", exact=True)).to_be_visible()
    page.get_by_role("link", name="Klassenlijst Groep 3").click()
    expect(heading(page, "Klassenlijst Groep 3")).to_be_visible()
    check_class_list(page)
    axe(page)
    page.get_by_role("link", name="Afdrukken").click()
    expect(heading(page, re.compile(r"^Klassenlijst Groep 3"))).to_be_visible()
    check_class_list(page)
    axe(page)
    page.get_by_role("link", name="Terug naar de klassenlijst").click()
    expect(heading(page, "Klassenlijst Groep 3")).to_be_visible()

    # Mijn kinderen: Emma's medical tab.
    page.get_by_role("link", name="Jaargroep informatie").click()
    school_tabs(page).get_by_role("link", name="Mijn kinderen").click()
    expect(heading(page, "Mijn kinderen")).to_be_visible()
    axe(page)
    page.get_by_role("main").get_by_role("link", name="Emma Jansen").click()
    expect(heading(page, "Emma Jansen")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Medisch en allergieën").click()
    medical = page.get_by_role("region", name="Medisch en allergieën")
    medical.get_by_role("link", name="Wijzigen").click()
    expect(heading(page, "Medisch en allergieën wijzigen")).to_be_visible()
    axe(page)
    page.get_by_label("Allergieën").fill(data["allergies"])
    page.get_by_role("button", name="Opslaan").click()
    expect(status_message(page)).to_contain_text(SAVED)
    expect(heading(page, "Emma Jansen")).to_be_visible()
    expect(page.get_by_role("region", name="Medisch en allergieën")).to_contain_text(
        data["allergies"]
    )
    axe(page)

    # Oppas: add, edit and delete a babysitter.
    main_menu(page).get_by_role("link", name="School", exact=True).click()
    school_tabs(page).get_by_role("link", name="Oppas").click()
    expect(heading(page, "Oppas")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Lisa Hoekman")
    axe(page)
    name = data["babysitter"]
    page.get_by_role("link", name="Toevoegen").click()
    expect(heading(page, "Oppas toevoegen")).to_be_visible()
    axe(page)
    page.get_by_label("Naam").fill(name)
    page.get_by_label("Telefoon").fill("06-11112222")
    page.get_by_label("Opmerkingen").fill("Woensdagmiddag")
    page.get_by_role("button", name="Opslaan").click()
    expect(status_message(page)).to_contain_text("De oppas is opgeslagen.")
    babysitter = page.get_by_role("listitem").filter(has_text=name)
    expect(babysitter).to_contain_text("06-11112222")
    axe(page)
    page.get_by_role("link", name=f"Wijzigen {name}").click()
    expect(heading(page, "Oppas wijzigen")).to_be_visible()
    expect(page.get_by_label("Naam")).to_have_value(name)
    axe(page)
    page.get_by_label("Telefoon").fill("06-33334444")
    page.get_by_role("button", name="Opslaan").click()
    expect(status_message(page)).to_contain_text("De oppas is opgeslagen.")
    expect(babysitter).to_contain_text("06-33334444")
    page.get_by_role("link", name=f"Verwijderen {name}").click()
    expect(heading(page, "Oppas verwijderen")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(f"Weet u zeker dat u {name} wilt verwijderen?")
    axe(page)
    page.get_by_role("button", name="Verwijderen").click()
    expect(status_message(page)).to_contain_text("De oppas is verwijderd.")
    expect(page.get_by_role("main")).not_to_contain_text(name)
    expect(page.get_by_role("main")).to_contain_text("Lisa Hoekman")

    # Mijn profiel via the button with the parent's name: the address tab.
    page.get_by_role("link", name=JANSEN_NAME, exact=True).click()
    expect(heading(page, "Mijn profiel")).to_be_visible()
    axe(page)
    address = page.get_by_role("region", name="Adres", exact=True)
    address.get_by_role("link", name="Wijzigen").click()
    expect(heading(page, "Adres wijzigen")).to_be_visible()
    axe(page)
    page.get_by_label("Straat").fill("Lindelaan")
    page.get_by_label("Huisnummer").fill(data["house_number"])
    page.get_by_label("Postcode").fill("12345")
    page.get_by_label("Plaats").fill("Amersfoort")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text(POSTCODE_ERROR)).to_be_visible()
    expect(heading(page, "Adres wijzigen")).to_be_visible()
    expect(page.get_by_label("Straat")).to_have_value("Lindelaan")
    expect(page.get_by_label("Huisnummer")).to_have_value(data["house_number"])
    expect(page.get_by_label("Postcode")).to_have_value("12345")
    expect(page.get_by_label("Plaats")).to_have_value("Amersfoort")
    axe(page)
    page.get_by_label("Postcode").fill("3812cd")
    page.get_by_role("button", name="Opslaan").click()
    expect(status_message(page)).to_contain_text(SAVED)
    expect(address).to_contain_text(f"Lindelaan {data['house_number']}")
    expect(address).to_contain_text("3812 CD Amersfoort")
    axe(page)

    # Log out: back on the login page, and the portal asks to log in again.
    page.get_by_role("button", name="Uitloggen").click()
    expect(heading(page, "Inloggen")).to_be_visible()
    axe(page)
    page.goto("/portaal/")
    expect(page).to_have_url(re.compile(r"/account/inloggen/"))


def test_parent_journey_on_desktop(desktop_page, axe):
    parent_journey(desktop_page, axe, "desktop")


def test_parent_journey_on_phone(phone_page, axe):
    parent_journey(phone_page, axe, "phone")


def test_failed_login_shows_one_generic_error(desktop_page, axe):
    page = desktop_page
    # A wrong password for an existing account and an unknown address read the same.
    for email, password in ((JANSEN, "niet-het-wachtwoord"), ("niemand@example.org", PASSWORD)):
        log_in(page, email, password)
        expect(heading(page, "Inloggen")).to_be_visible()
        expect(page.get_by_role("alert")).to_have_text(GENERIC_LOGIN_ERROR)
        expect(page.get_by_label("E-mailadres")).to_have_value(email)
        expect(page.get_by_label("Wachtwoord", exact=True)).to_have_value("")
        axe(page)
    expect(main_menu(page)).to_have_count(0)


def test_agenda_journey_with_subscription_link(desktop_page, axe):
    """Agenda: the weeks, an item, the month view, and a personal link a calendar app can read."""
    page = desktop_page
    log_in(page, JANSEN, PASSWORD)
    main_menu(page).get_by_role("link", name="Agenda", exact=True).click()
    expect(heading(page, "Agenda")).to_be_visible()
    axe(page)

    # Earlier weeks stay reachable; Daan's camp (groep 7) is on the agenda of his mother.
    page.get_by_role("link", name=re.compile("Eerdere activiteiten")).click()
    expect(heading(page, "Agenda")).to_be_visible()
    page.get_by_role("link", name="Maand", exact=True).click()
    expect(page.get_by_role("table")).to_be_visible()
    axe(page)
    first_item = page.locator(".month__item").first
    if first_item.count():
        first_item.click()
        expect(page.get_by_role("link", name="Zet in mijn agenda (.ics)")).to_be_visible()
        axe(page)

    # Agenda delen: make a link, then read it as a calendar app would (no login, no cookies).
    main_menu(page).get_by_role("link", name="Agenda", exact=True).click()
    page.get_by_role("link", name="Agenda delen").click()
    page.get_by_role("button", name="Link maken").click()
    expect(status_message(page)).to_contain_text("Uw persoonlijke agendalink is gemaakt")
    axe(page)
    https_link = page.get_by_label(re.compile(r"\(https\)")).input_value()
    assert https_link.startswith("http")
    assert page.get_by_label(re.compile(r"\(webcal\)")).input_value().startswith("webcal://")
    anonymous = page.context.browser.new_context()
    try:
        response = anonymous.request.get(https_link)
        assert response.status == 200
        assert response.headers["content-type"].startswith("text/calendar")
        body = response.text()
        assert "BEGIN:VCALENDAR" in body
        assert "Kamp groep 7" in body
    finally:
        anonymous.close()


def test_class_list_table_scrolls_by_keyboard_on_phone(phone_page, axe):
    """On a phone the table scrolls sideways: keyboard users must be able to reach it."""
    page = phone_page
    log_in(page, JANSEN, PASSWORD)
    main_menu(page).get_by_role("link", name="School", exact=True).click()
    page.get_by_role("link", name="Klassenlijst Groep 3").click()
    expect(heading(page, "Klassenlijst Groep 3")).to_be_visible()
    axe(page, rules=["scrollable-region-focusable"])
