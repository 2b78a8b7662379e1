from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import StaffMember
from .roles import sync_admin_groups


@receiver(pre_save, sender=StaffMember)
def remember_previous_account(sender, instance, **kwargs):
    """When a membership moves to another account, the old account must lose its rights too."""
    instance._previous_user_id = (
        StaffMember.objects.filter(pk=instance.pk).values_list("user", flat=True).first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=StaffMember)
@receiver(post_delete, sender=StaffMember)
def staff_member_changed(sender, instance, **kwargs):
    user_ids = {instance.user_id, getattr(instance, "_previous_user_id", None)} - {None}
    for user in get_user_model().objects.filter(pk__in=user_ids):
        sync_admin_groups(user)
