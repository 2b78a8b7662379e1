"""The personal calendar feed: cheap to validate, so calendar apps can poll it often."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from schoolportal import access
from schoolportal.interviews.calendar import booking_event

from .ical import build_calendar
from .models import CalendarFeed

# Past items stay in the feed this long, so last term's events do not vanish from phones.
KEEP_PAST = timedelta(days=365)


@dataclass(frozen=True)
class FeedVersion:
    feed_id: int
    user_id: int
    children: int
    changed: datetime


# The version of a feed without children or schools: fixed, so such a feed still gets a 304.
NEVER = datetime(2000, 1, 1, tzinfo=UTC)


def find_feed(token):
    """The version of the feed of ``token``, in one query; None for an unknown token.

    A school's ``agenda_changed_at`` moves with every agenda change and every change of which
    children are in which group there (see signals), so the latest one says whether the feed
    changed; the number of children covers a child leaving for a school with an older agenda.
    """
    if not token or len(token) > 100:
        return None
    per_user = (
        access.children_of_outer_user(OuterRef("user"))
        .order_by()
        .values("guardianships__guardian__user")
    )
    # A parent who also works at a school sees that school's whole agenda.
    staff_schools = (
        access.staff_memberships_of_outer_user(OuterRef("user"))
        .order_by()
        .values("user")
        .annotate(at=Max("school__agenda_changed_at"))
        .values("at")
    )
    feeds = CalendarFeed.objects.filter(
        token_hash=CalendarFeed.hash_token(token), user__is_active=True
    ).annotate(
        children=Subquery(per_user.annotate(n=Count("pk")).values("n")),
        changed=Subquery(per_user.annotate(at=Max("school__agenda_changed_at")).values("at")),
        staff_changed=Subquery(staff_schools),
    )
    try:  # token_hash is unique
        feed_id, user_id, children, changed, staff_changed = feeds.values_list(
            "pk", "user_id", "children", "changed", "staff_changed"
        ).get()
    except CalendarFeed.DoesNotExist:
        return None
    changed = max(changed or NEVER, staff_changed or NEVER)
    return FeedVersion(feed_id, user_id, children or 0, changed)


def feed_version(feed):
    """(ETag, Last-Modified) of a feed found by ``find_feed``."""
    fingerprint = f"{feed.user_id}:{feed.children}:{feed.changed.isoformat()}"
    return hashlib.sha256(fingerprint.encode()).hexdigest()[:32], feed.changed


def cached_feed_body(feed, etag):
    """The body for this version: the ETag names the content, so a cached body is never stale."""
    key = f"feed:{feed.feed_id}:{etag}"
    body = cache.get(key)
    if body is None:
        body = feed_body(get_user_model().objects.get(pk=feed.user_id))
        cache.set(key, body, 60 * 60 * 24)
    return body


def uid_domain():
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "schoolportal"


def feed_body(user):
    oldest = timezone.localdate() - KEEP_PAST
    items = (
        access.agenda_items_for(user)
        .exclude(end_date__lt=oldest, repeat_until__isnull=True)
        .exclude(repeat_until__lt=oldest)
        .select_related("school")
        .prefetch_related("exceptions")
        .order_by("start_date", "pk")
    )
    schools = sorted({school.name for school in access.schools_for(user)})
    name = _("Agenda %(schools)s") % {"schools": " & ".join(schools)} if schools else _("Agenda")
    domain = uid_domain()
    interviews = (
        access.feed_interview_bookings(user)
        .filter(slot__starts_at__gte=timezone.now() - KEEP_PAST)
        .select_related("slot", "slot__teacher", "round", "pupil")
        .order_by("slot__starts_at")
    )
    events = [
        booking_event(booking, domain, for_teacher=booking.slot.teacher.user_id == user.pk)
        for booking in interviews
    ]
    return build_calendar(items, name, domain, uid=f"agenda-feed-{user.pk}", events=events)
