"""Berichten in the admin: a staff member's own conversations with parents and colleagues.

Conversations are private to their parties. These screens list, show and serve only the
conversations the user takes part in as staff (``access.staff_conversations``): another's
conversation or file answers 404, whoever asks (management and superusers too). That is why
conversations are no snippet, no modeladmin register and no Wagtail search or history
entry: each of those would list every conversation of a school to whoever holds the model
permission. Sending goes through ``conversations.sending``, as the parents' side does.

The list and a conversation cost the same number of queries however many messages there
are: the rows, their other parties and the messages with their files are read in one query
each.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView, View
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import HeaderButton

from forms.staff_conversations import AddGuardiansForm, ReplyForm
from schoolportal import access
from schoolportal.conversations import sending
from schoolportal.conversations.models import Message, Participant
from schoolportal.parentviews.views import private_download

from .conversation_compose import ComposeView
from .screens import AdminScreen

NAMESPACE = "conversations_admin"
PER_PAGE = 25


def url(name, *args):
    return reverse(f"{NAMESPACE}:{name}", args=args)


def compose_url(guardian=None):
    """The new message screen, with ``guardian`` ticked."""
    if guardian is None:
        return url("new")
    return f"{url('new')}?ouder={guardian.pk}"


def index_step():
    return (gettext_lazy("Berichten"), url("index"))


def others_by_conversation(conversation_ids, own_rows):
    """{conversation id: [names of the other parties]}, in one query."""
    rows = (
        Participant.objects.filter(conversation_id__in=conversation_ids)
        .exclude(pk__in=[row.pk for row in own_rows])
        .select_related("guardian", "staff_member")
        .order_by("added_at", "pk")
    )
    names = {}
    for row in rows:
        names.setdefault(row.conversation_id, []).append(row.display_name)
    return names


class ConversationsMenuItem(MenuItem):
    """The "Berichten" item, with the number of the user's conversations that have an unread
    message.

    Menu items are made once for the whole installation: the count is read per request,
    when the menu is drawn."""

    def is_shown(self, request):
        return bool(access.writing_schools(request.user))

    def render_component(self, request):
        component = super().render_component(request)
        unread = access.unread_staff_conversation_count(request.user)
        if unread:
            component.label = _("%(label)s (%(count)s)") % {"label": self.label, "count": unread}
            component.attrs = {
                **component.attrs,
                "aria-label": ngettext(
                    "%(label)s, %(count)s gesprek met een ongelezen bericht",
                    "%(label)s, %(count)s gesprekken met een ongelezen bericht",
                    unread,
                )
                % {"label": self.label, "count": unread},
            }
        return component


def menu_item():
    # Lazy: the item is made once, its label is read in each request's language.
    label = gettext_lazy("Berichten")
    return ConversationsMenuItem(label, url("index"), icon_name="mail", order=205)


class StaffOnly:
    """Berichten is for who works at a school: they take part as one of their memberships."""

    def dispatch(self, request, *args, **kwargs):
        if not access.writing_schools(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ConversationIndexView(StaffOnly, AdminScreen, TemplateView):
    """The user's conversations, the most recent message first, unread ones marked."""

    template_name = "snippets/conversations/index.html"
    page_title = gettext_lazy("Berichten")
    header_icon = "mail"

    def get_header_buttons(self):
        return [HeaderButton(_("Nieuw bericht"), url=url("new"), icon_name="plus")]

    def get_context_data(self, **kwargs):
        rows = (
            access.own_staff_participants(self.request.user)
            .select_related("conversation")
            .order_by("-conversation__last_message_at", "-conversation_id")
        )
        page = Paginator(rows, PER_PAGE).get_page(self.request.GET.get("p"))
        rows = list(page.object_list)
        others = others_by_conversation([row.conversation_id for row in rows], rows)
        conversations = [
            {
                "conversation": row.conversation,
                "unread": row.unread,
                "others": others.get(row.conversation_id, []),
                "url": url("conversation", row.conversation_id),
            }
            for row in rows
        ]
        return super().get_context_data(
            page=page, conversations=conversations, new_url=url("new"), **kwargs
        )


