"""Blog posts klassenouders write: where they write, which posts are theirs, who approves.

A klassenouder (``people.ClassParent``) of a group writes a post for the group's blog in the
portal; it is a draft below the group page until a teacher of the group (or the school's
management or administration: the page's editors, ``group_page_editors``) approves it in
the admin's workflow. Other parents read it only once it is live
(``published_children``). Only its author sees a post that is not published yet, and only
while they are klassenouder of the group and the school uses group pages.

The page types are looked up by name, as in ``access.grouppages``.
"""

from django.db.models import Q

from schoolportal.people.models import Group, StaffMember

from .grouppages import page_model
from .scope import SCHOOL_WIDE_ROLES, is_anonymous


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
    below = Q()
    for path, depth in class_post_pages(user).values_list("path", "depth"):
        below |= Q(path__startswith=path, depth=depth + 1)
    if not below:
        return post.objects.none()
    return post.objects.filter(below, class_parent__user_id=user.pk)


def own_class_post_for(user, pk):
    """Post ``pk`` of ``own_class_posts``, or None."""
    return own_class_posts(user).filter(pk=pk).first()


def edited_group_pages(user):
    """Group pages the user edits in the admin: those of the groups they teach, every one of
    a school they manage (``group_page_editors`` the other way round)."""
    group_page = page_model("GroupPage")
    if is_anonymous(user):
        return group_page.objects.none()
    if user.is_superuser:
        return group_page.objects.all()
    taught = Group.teachers.through.objects.filter(staffmember__user_id=user.pk)
    managed = StaffMember.objects.filter(user_id=user.pk, role__in=SCHOOL_WIDE_ROLES)
    return group_page.objects.filter(
        Q(group_id__in=taught.values("group_id"))
        | Q(group__school_id__in=managed.values("school_id"))
    )


def approvable_class_posts(user):
    """Klassenouders' posts the user approves: those below the group pages they edit."""
    post = page_model("BlogPostPage")
    if is_anonymous(user):
        return post.objects.none()
    below = Q()
    for path, depth in edited_group_pages(user).values_list("path", "depth"):
        below |= Q(path__startswith=path, depth=depth + 1)
    if not below:
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
