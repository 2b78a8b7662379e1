"""Issue 13: a file a class parent uploaded for a mailing does not outlive it.

Deleting the draft (in the portal or the admin) or taking the file off the mailing deletes
the document and its stored file once the transaction commits; a rollback keeps both, and
a document that is used elsewhere (another mailing, a group page) stays.
"""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from wagtail.documents import get_document_model

from pages.models import GroupPageFile
from schoolportal.mailings.models import Mailing, MailingAttachment
from schoolportal.people.models import ClassParent, StaffRole
from tests.factories import (
    GroupFactory,
    PupilFactory,
    StaffMemberFactory,
    document,
    draft_mailing,
    group_page,
    parent_of,
)
from tests.test_class_parent_mailings import WRITE, mailing_data

pytestmark = pytest.mark.django_db

Document = get_document_model()


@pytest.fixture
def klas(db):
    group = GroupFactory(name="Groep 5")
    writer = parent_of(PupilFactory(group=group, school=group.school, first_name="Lotte"))
    ClassParent.objects.create(group=group, guardian=writer)
    return group, writer


@pytest.fixture
def upload(client, klas):
    """A class parent's draft with one uploaded file: (mailing, its document, file name)."""
    group, writer = klas
    client.force_login(writer.user)
    pdf = SimpleUploadedFile("lijst.pdf", b"%PDF-1.4 wie rijdt er mee")
    client.post(WRITE, mailing_data(group, attachment=pdf))
    mailing = Mailing.objects.get()
    document = mailing.attachments.get().document
    assert default_storage.exists(document.file.name)
    return mailing, document, document.file.name


def stored(document, name):
    return Document.objects.filter(pk=document.pk).exists() and default_storage.exists(name)


def test_the_upload_is_marked_as_the_mailings_own(upload):
    mailing, document, _name = upload

    assert mailing.attachments.get().owns_document
    # Its size and hash are stored as with an upload in the admin.
    assert document.file_size == len(b"%PDF-1.4 wie rijdt er mee")
    assert document.file_hash


def test_deleting_the_draft_in_the_portal_deletes_the_file_after_the_commit(
    client, upload, committed
):
    mailing, document, name = upload
    draft_url = reverse("mailings:draft", args=[mailing.pk])

    with committed() as callbacks:
        client.post(draft_url, {"action": "delete"})
        # Until the commit the file is still there: a rollback could still keep the draft.
        assert default_storage.exists(name)

    assert callbacks
    assert not Mailing.objects.exists()
    assert not stored(document, name)
    assert not default_storage.exists(name)


def test_a_rolled_back_deletion_keeps_the_file(upload, committed):
    mailing, document, name = upload

    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        Mailing.objects.get(pk=mailing.pk).delete()
        raise RuntimeError("something after the deletion failed")

    assert Mailing.objects.filter(pk=mailing.pk).exists()
    assert stored(document, name)


def test_deleting_the_draft_in_the_admin_deletes_the_file(client, klas, upload, committed):
    group, _writer = klas
    mailing, document, name = upload
    staff = StaffMemberFactory(school=group.school, role=StaffRole.MANAGEMENT)
    client.force_login(staff.user)

    with committed():
        response = client.post(
            reverse("wagtailsnippets_mailings_mailing:delete", args=[mailing.pk])
        )

    assert response.status_code == 302
    assert not Mailing.objects.exists()
    assert not stored(document, name)


def test_a_file_taken_off_the_draft_is_deleted(upload, committed):
    mailing, document, name = upload
    mailing = Mailing.objects.get(pk=mailing.pk)

    with committed():
        # What the admin's form does when an attachment is removed: the cluster is saved
        # without it.
        mailing.attachments = []
        mailing.save()

    assert not stored(document, name)


def test_sending_the_draft_keeps_its_file(client, upload, committed):
    mailing, document, name = upload

    with committed():
        client.post(reverse("mailings:draft", args=[mailing.pk]), {"action": "send"})

    mailing.refresh_from_db()
    assert mailing.sent_at is not None
    assert stored(document, name)
    assert mailing.attachments.get().document == document


def test_an_upload_also_attached_to_another_mailing_stays(client, upload, committed):
    mailing, document, name = upload
    other = draft_mailing(school=mailing.school)
    MailingAttachment.objects.create(mailing=other, document=document)

    with committed():
        client.post(reverse("mailings:draft", args=[mailing.pk]), {"action": "delete"})

    assert not Mailing.objects.filter(pk=mailing.pk).exists()
    assert stored(document, name)


def test_an_upload_also_on_a_group_page_stays(client, klas, upload, committed):
    group, _writer = klas
    mailing, document, name = upload
    GroupPageFile.objects.create(page=group_page(group), document=document)

    with committed():
        client.post(reverse("mailings:draft", args=[mailing.pk]), {"action": "delete"})

    assert stored(document, name)


def test_a_library_document_chosen_by_staff_stays(committed):
    mailing = draft_mailing(attachments={"schoolgids.pdf": b"%PDF-1.4 gids"})
    library_document = mailing.attachments.get().document
    name = library_document.file.name

    with committed():
        mailing.delete()

    assert stored(library_document, name)


def test_the_library_is_never_emptied_by_a_deleted_attachment_row(committed):
    kept = document("rooster.pdf")
    mailing = draft_mailing()
    MailingAttachment.objects.create(mailing=mailing, document=kept, owns_document=False)

    with committed():
        MailingAttachment.objects.filter(mailing=mailing).delete()

    assert Document.objects.filter(pk=kept.pk).exists()


def test_uploads_from_before_the_field_are_marked_by_the_migration(klas):
    """Existing drafts: a class parent's mailing with a file its author uploaded is marked,
    a library document on a staff mailing is not."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("schoolportal.mailings.migrations.0002_attachment_owns_document")
    group, writer = klas
    own = draft_mailing(school=group.school, sender="class_parents", created_by=writer.user)
    uploaded = document("lijst.pdf")
    uploaded.uploaded_by_user = writer.user
    uploaded.save()
    own_attachment = MailingAttachment.objects.create(mailing=own, document=uploaded)
    staff_attachment = MailingAttachment.objects.create(
        mailing=draft_mailing(school=group.school, created_by=writer.user),
        document=document("schoolgids.pdf"),
    )

    migration.mark_uploads_of_class_parents(apps, None)

    own_attachment.refresh_from_db()
    staff_attachment.refresh_from_db()
    assert own_attachment.owns_document
    assert not staff_attachment.owns_document
