"""Class parents (klassenouders) write mailings to their group in the portal.

Guardians never use the Wagtail admin, so a class parent writes here: the mailing is saved
as a draft (a Wagtail revision, like staff drafts), shown as parents will see it, and sent
with "Versturen". Only the class parent who wrote a draft sees, changes or sends it.
"""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from wagtail.documents import get_document_model

from forms.mailings import (
    ClassParentMailingForm,
    questions_from,
    reply_question_formset,
)
from schoolportal import access
from schoolportal.parentviews.views import GuardianRequiredMixin

from .models import Audience, Mailing, MailingAttachment, ReplySlipField, Sender
from .results import ReplySlipResults
from .text import html_to_text


class ClassParentRequiredMixin(GuardianRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.groups = access.class_parent_groups(request.user).order_by("name")
            if not self.groups.exists():
                raise Http404
        return super().dispatch(request, *args, **kwargs)


def own_draft_or_404(user, pk):
    drafts = access.own_mailing_drafts(user).select_related("school")
    return get_object_or_404(drafts.prefetch_related("groups", "attachments__document"), pk=pk)


class WriteMailingView(ClassParentRequiredMixin, FormView):
    """ "Mailing schrijven": a new draft, or changes to one (``pk``)."""

    template_name = "mailings/write.html"
    form_class = ClassParentMailingForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.draft = None

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs and request.user.is_authenticated:
            self.draft = own_draft_or_404(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["groups"] = self.groups
        if self.draft is not None:
            deadline = self.draft.reply_deadline
            kwargs["initial"] = {
                "group": self.draft.groups.first(),
                "title": self.draft.title,
                "text": html_to_text(self.draft.body).strip(),
                "reply_per": self.draft.reply_per,
                "reply_deadline": deadline and timezone.localtime(deadline),
            }
        return kwargs

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        questions = reply_question_formset(data=request.POST)
        if form.is_valid() and questions.is_valid() and self.attachments_fit(form):
            return self.form_valid(form, questions)
        context = self.get_context_data(form=form, questions=questions)
        return self.render_to_response(context, status=400)

    def attachments_fit(self, form):
        """One e-mail carries every attachment: together they stay within the limit."""
        upload = form.cleaned_data.get("attachment")
        if not upload or self.draft is None:
            return True
        attached = sum(a.document.get_file_size() or 0 for a in self.draft.attachments.all())
        limit = settings.MAILING_ATTACHMENT_MAX_SIZE
        if attached + upload.size <= limit:
            return True
        form.add_error(
            "attachment",
            _("Met dit bestand worden de bijlagen samen %(size)s; het maximum is %(limit)s.")
            % {"size": filesizeformat(attached + upload.size), "limit": filesizeformat(limit)},
        )
        return False

    @transaction.atomic
    def form_valid(self, form, questions):
        group = form.cleaned_data["group"]
        mailing = self.draft or Mailing(
            school=group.school,
            sender=Sender.CLASS_PARENTS,
            audience=Audience.GROUPS,
            created_by=self.request.user,
            live=False,
        )
        mailing.school = group.school
        mailing.title = form.cleaned_data["title"]
        mailing.body = form.body_html()
        mailing.reply_per = form.cleaned_data["reply_per"]
        mailing.reply_deadline = form.cleaned_data["reply_deadline"]
        mailing.reply_fields = ReplySlipField.questions(questions_from(questions))
        # A cluster: groups and attachments are written with the mailing's own save.
        mailing.groups.set([group])
        upload = form.cleaned_data.get("attachment")
        if upload:
            document = get_document_model()(
                title=upload.name,
                file=upload,
                file_size=upload.size,
                uploaded_by_user=self.request.user,
            )
            document.save()
            document.get_file_hash()  # as Wagtail's own upload form stores it
            # Uploaded for this mailing alone: deleted with it (see ``attachments``).
            mailing.attachments.add(MailingAttachment(document=document, owns_document=True))
        mailing.save()
        mailing.save_revision(user=self.request.user)
        return redirect("mailings:draft", pk=mailing.pk)

    def get_context_data(self, **kwargs):
        cancel = (
            reverse("mailings:draft", args=[self.draft.pk])
            if self.draft
            else reverse("mailings:index")
        )
        kwargs.setdefault("questions", reply_question_formset(mailing=self.draft))
        return super().get_context_data(draft=self.draft, cancel_url=cancel, **kwargs)


class DraftView(ClassParentRequiredMixin, TemplateView):
    """A class parent's draft as parents will see it, to send, change or delete."""

    template_name = "mailings/draft.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.draft = own_draft_or_404(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            mailing=self.draft, attachments=self.draft.attachments.all(), **kwargs
        )

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "send":
            revision = self.draft.latest_revision or self.draft.save_revision(user=request.user)
            # The portal's own rule (``access.own_mailing_drafts``) allowed this; class
            # parents hold no Wagtail permissions.
            revision.publish(user=request.user, skip_permission_checks=True)
            messages.success(
                request,
                _("De mailing is verstuurd aan de ouders van %(groups)s.")
                % {"groups": self.draft.audience_in_sentence()},
            )
            detail = reverse("mailings:detail", args=[self.draft.pk])
            # With a reply slip the page shows its messages at the slip (the class parent may
            # answer it too): open there, so the confirmation is in view on a phone.
            return redirect(detail + "#antwoordbriefje" if self.draft.has_reply_slip else detail)
        if action == "delete":
            self.draft.delete()
            messages.success(request, _("Het concept is verwijderd."))
            return redirect("mailings:index")
        raise Http404


class OwnSlipAnswersView(ReplySlipResults, ClassParentRequiredMixin, TemplateView):
    """The answers to the reply slip of a mailing the class parent sent (and CSV, XLSX),
    and a reminder to those who have not answered yet."""

    template_name = "mailings/answers.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            mailings = access.own_sent_mailings(request.user).select_related("school")
            self.load_results(get_object_or_404(mailings, pk=kwargs["pk"]))
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") != "remind":
            raise Http404
        return self.remind_non_responders(request)
