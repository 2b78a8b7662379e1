"""Teachers and management at their daily tasks in the Wagtail admin (#22), clicks counted.

Juf Bakker (groep 3) adds a file to her group page, writes a blog post with a photo, makes
an album of three photos, plans an agenda item, sends a mailing with a reply slip of two
questions, sends her group's item for the newsletter for approval, checks what parents see
and prints her class list. Management (directie) lands
on the school, invites a parent found by search, prints a koppelcode letter and mails the
whole school after confirming the number of e-mails. Each journey runs on a desktop and on
a 390 px phone, counts its clicks from the dashboard on (``clicks.Clicks``) and holds them
to a bound; the counts go to test-results/e2e/click-counts.txt.

The school's own admin screens (the dashboard panels, Versturen, Verzending, Antwoorden,
Klassenlijst, Uitnodigen, Koppelcodes) and the portal pages a journey ends on must pass
axe-core; Wagtail's stock screens on the way are checked too, and what axe finds there is
listed in test-results/e2e/axe-wagtail.txt (``admin_checks``).

These journeys run against a demo school of their own (``admin_base_url``); the desktop and
phone runs share it, so each run writes content of its own (RUN_DATA).
"""

import io
import re
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from PIL import Image

try:
    from playwright.sync_api import expect
except ImportError:  # plain `make test` without the e2e extra: conftest skips every test here
    expect = None

from .admin_checks import AdminChecks
from .test_mailing_journeys import (
    MANAGEMENT,
    PASSWORD,
    admin_log_in,
    check_no_sideways_scroll,
)

pytestmark = pytest.mark.e2e

TEACHER = "juf.bakker@example.org"
GROUP_PAGE = "Groep 3"
MIN_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
# window.print() opens the browser's print dialog; the journeys see that it was asked for.
RECORD_PRINTING = "window.print = () => { window.printed = (window.printed || 0) + 1; };"

VIEWPORTS = ["desktop", "phone"]

# Upper bounds of each journey's clicks (desktop, phone): what it takes now, so that a
# screen that starts asking more fails here. On a phone Wagtail's menu is behind a toggle.
BOUNDS = {
    "group page: new file": (9, 9),
    "blog post with a photo": (8, 8),
    "album of 3 photos": (6, 6),
    "agenda item": (2, 2),
    "mailing with a 2-question reply slip": (10, 10),
    "checking the parent view": (3, 3),
    "class list printed": (3, 4),
    "invite a parent found by search": (4, 5),
    "koppelcode letter printed": (5, 6),
    "whole-school mailing with confirmation": (6, 7),
    "group item for the newsletter": (4, 5),
}
# Juf Bakker's item for January's newsletter, per run.
GROUP_ITEMS = {
    "desktop": "Groep 3 heeft een sneeuwpop gebouwd op het schoolplein.",
    "phone": "Groep 3 leest elke ochtend een kwartier in een eigen boek.",
}

RUN_DATA = {
    "desktop": {
        "file": ("Gymrooster groep 3", "gymrooster.pdf", "Gym op dinsdag en vrijdag"),
        "post": (
            "Lentekriebels in groep 3",
            "Vandaag hebben we zaadjes geplant in potjes.",
            "zaadjes",
            "Kinderen planten zaadjes in potjes",
        ),
        "album": ("Wandeling door het bos", "bos", "Kinderen lopen over het bospad"),
        "agenda": ("Voorleesochtend", "Lokaal groep 3", 14),
        "mailing": ("Voorleesochtend: wie leest er mee?", "Komt u voorlezen?", "Welk boek?"),
        "guardian": ("Peter Jansen", "peter.jansen@example.net"),
        "pupil": "Sophie de Vries",
        "school_mailing": (
            "Studiedag op 12 maart",
            "Op donderdag 12 maart zijn alle kinderen vrij vanwege een studiedag.",
        ),
        "colour": (200, 120, 40),
    },
    "phone": {
        "file": ("Luizenrooster groep 3", "luizenrooster.pdf", "Na elke vakantie"),
        "post": (
            "Bezoek aan de bibliotheek",
            "Vanochtend liepen we naar de bibliotheek en leende iedereen een boek.",
            "bibliotheek",
            "Kinderen kiezen een boek in de bibliotheek",
        ),
        "album": ("Knutselen voor de lente", "knutsel", "Kinderen knutselen bloemen"),
        "agenda": ("Ouderochtend groep 3", "Lokaal groep 3", 21),
        "mailing": ("Excursie: wie rijdt er mee?", "Kunt u rijden?", "Hoeveel plaatsen?"),
        "guardian": ("Wouter Blom", "wouter.blom.18b@example.net"),
        "pupil": "Noah Blom",
        "school_mailing": (
            "Nieuwe schooltijden na de kerstvakantie",
            "Na de kerstvakantie begint de school om 8.30 uur.",
        ),
        "colour": (40, 160, 90),
    },
}


