"""What the parents' mailing lists (Mailings, the dashboard) show per mailing."""

from django.db.models import Exists, OuterRef

from schoolportal import access

from .models import MailingRead, ReplySlipField


def received_mailings(user):
    """The user's mailings, newest first, with what a row shows (sender, read, slip)."""
    mailings = access.mailings_for(user).prefetch_related("groups__teachers")
    return with_read_marks(mailings, user).order_by("-sent_at", "-pk")


def with_read_marks(mailings, user):
    """Annotate ``is_read`` and ``has_slip`` without a query per mailing."""
    return mailings.annotate(
        is_read=Exists(MailingRead.objects.filter(mailing=OuterRef("pk"), user=user)),
        has_slip=Exists(ReplySlipField.objects.filter(mailing=OuterRef("pk"))),
    ).select_related("school")
