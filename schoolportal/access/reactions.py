"""Reacties under blog posts: who reads, writes, changes, hides and hears of them.

Built on the group pages' rules: whoever opens a post in the portal (the group's parents,
and the page's editors: its teachers, the school's management and administration) reads its
reactions and writes one. The page's editors moderate: they see hidden reactions, hide,
show and delete any. A reaction's author changes their own while it is not hidden (the
window of time is the view's, to say why). Reactions exist only where the school, the
group page and the post all have them switched on; otherwise nothing of them is found.
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Q

from schoolportal.people.models import Guardianship, StaffMember, still_at_school
from schoolportal.reactions.models import Reaction

from .grouppages import (
    directly_below,
    group_page_child_for,
    group_page_editors,
    group_pages_editable_by,
    page_model,
)
from .scope import SCHOOL_WIDE_ROLES, is_anonymous


def reactions_switched_on(post, group_page):
    """Whether the post (below ``group_page``, with its group and school loaded) has
    reactions: the school, the group page and the post each say yes."""
    school = group_page.group.school
    return (
        school.group_pages_enabled
        and school.reactions_enabled
        and group_page.reactions_enabled
        and post.reactions_enabled
    )


def reactable_post_for(user, pk):
    """``(post, group page)``: blog post ``pk`` if the user opens it and it has reactions."""
    found = group_page_child_for(user, page_model("BlogPostPage"), pk)
    if found is None or not reactions_switched_on(*found):
        return None
    return found


def may_moderate(user, group_page):
    """Whether the user hides and deletes any reaction on ``group_page``: its editors."""
    if is_anonymous(user):
        return False
    if user.is_superuser:
        return True
    return group_page_editors(group_page.group).filter(pk=user.pk).exists()


def post_reactions(user, post, group_page, moderator=None):
    """The reactions under ``post`` the user sees: hidden ones only when they moderate."""
    reactions = Reaction.objects.filter(post=post)
    if moderator is None:
        moderator = may_moderate(user, group_page)
    return reactions if moderator else reactions.filter(hidden_at=None)


def reaction_for(user, pk):
    """``(reaction, post, group page)`` if the user sees reaction ``pk`` (see
    ``post_reactions``); else None."""
    reaction = Reaction.objects.filter(pk=pk).first()
    if reaction is None:
        return None
    found = reactable_post_for(user, reaction.post_id)
    if found is None:
        return None
    post, page = found
    if reaction.hidden_at is not None and not may_moderate(user, page):
        return None
    return reaction, post, page


def own_reaction_for(user, pk):
    """``reaction_for``, if the user wrote it and it is not hidden."""
    found = reaction_for(user, pk)
    if found is None or found[0].author_id != user.pk or found[0].hidden_at is not None:
        return None
    return found


def reaction_rights(user, reaction, moderator, now):
    """``(may edit, may delete)`` of a listed reaction, by the rules of ``own_reaction_for``
    and ``removable_reaction_for``: its author while it is not hidden (editing within the
    window), or a moderator of its group page (``moderator``, asked once per page)."""
    own = reaction.author_id == user.pk and reaction.hidden_at is None
    return own and reaction.still_editable(now), own or moderator


def moderated_reaction_for(user, pk):
    """``reaction_for``, if the user moderates its group page."""
    found = reaction_for(user, pk)
    if found is None or not may_moderate(user, found[2]):
        return None
    return found


def removable_reaction_for(user, pk):
    """``reaction_for``, if the user may delete it: its author or a moderator."""
    found = own_reaction_for(user, pk)
    return found if found is not None else moderated_reaction_for(user, pk)


def post_audiences(post_ids):
    """``{post id: {user ids}}``: who may read each of the live posts ``post_ids`` where
    reactions are switched on, in five queries however many posts and readers there are.
    The digest of new reactions goes to nobody else."""
    posts = list(
        page_model("BlogPostPage")
        .objects.live()
        .filter(pk__in=post_ids, reactions_enabled=True)
        .values_list("pk", "path", "depth")
    )
    steplen = page_model("BlogPostPage").steplen
    parents = {path[:-steplen] for _pk, path, _depth in posts}
    rows = (
        page_model("GroupPage")
        .objects.live()
        .filter(
            path__in=parents,
            reactions_enabled=True,
            group__school__group_pages_enabled=True,
            group__school__reactions_enabled=True,
        )
        .values_list("path", "group_id", "group__school_id")
    )
    pages, group_schools = {}, {}
    for path, group_id, school_id in rows:
        pages[path] = group_id
        group_schools[group_id] = school_id
    readers = {group_id: set() for group_id in group_schools}
    guardians = Guardianship.objects.filter(
        still_at_school("pupil__"), pupil__group_id__in=group_schools, guardian__user__isnull=False
    ).values_list("pupil__group_id", "guardian__user_id")
    for group_id, user_id in guardians:
        readers[group_id].add(user_id)
    staff = StaffMember.objects.filter(
        Q(groups__in=group_schools) | Q(role__in=SCHOOL_WIDE_ROLES),
        school_id__in=set(group_schools.values()),
        user__isnull=False,
    ).values_list("school_id", "role", "groups", "user_id")
    for school_id, role, taught_group_id, user_id in staff:
        for group_id, group_school_id in group_schools.items():
            if group_school_id == school_id and (
                role in SCHOOL_WIDE_ROLES or taught_group_id == group_id
            ):
                readers[group_id].add(user_id)
    active = set(
        get_user_model()
        .objects.filter(pk__in={u for users in readers.values() for u in users}, is_active=True)
        .values_list("pk", flat=True)
    )
    return {
        pk: readers[pages[path[:-steplen]]] & active
        for pk, path, _depth in posts
        if path[:-steplen] in pages
    }


def post_teachers(post_ids):
    """``{post id: {user ids}}``: the teachers of each post's group (they hear of new
    reactions like the post's author), in three queries."""
    steplen = page_model("BlogPostPage").steplen
    posts = list(
        page_model("BlogPostPage").objects.filter(pk__in=post_ids).values_list("pk", "path")
    )
    groups = dict(
        page_model("GroupPage")
        .objects.filter(path__in={path[:-steplen] for _pk, path in posts})
        .values_list("path", "group_id")
    )
    teachers = defaultdict(set)
    rows = StaffMember.objects.filter(groups__in=set(groups.values()), user__isnull=False)
    for group_id, user_id in rows.values_list("groups", "user_id"):
        teachers[group_id].add(user_id)
    return {pk: teachers.get(groups.get(path[:-steplen]), set()) for pk, path in posts}


def moderated_reactions(user):
    """Every reaction on the group pages the user edits (the groups they teach; every group
    of a school they manage), hidden ones included, where the school has reactions on:
    the admin's "Reacties"."""
    if is_anonymous(user):
        return Reaction.objects.none()
    pages = group_pages_editable_by(user).filter(
        group__school__group_pages_enabled=True, group__school__reactions_enabled=True
    )
    below = directly_below(pages, prefix="post__")
    return Reaction.objects.none() if below is None else Reaction.objects.filter(below)