def jpeg(path, colour, shade=0):
    """A small photo made with Pillow; each shade a different file (Wagtail would take the
    same bytes twice as one photo)."""
    buffer = io.BytesIO()
    red, green, blue = colour
    Image.new("RGB", (640, 480), (red, (green + 40 * shade) % 256, blue)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


# -- small steps ----------------------------------------------------------------------------


def heading(page, name):
    return page.get_by_role("heading", level=1, name=name)


def menu_item(page, clicks, viewport, *path):
    """The last of ``path`` is a link, the ones before it submenus (buttons)."""
    if viewport == "phone":
        clicks.click(page.get_by_role("button", name="Toon/verberg zijbalk"))
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    for submenu in path[:-1]:
        clicks.click(menu.get_by_role("button", name=submenu, exact=True))
    clicks.click(menu.get_by_role("link", name=path[-1], exact=True))


def teacher_panel(page):
    return page.get_by_role("region", name="Mijn groepen", exact=True)


def publish(page, clicks):
    clicks.click(page.get_by_role("button", name="Meer acties"))
    clicks.click(page.get_by_role("button", name="Publiceren", exact=True))


def published_message(page, title):
    """Wagtail's "Pagina '...' aangemaakt en gepubliceerd." or "... is gepubliceerd."."""
    said = re.compile(rf"Pagina '{re.escape(title)}' (aangemaakt en |is )gepubliceerd\.")
    return page.get_by_role("status").filter(has_text=said)


def view_live(page, clicks, title):
    """The message after publishing leads to the page as parents see it, in the portal."""
    clicks.click(published_message(page, title).get_by_role("link", name="Bekijk live"))
    expect(page).to_have_url(re.compile(r"/portaal/groepspagina/"))


def upload_in_chooser(page, clicks, checks, chooser_name, file, title=None):
    """Wagtail's chooser, its Uploaden tab: the file, the title Wagtail proposes from the
    file's name (or ``title``), and upload."""
    chooser = page.get_by_role("dialog")
    expect(chooser.get_by_role("heading", name=chooser_name)).to_be_visible()
    checks.wagtail(page, f"chooser: {chooser_name}")
    clicks.click(chooser.get_by_role("tab", name="Uploaden"))
    upload = chooser.get_by_role("tabpanel", name="Uploaden")
    # Nothing asks for a collection: uploads go to the group's or the school's own.
    expect(upload.get_by_role("combobox", name=re.compile("Collectie"))).to_have_count(0)
    clicks.choose_files(upload.get_by_role("button", name=re.compile(r"^Bestand")), file)
    proposed = upload.get_by_role("textbox", name=re.compile(r"^Titel"))
    expect(proposed).to_have_value(file.stem)
    if title is not None:
        clicks.fill(proposed, title)
    clicks.click(upload.get_by_role("button", name="Uploaden"))
    expect(chooser).to_be_hidden()


def check_printing(page, clicks, *, chrome_hidden):
    """The screen's "Afdrukken" asks the browser to print; ``chrome_hidden`` (a locator)
    is not on paper."""
    button = page.get_by_role("button", name="Afdrukken", exact=True)
    expect(button).to_be_visible()
    clicks.click(button)
    page.wait_for_function("() => window.printed === 1")
    page.emulate_media(media="print")
    expect(chrome_hidden).to_be_hidden()
    page.emulate_media(media="screen")


# -- juf Bakker -----------------------------------------------------------------------------


def teacher_adds_a_file(page, clicks, axe, checks, viewport, tmp_path):
    title, filename, description = RUN_DATA[viewport]["file"]
    panel = teacher_panel(page)
    expect(panel.get_by_role("heading", name=GROUP_PAGE, exact=True)).to_be_visible()
    expect(panel).to_contain_text(re.compile(r"\d+ van \d+ beantwoord"))  # her open slips
    checks.own(page, "dashboard: Mijn groepen", within="#schoolportal-teacher-section")
    clicks.click(panel.get_by_role("link", name="Bestand toevoegen", exact=True))
    expect(heading(page, re.compile(rf"{GROUP_PAGE} \d{{4}}-\d{{4}}$"))).to_be_visible()
    checks.wagtail(page, "group page editor")

    files = page.get_by_role("region", name="Bestanden", exact=True)
    clicks.click(files.get_by_role("button", name="Voeg bestand toe"))
    row = files.get_by_role("region", name=re.compile(r"^Bestand \d+$")).last
    clicks.click(row.get_by_role("button", name="Kies een document"))
    pdf = tmp_path / filename
    pdf.write_bytes(MIN_PDF)
    upload_in_chooser(page, clicks, checks, "Kies een document", pdf, title=title)
    expect(row).to_contain_text(title)
    clicks.fill(row.get_by_role("textbox", name="Omschrijving"), description)
    page_title = page.get_by_role("textbox", name=re.compile(r"^Titel")).input_value()
    publish(page, clicks)
    expect(published_message(page, page_title)).to_be_visible()
    checks.listing(page, "group page listing")

    view_live(page, clicks, page_title)
    expect(heading(page, f"Groepspagina {GROUP_PAGE}")).to_be_visible()
    files = page.get_by_role("region", name="Bestanden")
    # Parents read the title the teacher gave, not the file's name.
    expect(files.get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(files).to_contain_text(description)
    expect(files).not_to_contain_text(filename)
    axe(page)
    check_no_sideways_scroll(page, viewport)


def teacher_writes_a_blog_post_with_a_photo(page, clicks, axe, checks, viewport, tmp_path):
    title, body, photo_name, caption = RUN_DATA[viewport]["post"]
    clicks.click(teacher_panel(page).get_by_role("link", name="Nieuw blogbericht", exact=True))
    expect(heading(page, "Nieuw: Blogbericht")).to_be_visible()
    checks.wagtail(page, "blog post editor")
    clicks.fill(page.get_by_role("textbox", name=re.compile(r"^Titel")), title)
    editor = page.get_by_role("region", name=re.compile(r"^Tekst\*?$")).get_by_role("textbox")
    clicks.type_into(editor, body)
    # Draftail copies the text into the form a moment after the last key.
    expect(page.locator("input[name=body]")).to_have_value(re.compile(re.escape(body[:20])))

    photo = page.get_by_role("region", name="Foto", exact=True)
    expect(photo).to_contain_text("Voor veel foto's: maak een fotoalbum.")
    clicks.click(photo.get_by_role("button", name="Kies een afbeelding"))
    image = jpeg(tmp_path / f"{photo_name}.jpg", RUN_DATA[viewport]["colour"])
    upload_in_chooser(page, clicks, checks, "Kies een afbeelding", image)
    expect(photo).to_contain_text(photo_name)
    clicks.fill(photo.get_by_role("textbox", name="Onderschrift"), caption)
    publish(page, clicks)
    expect(published_message(page, title)).to_be_visible()

    view_live(page, clicks, title)
    expect(heading(page, title)).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text(body)
    # Its sizes are made by the task worker, which this server does not run: a placeholder
    # until then, under the caption the teacher wrote.
    expect(main.get_by_role("figure", name=caption)).to_be_visible()
    axe(page)
    check_no_sideways_scroll(page, viewport)


def teacher_makes_an_album(page, clicks, axe, checks, viewport, tmp_path):
    title, photo_name, caption = RUN_DATA[viewport]["album"]
    clicks.click(teacher_panel(page).get_by_role("link", name="Nieuw fotoalbum", exact=True))
    expect(heading(page, "Nieuw: Fotoalbum")).to_be_visible()
    checks.wagtail(page, "photo album editor")
    clicks.fill(page.get_by_role("textbox", name=re.compile(r"^Titel")), title)
    # Beside the upload: the pupils without consent for photos, counted.
    consent = page.get_by_role("region", name="Toestemming voor foto's", exact=True)
    expect(consent).to_contain_text(re.compile(r"\d+ leerlingen zonder toestemming voor foto's"))
    photos = [
        jpeg(tmp_path / f"{photo_name}-{n}.jpg", RUN_DATA[viewport]["colour"], shade=n)
        for n in (1, 2, 3)
    ]
    clicks.choose_files(page.get_by_role("button", name="Foto's toevoegen", exact=True), photos)
    # The photos go up with the draft, each a row with its caption to write.
    clicks.click(page.get_by_role("button", name="Bewaar concept"))
    rows = page.get_by_role("region", name="Foto's", exact=True).get_by_role(
        "region", name=re.compile(r"^Foto \d+$")
    )
    expect(rows).to_have_count(3)
    for number, photo in enumerate(photos, start=1):
        row = rows.nth(number - 1)
        expect(row).to_contain_text(photo.name)
        clicks.fill(
            row.get_by_role("textbox", name=re.compile(r"^Onderschrift")), f"{caption} ({number})"
        )
    checks.wagtail(page, "photo album editor, photos to caption")
    publish(page, clicks)
    expect(published_message(page, title)).to_be_visible()

    view_live(page, clicks, title)
    expect(heading(page, title)).to_be_visible()
    figures = page.get_by_role("main").get_by_role("figure")
    expect(figures).to_have_count(3)
    for number in (1, 2, 3):
        expect(figures.nth(number - 1)).to_have_accessible_name(f"{caption} ({number})")
    axe(page)
    check_no_sideways_scroll(page, viewport)


def teacher_plans_an_agenda_item(page, clicks, checks, viewport):
    title, location, days_ahead = RUN_DATA[viewport]["agenda"]
    day = date.today() + timedelta(days=days_ahead)
    clicks.click(teacher_panel(page).get_by_role("link", name="Nieuw agendapunt", exact=True))
    expect(page.get_by_role("textbox", name=re.compile(r"^Titel"))).to_be_visible()
    # Her school is filled in, her group ticked, the whole school not: nothing to choose.
    expect(page.get_by_role("region", name=re.compile(r"^School\*?$"))).to_have_count(0)
    expect(page.get_by_role("checkbox", name="Hele school")).not_to_be_checked()
    expect(page.get_by_role("checkbox", name=GROUP_PAGE, exact=True)).to_be_checked()
    checks.wagtail(page, "agenda item editor")
    clicks.fill(page.get_by_role("textbox", name=re.compile(r"^Titel")), title)
    clicks.fill(page.get_by_role("textbox", name="Locatie"), location)
    # The browser's own date and time fields: no picker layer lies over "Opslaan" on a
    # phone, so the first tap saves.
    clicks.fill(page.get_by_label("Begindatum"), day.isoformat())
    clicks.fill(page.get_by_label("Begintijd"), "09:00")
    clicks.fill(page.get_by_label("Eindtijd"), "10:30")
    clicks.click(page.get_by_role("button", name="Opslaan", exact=True))

    # No end date given: the item ends the day it starts.
    saved = f"Agendapunt '{title} ({day:%d-%m-%Y})' aangemaakt."
    expect(page.get_by_role("status").filter(has_text=saved)).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=title, exact=True))
    # Title, start date, all day, whole school, repeat.
    expect(row.get_by_role("cell")).to_contain_text(
        [title, re.compile(rf"\b{day.day} \w+ {day.year}\b"), "Nee", "Nee", "niet herhalen"]
    )
    checks.listing(page, "agenda listing")


