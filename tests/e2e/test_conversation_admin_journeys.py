"""Berichten in the admin (issue 15): juf Bakker reads what a parent wrote and answers, and
writes to all parents of her group; clicks counted, on a desktop and on a 390 px phone.

Marieke Jansen first answers in the demo conversation "Emma naar de tandarts" in the portal
(her side is not counted: it is the parents' journey). Juf Bakker then sees "Berichten (1)"
in the admin's menu, opens the conversation from the list, where it is marked unread, reads
the new message and answers with a file. The list and the conversation are the school's
own screens: axe-core must find nothing serious, and on a phone nothing scrolls sideways.

Writing to her group is one tick ("Alle ouders van Groep 3"); every family gets a conversation
of its own, so the list gains one per family.

Against the admin journeys' demo school (``admin_base_url``); each run writes its own text.
"""

import re
from contextlib import contextmanager

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # plain `make test` without the e2e extra: conftest skips every test here
    expect = None

from .admin_checks import AdminChecks
from .test_admin_journeys import MIN_PDF, TEACHER, menu_item
from .test_mailing_journeys import JANSEN, PASSWORD, admin_log_in, log_in

pytestmark = pytest.mark.e2e

SUBJECT = "Emma naar de tandarts"
VIEWPORTS = ["desktop", "phone"]
# From the dashboard: the menu item (on a phone its toggle first), the conversation, the
# file picker and "Bericht verzenden".
BOUNDS = {
    "Berichten: read and answer": {"desktop": 4, "phone": 5},
    # The menu item, "Nieuw bericht", the group's tick and "Bericht verzenden".
    "Berichten: to all parents of her group": {"desktop": 4, "phone": 5},
}
GROUP = "Groep 3"
RUN_DATA = {
    "desktop": (
        "Emma heeft haar jas ook nog in de klas laten hangen, wilt u daar op letten?",
        "Ik hang de jas bij haar gymspullen. Hierbij het briefje over de tandarts.",
        "tandartsbriefje.pdf",
    ),
    "phone": (
        "Mag Emma morgen iets eerder weg? Haar oma komt haar halen.",
        "Dat is goed, ik laat haar om 14.00 uur gaan. Het ophaalformulier zit erbij.",
        "ophaalformulier.pdf",
    ),
}
GROUP_MESSAGES = {
    "desktop": ("Gymles verplaatst", "De gymles van donderdag is deze week op vrijdag."),
    "phone": ("Luizencontrole", "Na de vakantie is er weer luizencontrole; geen vlechtjes."),
}


def parent_writes(browser, admin_base_url, text):
    """Marieke answers in the portal, in a browser of her own (her clicks do not count)."""
    context = browser.new_context(base_url=admin_base_url, locale="nl-NL")
    try:
        page = context.new_page()
        log_in(page, JANSEN, PASSWORD)
        page.goto("/portaal/berichten/")
        page.get_by_role("link", name=re.compile(re.escape(SUBJECT))).first.click()
        page.get_by_role("textbox", name=re.compile(r"^Uw antwoord")).fill(text)
        page.get_by_role("button", name="Bericht verzenden").click()
        expect(page.get_by_role("main")).to_contain_text(text)
    finally:
        context.close()


def teacher_reads_and_answers(page, clicks, checks, viewport, tmp_path):
    question, answer, filename = RUN_DATA[viewport]
    menu_item(page, clicks, viewport, re.compile(r"^Berichten.*1"))

    expect(page.get_by_role("heading", level=1, name="Berichten")).to_be_visible()
    unread = page.locator(".schoolportal-conversation--unread").filter(has_text=SUBJECT)
    expect(unread).to_contain_text("Ongelezen")
    checks.own(page, "Berichten: list")
    clicks.click(unread.get_by_role("link"))

    expect(page.get_by_role("heading", level=1, name=f"Gesprek: {SUBJECT}")).to_be_visible()
    new = page.locator(".schoolportal-message--new")
    expect(new).to_contain_text(question)
    expect(new).to_contain_text("Marieke Jansen")
    checks.own(page, "Berichten: conversation")

    attachment = tmp_path / filename
    attachment.write_bytes(MIN_PDF)
    clicks.fill(page.get_by_role("textbox", name=re.compile(r"^Bericht")), answer)
    clicks.choose_files(page.locator("input[type=file][name=attachments]"), attachment)
    clicks.click(page.get_by_role("button", name="Bericht verzenden"))

    expect(page.get_by_role("status").filter(has_text="Uw bericht is verzonden.")).to_be_visible()
    mine = page.locator(".schoolportal-message--mine").last
    expect(mine).to_contain_text(answer)
    expect(mine.get_by_role("link", name=filename)).to_be_visible()
    if viewport == "desktop":  # on a phone the menu is folded away
        menu = page.get_by_role("navigation", name="Hoofdmenu")
        expect(menu.get_by_role("link", name="Berichten", exact=True)).to_be_visible()
    checks.own(page, "Berichten: conversation after answering")


def teacher_writes_to_her_group(page, clicks, checks, viewport):
    subject, body = GROUP_MESSAGES[viewport]
    menu_item(page, clicks, viewport, re.compile(r"^Berichten"))
    clicks.click(page.get_by_role("link", name="Nieuw bericht"))

    expect(page.get_by_role("heading", level=1, name="Nieuw bericht")).to_be_visible()
    checks.own(page, "Berichten: new message")
    recipients = page.get_by_role("group", name="Aan")
    clicks.check(recipients.get_by_role("checkbox", name=f"Alle ouders van {GROUP}", exact=True))
    clicks.fill(page.get_by_role("textbox", name=re.compile(r"^Onderwerp")), subject)
    clicks.fill(page.get_by_role("textbox", name=re.compile(r"^Bericht")), body)
    clicks.click(page.get_by_role("button", name="Bericht verzenden"))

    sent = re.compile(r"Uw bericht is verzonden: \d+ gesprekken, één per gezin\.")
    expect(page.get_by_role("status").filter(has_text=sent)).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Berichten")).to_be_visible()
    expect(page.get_by_role("link", name=subject).first).to_be_visible()
    checks.own(page, "Berichten: list after writing to a group")


@contextmanager
def journey(request, name, viewport):
    page = request.getfixturevalue(f"admin_{viewport}_page")
    admin_log_in(page, TEACHER, PASSWORD)
    checks = AdminChecks(request.getfixturevalue("wagtail_axe_findings"), viewport)
    report = request.getfixturevalue("click_report")
    with report.journey(page, name, viewport, BOUNDS[name][viewport]) as clicks:
        yield page, clicks, checks
    checks.assert_clean()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_teacher_reads_a_parents_message_and_answers_with_a_file(
    request, browser, admin_base_url, viewport, tmp_path
):
    parent_writes(browser, admin_base_url, RUN_DATA[viewport][0])
    with journey(request, "Berichten: read and answer", viewport) as (page, clicks, checks):
        teacher_reads_and_answers(page, clicks, checks, viewport, tmp_path)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_teacher_writes_to_all_parents_of_her_group(request, viewport):
    name = "Berichten: to all parents of her group"
    with journey(request, name, viewport) as (page, clicks, checks):
        teacher_writes_to_her_group(page, clicks, checks, viewport)
