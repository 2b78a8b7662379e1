"""Mailings for parents: the list, one mailing with its reply slip, and its attachments."""

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from forms.mailings import CLOSED_MESSAGE, reply_slip_form, slip_fields_html
from schoolportal import access
from schoolportal.parentviews.caching import (
    forget_session_pages,
    object_fragment_key,
    request_version,
)
from schoolportal.parentviews.views import (
    GuardianRequiredMixin,
    private_download,
    refuse_without_authority,
)

from . import replies
from .listing import mark_read, received_mailings, rows
from .replying import write_about


def with_sender_and_attachments(mailing):
    """``mailing`` with what its text shows: the sender's groups and teachers, attachments."""
    prefetch_related_objects([mailing], "groups__teachers", "attachments__document")
    return mailing


class MailingListView(GuardianRequiredMixin, ListView):
    """Mailings: every mailing the parent received, newest first, unread ones marked."""

    template_name = "mailings/index.html"
    context_object_name = "mailings"
    paginate_by = 25
    page_kwarg = "pagina"

    def get_queryset(self):
        return received_mailings(self.request.user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        may_write = access.is_class_parent(user)
        context = super().get_context_data(
            may_write=may_write,
            drafts=access.own_mailing_drafts_newest_first(user) if may_write else [],
            **kwargs,
        )
        context["mailing_rows"] = rows(context["mailings"], request_version(self.request))
        return context

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:  # a page number past the end: the last page, not an error page
            self.kwargs[self.page_kwarg] = "last"
            return super().paginate_queryset(queryset, page_size)


class MailingDetailView(GuardianRequiredMixin, TemplateView):
    """One mailing; with a reply slip, a form per child or family ("antwoord opslaan")."""

    template_name = "mailings/detail.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.mailing = access.mailing_for(request.user, kwargs["pk"])
        if self.mailing is None:
            raise Http404
        self.questions = replies.questions_of(self.mailing)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.mark_read()
        response = super().get(request, *args, **kwargs)
        deadline = self.mailing.reply_deadline
        if self.questions and deadline and self.mailing.reply_slip_open():
            # The cached page must not show an open slip once it has closed.
            response.page_cache_timeout = int((deadline - timezone.now()).total_seconds())
        return response

    def post(self, request, *args, **kwargs):
        units = {str(unit.key_pupil_id): unit for unit in self.units()}
        unit = units.get(request.POST.get("unit", ""))
        if unit is None or not self.questions:
            raise Http404
        without_authority = self.without_authority(unit)
        if without_authority is not None:
            return refuse_without_authority(request, without_authority, self.anchor())
        if not self.mailing.reply_slip_open():
            messages.error(request, CLOSED_MESSAGE)
            return redirect(self.anchor())
        form = reply_slip_form(self.questions, unit, data=request.POST)
        if not form.is_valid():
            context = self.get_context_data(invalid_form=form)
            return self.render_to_response(context, status=400)
        try:
            replies.save_answer(self.mailing, unit, form.answers(), request.user)
        except replies.SlipClosed:
            messages.error(request, CLOSED_MESSAGE)
            return redirect(self.anchor())
        forget_session_pages(request)
        messages.success(request, _("Uw antwoord is opgeslagen."))
        return redirect(self.anchor())

    def without_authority(self, unit):
        """The first of the user's children in ``unit`` they have no parental authority
        over, or None. The unit's one answer is given in its children's name (and replaces
        the other parent's), so it is for a guardian with authority over each of them."""
        user = self.request.user
        return next((pupil for pupil in unit.pupils if not access.may_act_for(user, pupil)), None)

    def anchor(self):
        return self.request.path + "#antwoordbriefje"

    def mark_read(self):
        if mark_read(self.mailing, self.request.user):
            forget_session_pages(self.request)

    def units(self):
        if not hasattr(self, "_units"):
            version = request_version(self.request)
            self._units = replies.units_for(self.request.user, self.mailing, version)
        return self._units

    def get_context_data(self, invalid_form=None, **kwargs):
        mailing = self.mailing
        forms = []
        if self.questions:
            is_open = mailing.reply_slip_open()
            for unit in self.units():
                if invalid_form is not None and invalid_form.unit.key_pupil_id == unit.key_pupil_id:
                    form = invalid_form
                else:
                    refused = self.without_authority(unit)
                    form = reply_slip_form(
                        self.questions, unit, read_only=not is_open or refused is not None
                    )
                form.without_authority = self.without_authority(unit)
                form.fields_html = slip_fields_html(form)
                forms.append(form)
        body_mailing = SimpleLazyObject(lambda: with_sender_and_attachments(mailing))
        # Reads the groups' teachers only for a mailing the teacher sent.
        write_url, write_to = write_about(mailing)
        # The mailing itself is the same for every family that received it: the template
        # keeps it per mailing, data version and language, and reads the sender's groups,
        # teachers and the attachments only when it is not kept yet.
        return super().get_context_data(
            mailing=mailing,
            questions=self.questions,
            body_key=object_fragment_key(self.request, mailing),
            body_mailing=body_mailing,
            write_url=write_url,
            write_to=write_to,
            slip_forms=forms,
            slip_open=mailing.reply_slip_open(),
            is_author=access.is_own_sent_mailing(self.request.user, mailing),
            closed_message=CLOSED_MESSAGE,
            **kwargs,
        )


class AttachmentDownloadView(GuardianRequiredMixin, View):
    """An attachment of a mailing addressed to the parent; always a download, never inline."""

    def get(self, request, pk, attachment_pk):
        mailing = get_object_or_404(access.mailings_for(request.user), pk=pk)
        attachment = get_object_or_404(
            access.attachments_for(request.user, mailing).select_related("document"),
            pk=attachment_pk,
        )
        return private_download(attachment.document, attachment.filename)