def reply_question(page, number):
    question = page.get_by_role("region", name=f"Vraag {number}", exact=True)
    return question, question.get_by_role("textbox", name=re.compile(r"^Vraag"))


def teacher_sends_a_mailing_with_a_reply_slip(page, clicks, checks, viewport):
    title, first, second = RUN_DATA[viewport]["mailing"]
    clicks.click(teacher_panel(page).get_by_role("link", name="Nieuwe mailing", exact=True))
    expect(page.get_by_role("textbox", name=re.compile(r"^Onderwerp"))).to_be_visible()
    # Her own group and her own name as the sender, chosen already; no school to pick.
    expect(page.get_by_role("checkbox", name=GROUP_PAGE, exact=True)).to_be_checked()
    expect(page.get_by_role("radio", name="gekozen groepen", exact=True)).to_be_checked()
    sender = page.get_by_role("combobox", name=re.compile(r"^Afzender"))
    expect(sender.locator("option:checked")).to_have_text("de leerkracht")
    expect(page.get_by_role("region", name=re.compile(r"^School\*?$"))).to_have_count(0)
    checks.wagtail(page, "mailing editor")
    clicks.fill(page.get_by_role("textbox", name=re.compile(r"^Onderwerp")), title)
    body = f"Beste ouders, {first.lower()} Laat het ons weten via het antwoordbriefje."
    editor = page.get_by_role("region", name=re.compile(r"^Tekst\*?$")).get_by_role("textbox")
    clicks.type_into(editor, body)
    expect(page.locator("input[name=body]")).to_have_value(re.compile(re.escape(body[:20])))

    clicks.click(page.get_by_role("tab", name="Antwoordbriefje"))
    add_question = page.get_by_role("button", name="Voeg vraag toe")
    clicks.click(add_question)
    clicks.click(add_question)
    question, text = reply_question(page, 1)
    clicks.fill(text, first)
    clicks.select(
        question.get_by_role("combobox", name=re.compile(r"^Soort vraag")), label="Keuze (rondjes)"
    )
    clicks.fill(
        question.get_by_role("textbox", name="Antwoordmogelijkheden, één per regel"), "Ja\nNee"
    )
    question, text = reply_question(page, 2)
    clicks.fill(text, second)
    clicks.uncheck(question.get_by_role("checkbox", name="Verplicht"))
    checks.wagtail(page, "mailing editor: reply slip")
    publish(page, clicks)

    # Publishing asks first, with the number of e-mails it sends.
    expect(heading(page, f"Versturen: {title}")).to_be_visible()
    question = page.get_by_role(
        "heading", name=re.compile(rf"^\d+ e-mails aan {GROUP_PAGE} versturen\?$")
    )
    expect(question).to_be_visible()
    checks.own(page, "Versturen")
    clicks.click(page.get_by_role("button", name="Ja, versturen", exact=True))

    expect(heading(page, f"Verzending: {title}")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(
        "De mailing is gepubliceerd en wordt verstuurd."
    )
    expect(page.get_by_role("link", name=f"Terug naar {title}")).to_be_visible()
    checks.own(page, "Verzending")
    clicks.click(page.get_by_role("main").get_by_role("link", name="Antwoorden", exact=True))

    expect(heading(page, f"Antwoorden: {title}")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text(re.compile(r"\b0 van \d+ beantwoord\."))
    expect(page.get_by_role("table", name=first, exact=True)).to_be_visible()
    answers = page.get_by_role("table").filter(
        has=page.get_by_role("columnheader", name="Ouders", exact=True)
    )
    expect(answers.get_by_role("columnheader")).to_have_text(
        ["Gezin", "Ouders", first, second, "Beantwoord op"]
    )
    checks.own(page, "Antwoorden")


def teacher_checks_the_parent_view(page, clicks, axe, checks, viewport):
    clicks.click(teacher_panel(page).get_by_role("link", name="Bestand toevoegen", exact=True))
    expect(heading(page, re.compile(rf"{GROUP_PAGE} \d{{4}}-\d{{4}}$"))).to_be_visible()
    # The preview beside the editor shows the page as the portal does.
    clicks.click(page.get_by_role("button", name="Toon/verberg voorvertoning"))
    # Wagtail swaps in a fresh frame for each new preview: the newest is the last.
    preview = page.frame_locator("iframe[title=Voorvertoning]").last
    expect(
        preview.get_by_text("Voorbeeld: zo zien de ouders van de groep deze pagina.")
    ).to_be_visible()
    expect(preview.get_by_role("heading", level=1)).to_have_text(f"Groepspagina {GROUP_PAGE}")
    checks.wagtail(page, "group page editor with preview")

    # "Live" opens the page in the portal, in a tab of its own.
    with page.context.expect_page() as opened:
        clicks.click(page.get_by_role("link", name="Afgeschermd. Bekijk de live-versie."))
    portal = opened.value
    expect(heading(portal, f"Groepspagina {GROUP_PAGE}")).to_be_visible()
    expect(portal).to_have_url(re.compile(r"/portaal/groepspagina/\d+/$"))
    for region in ("Blog", "Fotoalbums", "Bestanden"):
        expect(portal.get_by_role("region", name=region, exact=True)).to_be_visible()
    axe(portal)
    check_no_sideways_scroll(portal, viewport)
    portal.close()


def teacher_prints_her_class_list(page, clicks, checks, viewport):
    menu_item(page, clicks, viewport, "Klassenlijsten")
    expect(heading(page, "Klassenlijsten")).to_be_visible()
    checks.own(page, "Klassenlijsten")
    clicks.click(page.get_by_role("main").get_by_role("link", name=GROUP_PAGE, exact=True))
    expect(heading(page, f"Klassenlijst: {GROUP_PAGE}")).to_be_visible()
    expect(page.get_by_role("link", name="Terug naar alle klassenlijsten")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("rowheader", name=re.compile(r"^Emma Jansen"))).to_be_visible()
    checks.own(page, "Klassenlijst")
    check_printing(page, clicks, chrome_hidden=page.get_by_role("complementary", name="Zijbalk"))


# -- directie ---------------------------------------------------------------------------------


def management_invites_a_parent(page, clicks, checks, viewport):
    name, email = RUN_DATA[viewport]["guardian"]
    menu_item(page, clicks, viewport, "School", "Ouders/verzorgers")
    expect(heading(page, "Ouders/verzorgers")).to_be_visible()
    search = page.get_by_role("textbox", name="Zoekterm")
    clicks.fill(search, name)
    search.press("Enter")
    expect(page.get_by_text("Er is 1 resultaat")).to_be_visible()
    checks.listing(page, "guardian listing, searched")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=name, exact=True))
    clicks.click(row.get_by_role("link", name="Uitnodigen", exact=True))

    expect(heading(page, f"Uitnodigen: {name}")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(email)
    expect(page.get_by_role("link", name=f"Terug naar {name}")).to_be_visible()
    checks.own(page, "Uitnodigen")
    clicks.click(page.get_by_role("button", name="Uitnodiging versturen", exact=True))
    sent = f"De uitnodiging voor {name} wordt verstuurd naar {email}."
    expect(page.get_by_role("status").filter(has_text=sent)).to_be_visible()


def management_prints_a_koppelcode_letter(page, clicks, checks, viewport):
    name = RUN_DATA[viewport]["pupil"]
    menu_item(page, clicks, viewport, "School", "Leerlingen")
    expect(heading(page, "Leerlingen")).to_be_visible()
    search = page.get_by_role("textbox", name="Zoekterm")
    clicks.fill(search, name)
    search.press("Enter")
    expect(page.get_by_text("Er is 1 resultaat")).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=name, exact=True))
    clicks.click(row.get_by_role("link", name="Koppelcodes", exact=True))

    expect(heading(page, f"Koppelcodes: {name}")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        "Er wordt een nieuwe koppelcode gemaakt voor 1 leerling."
    )
    checks.own(page, "Koppelcodes")
    clicks.click(page.get_by_role("button", name="Koppelcodes maken en afdrukken", exact=True))

    letter = page.get_by_role("main")
    expect(letter.get_by_role("heading", level=1)).to_have_text(f"Koppelcode voor {name}")
    expect(letter).to_contain_text("Beste ouder/verzorger,")
    expect(letter).to_contain_text(re.compile(r"\b[A-Z0-9]{5}-[A-Z0-9]{5}\b"))
    checks.own(page, "Koppelcodes: letter")
    check_printing(
        page,
        clicks,
        chrome_hidden=page.get_by_text("Druk deze pagina nu af (Ctrl+P)", exact=False),
    )


