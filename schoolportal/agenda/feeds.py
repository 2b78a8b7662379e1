"""The personal calendar feed: cheap to validate, so calendar apps can poll it often."""

import hashlib
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from schoolportal import access

from .ical import build_calendar

# Past items stay in the feed this long, so last term's events do not vanish from phones.
KEEP_PAST = timedelta(days=365)


def feed_version(user):
    """(ETag, Last-Modified) from one aggregate row over the children and their schools.

    A school's ``agenda_changed_at`` moves with every agenda change and every change of which
    children are in which group there (see signals), so it alone says whether the feed changed;
    the number of children covers a child leaving for a school whose agenda is older.
    """
    row = access.children_of(user).aggregate(
        children=Count("pk"),
        changed=Max("school__agenda_changed_at"),
    )
    changed = row["changed"] or timezone.now().replace(year=2000)
    fingerprint = f"{user.pk}:{row['children']}:{changed.isoformat()}"
    return hashlib.sha256(fingerprint.encode()).hexdigest()[:32], changed


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
    name = "Agenda " + " & ".join(schools) if schools else "Agenda"
    return build_calendar(items, name, uid_domain(), uid=f"agenda-feed-{user.pk}")
