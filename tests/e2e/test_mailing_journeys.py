"""Mailings (#5), clicked through as a parent and as school management would.

The parent reads the demo mailings, answers the open reply slip of "Schoolreis groep 3"
and finds the closed one of the Sinterklaas mailing read-only; management writes and
publishes a mailing for groep 3 in the Wagtail admin, and the parent finds it in the
portal. Every portal page on the way is checked with axe-core; the Wagtail admin's own
markup is not ours and is only clicked through.

The desktop and phone runs share one database and one parent, so a mailing the first run
opened is read in the second: each run watches the unread mark of a mailing of its own,
and types answers of its own (RUN_DATA).
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
MANAGEMENT = "directie@example.org"

TRIP = "Schoolreis groep 3: wie rijdt er mee?"
TRIP_BODY = "Vrijdag over twee weken gaan we naar de kinderboerderij."
DRIVES = "Wie rijdt er mee naar de kinderboerderij?"
HOW_MANY = "Hoeveel kinderen kunnen er bij u mee (naast uw eigen kind)?"
REMARKS = "Opmerkingen"
SINTERKLAAS = "Sinterklaasviering: hulp gezocht"
SAVED = "Uw antwoord is opgeslagen."
CLOSED = "De termijn voor dit antwoordbriefje is verstreken."

# What each run types and which mailing it watches turn from unread to read.
RUN_DATA = {
    "desktop": {
        "unread": "Ouderbijdrage en schoolfeest",
        "unread_body": "De ouderraad organiseert dit jaar weer het schoolfeest.",
        "children": "2",
        "remarks": "Ik heb een auto met vijf zitplaatsen.",
        "new_title": "Gymles groep 3 verplaatst naar vrijdag",
        "new_body": "De gymles van donderdag is deze week verplaatst naar vrijdagochtend.",
    },
    "phone": {
        "unread": "Verslag MR-vergadering oktober",
        "unread_body": "De medezeggenschapsraad vergaderde op 14 oktober.",
        "children": "3",
        "remarks": "Ik kan alleen de heenweg rijden.",
        "new_title": "Luizencontrole groep 3 verschoven",
        "new_body": "De luizencontrole van groep 3 is verschoven naar woensdag.",
    },
}


def heading(page, name):
    return page.get_by_role("heading", level=1, name=name)


def main_menu(page):
    return page.get_by_role("navigation", name="Hoofdmenu")


def log_in(page, email, password):
    page.goto("/account/inloggen/")
    expect(heading(page, "Inloggen")).to_be_visible()
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Inloggen").click()


def open_mailings(page, viewport):
    """Mailings from the main menu; on a phone the menu item is on screen, whole."""
    link = main_menu(page).get_by_role("link", name="Mailings", exact=True)
    if viewport == "phone":
        expect(link).to_be_in_viewport(ratio=1)
    link.click()
    expect(link).to_have_attribute("aria-current", "page")
    expect(heading(page, "Mailings")).to_be_visible()


def mailing_row(scope, title):
    """A mailing's row in a list (a locator): the item with the eye icon "Open mailing: <title>"."""
    return scope.get_by_role("listitem").filter(
        has=scope.page.get_by_role("link", name=f"Open mailing: {title}", exact=True)
    )


def title_link(row, title):
    """The row's title link; while the mailing is unread its name starts with "nieuw"."""
    return row.get_by_role("link", name=re.compile(rf"^(nieuw )?{re.escape(title)}$"))


def unread_badge(row):
    return row.get_by_text("nieuw", exact=True)


def recent_mailings(page):
    return page.get_by_role("region", name="Recente mailings")


def reply_slip(page):
    return page.get_by_role("region", name="Antwoordbriefje", exact=True)


def check_no_sideways_scroll(page, viewport):
    if viewport != "phone":
        return
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= width, (
        f"{page.url} scrolls sideways: {scroll_width}px on a {width}px screen"
    )


