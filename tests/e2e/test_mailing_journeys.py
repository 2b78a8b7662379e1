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

    # Staff of one school write for that school without being asked: there is no school field.
    expect(page.get_by_role("region", name=re.compile(r"^School\*?$"))).to_have_count(0)
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
    # A first publication asks first, with the number of e-mails it sends.
    expect(
        page.get_by_role("heading", name=re.compile(r"^\d+ e-mails? aan Groep 3 versturen\?$"))
    ).to_be_visible()
    page.get_by_role("button", name="Ja, versturen", exact=True).click()
    expect(
        page.get_by_role("heading", name=re.compile(rf"^Verzending: {re.escape(title)}"))
    ).to_be_visible()
    expect(page.get_by_text("De mailing is gepubliceerd en wordt verstuurd.")).to_be_visible()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Mailings", exact=True
    ).click()
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


# -- a class parent writes a mailing with a reply slip in the portal -----------------------

DEVRIES = "ouder.devries@example.org"
KERSTSTUKJES = "Wie helpt er met de kerststukjes?"
REQUIRED_ERROR = "Dit is een verplicht veld."
CHOICES_ERROR = "Geef de keuzes, één per regel."
DRAFT_STATUS = "Concept: nog niet verstuurd. Zo krijgen de ouders van Groep 3 deze mailing."
SENT = "De mailing is verstuurd aan de ouders van Groep 3."

# Each run writes a mailing of its own, so the answers page counts one answer per run.
CLASS_PARENT_RUN_DATA = {
    "desktop": {
        "title": "Kerststukjes maken in groep 3",
        "text": "Beste ouders,\n\nOp donderdag 18 december maken de kinderen kerststukjes.",
    },
    "phone": {
        "title": "Kerststukjes groep 3: hulp gezocht",
        "text": "Beste ouders,\n\nVoor het kerststukjes maken zoeken we nog een paar ouders.",
    },
}


def question_group(page, number):
    return page.get_by_role("group", name=f"Vraag {number}", exact=True)


def question_text(question):
    """The question's own text field ("Vraag", optional), not the "Keuzes" one."""
    return question.get_by_role("textbox", name=re.compile(r"^Vraag\b"))


def choices_field(question):
    return question.get_by_role("textbox", name=re.compile(r"^Keuzes \(één per regel\)"))


def answer_type(question):
    return question.get_by_role("combobox", name="Soort antwoord", exact=True)


def subject_field(page):
    return page.get_by_role("textbox", name="Onderwerp", exact=True)


def text_field(page):
    return page.get_by_role("textbox", name="Tekst", exact=True)


def save_and_view(page):
    """Click "Opslaan en bekijken"; the server's answer to the form's POST."""
    with page.expect_response(
        lambda response: (
            response.request.method == "POST" and "/portaal/mailings/schrijven/" in response.url
        )
    ) as posted:
        page.get_by_role("button", name="Opslaan en bekijken").click()
    return posted.value


def log_out(page):
    page.get_by_role("button", name="Uitloggen").click()
    expect(heading(page, "Inloggen")).to_be_visible()


