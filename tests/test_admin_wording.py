"""Issue #22, "Done when": the admin as a teacher (and management) sees it has no English
words and no raw values ("True", "None", "---------") in what it shows.

Every admin page a teacher or manager uses is opened; its text is read as a person reads
it (tags, scripts and styles left out, attribute values and URLs not read) and searched
for the words below. The text of a ``<template>`` counts: it is the row a click on "Voeg
vraag toe" shows.
"""

import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.urls import reverse
from wagtail.models import Site

from pages.models import GroupPage
from schoolportal.agenda.models import AgendaItem
from schoolportal.conversations import sending
from schoolportal.mailings.models import Mailing
from schoolportal.people.models import Guardian, Pupil, StaffRole
from schoolportal.results import models as results
from tests.factories import (
    GroupFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    blog_post,
    draft_mailing,
    group_file,
    parent_of,
    photo_album,
    pupil_result,
    school_home,
    school_report,
    send_mailing,
)

pytestmark = pytest.mark.django_db

# English, or a value as the program holds it rather than as a person says it. Each was on
# a teacher's or manager's screen before #22 ("Standaardwaarde" and "Het label van het
# formulierveld" are Wagtail's form builder in Dutch, but a developer's Dutch).
FORBIDDEN = (
    "Search",
    "True",
    "False",
    "None",
    "---------",
    "Home",
    "File",
    "Full name",
    "Created by",
    "Label",
    "Default",
    "Inspect",
    "Inspecteer",
    "Inspecting",
    "Standaardwaarde",
    "Het label van het formulierveld",
    "Moderators approval",
    "Bold",
    "Italic",
    "Checks",
)
# Words Wagtail writes into its templates without gettext, so no catalog can translate
# them: the screen-reader-only submit button of the search in a chooser's header
# (wagtailadmin/shared/header.html, shared by 25 admin templates; copying it to change one
# word would silently fall behind every Wagtail upgrade). The dashboard's copy of that
# button is the project's own template and says "Zoeken".
UNTRANSLATABLE = {"/admin/choose-page/": {"Search"}}
FORBIDDEN_RE = re.compile("|".join(rf"(?<![\w-]){re.escape(word)}(?![\w-])" for word in FORBIDDEN))
# Wagtail builds "Voeg {label} toe" from an inline panel's label; a capital there reads as
# German ("Voeg Vraag toe"), so labels are lower case and the row titles capitalise them.
CAPITAL_MID_SENTENCE_RE = re.compile(r"Voeg [A-Z]\w* toe")
SKIPPED = {"script", "style"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class VisibleText(HTMLParser):
    """The text of a page as a person reads it.

    Left out: scripts and styles, and Wagtail's side-panel counters, which are hidden until
    a script puts a number in them (until then they hold the template's "None").
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = []  # open elements whose text is left out

    def handle_starttag(self, tag, attrs):
        spoken = dict(attrs)
        if not self.skipping:
            # What a screen reader says for a button or an icon link is also text.
            if tag == "input" and spoken.get("type") in {"submit", "button"}:
                self.handle_data(spoken.get("value") or "")
            self.handle_data(spoken.get("aria-label") or "")
        if tag in VOID:
            return
        names = set(spoken)
        if self.skipping or tag in SKIPPED or "data-side-panel-toggle-counter" in names:
            self.skipping.append(tag)

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data.strip())


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def forbidden_words(html):
    text = visible_text(html)
    found = FORBIDDEN_RE.finditer(text), CAPITAL_MID_SENTENCE_RE.finditer(text)
    return sorted({match.group(0) for matches in found for match in matches})


def test_the_check_finds_raw_values_and_english_in_text_but_not_in_urls_or_attributes():
    html = (
        '<table><tr><td>True</td><td title="False">Ja</td></tr></table>'
        '<select><option value="">---------</option></select>'
        '<a href="/admin/Home/">Start</a><script>var x = "None";</script>'
        '<input type="submit" value="Search"><a aria-label="Inspect" href="#">i</a>'
        "<template><label>Het label van het formulierveld</label></template>"
        "<p>Schoolhomepagina, Labels-vrij</p><button>Voeg Vraag toe</button>"
    )

    assert forbidden_words(html) == [
        "---------",
        "Het label van het formulierveld",
        "Inspect",
        "Search",
        "True",
        "Voeg Vraag toe",
    ]


@pytest.fixture
def world():
    """A school (with its site) with juf Bakker's group 3a: Noah Blom and his parent (not
    invited yet), the group page with a post and an album, a sent mailing with a reply slip,
    a draft, an agenda item; and the school's management (no superuser). Noah's parent has
    written to juf Bakker and the management (Berichten)."""
    school = SchoolFactory(name="Basisschool Het Anker")
    Site.objects.create(hostname="testserver", port=80, root_page=school_home(school))
    group = GroupFactory(school_year__school=school, name="Groep 3a")
    teacher = StaffMemberFactory(school=school, display_name="juf Bakker")
    group.teachers.add(teacher)
    pupil = PupilFactory(group=group, first_name="Noah", last_name="Blom")
    parent = parent_of(pupil, first_name="Marieke", last_name="Blom")
    parent.user.set_unusable_password()
    parent.user.save()
    page = GroupPage.objects.get(group=group)
    page.save_revision().publish()
    weekplanning = group_file(page, "weekplanning-groep-3.pdf").document
    weekplanning.collection = page.collection  # where the upload on the group page puts it
    weekplanning.save()
    item = AgendaItem.objects.create(
        school=school,
        title="Voorleesochtend",
        start_date="2031-03-10",
        end_date="2031-03-10",
        whole_school=False,
        created_by=teacher.user,
    )
    item.groups.add(group)
    manager = StaffMemberFactory(school=school, role=StaffRole.MANAGEMENT)
    conversation = sending.start_conversation(
        school=school,
        subject="Gymschoenen",
        sender=parent,
        recipients=[teacher, manager],
        body="Noah is zijn gymschoenen kwijt.",
    ).conversation
    # Resultaten not released yet (an empty release date) and without a level.
    result = pupil_result(pupil, released=False)
    report = school_report(pupil, released=False)
    return SimpleNamespace(
        result=result,
        report=report,
        school=school,
        group=group,
        pupil=pupil,
        parent=parent,
        page=page,
        post=blog_post(page),
        album=photo_album(page, photos=1),
        sent=send_mailing(
            [group], fields=[("Gaat uw kind mee?", "radio", "Ja\nNee", True)], title="Schoolreis"
        ),
        draft=draft_mailing([group], title="Luizencontrole"),
        item=item,
        teacher=teacher,
        manager=manager,
        conversation=conversation,
    )


def snippet(model, view, *args):
    return reverse(model.snippet_viewset.get_url_name(view), args=args)


def teachers_pages(world):
    """The admin pages of a teacher's day (issue #22)."""
    page = world.page
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[page.pk]),
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        reverse("wagtailadmin_pages:add", args=["pages", "blogpostpage", page.pk]),
        reverse("wagtailadmin_pages:add", args=["pages", "photoalbumpage", page.pk]),
        reverse("wagtailadmin_pages:edit", args=[world.post.pk]),
        reverse("wagtailadmin_pages:edit", args=[world.album.pk]),
        snippet(AgendaItem, "list"),
        snippet(AgendaItem, "add"),
        snippet(AgendaItem, "edit", world.item.pk),
        snippet(Mailing, "list"),
        snippet(Mailing, "list") + "?q=Schoolreis",
        snippet(Mailing, "add"),
        snippet(Mailing, "edit", world.sent.pk),
        snippet(Mailing, "edit", world.draft.pk),
        snippet(Mailing, "send", world.draft.pk),
        snippet(Mailing, "answers", world.sent.pk),
        snippet(Mailing, "delivery", world.sent.pk),
        reverse("people_class_lists"),
        reverse("people_class_list", args=[world.group.pk]),
        # The modals a click opens: a photo or file in a post, a link in rich text.
        reverse("wagtailimages_chooser:choose"),
        reverse("wagtailimages_chooser:choose") + "?q=Kinderboerderij",
        reverse("wagtaildocs_chooser:choose"),
        reverse("wagtaildocs_chooser:choose") + "?q=Weekplanning",
        reverse("wagtailadmin_choose_page"),
        reverse("wagtailadmin_choose_page_external_link"),
        reverse("wagtailadmin_choose_page_email_link"),
        reverse("conversations_admin:index"),
        reverse("conversations_admin:new"),
        reverse("conversations_admin:conversation", args=[world.conversation.pk]),
        snippet(results.TestResult, "list"),
        snippet(results.TestResult, "add"),
        snippet(results.TestResult, "edit", world.result.pk),
        snippet(results.TestResult, "inspect", world.result.pk),
        snippet(results.SchoolReport, "list"),
        snippet(results.SchoolReport, "add"),
        snippet(results.SchoolReport, "edit", world.report.pk),
        snippet(results.SchoolReport, "inspect", world.report.pk),
        reverse("results_import"),
        reverse("results_release_group") + f"?group={world.group.pk}",
        reverse("results_release", args=["toets", world.result.pk]),
    ]


