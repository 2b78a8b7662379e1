"""The demo school's newsletters, and what reading them costs: the archive and an issue in
a fixed number of queries, however many issues and blocks."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from pages.blocks import PHOTO_SIZE, NewsletterBlock
from pages.models import NewsletterPage
from pages.renditions import existing_rendition
from schoolportal.mailings.models import Mailing
from schoolportal.newsletters.models import GroupNewsItem
from schoolportal.notifications.models import OutboxMessage
from tests.factories import newsletter


@pytest.fixture
def school(demo_school, db):
    return demo_school


@pytest.fixture
def parent(school):
    return get_user_model().objects.get(email="ouder.jansen@example.org")


def demo_issues():
    return NewsletterPage.objects.live().order_by("issue_date")


def test_demo_has_a_november_and_a_december_issue_with_every_block(school):
    issues = demo_issues()

    assert [issue.title for issue in issues] == ["Nieuwsbrief november", "Nieuwsbrief december"]
    for issue in issues:
        assert issue.school_id == school.pk
        assert {block.block_type for block in issue.body} == set(NewsletterBlock.base_blocks)
        assert issue.sent_at is not None  # history: loading the demo sends nothing
        assert issue.latest_revision_id  # made through Wagtail
    assert not OutboxMessage.objects.exists()


def test_the_november_mailing_with_its_pdf_stays(school):
    mailing = Mailing.objects.get(title="Nieuwsbrief november")

    assert mailing.attachments.exists()


def test_demo_issues_have_their_photo_sizes_without_a_task_worker(school):
    for issue in demo_issues():
        for block in issue.body:
            if block.block_type == "image":
                assert existing_rendition(block.value["image"], PHOTO_SIZE) is not None


def test_loading_the_demo_again_adds_no_issue(school):
    before = list(NewsletterPage.objects.values_list("pk", flat=True))

    call_command("demo", stdout=StringIO())

    assert list(NewsletterPage.objects.values_list("pk", flat=True)) == before


def test_a_demo_parent_reads_the_archive_and_both_issues(client, parent):
    client.force_login(parent)

    archive = client.get(reverse("newsletters:index")).content.decode()

    assert archive.index("Nieuwsbrief december") < archive.index("Nieuwsbrief november")
    for issue in demo_issues():
        content = client.get(reverse("newsletters:issue", args=[issue.pk])).content.decode()
        assert issue.title in content and "Uit Groep 3" in content


def test_dashboard_lists_the_recent_issues(client, parent):
    client.force_login(parent)

    content = client.get(reverse("portal:dashboard")).content.decode()

    assert "Recente nieuwsbrieven" in content
    assert reverse("newsletters:issue", args=[demo_issues().last().pk]) in content


def _queries(client, url, django_assert_max_num_queries, count):
    with django_assert_max_num_queries(count) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_archive_and_issue_cost_the_same_queries_with_more_issues(
    client, school, parent, django_assert_max_num_queries
):
    client.force_login(parent)
    issue = demo_issues().last()
    archive, page = reverse("newsletters:index"), reverse("newsletters:issue", args=[issue.pk])
    client.get(archive)  # the menu's unread count, kept per user, is read once
    # Rendered, never from the page cache: the same session's cache is bypassed per query.
    archive_queries = _queries(client, archive + "?zoek=", django_assert_max_num_queries, 20)
    issue_queries = _queries(client, page + "?x=1", django_assert_max_num_queries, 25)

    for number in range(5):
        newsletter(school, title=f"Extra nummer {number}", body=list(issue.body.raw_data))
    client.get(archive)  # new issues start a new generation of the user's pages and count

    assert _queries(client, archive + "?zoek=x", django_assert_max_num_queries, 20) == (
        archive_queries
    )
    assert _queries(client, page + "?x=2", django_assert_max_num_queries, 25) == issue_queries


def test_december_has_an_approved_teachers_item_and_one_waiting(client, school, parent):
    december = demo_issues().get(title="Nieuwsbrief december")
    items = {item.group.name: item for item in GroupNewsItem.objects.filter(issue=december)}
    client.force_login(parent)
    client.get(reverse("newsletters:index"))
    page = client.get(reverse("newsletters:issue", args=[december.pk])).content.decode()

    assert len(items) == 2
    approved = [item for item in items.values() if item.live]
    waiting = [item for item in items.values() if item.workflow_in_progress]
    assert len(approved) == 1 and len(waiting) == 1
    assert approved[0].text[:20] in page
    assert waiting[0].text[:20] not in page


def test_january_is_a_draft_teachers_write_their_items_for(school):
    january = NewsletterPage.objects.get(title="Nieuwsbrief januari")

    assert not january.live and january.sent_at is None
    assert january.school_id == school.pk