def write_mailing_with_errors_first(page, axe, viewport, data):
    """The form refuses an empty subject and a choice question without choices."""
    open_mailings(page, viewport)
    card = page.get_by_role("region", name="Klassenouder", exact=True)
    expect(card).to_be_visible()
    axe(page)
    card.get_by_role("link", name="Mailing schrijven", exact=True).click()
    expect(page).to_have_url(re.compile(r"/portaal/mailings/schrijven/$"))
    expect(heading(page, "Mailing schrijven")).to_be_visible()
    group = page.get_by_role("combobox", name="Aan de ouders van", exact=True)
    expect(group.get_by_role("option", name="Groep 3", exact=True)).to_have_count(1)
    expect(group).to_have_value(re.compile(r"^\d+$"))  # her only group, chosen already
    slip = page.get_by_role("group", name="Antwoordbriefje (optioneel)", exact=True)
    expect(slip.get_by_role("radio", name="één antwoord per gezin", exact=True)).to_be_checked()
    expect(slip.get_by_role("radio", name="één antwoord per kind", exact=True)).not_to_be_checked()
    for number in (1, 2, 3):
        expect(question_group(slip, number)).to_be_visible()
    axe(page)
    check_no_sideways_scroll(page, viewport)

    # First try: no subject, and a choice question without its choices.
    text_field(page).fill(data["text"])
    first = question_group(page, 1)
    question_text(first).fill(KERSTSTUKJES)
    answer_type(first).select_option(label="Keuze (rondjes)")
    first.get_by_role("checkbox", name="Verplicht", exact=True).check()
    response = save_and_view(page)
    assert response.status == 400, f"bad input answered with {response.status}, not 400"

    expect(heading(page, "Mailing schrijven")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/portaal/mailings/schrijven/$"))
    # Each error next to its field, and read out with it (aria-describedby).
    subject = subject_field(page)
    expect(subject).to_have_accessible_description(re.compile(re.escape(REQUIRED_ERROR)))
    expect(subject).to_have_attribute("aria-invalid", "true")
    first = question_group(page, 1)
    choices = choices_field(first)
    expect(choices).to_have_accessible_description(re.compile(re.escape(CHOICES_ERROR)))
    expect(choices).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text(REQUIRED_ERROR, exact=True)).to_have_count(1)
    expect(page.get_by_text(CHOICES_ERROR, exact=True)).to_have_count(1)
    # What she typed is still there.
    expect(text_field(page)).to_have_value(data["text"])
    expect(question_text(first)).to_have_value(KERSTSTUKJES)
    expect(answer_type(first)).to_have_value("radio")
    expect(first.get_by_role("checkbox", name="Verplicht", exact=True)).to_be_checked()
    axe(page)
    check_no_sideways_scroll(page, viewport)

    # Fixed: the subject, and the choices one a line.
    subject.fill(data["title"])
    choices.fill("Ja\nNee")
    response = save_and_view(page)
    assert response.status == 302, f"a good draft answered with {response.status}, not a redirect"


