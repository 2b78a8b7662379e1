"""A klassenouder writes a blog post, the teacher approves it in the admin (#19).

Marieke Jansen (klassenouder of groep 3) writes a post with a photo from groep 3's page
("Bericht schrijven"), offers it to the teacher and follows it under "Mijn berichten"; the
blog does not show it yet. Juf Bakker finds it on her admin home page under "Wacht op
goedkeuring", opens it and approves it; the parent then reads it in the blog, named as its
author. Every portal page on the way is checked with axe-core, on a desktop and a phone.

These journeys run on a demo school of their own: the approved posts would otherwise
change the blog other journeys read.
"""

import io
import re

import pytest
from PIL import Image

try:
    from playwright.sync_api import expect
except ImportError:  # plain `make test` without the e2e extra: conftest skips every test here
    expect = None

from .conftest import RESULTS_DIR, open_page, serve_demo_school
from .test_mailing_journeys import (
    JANSEN,
    PASSWORD,
    admin_log_in,
    check_no_sideways_scroll,
    heading,
    log_in,
    main_menu,
)

pytestmark = pytest.mark.e2e

TEACHER = "juf.bakker@example.org"
TITLES = {"desktop": "Dank voor de hulp bij het lezen", "phone": "Voorlezen met opa's en oma's"}
TEXT = "Wat fijn dat zoveel ouders kwamen voorlezen!\n\nVolgende week weer."
CAPTION = "Een stapel prentenboeken op tafel"
AUTHOR = "Geschreven door Marieke Jansen (klassenouder)"


@pytest.fixture(scope="module")
def classposts_url(request, tmp_path_factory):
    yield from serve_demo_school(
        tmp_path_factory, "e2e-classposts-school", RESULTS_DIR / "classposts", request
    )


@pytest.fixture
def parent_page(browser, classposts_url, request, viewport):
    yield from open_page(browser, classposts_url, request, viewport)


@pytest.fixture
def teacher_page(browser, classposts_url, request, viewport):
    yield from open_page(browser, classposts_url, request, viewport)


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 140, 200)).save(buffer, "JPEG")
    return {"name": "boeken.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def open_group_3(page, viewport):
    link = main_menu(page).get_by_role("link", name="Groepspagina", exact=True)
    if viewport == "phone":
        expect(link).to_be_in_viewport(ratio=1)
    link.click()
    page.get_by_role("main").get_by_role("link", name="Bekijk groepspagina van Groep 3").click()
    expect(heading(page, "Groepspagina Groep 3")).to_be_visible()


def parent_writes(page, axe, viewport, title):
    log_in(page, JANSEN, PASSWORD)
    expect(heading(page, "Welkom, Marieke")).to_be_visible()
    open_group_3(page, viewport)
    axe(page)
    page.get_by_role("link", name="Bericht schrijven").click()
    expect(heading(page, "Bericht schrijven")).to_be_visible()
    axe(page)
    check_no_sideways_scroll(page, viewport)

    # Without a caption the photo is refused, and what was typed stays.
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Tekst").fill(TEXT)
    page.get_by_label(re.compile(r"^Foto")).set_input_files(jpeg())
    page.get_by_role("button", name="Ter goedkeuring aanbieden").click()
    expect(page.get_by_text("Beschrijf wat er op de foto te zien is.")).to_be_visible()
    expect(page.get_by_label("Titel")).to_have_value(title)
    axe(page)

    page.get_by_label(re.compile(r"^Foto")).set_input_files(jpeg())
    page.get_by_label("Onderschrift").fill(CAPTION)
    page.get_by_role("button", name="Ter goedkeuring aanbieden").click()
    expect(page.get_by_text("Uw bericht wacht op goedkeuring van de leerkracht.")).to_be_visible()
    expect(heading(page, title)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        "Geschreven door Marieke Jansen (klassenouder)"
    )
    axe(page)
    check_no_sideways_scroll(page, viewport)

    page.get_by_role("link", name="Mijn berichten").click()
    expect(heading(page, "Mijn berichten")).to_be_visible()
    row = page.get_by_role("listitem").filter(has_text=title)
    expect(row).to_contain_text("Wacht op goedkeuring")
    axe(page)
    check_no_sideways_scroll(page, viewport)

    # Not in the blog yet: other parents (and she) read only what the teacher published.
    open_group_3(page, viewport)
    expect(page.get_by_role("region", name="Blog")).not_to_contain_text(title)


def teacher_approves(page, title):
    admin_log_in(page, TEACHER, PASSWORD)
    expect(page.get_by_role("main")).to_contain_text("Wacht op goedkeuring")
    page.get_by_role("main").get_by_role("link", name=title).click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
    approve = page.get_by_role("button", name="Goedkeuren en publiceren")
    if not approve.is_visible():
        page.get_by_role("button", name="Meer acties").click()
    approve.click()
    expect(page.locator(".messages")).to_contain_text(title)


def parent_reads(page, axe, viewport, title):
    open_group_3(page, viewport)
    blog = page.get_by_role("region", name="Blog")
    blog.get_by_role("link", name=title).click()
    expect(heading(page, title)).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text(AUTHOR)
    expect(main).to_contain_text("Volgende week weer.")
    # The photo with its caption (its size is made by the task worker, which this server
    # runs without: until then a placeholder).
    expect(main.locator("figure")).to_contain_text(CAPTION)
    axe(page)
    check_no_sideways_scroll(page, viewport)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_class_parent_writes_a_post_the_teacher_approves(
    parent_page, teacher_page, axe, viewport
):
    title = TITLES[viewport]
    parent_writes(parent_page, axe, viewport, title)
    teacher_approves(teacher_page, title)
    parent_reads(parent_page, axe, viewport, title)
