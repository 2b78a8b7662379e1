"""Newsletters in the admin: the delivery screen of an issue, reached from its page, and
"Uit de groepen": teachers' items for an issue, approved in a workflow.

An issue is a page (``pages.newsletters``), written in Wagtail's page editor; its e-mails
go through the outbox as a mailing's, so it gets the mailing's delivery screen
(``snippets.delivery``). Every staff member of the school follows the delivery; who writes
the school's newsletters (``access.may_send_newsletter``) sends again.

A group item (``schoolportal.newsletters.models``) is a snippet in Wagtail's workflow: a
teacher writes it for a group she teaches and sends it on ("Stuur door naar Uit de
groepen"); the school's management or administration approves it, which publishes it.
"""

from django import forms
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import Button

from pages.models import NewsletterPage
from schoolportal import access
from schoolportal.newsletters import delivery
from schoolportal.newsletters.models import GroupNewsItem

from .delivery import DeliveryView
from .scoping import SchoolScopedForm
from .viewsets import PlainViewSet


def delivery_url(issue):
    return reverse("newsletter_delivery", args=[issue.pk])


class NewsletterDeliveryView(DeliveryView):
    """How far the e-mails of an issue are: counts, failures, and sending again."""

    template_name = "snippets/newsletter_delivery.html"
    kind = delivery.NEWSLETTER
    not_published_message = _("Deze nieuwsbrief is nog niet gepubliceerd.")
    new_recipients_message = _("%(count)s nieuwe ontvangers krijgen de nieuwsbrief.")
    everybody_message = _("De nieuwsbrief wordt opnieuw naar %(count)s ontvangers verstuurd.")

    def load(self, pk):
        issue = access.staff_newsletters(self.request.user).filter(pk=pk).first()
        if issue is None:
            raise Http404
        self.issue = self.cause = issue

    def may_send(self):
        return access.may_send_newsletter(self.request.user, self.issue)

    def get_page_subtitle(self):
        return self.issue.title

    def get_trail(self):
        archive = reverse("wagtailadmin_explore", args=[self.issue.get_parent().pk])
        return [
            (_("Nieuwsbrieven"), archive),
            (self.issue.title, reverse("wagtailadmin_pages:edit", args=[self.issue.pk])),
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(issue=self.issue, **kwargs)

    def send_to_new_recipients(self):
        return delivery.send_to_new_recipients(self.issue)

    def send_again_to_everybody(self):
        return delivery.send_again_to_everybody(self.issue)


@hooks.register("register_admin_urls")
def newsletter_urls():
    return [
        path(
            "nieuwsbrieven/<int:pk>/verzending/",
            NewsletterDeliveryView.as_view(),
            name="newsletter_delivery",
        )
    ]


def delivery_button(page, user):
    """The "Verzending" button on a sent issue, for staff of its school."""
    if page.specific_class is not NewsletterPage:
        return
    if access.staff_newsletters(user).filter(pk=page.pk, sent_at__isnull=False).exists():
        yield Button(_("Verzending"), url=delivery_url(page), icon_name="mail", priority=45)


@hooks.register("register_page_header_buttons")
def delivery_header_button(page, user, view_name, next_url=None):
    yield from delivery_button(page, user)


@hooks.register("register_page_listing_more_buttons")
def delivery_listing_button(page, user, next_url=None):
    yield from delivery_button(page, user)


# --- Uit de groepen --------------------------------------------------------------------------


class GroupNewsItemForm(SchoolScopedForm):
    """A teacher chooses among the groups they teach, the school's issues not sent yet and
    the children of those groups; the newsletter's editors among the whole school's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None:
            return
        groups = access.editable_groups(user)
        self.fields["group"].queryset = groups.order_by("school", "lowest_year_level", "name")
        issues = access.staff_newsletters(user).filter(sent_at__isnull=True)
        if self.instance.issue_id:
            issues = issues | access.staff_newsletters(user).filter(pk=self.instance.issue_id)
        self.fields["issue"].queryset = issues.order_by("issue_date", "pk")
        self.fields["pupils"].queryset = (
            access.pupils_for(user).filter(group__in=groups).order_by("first_name", "last_name")
        )
        if self.instance.pk is None and not self.is_bound:
            # Most teachers have one group and write for the next issue: both chosen.
            taught = list(groups[:2])
            if len(taught) == 1:
                self.initial["group"] = taught[0].pk
            upcoming = issues.order_by("issue_date", "pk").first()
            if upcoming is not None:
                self.initial["issue"] = upcoming.pk

    def clean(self):
        cleaned = super().clean()
        group, issue = cleaned.get("group"), cleaned.get("issue")
        if group and issue and group.school_id != issue.school_id:
            self.add_error("issue", gettext("Kies een nieuwsbrief van de school van de groep."))
        if cleaned.get("image") and not cleaned.get("caption"):
            self.add_error("caption", gettext("Schrijf bij de foto wat erop te zien is."))
        pupils = cleaned.get("pupils") or []
        if group and any(pupil.group_id != group.pk for pupil in pupils):
            self.add_error("pupils", gettext("Kies alleen kinderen uit deze groep."))
        return cleaned

    def save(self, commit=True):
        if self.instance.pk is None and self.for_user is not None:
            self.instance.created_by = self.for_user
        return super().save(commit=commit)


class GroupNewsItemViewSet(PlainViewSet):
    model = GroupNewsItem
    icon = "group"
    menu_label = _("Uit de groepen")
    menu_order = 216
    add_to_admin_menu = True
    list_display = [
        "group",
        "issue",
        Column("status_string", label=_("Status")),
    ]
    list_filter = ["group", "live"]
    search_fields = ["text"]
    ordering = ["-created_at"]
    edit_handler = ObjectList(
        [
            FieldPanel("issue", widget=forms.Select),
            FieldPanel("group", widget=forms.Select),
            FieldPanel("text"),
            MultiFieldPanel(
                [
                    FieldPanel("image"),
                    FieldPanel("caption"),
                    FieldPanel("pupils", widget=forms.CheckboxSelectMultiple),
                ],
                heading=_("Foto (niet verplicht)"),
            ),
        ],
        base_form_class=GroupNewsItemForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("group", "issue")
