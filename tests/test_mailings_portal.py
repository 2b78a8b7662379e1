"""Mailings in the parent portal: the list, the dashboard, one mailing and its attachments."""

from datetime import timedelta
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from schoolportal.mailings.models import MailingRead
from tests.factories import (
    PASSWORD,
    GroupFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    draft_mailing,
    parent_of,
    send_mailing,
)

pytestmark = pytest.mark.django_db

SLIP = [("Rijdt u mee?", "radio", "Ja\nNee", True)]


@pytest.fixture
def family():
    school = SchoolFactory(name="Basisschool Het Anker")
    group = GroupFactory(school_year__school=school, name="Groep 3a")
    other_group = GroupFactory(school_year=group.school_year, school=school, name="Groep 7b")
    child = PupilFactory(first_name="Lotte", group=group)
    guardian = parent_of(child, first_name="Marieke")
    co_parent = parent_of(child, first_name="Joost")
    return SimpleNamespace(
        school=school,
        group=group,
        other_group=other_group,
        child=child,
        guardian=guardian,
        co_parent=co_parent,
    )


@pytest.fixture
def parent_client(client, family):
    client.force_login(family.guardian.user)
    return client


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def detail_url(mailing):
    return reverse("mailings:detail", args=[mailing.pk])


def attachment_url(mailing, attachment):
    return reverse("mailings:attachment", args=[mailing.pk, attachment.pk])


class _RowParser(HTMLParser):
    """The mailing rows of a list: text, links (href, text, has an icon) and classes."""

    def __init__(self):
        super().__init__()
        self.rows = []
        self._depth = 0  # <li> nesting inside the current row
        self._link = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and "mailing-row" in (attrs.get("class") or "").split():
            self.rows.append({"classes": attrs["class"].split(), "text": "", "links": []})
            self._depth = 1
        elif not self._depth:
            return
        elif tag == "li":
            self._depth += 1
        elif tag == "a":
            self._link = {"href": attrs.get("href"), "text": "", "icon": False}
            self.rows[-1]["links"].append(self._link)
        elif tag == "svg" and self._link is not None:
            self._link["icon"] = True

    def handle_endtag(self, tag):
        if not self._depth:
            return
        if tag == "li":
            self._depth -= 1
        elif tag == "a":
            self._link = None

    def handle_data(self, data):
        if not self._depth:
            return
        self.rows[-1]["text"] += data
        if self._link is not None:
            self._link["text"] += data


def rows(response):
    """Per mailing row: its title link's text, whether marked new, whether it has a slip."""
    assert response.status_code == 200
    parser = _RowParser()
    parser.feed(response.content.decode())
    result = []
    for row in parser.rows:
        title_link = next(link for link in row["links"] if not link["icon"])
        words = " ".join(title_link["text"].split())
        result.append(
            SimpleNamespace(
                title=words.removeprefix("nieuw ").strip(),
                new=words.startswith("nieuw "),
                unread_class="mailing-row--unread" in row["classes"],
                slip="antwoordbriefje" in row["text"],
                links=row["links"],
            )
        )
    return result


def titles(response):
    return [row.title for row in rows(response)]


# --- The list -----------------------------------------------------------------------------


def test_list_shows_newest_first(parent_client, family):
    send_mailing([family.group], title="Oud", sent_at=days_ago(9))
    send_mailing([family.group], title="Nieuwst", sent_at=days_ago(1))
    send_mailing(school=family.school, title="Midden", sent_at=days_ago(4))

    response = parent_client.get(reverse("mailings:index"))

    assert titles(response) == ["Nieuwst", "Midden", "Oud"]


def test_list_shows_only_mailings_addressed_to_own_childrens_groups_or_school(
    parent_client, family
):
    send_mailing([family.group], title="Voor groep 3a")
    send_mailing(school=family.school, title="Voor de hele school")
    send_mailing([family.other_group], title="Voor groep 7b")
    send_mailing([family.group, family.other_group], title="Voor 3a en 7b")
    other_school = SchoolFactory(name="Basisschool De Linde")
    send_mailing(school=other_school, title="Hele school De Linde")
    send_mailing([GroupFactory(school_year__school=other_school)], title="Groep van De Linde")
    draft_mailing([family.group], title="Concept voor 3a")
    withdrawn = send_mailing([family.group], title="Ingetrokken voor 3a")
    withdrawn.unpublish()

    response = parent_client.get(reverse("mailings:index"))

    assert sorted(titles(response)) == ["Voor 3a en 7b", "Voor de hele school", "Voor groep 3a"]
    content = response.content.decode()
    for hidden in ("Voor groep 7b", "De Linde", "Concept", "Ingetrokken"):
        assert hidden not in content