def check_draft_and_send(page, axe, viewport, data):
    expect(page).to_have_url(re.compile(r"/portaal/mailings/concept/\d+/$"))
    expect(heading(page, data["title"])).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(DRAFT_STATUS)
    main = main_area(page)
    expect(main).to_contain_text("Beste ouders,")
    expect(main).to_contain_text(data["text"].split("\n\n")[1])
    expect(main).to_contain_text("nog niet verstuurd")
    questions = page.get_by_role("region", name="Antwoordbriefje", exact=True)
    expect(questions).to_contain_text("één antwoord per gezin")
    expect(questions.get_by_role("listitem")).to_have_count(1)
    expect(questions.get_by_role("listitem")).to_contain_text(KERSTSTUKJES)
    expect(questions.get_by_role("listitem")).to_contain_text("Keuze (rondjes)")
    expect(page.get_by_role("link", name="Wijzigen", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Concept verwijderen", exact=True)).to_be_visible()
    axe(page)
    check_no_sideways_scroll(page, viewport)

    page.get_by_role("button", name="Versturen", exact=True).click()
    expect(page).to_have_url(re.compile(r"/portaal/mailings/\d+/#antwoordbriefje$"))
    expect(heading(page, data["title"])).to_be_visible()
    sent = page.get_by_role("status").filter(has_text=SENT)
    expect(sent).to_be_visible()
    expect(sent).to_be_in_viewport()  # the confirmation is seen without scrolling
    expect(main_area(page)).not_to_contain_text("nog niet verstuurd")
    expect(page.get_by_role("link", name="Antwoorden bekijken", exact=True)).to_be_visible()
    axe(page)
    check_no_sideways_scroll(page, viewport)


def classmate_answers(page, axe, viewport, data):
    """Annelies de Vries (Sophie, groep 3) finds the new mailing and answers "Ja"."""
    title = data["title"]
    log_in(page, DEVRIES, PASSWORD)
    expect(heading(page, "Welkom, Annelies")).to_be_visible()
    open_mailings(page, viewport)
    row = mailing_row(main_area(page), title)
    expect(row).to_have_count(1)
    expect(unread_badge(row)).to_be_visible()
    expect(row.get_by_text("antwoordbriefje", exact=True)).to_be_visible()
    expect(row).to_contain_text("Klassenouders")
    # No class parent: no card to write mailings with.
    expect(page.get_by_role("region", name="Klassenouder", exact=True)).to_have_count(0)
    axe(page)

    title_link(row, title).click()
    expect(heading(page, title)).to_be_visible()
    expect(main_area(page)).to_contain_text(data["text"].split("\n\n")[1])
    expect(page.get_by_role("link", name="Antwoorden bekijken")).to_have_count(0)
    slip = reply_slip(page)
    form = slip.get_by_role("form", name="Voor ons gezin (Sophie de Vries)", exact=True)
    expect(form).to_contain_text("Nog niet beantwoord.")
    helps = form.get_by_role("group", name=re.compile(rf"^{re.escape(KERSTSTUKJES)}"))
    expect(helps.get_by_role("radio")).to_have_count(2)
    axe(page)
    helps.get_by_role("radio", name="Ja", exact=True).check()
    form.get_by_role("button", name="Antwoord opslaan").click()

    saved = page.get_by_role("status").filter(has_text=SAVED)
    expect(saved).to_be_visible()
    expect(saved).to_be_in_viewport()
    expect(form).to_contain_text("Beantwoord op")
    helps = form.get_by_role("group", name=re.compile(rf"^{re.escape(KERSTSTUKJES)}"))
    expect(helps.get_by_role("radio", name="Ja", exact=True)).to_be_checked()
    axe(page)
    check_no_sideways_scroll(page, viewport)
    back_to_mailings(page)
    check_read(page, title)
    log_out(page)


def author_reads_answers(page, axe, viewport, data):
    """Marieke opens her mailing again and finds Sophie's family's "Ja"."""
    title = data["title"]
    log_in(page, JANSEN, PASSWORD)
    expect(heading(page, "Welkom, Marieke")).to_be_visible()
    open_mailings(page, viewport)
    row = mailing_row(main_area(page), title)
    expect(unread_badge(row)).to_have_count(0)  # she read it when she sent it
    title_link(row, title).click()
    expect(heading(page, title)).to_be_visible()
    page.get_by_role("link", name="Antwoorden bekijken", exact=True).click()
    expect(page).to_have_url(re.compile(r"/portaal/mailings/\d+/antwoorden/$"))
    expect(heading(page, f"Antwoorden: {title}")).to_be_visible()
    main = main_area(page)
    expect(main).to_contain_text(re.compile(r"\b1 van \d+ beantwoord\."))

    counts = page.get_by_role("table", name=KERSTSTUKJES, exact=True)
    for option, count in (("Ja", "1"), ("Nee", "0")):
        option_row = counts.get_by_role("row").filter(
            has=page.get_by_role("cell", name=option, exact=True)
        )
        expect(option_row.get_by_role("cell")).to_have_text([option, count])

    # The table of every family: the one with a column of parents.
    answers = page.get_by_role("table").filter(
        has=page.get_by_role("columnheader", name="Ouders", exact=True)
    )
    expect(answers.get_by_role("columnheader")).to_have_text(["Gezin", "Ouders", KERSTSTUKJES])
    sophie = answers.get_by_role("row").filter(
        has=page.get_by_role("cell", name="Sophie de Vries", exact=True)
    )
    expect(sophie.get_by_role("cell")).to_have_text(["Sophie de Vries", "Annelies de Vries", "Ja"])
    emma = answers.get_by_role("row").filter(
        has=page.get_by_role("cell", name="Emma Jansen", exact=True)
    )
    expect(emma).to_contain_text("nog niet beantwoord")
    axe(page)
    check_no_sideways_scroll(page, viewport)

    # The export holds the same answer.
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporteren als CSV", exact=True).click()
    csv_text = download.value.path().read_text(encoding="utf-8-sig")
    sophie_line = next(line for line in csv_text.splitlines() if "Sophie de Vries" in line)
    assert sophie_line.split(";")[3] == "Ja", sophie_line
    expect(page.get_by_role("link", name="Exporteren als Excel (XLSX)", exact=True)).to_be_visible()


def class_parent_mailing_journey(page, axe, viewport):
    data = CLASS_PARENT_RUN_DATA[viewport]
    log_in(page, JANSEN, PASSWORD)
    expect(heading(page, "Welkom, Marieke")).to_be_visible()
    write_mailing_with_errors_first(page, axe, viewport, data)
    check_draft_and_send(page, axe, viewport, data)
    log_out(page)
    classmate_answers(page, axe, viewport, data)
    author_reads_answers(page, axe, viewport, data)


def test_class_parent_writes_mailing_and_reads_answers_on_desktop(desktop_page, axe):
    class_parent_mailing_journey(desktop_page, axe, "desktop")


def test_class_parent_writes_mailing_and_reads_answers_on_phone(phone_page, axe):
    class_parent_mailing_journey(phone_page, axe, "phone")
