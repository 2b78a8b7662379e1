from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import StaffMember
from .roles import sync_admin_groups


@receiver(post_save, sender=StaffMember)
@receiver(post_delete, sender=StaffMember)
def staff_member_changed(sender, instance, **kwargs):
    if instance.user_id:
        sync_admin_groups(instance.user)
