"""An export's ZIP goes with its row: removed from storage after the deletion commits,
never on a rollback."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import DataExport


@receiver(post_delete, sender=DataExport, dispatch_uid="data-export-file-goes-with-it")
def export_deleted(sender, instance, **kwargs):
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name), robust=True)