def test_a_mailing_is_marked_new_until_the_parent_opens_it(parent_client, family):
    read = send_mailing([family.group], title="Luizencontrole", sent_at=days_ago(2))
    send_mailing([family.group], title="Studiedag", sent_at=days_ago(1))
    url = reverse("mailings:index")
    parent_client.get(url)
    before = rows(parent_client.get(url))  # the second view comes from the session's cache

    assert parent_client.get(detail_url(read)).status_code == 200
    after = rows(parent_client.get(url))
    again = rows(parent_client.get(url))

    assert [(row.title, row.new, row.unread_class) for row in before] == [
        ("Studiedag", True, True),
        ("Luizencontrole", True, True),
    ]
    for listing in (after, again):
        assert [(row.title, row.new, row.unread_class) for row in listing] == [
            ("Studiedag", True, True),
            ("Luizencontrole", False, False),
        ]


def test_reading_a_mailing_does_not_mark_it_read_for_the_co_parent(client, family):
    mailing = send_mailing([family.group], title="Luizencontrole")
    client.force_login(family.guardian.user)
    client.get(detail_url(mailing))
    client.force_login(family.co_parent.user)

    listing = rows(client.get(reverse("mailings:index")))

    assert [(row.title, row.new) for row in listing] == [("Luizencontrole", True)]
    assert MailingRead.objects.filter(mailing=mailing).count() == 1


def test_opening_a_mailing_twice_records_one_read(parent_client, family):
    mailing = send_mailing([family.group])

    parent_client.get(detail_url(mailing))
    parent_client.get(detail_url(mailing))

    assert list(MailingRead.objects.values_list("mailing", "user")) == [
        (mailing.pk, family.guardian.user_id)
    ]


def test_a_mailing_with_a_reply_slip_is_recognisable_in_the_list(parent_client, family):
    send_mailing([family.group], title="Met briefje", fields=SLIP, sent_at=days_ago(1))
    send_mailing([family.group], title="Zonder briefje", sent_at=days_ago(2))

    listing = rows(parent_client.get(reverse("mailings:index")))

    assert [(row.title, row.slip) for row in listing] == [
        ("Met briefje", True),
        ("Zonder briefje", False),
    ]


@pytest.mark.parametrize("fields", [SLIP, ()], ids=["with slip", "without slip"])
def test_eye_icon_and_title_both_open_the_mailing(parent_client, family, fields):
    mailing = send_mailing([family.group], title="Schoolreis", fields=fields)

    (row,) = rows(parent_client.get(reverse("mailings:index")))

    title_link = next(link for link in row.links if not link["icon"])
    icon_link = next(link for link in row.links if link["icon"])
    assert "Open mailing: Schoolreis" in icon_link["text"]
    for link in (title_link, icon_link):
        path, _hash, anchor = link["href"].partition("#")
        match = resolve(path)
        assert (match.view_name, match.kwargs) == ("mailings:detail", {"pk": mailing.pk})
        opened = parent_client.get(path)
        assert opened.status_code == 200
        assert "<h1>Schoolreis</h1>" in opened.content.decode()
        if anchor:  # the icon jumps to the reply slip, which must then be on the page
            assert f'id="{anchor}"' in opened.content.decode()


def test_list_and_mailing_point_to_berichten_and_offer_no_reply(parent_client, family):
    mailing = send_mailing([family.group], title="Nieuwsbrief")

    for url in (reverse("mailings:index"), detail_url(mailing)):
        content = parent_client.get(url).content.decode()
        assert "Een mailing kunt u niet beantwoorden" in content
        assert "Gebruik Berichten" in content
        assert 'name="unit"' not in content  # no answer form without a reply slip
        assert "Antwoord opslaan" not in content


def test_list_pages_by_25_and_a_page_past_the_end_shows_the_last(parent_client, family):
    for number in range(27):
        send_mailing([family.group], title=f"Mailing nummer {number}", sent_at=days_ago(number))
    url = reverse("mailings:index")

    first = parent_client.get(url)
    second = parent_client.get(url, {"pagina": 2})
    beyond = parent_client.get(url, {"pagina": 99})

    assert titles(first) == [f"Mailing nummer {number}" for number in range(25)]
    assert titles(second) == ["Mailing nummer 25", "Mailing nummer 26"]
    assert "Pagina 1 van 2" in first.content.decode()
    assert "?pagina=2" in first.content.decode()
    assert "Pagina 2 van 2" in second.content.decode()
    assert beyond.status_code == 200
    assert titles(beyond) == titles(second)


