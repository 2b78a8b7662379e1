"""What the parents' mailing lists (Mailings, the dashboard) show per mailing."""

from django.core.cache import cache
from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import translation

from schoolportal import access
from schoolportal.portal.caching import PAGE_TIMEOUT
from schoolportal.prepared import PreparedQuery

from .models import MailingRead, ReplySlipField

ROW_TEMPLATE = "mailings/includes_row.html"


# The dashboard's "Recente mailings".
RECENT_COUNT = 5


def received_mailings(user):
    """The user's mailings, newest first, with what a row shows (read, slip); see ``rows``."""
    return with_read_marks(access.mailings_for(user), user.pk).order_by("-sent_at", "-pk")


def with_read_marks(mailings, user_id):
    """Annotate ``is_read`` and ``has_slip`` without a query per mailing."""
    return mailings.annotate(
        is_read=Exists(MailingRead.objects.filter(mailing=OuterRef("pk"), user_id=user_id)),
        has_slip=Exists(ReplySlipField.objects.filter(mailing=OuterRef("pk"))),
    ).select_related("school")


# On every dashboard: prepared once (``schoolportal.prepared``).
_recent_mailings = PreparedQuery(
    lambda user_id: with_read_marks(access.mailings_received_by(user_id), user_id).order_by(
        "-sent_at", "-pk"
    )[:RECENT_COUNT]
)


def recent_mailings(user):
    """The newest ``RECENT_COUNT`` of ``received_mailings``."""
    return _recent_mailings(user.pk) if access.guardian_for(user) else []


def rows(mailings, version):
    """The list rows (HTML) of ``mailings`` from ``received_mailings``, in their order.

    A row shows the mailing (title, date, sender, slip) and whether the reader read it,
    nothing else of theirs: it is kept per mailing, read mark, data version (any change of
    a mailing, its groups or their teachers bumps it) and language, and shared by all
    families who received the mailing. Only rows not kept yet load groups and teachers.
    """
    mailings = list(mailings)
    language = translation.get_language()
    keys = [f"mailing-row:{version}:{language}:{m.pk}:{int(m.is_read)}" for m in mailings]
    found = cache.get_many(keys)
    missing = [(key, m) for key, m in zip(keys, mailings, strict=True) if key not in found]
    if missing:
        prefetch_related_objects([m for _key, m in missing], "groups__teachers")
        made = {key: render_to_string(ROW_TEMPLATE, {"mailing": m}) for key, m in missing}
        cache.set_many(made, PAGE_TIMEOUT)
        found.update(made)
    return [found[key] for key in keys]
