"""Blog posts klassenouders write: where they write, which posts are theirs, who approves.

A klassenouder (``people.ClassParent``) of a group writes a post for the group's blog in the
portal; it is a draft below the group page until a teacher of the group (or the school's
management or administration: the page's editors, ``group_page_editors``) approves it in
the admin's workflow. Other parents read it only once it is live
(``published_children``). Only its author sees a post that is not published yet, and only
while they are klassenouder of the group and the school uses group pages.

The page types are looked up by name, as in ``access.grouppages``.
"""

from schoolportal.people.models import Group

from .grouppages import directly_below, group_pages_editable_by, page_model
from .scope import is_anonymous


def class_post_pages(user):
    """Live group pages whose blog the user writes for, as klassenouder of the group."""
    group_page = page_model("GroupPage")
    if is_anonymous(user):
        return group_page.objects.none()
    groups = Group.objects.filter(class_parents__guardian__user_id=user.pk).values("pk")
    return group_page.objects.live().filter(
        group_id__in=groups, group__school__group_pages_enabled=True
    )


def class_post_page_for(user, pk):
    """Group page ``pk`` with its group, if the user writes for its blog; else None."""
    return class_post_pages(user).filter(pk=pk).select_related("group__school").first()


def own_class_posts(user):
    """Blog posts the user wrote as klassenouder, below a page of ``class_post_pages``:
    published or not, only their author reaches them here."""
    post = page_model("BlogPostPage")
    if is_anonymous(user):
        return post.objects.none()
    below = directly_below(class_post_pages(user))
    if below is None:
        return post.objects.none()
    return post.objects.filter(below, class_parent__user_id=user.pk)


def own_class_post_for(user, pk):
    """Post ``pk`` of ``own_class_posts``, or None."""
    return own_class_posts(user).filter(pk=pk).first()


def edited_group_pages(user):
    """Group pages the user edits in the admin (``group_pages_editable_by``)."""
    return group_pages_editable_by(user)


def approvable_class_posts(user):
    """Klassenouders' posts the user approves: those below the group pages they edit."""
    post = page_model("BlogPostPage")
    if is_anonymous(user):
        return post.objects.none()
    below = directly_below(group_pages_editable_by(user))
    if below is None:
        return post.objects.none()
    return post.objects.filter(below, class_parent__isnull=False)


def may_approve_class_post(user, post):
    """Whether the user approves (or sends back) ``post``: an editor of its group page."""
    if is_anonymous(user):
        return False
    if user.is_superuser:
        return True
    parent_path = post.path[: -post.steplen]
    return edited_group_pages(user).filter(path=parent_path).exists()