def test_dashboard_shows_the_five_most_recent_mailings_with_unread_marks(parent_client, family):
    mailings = [
        send_mailing([family.group], title=f"Bericht {number}", sent_at=days_ago(number))
        for number in range(7)
    ]
    send_mailing([family.other_group], title="Bericht voor 7b", sent_at=days_ago(0))
    dashboard = reverse("portal:dashboard")
    parent_client.get(dashboard)
    parent_client.get(detail_url(mailings[1]))

    response = parent_client.get(dashboard)

    assert [(row.title, row.new) for row in rows(response)] == [
        ("Bericht 0", True),
        ("Bericht 1", False),
        ("Bericht 2", True),
        ("Bericht 3", True),
        ("Bericht 4", True),
    ]
    assert reverse("mailings:index") in response.content.decode()


def test_dashboard_without_mailings_says_so(parent_client):
    content = parent_client.get(reverse("portal:dashboard")).content.decode()

    assert "U heeft nog geen mailings ontvangen." in content


def _varied_mailings(family, count, start):
    """Mailings of every kind a row shows: senders, slips, read or not."""
    teacher = StaffMemberFactory(school=family.school, display_name="juf Appel")
    family.group.teachers.add(teacher)
    senders = ["school", "teacher", "class_parents", "mr", "or"]
    for number in range(start, start + count):
        mailing = send_mailing(
            [family.group] if number % 2 else [],
            school=family.school,
            title=f"Mailing {number}",
            sender=senders[number % len(senders)],
            fields=SLIP if number % 3 == 0 else (),
            sent_at=days_ago(number),
        )
        if number % 4 == 0:
            MailingRead.objects.create(mailing=mailing, user=family.guardian.user)


@pytest.mark.parametrize("page", ["mailings:index", "portal:dashboard"])
def test_list_query_count_does_not_grow_with_the_number_of_mailings(parent_client, family, page):
    url = reverse(page)
    parent_client.get(url)  # the session and the CSRF cookie exist from here on

    def rendered_queries():
        cache.clear()  # render, not a cached page
        with CaptureQueriesContext(connection) as queries:
            response = parent_client.get(url)
        assert response.status_code == 200
        return len(rows(response)), len(queries)

    _varied_mailings(family, 3, start=0)
    few_rows, few = rendered_queries()
    _varied_mailings(family, 17, start=3)
    many_rows, many = rendered_queries()

    assert few_rows == 3
    assert many_rows == (20 if page == "mailings:index" else 5)
    assert many == few


# --- One mailing --------------------------------------------------------------------------


def test_mailing_shows_its_text_sender_and_audience(parent_client, family):
    mailing = send_mailing(
        [family.group],
        title="Schoolreis",
        body="<p>We gaan naar de kinderboerderij.</p>",
        sender="class_parents",
    )

    content = parent_client.get(detail_url(mailing)).content.decode()

    assert "<h1>Schoolreis</h1>" in content
    assert "We gaan naar de kinderboerderij." in content
    assert "Klassenouders Groep 3a" in content
    assert "Basisschool Het Anker" in content


def _not_for_the_parent(family, kind):
    if kind == "other group":
        return send_mailing([family.other_group], title="Geheim voor 7b")
    if kind == "other school":
        return send_mailing(school=SchoolFactory(), title="Geheim elders")
    if kind == "draft":
        return draft_mailing([family.group], title="Geheim concept")
    if kind == "unpublished":
        mailing = send_mailing([family.group], title="Geheim ingetrokken")
        mailing.unpublish()
        return mailing
    return SimpleNamespace(pk=987_654_321, title="Geheim onbekend")


@pytest.mark.parametrize(
    "kind", ["other group", "other school", "draft", "unpublished", "nonexistent"]
)
def test_a_mailing_not_addressed_to_the_parent_answers_404(parent_client, family, kind):
    mailing = _not_for_the_parent(family, kind)

    response = parent_client.get(detail_url(mailing))

    assert response.status_code == 404
    assert mailing.title not in response.content.decode()
    assert not MailingRead.objects.exists()


