"""E-mails about a parent's own account: confirming a new login address, telling the old one.

Both go through the outbox, caused by the ``EmailChange`` request; the signed link is made
here, when the message is rendered, so it is never stored or queued.
"""

from django.urls import reverse

from schoolportal.accounts import emailchange
from schoolportal.accounts.models import EmailChange

from . import outbox
from .email import absolute, render_email

CONFIRM = "email-change-confirm"
CHANGED = "email-changed"


def queue_confirmation(change):
    """In the caller's transaction: the link goes to the new address only."""
    outbox.queue(CONFIRM, change.pk, [(change.new_email, change.user_id)])


def queue_changed_notice(change):
    """In the caller's transaction: the old address learns that it no longer logs in."""
    outbox.queue(CHANGED, change.pk, [(change.old_email, change.user_id)])


@outbox.renderer(CONFIRM)
def render_confirmation(message):
    change = EmailChange.objects.select_related("user").get(pk=message.cause_id)
    path = reverse("accounts:email_change_confirm", args=[emailchange.make_token(change)])
    context = {
        "change": change,
        "user": change.user,
        "link": absolute(path),
        "valid_hours": int(emailchange.VALID_FOR.total_seconds() // 3600),
    }
    return render_email("email_change_confirm", context, message.recipient_email)


@outbox.renderer(CHANGED)
def render_changed_notice(message):
    change = EmailChange.objects.select_related("user").get(pk=message.cause_id)
    context = {"change": change, "user": change.user}
    return render_email("email_changed", context, message.recipient_email)
