"""Every group page gets the teacher's approval workflow, so that what a klassenouder
writes below it waits for the group's teachers (``writing.submit``).

Teachers and management publish their own pages directly (``snippets.admin_look`` hides
"submit" from who publishes), so the workflow only ever holds klassenouders' posts.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Workflow, WorkflowPage

from pages.models import GroupPage

from .models import TeacherApprovalTask


def approval_workflow():
    """The active workflow holding an active teacher's approval task, or None (deactivated
    by the installation's administrator: then posts are not submitted)."""
    tasks = TeacherApprovalTask.objects.filter(active=True)
    return (
        Workflow.objects.filter(active=True, workflow_tasks__task__in=tasks).order_by("pk").first()
    )


def assign_approval_workflow(group_page):
    workflow = approval_workflow()
    if workflow is not None:
        WorkflowPage.objects.get_or_create(page=group_page, defaults={"workflow": workflow})


@receiver(post_save, sender=GroupPage, dispatch_uid="group-page-approval-workflow")
def group_page_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        assign_approval_workflow(instance)
