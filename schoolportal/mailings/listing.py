"""What the parents' mailing lists (Mailings, the dashboard) show per mailing."""

from django.db.models import Exists, OuterRef

from .models import MailingRead, ReplySlipField


def with_read_marks(mailings, user):
    """Annotate ``is_read`` and ``has_slip`` without a query per mailing."""
    return mailings.annotate(
        is_read=Exists(MailingRead.objects.filter(mailing=OuterRef("pk"), user=user)),
        has_slip=Exists(ReplySlipField.objects.filter(mailing=OuterRef("pk"))),
    ).select_related("school")
