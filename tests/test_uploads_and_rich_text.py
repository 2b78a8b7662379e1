"""What staff and class parents put on the site cannot run in a parent's browser.

Uploaded HTML or SVG is refused, and anything that is served anyway (a file stored before
the rules) is a download, never a page of the site's origin. Rich text from staff keeps
only the editor's formatting; what class parents type is text.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from schoolportal.mailings.models import BODY_FEATURES, Mailing, MailingAttachment
from schoolportal.people.models import ClassParent, StaffRole
from tests.factories import (
    GroupFactory,
    PupilFactory,
    StaffMemberFactory,
    UserFactory,
    parent_of,
)

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture
def staff_client(client):
    management = StaffMemberFactory(role=StaffRole.MANAGEMENT)
    client.force_login(management.user)
    client.school = management.school
    return client


@pytest.mark.parametrize(
    "name, content",
    [("lijst.html", HTML), ("lijst.htm", HTML), ("logo.svg", SVG), ("script.js", b"alert(1)")],
)
def test_staff_cannot_upload_html_svg_or_script_documents(staff_client, name, content):
    response = staff_client.post(
        reverse("wagtaildocs:add"),
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": 1},
    )

    assert response.status_code == 200  # the form again, with its error
    assert get_document_model().objects.count() == 0


def test_staff_can_upload_a_pdf_for_their_mailings(staff_client):
    response = staff_client.post(
        reverse("wagtaildocs:add"),
        {"title": "Brief", "file": SimpleUploadedFile("brief.pdf", b"%PDF-1.4"), "collection": 1},
    )

    assert response.status_code == 302
    assert get_document_model().objects.count() == 1


def test_not_even_a_superuser_can_upload_an_svg_image(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Logo", "file": SimpleUploadedFile("logo.svg", SVG), "collection": 1},
    )

    assert response.status_code == 200
    assert get_image_model().objects.count() == 0


@pytest.mark.parametrize("name, content", [("oud.html", HTML), ("oud.svg", SVG)])
def test_an_html_or_svg_document_stored_before_the_rules_is_only_ever_a_download(
    staff_client, name, content
):
    document = get_document_model().objects.create(
        title=name,
        file=ContentFile(content, name=name),
        collection=staff_client.school.media.collection,
    )

    response = staff_client.get(document.url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_staff_rich_text_keeps_formatting_and_loses_scripts(staff_client):
    group = GroupFactory(school_year__school=staff_client.school)
    hostile = (
        "<p>Beste <b>ouders</b>,</p>"
        "<script>alert(document.cookie)</script>"
        '<p onclick="alert(1)">Klik <a href="javascript:alert(1)">hier</a>'
        ' of <a href="https://example.org/">daar</a></p>'
        '<img src="x" onerror="alert(1)">'
    )
    data = {
        "school": staff_client.school.pk,
        "title": "Luizencontrole",
        "sender": "school",
        "audience": "groups",
        "groups": [group.pk],
        "body": rich_text(hostile, features=BODY_FEATURES),
        "reply_per": "family",
        **nested_form_data({"attachments": inline_formset([]), "reply_fields": inline_formset([])}),
    }

    response = staff_client.post(reverse("wagtailsnippets_mailings_mailing:add"), data)

    assert response.status_code == 302
    body = Mailing.objects.get().latest_revision.as_object().body
    assert "<b>ouders</b>" in body
    assert 'href="https://example.org/"' in body
    for forbidden in ("<script", "onclick", "javascript:", "onerror", "<img"):
        assert forbidden not in body


def test_what_a_class_parent_types_is_shown_as_text_not_markup(client):
    group = GroupFactory()
    parent = parent_of(PupilFactory(group=group, school=group.school))
    ClassParent.objects.create(group=group, guardian=parent)
    client.force_login(parent.user)

    response = client.post(
        reverse("mailings:write"),
        {
            "group": group.pk,
            "title": "Gymkleding",
            "text": 'Neem <script>alert(1)</script> mee\n\n<a href="javascript:x">klik</a>',
            "reply_per": "family",
            "vraag-TOTAL_FORMS": "0",
            "vraag-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    mailing = Mailing.objects.get()
    assert "<script" not in mailing.body and "<a " not in mailing.body
    assert "&lt;script&gt;" in mailing.body
    page = client.get(response["Location"]).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_document_chooser_offers_only_documents_of_the_users_own_school(staff_client):
    colleague = StaffMemberFactory(school=staff_client.school)
    stranger = StaffMemberFactory()  # another school
    documents = get_document_model().objects
    own = documents.create(
        title="Rooster eigen school",
        file=ContentFile(b"%PDF", name="a.pdf"),
        uploaded_by_user=colleague.user,
        collection=colleague.school.media.collection,  # where staff uploads go
    )
    documents.create(
        title="Klassenlijst andere school",
        file=ContentFile(b"%PDF", name="b.pdf"),
        uploaded_by_user=stranger.user,
        collection=stranger.school.media.collection,
    )

    page = staff_client.get(reverse("wagtaildocs_chooser:choose")).content.decode()

    assert own.title in page
    assert "Klassenlijst andere school" not in page


def test_a_mailing_cannot_attach_another_schools_document_by_its_id(staff_client):
    group = GroupFactory(school_year__school=staff_client.school)
    stranger = StaffMemberFactory()
    foreign = get_document_model().objects.create(
        title="Klassenlijst andere school",
        file=ContentFile(b"%PDF", name="b.pdf"),
        uploaded_by_user=stranger.user,
    )
    data = {
        "school": staff_client.school.pk,
        "title": "Luizencontrole",
        "sender": "school",
        "audience": "groups",
        "groups": [group.pk],
        "body": rich_text("<p>Hallo</p>", features=BODY_FEATURES),
        "reply_per": "family",
        **nested_form_data(
            {
                "attachments": inline_formset([{"id": "", "document": foreign.pk}]),
                "reply_fields": inline_formset([]),
            }
        ),
    }

    response = staff_client.post(reverse("wagtailsnippets_mailings_mailing:add"), data)

    assert response.status_code == 200
    assert "Kies bijlagen van uw eigen school." in response.content.decode()
    assert not Mailing.objects.exists()


def test_a_colleague_who_also_works_elsewhere_keeps_that_schools_documents_there(staff_client):
    """Colleague S works at this school and at another; what S attached there stays there."""
    from tests.factories import send_mailing

    colleague = StaffMemberFactory(school=staff_client.school)
    other = StaffMemberFactory(user=colleague.user)  # S at another school
    documents = get_document_model().objects
    theirs = documents.create(
        title="Klassenlijst andere school",
        file=ContentFile(b"%PDF", name="c.pdf"),
        uploaded_by_user=colleague.user,
    )
    mailing = send_mailing(school=other.school, title="Brief andere school")
    MailingAttachment.objects.create(mailing=mailing, document=theirs)
    shared = documents.create(
        title="Rooster eigen school",
        file=ContentFile(b"%PDF", name="d.pdf"),
        uploaded_by_user=colleague.user,
        collection=staff_client.school.media.collection,  # uploaded here
    )

    page = staff_client.get(reverse("wagtaildocs_chooser:choose")).content.decode()

    assert shared.title in page
    assert theirs.title not in page
    assert staff_client.get(theirs.url).status_code == 404