def test_anonymous_visitor_logs_in_and_lands_on_the_mailing(client, family):
    mailing = send_mailing([family.group], title="Schoolreis")
    url = detail_url(mailing)

    response = client.get(url)

    login = reverse("accounts:login")
    assert response.status_code == 302
    assert response["Location"] == f"{login}?next={url}"
    form = client.get(response["Location"]).content.decode()
    assert f'name="next" value="{url}"' in form
    logged_in = client.post(
        login, {"username": family.guardian.email, "password": PASSWORD, "next": url}
    )
    assert logged_in.status_code == 302
    assert logged_in["Location"] == url
    assert "<h1>Schoolreis</h1>" in client.get(url).content.decode()


# --- Attachments --------------------------------------------------------------------------

PDF = b"%PDF-1.4\n% rooster van de schoolreis\n\x00\x01\x02\xff"


def test_attachment_downloads_with_the_exact_bytes(parent_client, family):
    mailing = send_mailing([family.group], attachments={"rooster.pdf": PDF})
    attachment = mailing.attachments.get()

    response = parent_client.get(attachment_url(mailing, attachment))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="rooster.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF


def test_mailing_page_links_to_its_attachments(parent_client, family):
    mailing = send_mailing(
        [family.group], attachments={"rooster.pdf": PDF, "plattegrond.pdf": b"%PDF-1.4 kaart"}
    )

    content = parent_client.get(detail_url(mailing)).content.decode()

    for attachment in mailing.attachments.all():
        assert f'href="{attachment_url(mailing, attachment)}" download>' in content
        assert attachment.filename in content


@pytest.mark.parametrize("other", ["own other mailing", "other group", "other school", "draft"])
def test_attachment_of_another_mailing_via_own_mailing_answers_404(parent_client, family, other):
    own = send_mailing([family.group], attachments={"rooster.pdf": PDF})
    groups, school = {
        "own other mailing": ([family.group], family.school),
        "other group": ([family.other_group], family.school),
        "other school": ([], SchoolFactory()),
        "draft": ([family.group], family.school),
    }[other]
    make = draft_mailing if other == "draft" else send_mailing
    foreign = make(groups, school=school, attachments={"geheim.pdf": b"%PDF-1.4 geheim"})
    foreign_attachment = foreign.attachments.get()

    response = parent_client.get(attachment_url(own, foreign_attachment))

    assert response.status_code == 404
    assert b"geheim" not in response.content
    # The control: the own mailing's own attachment is served.
    assert parent_client.get(attachment_url(own, own.attachments.get())).status_code == 200


def test_html_attachment_is_downloaded_never_shown_inline(parent_client, family):
    page = b"<html><script>document.location='https://evil.example'</script></html>"
    mailing = send_mailing([family.group], attachments={"uitnodiging.html": page})

    response = parent_client.get(attachment_url(mailing, mailing.attachments.get()))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == page


def test_anonymous_attachment_download_is_sent_to_login(client, family):
    mailing = send_mailing([family.group], attachments={"rooster.pdf": PDF})
    url = attachment_url(mailing, mailing.attachments.get())

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


# --- Whom a mailing was sent for is fixed when it is sent ------------------------------------


def test_a_child_who_moves_group_keeps_the_mailings_sent_for_them(parent_client, family, client):
    mailing = send_mailing([family.group], title="Schoolreis groep 3a", fields=SLIP)
    newcomer_parent = parent_of(PupilFactory(group=family.other_group, school=family.school))

    family.child.group = family.other_group  # the new school year
    family.child.save()

    assert parent_client.get(detail_url(mailing)).status_code == 200
    client.force_login(newcomer_parent.user)
    assert client.get(detail_url(mailing)).status_code == 404
    assert "Schoolreis groep 3a" not in client.get(reverse("mailings:index")).content.decode()


def test_a_pupil_who_joins_the_group_after_sending_does_not_get_old_mailings(client, family):
    mailing = send_mailing([family.group], title="Luizencontrole")
    latecomer = parent_of(PupilFactory(group=family.group, school=family.school))
    client.force_login(latecomer.user)

    assert client.get(detail_url(mailing)).status_code == 404


def test_a_guardian_linked_later_to_an_addressed_child_reads_the_mailing(client, family):
    mailing = send_mailing([family.group], title="Luizencontrole")
    stepparent = parent_of(family.child, first_name="Sanne")
    client.force_login(stepparent.user)

    assert client.get(detail_url(mailing)).status_code == 200
