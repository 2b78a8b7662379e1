"""The e-mail about new reactions: at most one an hour per account, no reaction twice.

Who hears of a reaction: the post's author, the group's teachers and whoever follows the
post, as long as they may read it (``access.post_audiences``), never its own author, and
not when it is hidden. ``send_digests`` (a django-q2 schedule) gathers for each such
account the reactions it was not told of yet; an account that got a digest in the last
``INTERVAL`` waits. A digest's entries are unique per (account, reaction), so two runs at
once cannot list a reaction twice: the run that adds nothing drops its empty digest.
The e-mail carries every reaction's text in full, so it is read without logging in.
"""

from collections import defaultdict
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from pages.models import BlogPostPage
from schoolportal import access
from schoolportal.notifications import outbox
from schoolportal.notifications.email import absolute, render_email

from .models import DigestEntry, PostFollower, Reaction, ReactionDigest

KIND = "reaction_digest"
INTERVAL = timedelta(hours=1)
# Reactions older than this are not sent any more (a digest switched on late, a long outage).
LOOKBACK = timedelta(days=7)


def pending_by_user(now):
    """``{user id: [reaction ids]}``: what each account should hear of and has not."""
    reactions = list(
        Reaction.objects.filter(hidden_at=None, created_at__gte=now - LOOKBACK).values_list(
            "pk", "post_id", "author_id"
        )
    )
    if not reactions:
        return {}
    post_ids = {post_id for _pk, post_id, _author in reactions}
    audiences = access.post_audiences(post_ids)
    interested = defaultdict(set)
    for post_id, owner_id in BlogPostPage.objects.filter(pk__in=post_ids).values_list(
        "pk", "owner_id"
    ):
        if owner_id is not None:
            interested[post_id].add(owner_id)
    for post_id, user_id in PostFollower.objects.filter(post_id__in=post_ids).values_list(
        "post_id", "user_id"
    ):
        interested[post_id].add(user_id)
    taught = access.post_teachers(post_ids)
    told = set(
        DigestEntry.objects.filter(reaction_id__in=[pk for pk, _post, _a in reactions]).values_list(
            "user_id", "reaction_id"
        )
    )
    pending = defaultdict(list)
    for pk, post_id, author_id in reactions:
        wanted = (interested[post_id] | taught.get(post_id, set())) & audiences.get(post_id, set())
        for user_id in wanted - {author_id}:
            if (user_id, pk) not in told:
                pending[user_id].append(pk)
    return pending


def send_digests():
    """Queue a digest for every account with news and none in the last hour; returns how
    many were queued."""
    now = timezone.now()
    pending = pending_by_user(now)
    if not pending:
        return 0
    recent = dict(
        ReactionDigest.objects.filter(user_id__in=pending)
        .values("user_id")
        .annotate(last=Max("created_at"))
        .values_list("user_id", "last")
    )
    emails = dict(
        get_user_model()
        .objects.filter(pk__in=pending, is_active=True)
        .exclude(email="")
        .values_list("pk", "email")
    )
    queued = 0
    for user_id, reaction_ids in pending.items():
        if user_id not in emails or (user_id in recent and recent[user_id] > now - INTERVAL):
            continue
        with transaction.atomic():
            digest = ReactionDigest.objects.create(user_id=user_id, created_at=now)
            DigestEntry.objects.bulk_create(
                [
                    DigestEntry(digest=digest, reaction_id=pk, user_id=user_id)
                    for pk in reaction_ids
                ],
                ignore_conflicts=True,
            )
            if not DigestEntry.objects.filter(digest=digest).exists():
                digest.delete()  # another run told them of all of these meanwhile
                continue
            outbox.queue(KIND, digest.pk, [(emails[user_id], user_id)])
            queued += 1
    return queued


@outbox.renderer(KIND)
def render_digest(message):
    digest = ReactionDigest.objects.select_related("user").get(pk=message.cause_id)
    # Hidden or deleted since the digest was made: not sent after all.
    reactions = (
        Reaction.objects.filter(pk__in=digest.entries.values("reaction_id"), hidden_at=None)
        .select_related("post")
        .order_by("post_id", "created_at", "pk")
    )
    posts = {}
    for reaction in reactions:
        entry = posts.setdefault(
            reaction.post_id,
            {
                "post": reaction.post,
                "link": absolute(reverse("grouppages:post", args=[reaction.post_id])) + "#reacties",
                "reactions": [],
            },
        )
        entry["reactions"].append(reaction)
    if not posts:
        raise Reaction.DoesNotExist("every reaction of the digest was hidden or deleted")
    context = {
        "posts": list(posts.values()),
        "count": sum(len(entry["reactions"]) for entry in posts.values()),
        "for_staff": access.is_staff_member(digest.user),
    }
    return render_email("reaction_digest", context, message.recipient_email)
