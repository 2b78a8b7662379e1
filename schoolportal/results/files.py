"""A report's PDF goes with its row: removed from storage after the deletion commits, never
on a rollback."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import SchoolReport


@receiver(post_delete, sender=SchoolReport, dispatch_uid="school-report-file-goes-with-it")
def report_deleted(sender, instance, **kwargs):
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name), robust=True)
