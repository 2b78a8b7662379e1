"""Mailings in the admin: writing and publishing, delivery status, reply-slip answers.

Staff write for the whole school; a teacher writes for the groups they teach (as the
teacher or on behalf of the class parents). ``access.editable_mailings`` decides which
mailings a user may change; delivery and answers are visible to all staff of the school.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.ui.tables import Column

from forms.widgets import NativeDateTimeInput
from schoolportal import access
from schoolportal.mailings import delivery
from schoolportal.mailings.models import Audience, Mailing, Sender
from schoolportal.mailings.results import ReplySlipResults

from .delivery import DeliveryView
from .mailing_publish import MailingCreateView, MailingEditView, MailingSendView
from .scoping import SchoolScopedForm
from .screens import AdminScreen, listing_step, snippet_url
from .viewsets import PlainViewSet

# Who may appear as the sender: management and administration speak for everybody.
TEACHER_SENDERS = (Sender.TEACHER, Sender.CLASS_PARENTS)


def question_form_class(form_class):
    """A reply-slip question's form: its kind is one of the kinds, never "---------" (a new
    question starts as a one-line text, changed with one click)."""

    class QuestionForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            field_type = self.fields.get("field_type")
            if field_type is not None:
                field_type.choices = [choice for choice in field_type.choices if choice[0]]

    QuestionForm.__name__ = form_class.__name__
    return QuestionForm


class MailingForm(SchoolScopedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None:
            return
        if "groups" in self.fields:
            self.fields["groups"].queryset = access.editable_groups(user).order_by(
                "school", "lowest_year_level", "name"
            )
        if "school" in self.fields:
            self.fields["school"].queryset = access.staff_schools(user)
        self.fill_in_only_school()
        if self.instance.pk is None and not self.is_bound and "groups" in self.fields:
            # Most mailings go to one's own class: it is ticked, another is one click away.
            self.initial["groups"] = list(access.taught_groups(user).values_list("pk", flat=True))
        questions = self.formsets.get("reply_fields")
        if questions is not None:
            questions.form = question_form_class(questions.form)
        if not access.managed_schools(user).exists() and "sender" in self.fields:
            self.fields["sender"].choices = [
                choice for choice in Sender.choices if choice[0] in TEACHER_SENDERS
            ]
            self.initial.setdefault("sender", Sender.TEACHER)
        if not access.writes_to_every_school(user):
            self.leave_out_choice("audience", Audience.EVERY_SCHOOL)
            self.leave_out_choice("sender", Sender.BOARD)

    def leave_out_choice(self, name, value):
        if name in self.fields:
            field = self.fields[name]
            field.choices = [choice for choice in field.choices if choice[0] != value]

    def clean(self):
        cleaned = super().clean()
        school = self.chosen_school()
        groups = cleaned.get("groups") or []
        audience = cleaned.get("audience")
        manages = (
            school is not None
            and access.managed_schools(self.for_user).filter(pk=school.pk).exists()
        )
        if school and any(group.school_id != school.pk for group in groups):
            self.add_error("groups", _("Kies alleen groepen van deze school."))
        if audience == Audience.GROUPS and not groups:
            self.add_error("groups", _("Kies één of meer groepen, of 'de hele school'."))
        if audience == Audience.SCHOOL and school and not manages:
            self.add_error(
                "audience", _("Alleen de directie en administratie schrijven aan de hele school.")
            )
        if cleaned.get("sender") not in TEACHER_SENDERS and school and not manages:
            self.add_error("sender", _("U schrijft als leerkracht of namens de klassenouders."))
        self._check_attachment_total()
        return cleaned

    def _check_attachment_total(self):
        formset = self.formsets.get("attachments")
        if formset is None or not formset.is_valid():
            return
        documents = [
            form.cleaned_data["document"]
            for form in formset.forms
            if form.cleaned_data.get("document") and not form.cleaned_data.get("DELETE")
        ]
        allowed = set(
            access.staff_documents(self.for_user)
            .filter(pk__in=[document.pk for document in documents])
            .values_list("pk", flat=True)
        )
        if any(document.pk not in allowed for document in documents):
            self.add_error(None, _("Kies bijlagen van uw eigen school."))
            return
        total = sum(document.get_file_size() or 0 for document in documents)
        limit = settings.MAILING_ATTACHMENT_MAX_SIZE
        if total > limit:
            self.add_error(
                None,
                _("De bijlagen zijn samen %(size)s; een e-mail mag samen hooguit %(limit)s zijn.")
                % {"size": filesizeformat(total), "limit": filesizeformat(limit)},
            )

    def save(self, commit=True):
        if self.instance.pk is None and self.for_user is not None:
            self.instance.created_by = self.for_user
        return super().save(commit=commit)


# The form builder's panels without its default value (a parent answers for themselves);
# the class names let Wagtail's form builder show the answers only for a choice question.
REPLY_FIELD_PANELS = [
    FieldPanel("label"),
    FieldPanel("field_type", classname="formbuilder-type", required_on_save=True),
    FieldPanel("choices", classname="formbuilder-choices"),
    FieldPanel("required"),
    FieldPanel("help_text"),
]


class MailingViewSet(PlainViewSet):
    model = Mailing
    icon = "mail"
    menu_label = gettext_lazy("Mailings")
    menu_order = 215
    add_to_admin_menu = True
    add_view_class = MailingCreateView
    edit_view_class = MailingEditView
    list_display = [
        "title",
        "sender",
        Column("audience_label", label=gettext_lazy("Aan")),
        "school",
        Column("sent_at", label=gettext_lazy("Verstuurd op")),
    ]
    list_filter = ["school", "sender", "audience", "live"]
    search_fields = ["title"]
    ordering = ["-created_at"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    # A plain list of the user's schools, as on agenda items: the snippet
                    # chooser lists only the schools they manage, which for a teacher is none.
                    FieldPanel("school", widget=forms.Select),
                    FieldPanel("title"),
                    FieldPanel("sender"),
                    MultiFieldPanel(
                        [
                            FieldPanel("audience", widget=forms.RadioSelect),
                            FieldPanel("groups", widget=forms.CheckboxSelectMultiple),
                        ],
                        heading=gettext_lazy("Voor wie"),
                    ),
                    FieldPanel("body"),
                    InlinePanel(
                        "attachments",
                        heading=gettext_lazy("Bijlagen"),
                        label=gettext_lazy("bijlage"),  # lower case: "Voeg bijlage toe"
                    ),
                ],
                heading=gettext_lazy("Mailing"),
            ),
            ObjectList(
                [
                    FieldPanel("reply_per", widget=forms.RadioSelect),
                    FieldPanel("reply_deadline", widget=NativeDateTimeInput),
                    InlinePanel(
                        "reply_fields",
                        heading=gettext_lazy("Vragen"),
                        label=gettext_lazy("vraag"),
                        panels=REPLY_FIELD_PANELS,
                    ),
                ],
                heading=gettext_lazy("Antwoordbriefje"),
            ),
            ObjectList(
                [FieldPanel("go_live_at"), FieldPanel("expire_at")],
                heading=gettext_lazy("Planning"),
            ),
        ],
        base_form_class=MailingForm,
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("school")
            .prefetch_related("groups", "reply_fields")
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("delivery/<int:pk>/", MailingDeliveryView.as_view(), name="delivery"),
            path("answers/<int:pk>/", ReplySlipAnswersView.as_view(), name="answers"),
            path("send/<int:pk>/", MailingSendView.as_view(), name="send"),
        ]


def staff_mailing(request, pk):
    """A mailing of one of the user's schools (any staff member of it may follow it up)."""
    mailings = access.staff_objects(request.user, Mailing).select_related("school")
    return get_object_or_404(mailings.prefetch_related("groups__teachers"), pk=pk)


