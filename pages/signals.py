"""Keep group pages and their editors in step with groups, teachers and staff roles."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from schoolportal.people.models import Group, StaffMember

from . import provisioning
from .models import GroupPage, SchoolHomePage


def group_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        provisioning.ensure_group_page(instance)


def group_deleted(sender, instance, **kwargs):
    """Through the tree, so Wagtail removes the blog and albums below and keeps the tree whole."""
    for page in GroupPage.objects.filter(group=instance):
        editors = page.editors
        page.delete()
        if editors is not None:
            editors.delete()


def home_page_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        provisioning.ensure_group_pages(instance.school)


def teachers_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # staff_member.groups.add(...): instance is the staff member
        pages = GroupPage.objects.filter(group__school_id=instance.school_id)
    else:
        pages = GroupPage.objects.filter(group=instance)
    for page in pages.select_related("editors", "group"):
        provisioning.sync_editors(page)


def staff_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        provisioning.sync_school_editors(instance.school_id)


def connect():
    post_save.connect(group_saved, sender=Group, dispatch_uid="group-page-for-group")
    pre_delete.connect(group_deleted, sender=Group, dispatch_uid="group-page-gone")
    post_save.connect(home_page_saved, sender=SchoolHomePage, dispatch_uid="group-pages-for-home")
    m2m_changed.connect(
        teachers_changed, sender=Group.teachers.through, dispatch_uid="group-page-teachers"
    )
    post_save.connect(staff_changed, sender=StaffMember, dispatch_uid="group-page-staff")
    post_delete.connect(staff_changed, sender=StaffMember, dispatch_uid="group-page-staff-gone")