def management_mails_the_whole_school(page, clicks, checks, viewport):
    title, body = RUN_DATA[viewport]["school_mailing"]
    menu_item(page, clicks, viewport, "Mailings")
    clicks.click(page.get_by_role("link", name="Mailing toevoegen"))
    expect(page.get_by_role("textbox", name=re.compile(r"^Onderwerp"))).to_be_visible()
    sender = page.get_by_role("combobox", name=re.compile(r"^Afzender"))
    expect(sender.locator("option:checked")).to_have_text("de school")
    checks.wagtail(page, "mailing editor (management)")
    clicks.fill(page.get_by_role("textbox", name=re.compile(r"^Onderwerp")), title)
    clicks.check(page.get_by_role("radio", name="de hele school", exact=True))
    editor = page.get_by_role("region", name=re.compile(r"^Tekst\*?$")).get_by_role("textbox")
    clicks.type_into(editor, body)
    expect(page.locator("input[name=body]")).to_have_value(re.compile(re.escape(body[:20])))
    publish(page, clicks)

    expect(heading(page, f"Versturen: {title}")).to_be_visible()
    question = page.get_by_role(
        "heading", name=re.compile(r"^\d+ e-mails aan de hele school versturen\?$")
    )
    expect(question).to_be_visible()
    checks.own(page, "Versturen (whole school)")
    clicks.click(page.get_by_role("button", name="Ja, versturen", exact=True))

    expect(heading(page, f"Verzending: {title}")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("aan de hele school.")
    checks.own(page, "Verzending (whole school)")


def teacher_sends_a_group_item_for_approval(page, clicks, checks, viewport):
    menu_item(page, clicks, viewport, "Uit de groepen")
    clicks.click(page.get_by_role("link", name=re.compile("^groepsbericht .* toevoegen$", re.I)))
    text = page.get_by_role("textbox", name=re.compile(r"^Tekst"))
    expect(text).to_be_visible()
    # Her group and the next issue (January's, not sent yet) are chosen already.
    group = page.get_by_role("combobox", name=re.compile(r"^Groep"))
    expect(group.locator("option:checked")).to_contain_text(GROUP_PAGE)
    issue = page.get_by_role("combobox", name=re.compile(r"^Nieuwsbrief"))
    expect(issue.locator("option:checked")).to_have_text("Nieuwsbrief januari")
    checks.wagtail(page, "group item editor")
    clicks.fill(text, GROUP_ITEMS[viewport])
    # She may not publish it: she sends it to the newsletter's editors.
    clicks.click(page.get_by_role("button", name="Meer acties"))
    expect(page.get_by_role("button", name="Publiceren", exact=True)).to_have_count(0)
    clicks.click(page.get_by_role("button", name="Stuur door naar Uit de groepen"))

    row = page.get_by_role("row").filter(has_text="Nieuwsbrief januari").first
    expect(row).to_contain_text("ter goedkeuring")
    checks.listing(page, "group items listing")


# -- the tests --------------------------------------------------------------------------------


@contextmanager
def journey(request, email, name, viewport):
    """Log in as ``email`` at ``viewport`` and yield (page, clicks, checks); the clicks
    are recorded and held to the journey's bound, then the school's screens must have
    passed axe."""
    page = request.getfixturevalue(f"admin_{viewport}_page")
    page.add_init_script(RECORD_PRINTING)
    admin_log_in(page, email, PASSWORD)
    checks = AdminChecks(request.getfixturevalue("wagtail_axe_findings"), viewport)
    bound = BOUNDS[name][VIEWPORTS.index(viewport)]
    with request.getfixturevalue("click_report").journey(page, name, viewport, bound) as clicks:
        yield page, clicks, checks
    checks.assert_clean()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_teacher_adds_a_file_to_her_group_page(request, viewport, axe, tmp_path):
    with journey(request, TEACHER, "group page: new file", viewport) as (page, clicks, checks):
        teacher_adds_a_file(page, clicks, axe, checks, viewport, tmp_path)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_teacher_writes_a_blog_post_with_a_photo(request, viewport, axe, tmp_path):
    with journey(request, TEACHER, "blog post with a photo", viewport) as (page, clicks, checks):
        teacher_writes_a_blog_post_with_a_photo(page, clicks, axe, checks, viewport, tmp_path)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_teacher_makes_an_album_of_three_photos(request, viewport, axe, tmp_path):
    with journey(request, TEACHER, "album of 3 photos", viewport) as (page, clicks, checks):
        teacher_makes_an_album(page, clicks, axe, checks, viewport, tmp_path)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_teacher_plans_an_agenda_item(request, viewport):
    with journey(request, TEACHER, "agenda item", viewport) as (page, clicks, checks):
        teacher_plans_an_agenda_item(page, clicks, checks, viewport)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_teacher_sends_her_groups_item_for_the_newsletter(request, viewport):
    name = "group item for the newsletter"
    with journey(request, TEACHER, name, viewport) as (page, clicks, checks):
        teacher_sends_a_group_item_for_approval(page, clicks, checks, viewport)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_teacher_sends_a_mailing_with_a_two_question_reply_slip(request, viewport):
    name = "mailing with a 2-question reply slip"
    with journey(request, TEACHER, name, viewport) as (page, clicks, checks):
        teacher_sends_a_mailing_with_a_reply_slip(page, clicks, checks, viewport)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_teacher_checks_what_parents_see(request, viewport, axe):
    name = "checking the parent view"
    with journey(request, TEACHER, name, viewport) as (page, clicks, checks):
        teacher_checks_the_parent_view(page, clicks, axe, checks, viewport)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_teacher_prints_her_class_list(request, viewport):
    with journey(request, TEACHER, "class list printed", viewport) as (page, clicks, checks):
        teacher_prints_her_class_list(page, clicks, checks, viewport)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_management_invites_a_parent_found_by_search(request, viewport):
    name = "invite a parent found by search"
    with journey(request, MANAGEMENT, name, viewport) as (page, clicks, checks):
        management_invites_a_parent(page, clicks, checks, viewport)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_management_prints_a_koppelcode_letter(request, viewport):
    name = "koppelcode letter printed"
    with journey(request, MANAGEMENT, name, viewport) as (page, clicks, checks):
        management_prints_a_koppelcode_letter(page, clicks, checks, viewport)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_management_mails_the_whole_school_after_confirming(request, viewport):
    name = "whole-school mailing with confirmation"
    with journey(request, MANAGEMENT, name, viewport) as (page, clicks, checks):
        management_mails_the_whole_school(page, clicks, checks, viewport)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_management_lands_on_the_school(request, viewport):
    """Management's dashboard: recent mailings with their delivery, invitations waiting,
    the module switches."""
    page = request.getfixturevalue(f"admin_{viewport}_page")
    admin_log_in(page, MANAGEMENT, PASSWORD)
    panel = page.get_by_role("region", name="De school", exact=True)
    expect(panel).to_be_visible()
    for part in ("Recente mailings", "Wachten op een uitnodiging"):
        expect(panel.get_by_role("heading", name=part, exact=True)).to_be_visible()
    expect(
        panel.get_by_role("link", name=re.compile(r"ouders\/verzorgers zonder account$"))
    ).to_be_visible()
    expect(panel.get_by_role("link", name="Modules aan- of uitzetten")).to_be_visible()
    checks = AdminChecks(request.getfixturevalue("wagtail_axe_findings"), viewport)
    checks.own(page, "dashboard: De school", within="#schoolportal-management-section")
    checks.assert_clean()
