"""Publishing a mailing asks first: "220 e-mails aan de hele school versturen?"

The first publication sends the e-mails (``mailings.delivery``) and cannot be taken back, so
"Publiceren" on a mailing never sent saves it as a draft and opens a confirmation screen
with the number of e-mails; its button publishes the revision that was counted. A plain
page, not a script's dialog: it asks the same with or without JavaScript. Publishing a
mailing already sent (a correction) sends nothing, so it is not asked again.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.snippets.views.snippets import CreateView

from schoolportal import access
from schoolportal.accounts.models import normalise_email
from schoolportal.mailings import recipients
from schoolportal.mailings.models import Mailing

from .screens import AdminScreen, listing_step, snippet_url
from .viewsets import PlainEditView


def recipient_count(mailing):
    """How many e-mails publishing ``mailing`` now would send: one per address, as the
    outbox queues them."""
    return len(
        {
            normalise_email(address)
            for address, _user in recipients.mailing_recipients(mailing)
            if address
        }
    )


def send_url(mailing):
    return reverse(Mailing.snippet_viewset.get_url_name("send"), args=[mailing.pk])


class ConfirmFirstPublication:
    """For the add and edit views: a first publication goes through the confirmation."""

    def publish_action(self):
        if self.object.sent_at is not None:
            return super().publish_action()
        if self.expects_json_response:
            return self.json_error_response(
                "confirmation_required", _("Bevestig eerst het versturen van de mailing.")
            )
        return redirect(send_url(self.object))


class MailingCreateView(ConfirmFirstPublication, CreateView):
    pass


class MailingEditView(ConfirmFirstPublication, PlainEditView):
    pass


class MailingSendView(AdminScreen, TemplateView):
    """Shows how many e-mails the mailing's latest revision sends, and publishes it."""

    template_name = "snippets/mailing_send.html"
    header_icon = "mail"
    page_title = gettext_lazy("Versturen")

    def dispatch(self, request, pk):
        self.mailing = get_object_or_404(access.editable_mailings(request.user), pk=pk)
        policy = Mailing.snippet_viewset.permission_policy
        if not policy.user_has_permission(request.user, "publish"):
            raise Http404
        if self.mailing.sent_at is not None:
            return redirect("wagtailsnippets_mailings_mailing:delivery", self.mailing.pk)
        self.revision = self.mailing.latest_revision
        if self.revision is None:
            raise Http404
        # What is counted and sent is the revision as it was saved, not the row (which holds
        # the last published state, or nothing yet).
        self.draft = self.revision.as_object()
        return super().dispatch(request)

    def get_page_subtitle(self):
        return self.draft.title

    def get_trail(self):
        return [listing_step(Mailing), (self.draft.title, snippet_url(self.mailing))]

    def scheduled_for(self):
        go_live_at = self.draft.go_live_at
        return go_live_at if go_live_at and go_live_at > timezone.now() else None

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            mailing=self.draft,
            count=recipient_count(self.draft),
            audience=self.draft.audience_in_sentence(),
            scheduled_for=self.scheduled_for(),
            revision=self.revision,
            **kwargs,
        )

    def post(self, request):
        if request.POST.get("revision") != str(self.revision.pk):
            messages.warning(
                request, _("De mailing is intussen gewijzigd: kijk het aantal e-mails opnieuw na.")
            )
            return redirect(request.path)
        scheduled_for = self.scheduled_for()
        self.revision.publish(user=request.user)
        if scheduled_for:
            messages.success(
                request,
                _("De mailing wordt op %(moment)s gepubliceerd en verstuurd.")
                % {"moment": date_format(timezone.localtime(scheduled_for), "j F Y H:i")},
            )
            return redirect(Mailing.snippet_viewset.get_url_name("list"))
        messages.success(request, _("De mailing is gepubliceerd en wordt verstuurd."))
        return redirect("wagtailsnippets_mailings_mailing:delivery", self.mailing.pk)