def managements_pages(world):
    """A teacher's pages, and the school's people: invitations, link codes, lists."""
    return [
        *teachers_pages(world),
        snippet(Mailing, "inspect", world.sent.pk),
        snippet(Pupil, "list"),
        snippet(Pupil, "list") + "?q=Noah+Blom",
        snippet(Pupil, "inspect", world.pupil.pk),
        snippet(Pupil, "edit", world.pupil.pk),
        reverse(Pupil.snippet_viewset.chooser_viewset.get_url_name("choose")),
        snippet(Guardian, "list"),
        snippet(Guardian, "edit", world.parent.pk),
        snippet(Guardian, "inspect", world.parent.pk),
        reverse("people_invite", args=["guardian", world.parent.pk]),
        reverse("people_linkcodes", args=["groep", world.group.pk]),
        reverse("people_linkcodes", args=["leerling", world.pupil.pk]),
        reverse("privacy_deletion", args=[world.parent.pk]),
        reverse("privacy_log"),
        reverse("privacy_overview"),
    ]


def page_text(response):
    if response["Content-Type"].startswith("application/json"):
        return response.json().get("html", "")  # a chooser answers with its HTML in JSON
    return response.content.decode()


@pytest.mark.parametrize(
    ("who", "pages"), [("teacher", teachers_pages), ("manager", managements_pages)]
)
def test_the_admin_a_school_uses_shows_no_english_and_no_raw_values(client, world, who, pages):
    client.force_login(getattr(world, who).user)
    found = {}
    for url in pages(world):
        response = client.get(url)
        assert response.status_code == 200, url
        words = set(forbidden_words(page_text(response))) - UNTRANSLATABLE.get(url, set())
        if words:
            found[url] = words

    assert not found, "\n".join(f"{url}: {', '.join(sorted(w))}" for url, w in found.items())


def test_the_printed_link_code_letters_show_no_english_either(client, world):
    client.force_login(world.manager.user)

    response = client.post(reverse("people_linkcodes", args=["groep", world.group.pk]))

    assert response.status_code == 200
    assert forbidden_words(response.content.decode()) == []


def test_the_dashboard_sends_nobody_to_wagtails_english_editor_guide(client, world):
    client.force_login(world.teacher.user)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "guide.wagtail.org" not in html
    assert 'value="Zoeken"' in html
