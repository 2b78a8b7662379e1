"""What "Mijn gegevens" on the profile page shows: the export on its way, the download on
offer, or a failure the parent can retry."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from schoolportal import access

from .models import DataExport

# A failure is worth mentioning for a day; after that the section starts afresh.
FAILURE_SHOWN_FOR = timedelta(days=1)


def current_export(user, now=None):
    """The user's newest export worth showing, or None: one query."""
    now = now or timezone.now()
    shown = (
        Q(status__in=DataExport.UNFINISHED)
        | Q(status=DataExport.Status.READY, expires_at__gt=now)
        | Q(status=DataExport.Status.FAILED, requested_at__gt=now - FAILURE_SHOWN_FOR)
    )
    return access.own_data_exports(user).filter(shown).first()


def status_text(export):
    """The status in words, as the page and its progress updates say it."""
    if export.is_unfinished:
        return _("Uw gegevens worden klaargemaakt… %(percent)s%%") % {"percent": export.progress}
    if export.status == DataExport.Status.READY:
        return _("Uw gegevens staan klaar.")
    return _("Het klaarmaken is mislukt. Probeer het opnieuw.")
