"""What the parents' mailing lists (Mailings, the dashboard) show per mailing."""

from django.core.cache import cache
from django.db import IntegrityError
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import translation

from schoolportal import access
from schoolportal.parentviews.caching import PAGE_TIMEOUT

from .models import Mailing, MailingRead, ReplySlipField

ROW_TEMPLATE = "mailings/includes_row.html"
# The dashboard's "Recente mailings".
RECENT_COUNT = 5


def mark_read(mailing, user):
    """Mark the mailing read by the user; True when it was not read before."""
    if MailingRead.objects.filter(mailing_id=mailing.pk, user_id=user.pk).exists():
        return False
    try:
        MailingRead.objects.create(mailing=mailing, user=user)
    except IntegrityError:  # opened in two tabs at once
        return False
    return True


def received_mailings(user):
    """``(pk, is_read)`` of every mailing the user received, newest first; see ``rows``.

    A parent receives some hundreds in a school year: the whole list is one small query,
    and paging it in Python spares the count query a paginated queryset would add.
    """
    if access.guardian_for(user) is None:
        return []
    read = MailingRead.objects.filter(mailing=OuterRef("pk"), user_id=user.pk)
    received = access.mailings_for(user).annotate(is_read=Exists(read))
    return list(received.order_by("-sent_at", "-pk").values_list("pk", "is_read"))


def rows(received, version):
    """The list rows (HTML) of ``received`` (from ``received_mailings``), in their order.

    A row shows the mailing (title, date, sender, slip) and whether the reader read it,
    nothing else of theirs: it is kept per mailing, read mark, data version (any change of
    a mailing, its groups or their teachers bumps it) and language, and shared by all
    families who received the mailing. Only rows not kept yet load their mailings.
    """
    language = translation.get_language()
    keys = [f"mailing-row:{version}:{language}:{pk}:{int(is_read)}" for pk, is_read in received]
    found = cache.get_many(keys)
    missing = {
        pk: (key, is_read)
        for key, (pk, is_read) in zip(keys, received, strict=True)
        if key not in found
    }
    if missing:
        made = {}
        for mailing in _for_rows(missing):
            key, mailing.is_read = missing[mailing.pk]
            made[key] = render_to_string(ROW_TEMPLATE, {"mailing": mailing})
        cache.set_many(made, PAGE_TIMEOUT)
        found.update(made)
    return [found[key] for key in keys]


def _for_rows(pks):
    """The mailings ``pks`` (from ``received_mailings``) with what a row shows."""
    return (
        Mailing.objects.filter(pk__in=pks)
        .annotate(has_slip=Exists(ReplySlipField.objects.filter(mailing=OuterRef("pk"))))
        .select_related("school")
        .prefetch_related("groups__teachers")
    )