class OwnConversation:
    """Views of one conversation: the user's own row in it, or 404."""

    def dispatch(self, request, pk, *args, **kwargs):
        self.me = (
            access.own_staff_participants(request.user)
            .filter(conversation_id=pk)
            .select_related("conversation__school", "staff_member")
            .first()
        )
        if self.me is None:
            raise Http404
        self.conversation = self.me.conversation
        return super().dispatch(request, *args, **kwargs)


class ConversationView(OwnConversation, AdminScreen, TemplateView):
    """The whole thread; opening it marks it read. Below it: reply, and add a child's other
    parent."""

    template_name = "snippets/conversations/conversation.html"
    page_title = gettext_lazy("Gesprek")
    header_icon = "mail"

    def get_page_subtitle(self):
        return self.conversation.subject

    def get_trail(self):
        return [index_step()]

    def get_back_link(self):
        return {"label": gettext_lazy("alle berichten"), "url": url("index")}

    def get_context_data(self, reply_form=None, add_form=None, **kwargs):
        read_until = self.me.last_read_at
        thread = (
            Message.objects.filter(conversation=self.conversation)
            .select_related("sender__guardian", "sender__staff_member")
            .prefetch_related("attachments")
            .order_by("sent_at", "pk")
        )
        entries = [
            {
                "message": message,
                "mine": message.sender_id == self.me.pk,
                "new": message.sender_id != self.me.pk
                and (read_until is None or message.sent_at > read_until),
                "attachments": [
                    (attachment, url("attachment", attachment.pk))
                    for attachment in message.attachments.all()
                ],
            }
            for message in thread
        ]
        parties = list(
            Participant.objects.filter(conversation=self.conversation)
            .select_related("guardian", "staff_member")
            .order_by("added_at", "pk")
        )
        addable = list(access.addable_co_guardians(self.conversation).order_by("last_name"))
        return super().get_context_data(
            conversation=self.conversation,
            entries=entries,
            parties=parties,
            me=self.me,
            reply_form=reply_form or ReplyForm(),
            add_form=add_form or (AddGuardiansForm(guardians=addable) if addable else None),
            add_url=url("add_guardians", self.conversation.pk),
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        sending.mark_read(self.me)
        return self.render_to_response(context)

    def post(self, request, *args, **kwargs):
        form = ReplyForm(request.POST, request.FILES)
        if not form.is_valid():
            context = self.get_context_data(reply_form=form)
            return self.render_to_response(context, status=400)
        sending.send_message(
            self.conversation,
            self.me,
            form.cleaned_data["body"],
            form.cleaned_data["attachments"],
        )
        messages.success(request, _("Uw bericht is verzonden."))
        return redirect(url("conversation", self.conversation.pk))


class AddGuardiansView(OwnConversation, View):
    """A child's other parent joins: they read the whole thread and get later messages."""

    http_method_names = ["post"]

    def post(self, request):
        addable = access.addable_co_guardians(self.conversation)
        form = AddGuardiansForm(request.POST, guardians=addable)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(url("conversation", self.conversation.pk))
        with transaction.atomic():
            added = [
                sending.participant(self.conversation, guardian)
                for guardian in addable.filter(pk__in=form.cleaned_data["guardian_ids"])
            ]
        messages.success(
            request,
            ngettext(
                "%(names)s leest nu mee en krijgt de volgende berichten.",
                "%(names)s lezen nu mee en krijgen de volgende berichten.",
                len(added),
            )
            % {"names": ", ".join(row.display_name for row in added)},
        )
        return redirect(url("conversation", self.conversation.pk))


def attachment(request, pk):
    """A file of a message in one of the user's conversations, as a download; else 404."""
    found = get_object_or_404(access.staff_message_attachments(request.user), pk=pk)
    return private_download(found, found.name)


def urls():
    patterns = [
        path("", ConversationIndexView.as_view(), name="index"),
        path("nieuw/", ComposeView.as_view(), name="new"),
        path("<int:pk>/", ConversationView.as_view(), name="conversation"),
        path("<int:pk>/ouders/", AddGuardiansView.as_view(), name="add_guardians"),
        path("bijlage/<int:pk>/", attachment, name="attachment"),
    ]
    return [path("berichten/", include((patterns, NAMESPACE), namespace=NAMESPACE))]
