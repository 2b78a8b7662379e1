"""A file uploaded for a mailing goes with it.

A class parent's upload (``MailingAttachment.owns_document``) belongs to that one mailing:
when its attachment row is deleted (the draft or mailing is deleted, here, in the admin or
with its school, or the file is taken off the mailing and that is saved) the document and
its file are deleted, after the transaction commits, unless something uses it by then
(another mailing, a group page, a link in a page). A rolled-back deletion keeps the file.
Documents staff chose from the library are not owned and are never deleted here.

A revision of the mailing that still lists a deleted document drops that attachment when
it is restored (django-modelcluster skips child rows whose foreign key has gone).
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.documents import get_document_model

from pages.models import GroupPageFile

from .models import Mailing, MailingAttachment

logger = logging.getLogger(__name__)


@receiver(post_delete, sender=MailingAttachment, dispatch_uid="mailing-upload-goes-with-it")
def attachment_deleted(sender, instance, **kwargs):
    if instance.owns_document:
        document_id = instance.document_id
        # After the commit: a cluster save deletes and re-adds rows within its transaction,
        # and a rollback must leave the file where it was.
        transaction.on_commit(lambda: delete_if_unused(document_id), robust=True)


def delete_if_unused(document_id):
    """Delete the document if nothing refers to it any more; Wagtail removes its file once
    this deletion has committed. Returns whether it was deleted."""
    with transaction.atomic():
        document = get_document_model().objects.filter(pk=document_id).first()
        if document is None or in_use(document):
            return False
        document.delete()
    logger.info("Deleted document %s with its last mailing attachment", document_id)
    return True


def in_use(document):
    if MailingAttachment.objects.filter(document=document).exists():
        return True
    if GroupPageFile.objects.filter(document=document).exists():
        return True
    # Links in rich text and any other reference Wagtail knows of. A mailing's own entries
    # may still be there until its index is refreshed; attachments were counted above.
    return any(not isinstance(source, Mailing) for source, _refs in document.get_usage())
