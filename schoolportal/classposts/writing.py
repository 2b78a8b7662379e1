"""A klassenouder's post: saved as a draft below the group page, sent to the teacher.

The post is a ``BlogPostPage`` like a teacher's, made with Wagtail's public tree and
revision API (``add_child``, ``save_revision``), with the klassenouder as its owner and
``class_parent``. It is never published from here: ``submit`` starts the group page's
workflow ("Goedkeuring door de leerkracht", ``classposts.models``), and the teacher's
approval in the admin publishes it. Until then ``published_children`` never shows it.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, WorkflowState
from wagtail.users.models import UserProfile

from pages.models import BlogPostPage
from pages.renditions import request_photo_size
from schoolportal import access

from .signals import approval_workflow

CONCEPT, WAITING, REJECTED, PUBLISHED = "concept", "waiting", "rejected", "published"
LABELS = {
    CONCEPT: _("concept"),
    WAITING: _("wacht op goedkeuring"),
    REJECTED: _("afgewezen"),
    PUBLISHED: _("gepubliceerd"),
}


@dataclass
class PostState:
    post: BlogPostPage
    status: str
    comment: str = ""

    @property
    def label(self):
        return LABELS[self.status]

    @property
    def editable(self):
        """A published post is the teacher's to change; the rest its author changes."""
        return self.status != PUBLISHED


def save_post(group_page, guardian, user, *, post, title, body, photo, caption, remove_photo):
    """A new draft below ``group_page`` (``post`` None), or a new revision of ``post``: the
    page as its latest revision has it, changed. Returns the page as saved."""
    if post is None:
        post = BlogPostPage(
            title=title,
            body=body,
            photo=photo,
            photo_caption=caption if photo else "",
            class_parent=guardian,
            owner=user,
            live=False,
        )
        group_page.add_child(instance=post)
    else:
        post = post.get_latest_revision_as_object()
        post.title, post.body = title, body
        if photo is not None:
            post.photo = photo
        elif remove_photo:
            post.photo = None
        post.photo_caption = caption if post.photo_id else ""
    post.save_revision(user=user)
    if photo is not None:
        # The size the author previews it in is made by the worker, never in a request (the
        # admin's sizes are asked for by the image's own save).
        request_photo_size(photo.pk)
    return post


def submit(post, user):
    """Send ``post`` (its latest revision) to the teacher: a post sent back starts its task
    again, one still waiting is withdrawn and sent anew, a draft starts the workflow."""
    _without_admin_mail(user)
    state = post.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user=user)
        return
    if state is not None:
        state.cancel(user=user)
    workflow = post.get_workflow() or approval_workflow()
    workflow.start(post, user)


def withdraw(post, user):
    """A waiting post back to a draft (its author saves it without sending it again). A post
    sent back keeps its state: the teacher's comment stays in view until it is sent again."""
    state = post.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        state.cancel(user=user)


def delete(post, user):
    """A post that is not published goes, with its workflow (Wagtail deletes its states)."""
    state = post.current_workflow_state
    if state is not None:
        state.cancel(user=user)
    post.delete()


def _without_admin_mail(user):
    """Wagtail mails who submitted a page when it is approved or rejected, with links into
    the admin; a parent gets the portal's e-mail instead (``notices``)."""
    if access.may_use_admin(user):
        return
    profile = UserProfile.get_for_user(user)
    profile.approved_notifications = False
    profile.rejected_notifications = False
    profile.submitted_notifications = False
    profile.updated_comments_notifications = False
    profile.save()


def states_of(posts):
    """``PostState`` of each of ``posts``, in one query for all of them."""
    posts = list(posts)
    active = WorkflowState.objects.active().filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=[str(post.pk) for post in posts],
    )
    by_post = {state.object_id: state for state in active.select_related("current_task_state")}
    result = []
    for post in posts:
        state = by_post.get(str(post.pk))
        if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            comment = state.current_task_state.comment if state.current_task_state else ""
            result.append(PostState(post, REJECTED, comment))
        elif state is not None:
            result.append(PostState(post, WAITING))
        else:
            result.append(PostState(post, PUBLISHED if post.live else CONCEPT))
    return result


def state_of(post):
    return states_of([post])[0]
