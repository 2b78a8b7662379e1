"""Newsletters in the admin: the delivery screen of an issue, reached from its page.

An issue is a page (``pages.newsletters``), written in Wagtail's page editor; its e-mails
go through the outbox as a mailing's, so it gets the mailing's delivery screen
(``snippets.delivery``). Every staff member of the school follows the delivery; who writes
the school's newsletters (``access.may_send_newsletter``) sends again.
"""

from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from pages.models import NewsletterPage
from schoolportal import access
from schoolportal.newsletters import delivery

from .delivery import DeliveryView


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