def back_to_mailings(page):
    page.get_by_role("main").get_by_role("link", name=re.compile(r"Mailings$")).click()
    expect(heading(page, "Mailings")).to_be_visible()


def main_area(page):
    return page.get_by_role("main")


def check_read(page, title, region=main_area):
    """No "nieuw" on the mailing in ``region(page)``, nor after reloading twice: each
    reload may be answered by another of the server's processes."""
    expect(unread_badge(mailing_row(region(page), title))).to_have_count(0)
    for _ in range(2):
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(unread_badge(mailing_row(region(page), title))).to_have_count(0)


def read_own_unread_mailing(page, axe, viewport, title, body):
    """A mailing without a slip that only this run opens: "nieuw" until it is opened."""
    row = mailing_row(page.get_by_role("main"), title)
    expect(unread_badge(row)).to_be_visible()
    title_link(row, title).click()
    expect(heading(page, title)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(body)
    expect(reply_slip(page)).to_have_count(0)  # a mailing without a reply slip
    axe(page)
    check_no_sideways_scroll(page, viewport)
    back_to_mailings(page)
    check_read(page, title)


def answer_trip_slip(page, axe, viewport, data):
    """The open per-family slip: answer, save, and find the answer again after a reload."""
    slip = reply_slip(page)
    expect(slip).to_contain_text("U kunt antwoorden en uw antwoord wijzigen tot")
    form = slip.get_by_role("form", name=re.compile(r"^Voor ons gezin"))
    expect(form).to_have_count(1)  # one answer for the family: Daan (groep 7) is not asked
    expect(form).to_contain_text("Emma")
    expect(form).not_to_contain_text("Daan")
    drives = form.get_by_role("group", name=re.compile(rf"^{re.escape(DRIVES)}"))
    expect(drives.get_by_role("radio")).to_have_count(2)
    drives.get_by_role("radio", name="Ja, ik rijd", exact=True).check()
    form.get_by_label(HOW_MANY).fill(data["children"])
    form.get_by_label(REMARKS).fill(data["remarks"])
    form.get_by_role("button", name="Antwoord opslaan").click()

    saved = page.get_by_role("status").filter(has_text=SAVED)
    expect(saved).to_be_visible()
    expect(page).to_have_url(re.compile(r"/portaal/mailings/\d+/#antwoordbriefje$"))
    # The page opens at the slip: the confirmation must be there, not scrolled away above.
    expect(saved).to_be_in_viewport()
    expect(heading(page, TRIP)).to_be_visible()
    expect(form).to_contain_text("Beantwoord op")
    axe(page)

    page.reload()
    expect(heading(page, TRIP)).to_be_visible()
    expect(page.get_by_role("status")).to_have_count(0)  # the message was shown once
    drives = form.get_by_role("group", name=re.compile(rf"^{re.escape(DRIVES)}"))
    expect(drives.get_by_role("radio", name="Ja, ik rijd", exact=True)).to_be_checked()
    expect(drives.get_by_role("radio", name="Nee", exact=True)).not_to_be_checked()
    expect(form.get_by_label(HOW_MANY)).to_have_value(data["children"])
    expect(form.get_by_label(REMARKS)).to_have_value(data["remarks"])
    expect(form.get_by_role("button", name="Antwoord opslaan")).to_be_enabled()
    check_no_sideways_scroll(page, viewport)


def check_closed_slip(page):
    """The per-child slip whose deadline passed: the message, and nothing to change."""
    slip = reply_slip(page)
    expect(slip.get_by_role("status")).to_contain_text(CLOSED)
    form = slip.get_by_role("form", name="Voor Emma Jansen", exact=True)
    expect(form).to_contain_text("Niet beantwoord.")
    helps = form.get_by_role("group", name=re.compile(r"^Kan een ouder helpen versieren\?"))
    for choice in ("Ja", "Nee"):
        radio = helps.get_by_role("radio", name=choice, exact=True)
        expect(radio).to_be_disabled()
        expect(radio).not_to_be_checked()
    expect(form.get_by_role("checkbox", name=re.compile(r"^Eet uw kind mee"))).to_be_disabled()
    expect(slip.get_by_role("button", name="Antwoord opslaan")).to_have_count(0)
    expect(slip.get_by_role("form", name=re.compile("Daan"))).to_have_count(0)  # groep 7


def parent_mailing_journey(page, axe, viewport):
    data = RUN_DATA[viewport]

    # The dashboard lists the recent mailings; this run's own mailing is still unread.
    log_in(page, JANSEN, PASSWORD)
    expect(page).to_have_url(re.compile(r"/portaal/$"))
    expect(heading(page, "Welkom, Marieke")).to_be_visible()
    recent = recent_mailings(page)
    expect(recent.get_by_role("heading", name="Recente mailings")).to_be_visible()
    expect(mailing_row(recent, TRIP)).to_be_visible()
    expect(unread_badge(mailing_row(recent, data["unread"]))).to_be_visible()
    axe(page)

    # Mailings: every demo mailing of the family, the slips marked.
    open_mailings(page, viewport)
    main = page.get_by_role("main")
    for title in (TRIP, SINTERKLAAS, data["unread"]):
        expect(mailing_row(main, title)).to_have_count(1)
    for title in (TRIP, SINTERKLAAS):
        expect(mailing_row(main, title).get_by_text("antwoordbriefje", exact=True)).to_be_visible()
    expect(mailing_row(main, data["unread"]).get_by_text("antwoordbriefje")).to_have_count(0)
    axe(page)
    check_no_sideways_scroll(page, viewport)

    # A mailing without a slip: "nieuw" until it is opened.
    read_own_unread_mailing(page, axe, viewport, data["unread"], data["unread_body"])

    # Schoolreis ("nieuw" unless an earlier run opened it): the eye icon opens it at the slip.
    trip = mailing_row(page.get_by_role("main"), TRIP)
    trip.get_by_role("link", name=f"Open mailing: {TRIP}", exact=True).click()
    expect(heading(page, TRIP)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/portaal/mailings/\d+/#antwoordbriefje$"))
    expect(page.get_by_role("main")).to_contain_text(TRIP_BODY)
    axe(page)
    check_no_sideways_scroll(page, viewport)
    answer_trip_slip(page, axe, viewport, data)

    # Back in Mailings the trip is read, whether or not it was new before.
    back_to_mailings(page)
    trip = mailing_row(page.get_by_role("main"), TRIP)
    expect(title_link(trip, TRIP)).to_have_accessible_name(TRIP)
    check_read(page, TRIP)

    # Sinterklaas, opened by its title: the slip is closed.
    sinterklaas = mailing_row(page.get_by_role("main"), SINTERKLAAS)
    title_link(sinterklaas, SINTERKLAAS).click()
    expect(heading(page, SINTERKLAAS)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("versieren van het lokaal")
    check_closed_slip(page)
    axe(page)
    check_no_sideways_scroll(page, viewport)

    # The dashboard's recent mailings no longer mark what was read.
    main_menu(page).get_by_role("link", name="Dashboard", exact=True).click()
    expect(heading(page, "Welkom, Marieke")).to_be_visible()
    for title in (TRIP, data["unread"]):
        check_read(page, title, region=recent_mailings)
    recent = recent_mailings(page)
    recent.get_by_role("link", name="Alle mailings").click()
    expect(heading(page, "Mailings")).to_be_visible()
    axe(page)


def test_parent_reads_and_answers_mailings_on_desktop(desktop_page, axe):
    parent_mailing_journey(desktop_page, axe, "desktop")


def test_parent_reads_and_answers_mailings_on_phone(phone_page, axe):
    parent_mailing_journey(phone_page, axe, "phone")


# -- management writes a mailing in the Wagtail admin --------------------------------------


def admin_log_in(page, email, password):
    """/admin/ sends to Wagtail's own login form."""
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.get_by_label("E-mailadres").fill(email)
    # Wagtail's LoginForm leaves its password field unlabelled: Django names it "Password".
    page.get_by_role("textbox", name=re.compile(r"^(Wachtwoord|Password)")).fill(password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def publish_mailing_for_group_3(page, title, body):
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Mailings", exact=True
    ).click()
    expect(page).to_have_url(re.compile(r"/admin/snippets/mailings/mailing/$"))
    page.get_by_role("link", name="Mailing toevoegen").click()
    expect(page).to_have_url(re.compile(r"/admin/snippets/mailings/mailing/add/$"))

    # The school is chosen already: management of one school writes for that school.
    expect(page.get_by_role("region", name=re.compile(r"^School\*?$"))).to_contain_text(
        "Basisschool De Regenboog"
    )
    page.get_by_role("textbox", name=re.compile(r"^Onderwerp")).fill(title)
    page.get_by_role("combobox", name=re.compile(r"^Afzender")).select_option(label="de leerkracht")
    page.get_by_role("radio", name="gekozen groepen", exact=True).check()
    page.get_by_role("checkbox", name="Groep 3", exact=True).check()
    # Draftail is a contenteditable without a name of its own: the field's region names it.
    editor = page.get_by_role("region", name=re.compile(r"^Tekst\*?$")).get_by_role("textbox")
    editor.click()
    page.keyboard.type(body)
    expect(editor).to_have_text(body)
    # Draftail copies the text into the form a moment after the last key, as a person
    # pausing before the next click would let it.
    expect(page.locator("input[name=body]")).to_have_value(re.compile(re.escape(body[:20])))

    page.get_by_role("button", name="Meer acties").click()
    page.get_by_role("button", name="Publiceren").click()
    expect(page).to_have_url(re.compile(r"/admin/snippets/mailings/mailing/$"))
    expect(page.get_by_text(f"Mailing '{title}' aangemaakt en gepubliceerd.")).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=title, exact=True))
    expect(row).to_contain_text("Groep 3")
    expect(row).to_contain_text("de leerkracht")
    expect(row).not_to_contain_text("niet verstuurd")


@pytest.mark.parametrize("parent_viewport", ["desktop", "phone"])
def test_management_publishes_mailing_parent_reads_it(desktop_page, axe, request, parent_viewport):
    """Management publishes in the admin (desktop); the parent reads it on either screen."""
    data = RUN_DATA[parent_viewport]
    title, body = data["new_title"], data["new_body"]
    admin = desktop_page
    admin_log_in(admin, MANAGEMENT, PASSWORD)
    publish_mailing_for_group_3(admin, title, body)

    page = request.getfixturevalue(f"{parent_viewport}_page")
    if page is admin:  # the parent at another computer: without the admin's session
        page.context.clear_cookies()
    log_in(page, JANSEN, PASSWORD)
    expect(heading(page, "Welkom, Marieke")).to_be_visible()
    # The newest mailing heads the dashboard's recent mailings, marked new.
    recent = recent_mailings(page)
    first = recent.get_by_role("listitem").first
    expect(first.get_by_role("link", name=f"Open mailing: {title}", exact=True)).to_be_visible()
    expect(unread_badge(first)).to_be_visible()
    axe(page)

    open_mailings(page, parent_viewport)
    row = mailing_row(page.get_by_role("main"), title)
    expect(unread_badge(row)).to_be_visible()
    expect(row).to_contain_text("juf Bakker (Groep 3)")  # the teacher of groep 3 as the sender
    expect(row.get_by_text("antwoordbriefje")).to_have_count(0)
    title_link(row, title).click()
    expect(heading(page, title)).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text(body)
    expect(main).to_contain_text("Groep 3")
    axe(page)
    check_no_sideways_scroll(page, parent_viewport)
    back_to_mailings(page)
    check_read(page, title)