class MailingScreen(AdminScreen):
    """A screen about one mailing: it leads back to the mailing and to its other screen."""

    @cached_property
    def editable(self):
        """Whether the user may change the mailing (and send it again, or remind)."""
        return access.editable_mailings(self.request.user).filter(pk=self.mailing.pk).exists()

    def get_page_subtitle(self):
        return self.mailing.title

    def get_trail(self):
        # Who may not change it reads it on the inspect screen.
        view = "edit" if self.editable else "inspect"
        return [listing_step(Mailing), (self.mailing.title, snippet_url(self.mailing, view))]

    def get_context_data(self, **kwargs):
        return super().get_context_data(urls=mailing_admin_urls(self.mailing), **kwargs)


class MailingDeliveryView(MailingScreen, DeliveryView):
    """How far the e-mails of a mailing are: counts, failures, and sending again."""

    template_name = "snippets/mailing_delivery.html"
    kind = delivery.MAILING
    not_published_message = gettext_lazy("Deze mailing is nog niet gepubliceerd.")
    new_recipients_message = gettext_lazy("%(count)s nieuwe ontvangers krijgen de mailing.")
    everybody_message = gettext_lazy(
        "De mailing wordt opnieuw naar %(count)s ontvangers verstuurd."
    )

    def load(self, pk):
        self.mailing = self.cause = staff_mailing(self.request, pk)

    def may_send(self):
        return self.editable

    def get_context_data(self, **kwargs):
        return super().get_context_data(mailing=self.mailing, **kwargs)

    def send_to_new_recipients(self):
        return delivery.send_to_new_recipients(self.mailing)

    def send_again_to_everybody(self):
        return delivery.send_again_to_everybody(self.mailing)


class ReplySlipAnswersView(ReplySlipResults, MailingScreen, TemplateView):
    """All answers to a reply slip: a row per family or child, counts, export, reminders."""

    template_name = "snippets/mailing_answers.html"
    header_icon = "form"
    page_title = gettext_lazy("Antwoorden")

    def dispatch(self, request, pk):
        self.load_results(staff_mailing(request, pk))
        return super().dispatch(request)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            reminders=delivery.reminder_deliveries(self.mailing),
            may_remind=self.editable,
            **kwargs,
        )

    def post(self, request):
        action = request.POST.get("action")
        if action not in ("remind", "retry_reminders") or not self.editable:
            raise Http404
        if action == "retry_reminders":
            count = delivery.retry_reminders(self.mailing)
            messages.success(
                request, _("%(count)s e-mails worden opnieuw verstuurd.") % {"count": count}
            )
            return redirect(request.path)
        return self.remind_non_responders(request)


def mailing_admin_urls(mailing):
    return {
        "delivery": reverse("wagtailsnippets_mailings_mailing:delivery", args=[mailing.pk]),
        "answers": reverse("wagtailsnippets_mailings_mailing:answers", args=[mailing.pk]),
    }
