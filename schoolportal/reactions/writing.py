"""Writing, changing, hiding and deleting reactions, and following a post.

The views ask ``access`` first; these functions only do what was allowed.
"""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from pages.renditions import QUEUED_SECONDS
from pages.uploads import store_group_photo
from schoolportal import access
from schoolportal.notifications.queue import enqueue

from .models import EDIT_WINDOW, PostFollower, Reaction

# As pages.renditions: the worker is asked once per reaction in this many seconds.


def author_name(user, group_page):
    """``(name shown, by staff)``: a member of staff who edits the page writes under their
    display name, everybody else under their name as a parent."""
    school_id = group_page.group.school_id
    if access.may_moderate(user, group_page):
        member = user.staff_memberships.filter(school_id=school_id).first()
        if member is not None:
            return member.display_name, True
    guardian = access.guardian_for(user)
    if guardian is not None:
        return guardian.full_name, False
    return user.get_full_name() or user.email, False


def store_photo(upload, group_page, user):
    """``(image, errors)``: the upload as a photo in the group page's own collection."""
    return store_group_photo(upload, group_page.collection_id, user)


def request_renditions(reaction_id):
    """Ask the worker for the size parents see the reaction's photo in (once a while)."""
    if cache.add(f"renditions-queued:reaction:{reaction_id}", True, QUEUED_SECONDS):
        enqueue("schoolportal.reactions.tasks.make_reaction_renditions", reaction_id)


def create(user, post, group_page, text, photo=None, photo_description=""):
    name, by_staff = author_name(user, group_page)
    with transaction.atomic():
        reaction = Reaction.objects.create(
            post=post,
            author=user,
            author_name=name,
            by_staff=by_staff,
            text=text.strip(),
            photo=photo,
            photo_description=photo_description.strip() if photo else "",
        )
        if photo is not None:
            request_renditions(reaction.pk)
    return reaction


def change_text(reaction, text):
    """The author's change within the window: one UPDATE that only matches while it is
    still open, so a change sent a second late is refused. Returns whether it was saved."""
    now = timezone.now()
    changed = Reaction.objects.filter(
        pk=reaction.pk, hidden_at=None, created_at__gt=now - EDIT_WINDOW
    ).update(text=text.strip(), edited_at=now)
    return changed == 1


def delete(reaction):
    reaction.delete()  # its photo goes with it (``signals``)


def set_hidden(reaction, user, hidden):
    Reaction.objects.filter(pk=reaction.pk).update(
        hidden_at=timezone.now() if hidden else None, hidden_by=user if hidden else None
    )


def set_following(user, post, follow):
    if follow:
        PostFollower.objects.get_or_create(post=post, user=user)
    else:
        PostFollower.objects.filter(post=post, user=user).delete()


def is_following(user, post):
    return PostFollower.objects.filter(post=post, user=user).exists()
