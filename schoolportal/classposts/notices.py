"""The e-mail to a klassenouder when a teacher approved their post or sent it back.

Written to the outbox in the transaction that approves or rejects (Wagtail's workflow
signals), one per decision: the cause is the task state the teacher decided on, so a post
sent back twice gets two e-mails and a double-click none twice. Wagtail's own e-mail to
the submitter is switched off for klassenouders (``writing.submit``): its links lead into
the admin, where parents never go.
"""

from django.dispatch import receiver
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import workflow_approved, workflow_rejected

from pages.models import BlogPostPage
from schoolportal.notifications import outbox
from schoolportal.notifications.email import absolute, render_email

APPROVED = "classpost_approved"
REJECTED = "classpost_rejected"


def class_post_of(workflow_state):
    """The klassenouder's post a workflow state is about, or None (any other page or
    snippet)."""
    if not str(workflow_state.object_id).isdigit():
        return None
    return (
        BlogPostPage.objects.filter(pk=int(workflow_state.object_id), class_parent__isnull=False)
        .select_related("class_parent__user")
        .first()
    )


def notify_author(kind, workflow_state):
    post = class_post_of(workflow_state)
    if post is None or workflow_state.current_task_state_id is None:
        return
    guardian = post.class_parent
    address = guardian.email or (guardian.user.email if guardian.user_id else "")
    outbox.queue(kind, workflow_state.current_task_state_id, [(address, guardian.user_id)])


@receiver(workflow_approved, sender=WorkflowState, dispatch_uid="classpost-approved")
def post_approved(sender, instance, **kwargs):
    notify_author(APPROVED, instance)


@receiver(workflow_rejected, sender=WorkflowState, dispatch_uid="classpost-rejected")
def post_rejected(sender, instance, **kwargs):
    notify_author(REJECTED, instance)


def _render(name, message, url_name):
    task_state = TaskState.objects.select_related("workflow_state").get(pk=message.cause_id)
    # A post deleted since: DoesNotExist, and the outbox sends nothing.
    post = BlogPostPage.objects.get(pk=int(task_state.workflow_state.object_id))
    group_page = post.get_parent().specific
    context = {
        "title": post.draft_title or post.title,
        "group": getattr(group_page, "group", None),
        "comment": task_state.comment,
        "link": absolute(reverse(url_name, args=[post.pk])),
    }
    return render_email(name, context, message.recipient_email)


@outbox.renderer(APPROVED)
def render_approved(message):
    return _render("classpost_approved", message, "grouppages:post")


@outbox.renderer(REJECTED)
def render_rejected(message):
    return _render("classpost_rejected", message, "classposts:own_post")
