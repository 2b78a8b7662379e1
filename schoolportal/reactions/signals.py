"""A reaction's photo is its own: it goes when the reaction goes (deleted by its author
or a teacher, or with its post). It was uploaded for the reaction only, never chosen from
the library, so nothing else uses it."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Reaction


@receiver(post_delete, sender=Reaction, dispatch_uid="reaction-photo")
def delete_photo(sender, instance, **kwargs):
    if instance.photo_id is not None:
        from wagtail.images import get_image_model

        get_image_model().objects.filter(pk=instance.photo_id).delete()
