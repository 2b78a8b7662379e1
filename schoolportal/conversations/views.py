"""Berichten for parents: the inbox, sent messages, a conversation, and a new message.

Every view asks ``access`` for the parent's own conversations (as guardian): another
family's conversation or attachment answers 404. None of these pages is kept in the
per-session page cache: they change with every message.
"""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from forms.conversations import ComposeForm, ReplyForm
from schoolportal import access
from schoolportal.parentviews.views import GuardianRequiredMixin, private_download

from . import recipients, sending
from .models import Message, Participant

ROLE = access.GUARDIAN_ROLE
PAGE_SIZE = 25
TOO_MANY = gettext_lazy(
    "U heeft het afgelopen uur al %(count)s berichten verstuurd. Wacht even en verstuur dit "
    "bericht later opnieuw; wat u schreef staat hieronder nog."
)


def parties_prefetch():
    """Each conversation's parties with the names they are shown under."""
    return Prefetch(
        "conversation__participants",
        queryset=Participant.objects.select_related("guardian", "staff_member"),
    )


class ConversationsMixin(GuardianRequiredMixin):
    def own_participants(self):
        return access.own_participants(self.request.user, ROLE)

    def over_hourly_limit(self):
        limit = settings.CONVERSATION_MESSAGES_PER_HOUR
        return sending.sent_recently(self.own_participants()) >= limit

    def too_many_message(self):
        return TOO_MANY % {"count": settings.CONVERSATION_MESSAGES_PER_HOUR}


class PaginatedMixin:
    paginate_by = PAGE_SIZE
    page_kwarg = "pagina"

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:  # a page number past the end: the last page, not an error page
            self.kwargs[self.page_kwarg] = "last"
            return super().paginate_queryset(queryset, page_size)


class InboxView(ConversationsMixin, PaginatedMixin, ListView):
    """Postvak in: the parent's conversations, newest message first, unread ones marked."""

    template_name = "conversations/inbox.html"
    context_object_name = "rows"

    def get_queryset(self):
        return (
            access.with_unread(self.own_participants())
            .select_related("conversation__school")
            .prefetch_related(parties_prefetch())
            .order_by("-conversation__last_message_at", "-pk")
        )


class SentView(ConversationsMixin, PaginatedMixin, ListView):
    """Verzonden: the messages the parent sent, newest first, with whom they went to."""

    template_name = "conversations/sent.html"
    context_object_name = "sent_messages"

    def get_queryset(self):
        return (
            Message.objects.filter(sender__in=self.own_participants())
            .select_related("conversation")
            .prefetch_related(
                Prefetch(
                    "conversation__participants",
                    queryset=Participant.objects.select_related("guardian", "staff_member"),
                ),
                "attachments",
            )
            .order_by("-sent_at", "-pk")
        )


class ConversationView(ConversationsMixin, TemplateView):
    """The whole thread, oldest first, and the reply form below it."""

    template_name = "conversations/conversation.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            rows = access.own_participants(request.user, ROLE).select_related(
                "conversation__school"
            )
            self.participant = get_object_or_404(rows, conversation_id=kwargs["pk"])
            self.conversation = self.participant.conversation
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        # The context (what is new since the last visit) is built here; the page renders
        # after the reading is marked, so its menu counts this conversation as read.
        response = super().get(request, *args, **kwargs)
        if self.has_new:  # a second look writes nothing
            sending.mark_read(self.participant, request.user.pk)
        return response

    def post(self, request, *args, **kwargs):
        form = ReplyForm(request.POST, request.FILES)
        if self.over_hourly_limit():
            form.is_valid()
            form.add_error(None, self.too_many_message())
        if form.is_valid():
            sending.send_message(
                self.conversation,
                self.participant,
                form.cleaned_data["body"],
                form.cleaned_data["attachments"],
            )
            messages.success(request, _("Uw bericht is verzonden."))
            return redirect("conversations:conversation", pk=self.conversation.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        conversation = self.conversation
        thread = list(
            conversation.messages.select_related("sender__guardian", "sender__staff_member")
            .prefetch_related("attachments")
            .order_by("sent_at", "pk")
        )
        last_read = self.participant.last_read_at
        for message in thread:
            message.is_own = message.sender_id == self.participant.pk
            message.is_new = not message.is_own and (
                last_read is None or message.sent_at > last_read
            )
        self.has_new = any(message.is_new for message in thread)
        parties = list(conversation.participants.select_related("guardian", "staff_member"))
        kwargs.setdefault("form", ReplyForm())
        return super().get_context_data(
            conversation=conversation,
            thread=thread,
            others=[party for party in parties if party.pk != self.participant.pk],
            **kwargs,
        )


class ComposeView(ConversationsMixin, FormView):
    """Opstellen: a new message to one or more staff members of a child's school."""

    template_name = "conversations/compose.html"
    form_class = ComposeForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["addressees"] = recipients.addressees(self.request.user)
        chosen = self.request.GET.getlist("aan")
        if chosen and self.request.method == "GET":
            known = {person.value for person in kwargs["addressees"]}
            kwargs["initial"] = {"recipients": [value for value in chosen if value in known]}
        return kwargs

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if self.over_hourly_limit():
            form.is_valid()
            form.add_error(None, self.too_many_message())
        if form.is_valid():
            return self.form_valid(form)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        chosen = form.cleaned_data["recipients"]
        message = sending.start_conversation(
            school=chosen[0].staff_member.school,
            subject=form.cleaned_data["subject"],
            sender=self.guardian,
            recipients=[person.staff_member for person in chosen],
            body=form.cleaned_data["body"],
            files=form.cleaned_data["attachments"],
        )
        messages.success(self.request, _("Uw bericht is verzonden."))
        return redirect("conversations:conversation", pk=message.conversation_id)


class AttachmentView(ConversationsMixin, View):
    """A file of a message in one of the parent's conversations; always a download."""

    def get(self, request, pk, attachment_pk):
        attachments = access.message_attachments_for(request.user, ROLE)
        attachment = get_object_or_404(attachments, pk=attachment_pk, message__conversation_id=pk)
        return private_download(attachment, attachment.name)


SUGGESTIONS_PER_MINUTE = 60


class SuggestionsView(ConversationsMixin, View):
    """The combobox's suggestions: the parent's own schools' staff whose label matches
    ``q``, as label and value only. Limited per user, counted in the cache."""

    def get(self, request):
        if self.rate_limited(request.user.pk):
            return JsonResponse(
                {"error": _("Te veel verzoeken; probeer het zo opnieuw.")}, status=429
            )
        query = request.GET.get("q", "")[:100]
        people = recipients.matching(recipients.addressees(request.user), query)
        response = JsonResponse(
            {"results": [{"value": person.value, "label": person.label} for person in people]}
        )
        response["Cache-Control"] = "private, no-store"
        return response

    def rate_limited(self, user_id):
        key = f"conversations-suggest:{user_id}"
        if cache.add(key, 1, 60):
            return False
        try:
            return cache.incr(key) > SUGGESTIONS_PER_MINUTE
        except ValueError:  # the minute ran out between add and incr
            cache.add(key, 1, 60)
            return False
