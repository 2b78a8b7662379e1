"""Groepspagina, clicked through as a parent and as the group's teacher.

The parent opens Groepspagina from the main menu, opens groep 3's page ("Bekijk
groepspagina"), reads a blog post, opens a photo album and a photo, and downloads the
week planning. The teacher (juf Bakker) writes a blog post in the Wagtail admin below her
own group page; the parent finds it. Every portal page on the way is checked with axe-core.
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
    admin_log_in,
    check_no_sideways_scroll,
    heading,
    log_in,
    main_menu,
)

pytestmark = pytest.mark.e2e

TEACHER = "juf.bakker@example.org"
POST = "Onze nieuwe leeshoek"
ALBUM = "Uitje naar de kinderboerderij"
WEEK_PLANNING = "Weekplanning groep 3"


def open_group_page(page, axe, viewport):
    link = main_menu(page).get_by_role("link", name="Groepspagina", exact=True)
    if viewport == "phone":
        expect(link).to_be_in_viewport(ratio=1)
    link.click()
    expect(heading(page, "Groepspagina")).to_be_visible()
    main = page.get_by_role("main")
    # Emma is in groep 3, Daan in groep 7: a page for each, none for other groups.
    expect(main.get_by_role("heading", level=2)).to_have_text(["Groep 3", "Groep 7"])
    axe(page)
    check_no_sideways_scroll(page, viewport)
    main.get_by_role("link", name="Bekijk groepspagina van Groep 3").click()
    expect(heading(page, "Groepspagina Groep 3")).to_be_visible()


def parent_group_page_journey(page, axe, viewport):
    log_in(page, JANSEN, PASSWORD)
    expect(heading(page, "Welkom, Marieke")).to_be_visible()
    open_group_page(page, axe, viewport)
    main = page.get_by_role("main")
    expect(main).to_contain_text("Welkom op de groepspagina van groep 3")
    axe(page)
    check_no_sideways_scroll(page, viewport)

    # The blog: the newest post first; open it and come back.
    blog = page.get_by_role("region", name="Blog")
    expect(blog.get_by_role("link").first).to_have_text(POST)
    blog.get_by_role("link", name=POST).click()
    expect(heading(page, POST)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("leeshoek ingericht")
    axe(page)
    check_no_sideways_scroll(page, viewport)
    page.get_by_role("main").get_by_role("link", name=re.compile("Groepspagina Groep 3$")).click()

    # A photo album: its photos load (served by the portal, not from a public URL). The demo
    # tagged a classmate without photo consent on one of its five photos: Marieke sees four.
    albums = page.get_by_role("region", name="Fotoalbums")
    expect(albums).to_contain_text("4 foto's")
    albums.get_by_role("link", name=re.compile(ALBUM)).click()
    expect(heading(page, ALBUM)).to_be_visible()
    photos = page.get_by_role("main").get_by_role("img")
    expect(photos).to_have_count(4)
    first = photos.first
    first.scroll_into_view_if_needed()
    expect(first).to_have_attribute("src", re.compile(r"^/portaal/groepspagina/foto/\d+/klein/$"))
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=first.element_handle()
    )
    axe(page)
    check_no_sideways_scroll(page, viewport)
    # A photo on its own page: large, with the next one and the way back.
    with page.expect_response(re.compile(r"/portaal/groepspagina/foto/\d+/$")) as large:
        page.get_by_role("link", name=re.compile(rf"^{ALBUM} \(1\)")).click()
    assert large.value.status == 200
    assert large.value.headers["content-type"] == "image/jpeg"
    expect(heading(page, ALBUM)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Foto 1 van 4")
    axe(page)
    check_no_sideways_scroll(page, viewport)
    page.get_by_role("link", name=re.compile("Volgende foto")).click()
    expect(page.get_by_role("main")).to_contain_text("Foto 2 van 4")
    page.get_by_role("main").get_by_role("link", name=re.compile(rf"{ALBUM}$")).first.click()
    expect(page).to_have_url(re.compile(r"/portaal/groepspagina/album/\d+/$"))
    page.get_by_role("main").get_by_role("link", name=re.compile("Groepspagina Groep 3$")).click()

    # Files: a download, never a page of our origin.
    files = page.get_by_role("region", name="Bestanden")
    with page.expect_download() as download:
        files.get_by_role("link", name=WEEK_PLANNING).click()
    # Named after the title parents read, not the uploaded file.
    assert download.value.suggested_filename == "Weekplanning groep 3.pdf"


def test_parent_views_group_page_albums_and_files_on_desktop(desktop_page, axe):
    parent_group_page_journey(desktop_page, axe, "desktop")


def test_parent_views_group_page_albums_and_files_on_phone(phone_page, axe):
    parent_group_page_journey(phone_page, axe, "phone")


def test_teacher_writes_a_blog_post_the_parent_reads(desktop_page, phone_page, axe):
    title = "Voorleeswedstrijd in groep 3"
    body = "Vrijdag is de voorleeswedstrijd. Alle kinderen lezen een stukje voor."
    admin = desktop_page
    admin_log_in(admin, TEACHER, PASSWORD)
    # The explorer starts at what she may edit: her own group page, no other group's.
    admin.goto("/admin/pages/")
    listing = admin.get_by_role("main")
    expect(listing.get_by_role("link", name="Groep 3 2026-2027").first).to_be_visible()
    expect(listing.get_by_role("link", name="Groep 4 2026-2027")).to_have_count(0)
    listing.get_by_role("link", name="Groep 3 2026-2027").first.click()
    admin.get_by_role("link", name="Voeg onderliggende pagina toe").first.click()
    admin.get_by_role("link", name=re.compile(r"^Blogbericht")).click()

    admin.get_by_role("textbox", name=re.compile(r"^Titel")).fill(title)
    editor = admin.get_by_role("region", name=re.compile(r"^Tekst\*?$")).get_by_role("textbox")
    editor.click()
    admin.keyboard.type(body)
    expect(admin.locator("input[name=body]")).to_have_value(re.compile(re.escape(body[:20])))
    admin.get_by_role("button", name="Meer acties").click()
    admin.get_by_role("button", name="Publiceren").click()
    expect(admin.get_by_text(re.compile(rf"'{title}'.*gepubliceerd"))).to_be_visible()

    parent = phone_page
    log_in(parent, JANSEN, PASSWORD)
    open_group_page(parent, axe, "phone")
    blog = parent.get_by_role("region", name="Blog")
    expect(blog.get_by_role("link").first).to_have_text(title)
    blog.get_by_role("link", name=title).click()
    expect(parent.get_by_role("main")).to_contain_text(body)
    axe(parent)
