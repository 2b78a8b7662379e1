"""A message's file goes with its attachment row (a school, conversation or message deleted):
removed from storage after the deletion commits, never on a rollback."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import MessageAttachment


@receiver(post_delete, sender=MessageAttachment, dispatch_uid="message-file-goes-with-it")
def attachment_deleted(sender, instance, **kwargs):
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name), robust=True)
