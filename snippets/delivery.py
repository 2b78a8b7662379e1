"""The delivery screen of anything e-mailed through the outbox (a mailing, a newsletter).

One screen per cause (outbox kind + cause id): how many e-mails are queued, being sent,
sent, failed or interrupted; which addresses failed and why; and, for who may send it,
"retry the failed ones", "send to whoever has not received it" and "send again to
everybody". A subclass says what the cause is, who may send, and how it is sent.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from schoolportal.notifications import outbox
from schoolportal.notifications.models import OutboxMessage

from .screens import AdminScreen

PROBLEMS = (OutboxMessage.Status.FAILED, OutboxMessage.Status.INTERRUPTED)


class DeliveryView(AdminScreen, TemplateView):
    """Set ``kind``, and ``load(pk)`` the cause as ``self.cause``; override the rest."""

    template_name = "snippets/delivery.html"
    header_icon = "mail"
    page_title = gettext_lazy("Verzending")
    kind = ""

    def load(self, pk):
        raise NotImplementedError

    def sent_at(self):
        return self.cause.sent_at

    def is_live(self):
        return self.cause.live

    def may_send(self):
        """Whether the user may send it again (every staff member of the school reads it)."""
        raise NotImplementedError

    def send_to_new_recipients(self):
        raise NotImplementedError

    def send_again_to_everybody(self):
        raise NotImplementedError

    def dispatch(self, request, pk):
        self.load(pk)
        return super().dispatch(request)

    def get_context_data(self, **kwargs):
        rows = OutboxMessage.objects.filter(kind=self.kind, cause_id=self.cause.pk)
        counts = outbox.status_counts(self.kind, self.cause.pk)
        return super().get_context_data(
            sent_at=self.sent_at(),
            counts=counts,
            total=sum(counts.values()),
            problems=rows.filter(status__in=PROBLEMS).order_by("recipient_email"),
            retrying=rows.filter(status=OutboxMessage.Status.PENDING, attempts__gt=0).order_by(
                "recipient_email"
            ),
            may_send=self.sent_at() is not None and self.may_send(),
            # Parents' e-mail addresses (often hidden from other parents) only for whoever
            # may act on a failure; other staff read the errors without them.
            shows_addresses=self.may_send(),
            **kwargs,
        )

    def post(self, request):
        if not self.may_send():
            raise Http404
        if not self.sent_at() or not self.is_live():
            messages.error(request, self.not_published_message)
            return redirect(request.path)
        action = request.POST.get("action")
        if action == "retry":
            count = outbox.retry(self.kind, self.cause.pk, statuses=PROBLEMS)
            message = _("%(count)s e-mails worden opnieuw verstuurd.")
        elif action == "new":
            count = self.send_to_new_recipients()
            message = self.new_recipients_message
        elif action == "everybody":
            count = self.send_again_to_everybody()
            message = self.everybody_message
        else:
            raise Http404
        messages.success(request, message % {"count": count})
        return redirect(request.path)
