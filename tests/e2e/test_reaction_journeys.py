"""Reacties, clicked through: a parent reacts under a blog post and the teacher hides it.

Marieke Jansen opens groep 3's page, opens a blog post and writes a reaction with a link;
juf Bakker opens the same post (from the admin's "Bekijk live", the portal's post page)
and hides it; Marieke no longer sees it. Every page on the way is checked with axe-core,
on a desktop and on a phone.
"""

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # plain `make test` without the e2e extra: conftest skips every test here
    expect = None

from .test_group_page_journeys import POST, TEACHER, open_group_page
from .test_mailing_journeys import JANSEN, PASSWORD, check_no_sideways_scroll, heading, log_in

pytestmark = pytest.mark.e2e


def reactions(page):
    return page.get_by_role("region", name=re.compile(r"^Reacties"))


def parent_reacts_and_teacher_hides(parent, teacher, axe, viewport):
    text = f"Wij hebben thuis nog prentenboeken over ({viewport}), zie https://www.bibliotheek.nl"
    log_in(parent, JANSEN, PASSWORD)
    expect(heading(parent, "Welkom, Marieke")).to_be_visible()
    open_group_page(parent, axe, viewport)
    parent.get_by_role("region", name="Blog").get_by_role("link", name=POST).click()
    expect(heading(parent, POST)).to_be_visible()
    axe(parent)
    check_no_sideways_scroll(parent, viewport)

    region = reactions(parent)
    region.get_by_role("textbox", name="Uw reactie").fill(text)
    region.get_by_role("button", name="Reactie plaatsen").click()
    expect(parent.get_by_text("Uw reactie is geplaatst.")).to_be_visible()
    reaction = reactions(parent).get_by_role("listitem").filter(has_text=text)
    expect(reaction).to_contain_text("Marieke")
    expect(reaction.get_by_role("link", name="https://www.bibliotheek.nl")).to_be_visible()
    axe(parent)
    check_no_sideways_scroll(parent, viewport)
    post_url = parent.url.split("#")[0]

    log_in(teacher, TEACHER, PASSWORD)
    teacher.wait_for_url(re.compile(r"/admin/"))
    teacher.goto(post_url)
    expect(heading(teacher, POST)).to_be_visible()
    mine = reactions(teacher).get_by_role("listitem").filter(has_text=text)
    mine.get_by_role("button", name=re.compile(r"^Verbergen")).click()
    expect(teacher.get_by_text("De reactie is verborgen voor ouders.")).to_be_visible()
    hidden = reactions(teacher).get_by_role("listitem").filter(has_text=text)
    expect(hidden).to_contain_text("Verborgen voor ouders.")
    expect(hidden.get_by_role("button", name=re.compile(r"^Weer tonen"))).to_be_visible()
    axe(teacher)

    parent.goto(post_url)
    expect(heading(parent, POST)).to_be_visible()
    expect(reactions(parent)).not_to_contain_text(text)


def test_a_parent_reacts_under_a_post_and_the_teacher_hides_it_on_desktop(
    desktop_page, phone_page, axe
):
    parent_reacts_and_teacher_hides(desktop_page, phone_page, axe, "desktop")


def test_a_parent_reacts_under_a_post_and_the_teacher_hides_it_on_phone(
    phone_page, desktop_page, axe
):
    parent_reacts_and_teacher_hides(phone_page, desktop_page, axe, "phone")
