"""Privacy in the admin: a guardian's deletion request (a preview of what goes, what is
anonymised and what the school keeps, then one action), the privacy log, and the school's
processing overview (Verwerkingsoverzicht, printable).

Who may is ``access.erasable_guardians`` / ``access.privacy_log_entries``: management and
administration of the school; anybody else gets 404.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton

from forms.privacy import DeletionRequestForm
from schoolportal import access
from schoolportal.people.models import Guardian
from schoolportal.privacy import erasure, processing
from schoolportal.privacy.rules import RULES

from .screens import AdminScreen, listing_step


class PrivacyScreen(AdminScreen):
    def dispatch(self, request, *args, **kwargs):
        if not access.may_handle_privacy(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class DeletionRequestView(PrivacyScreen, TemplateView):
    template_name = "snippets/privacy_deletion.html"
    page_title = gettext_lazy("Verzoek tot verwijdering")
    header_icon = "bin"

    def dispatch(self, request, pk):
        self.guardian = get_object_or_404(access.erasable_guardians(request.user), pk=pk)
        return super().dispatch(request)

    def get_page_subtitle(self):
        return self.guardian.full_name

    def get_trail(self):
        return [listing_step(Guardian)]

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", DeletionRequestForm())
        return super().get_context_data(
            guardian=self.guardian,
            sections=erasure.preview(Guardian.objects.filter(pk=self.guardian.pk)),
            **kwargs,
        )

    def post(self, request):
        form = DeletionRequestForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        school = access.privacy_school_of(request.user, self.guardian)
        erasure.handle_request(
            self.guardian, school, request.user, form.cleaned_data["received_on"]
        )
        messages.success(request, gettext_lazy("De gegevens van de ouder zijn verwijderd."))
        return redirect("privacy_log")


class PrivacyLogView(PrivacyScreen, TemplateView):
    template_name = "snippets/privacy_log.html"
    page_title = gettext_lazy("Privacylogboek")
    header_icon = "history"

    def get_context_data(self, **kwargs):
        labels = {rule.kind: rule.label for rule in RULES}
        labels.update({part.key: part.label for part in erasure.PARTS})
        entries = access.privacy_log_entries(self.request.user).select_related(
            "school", "handled_by"
        )[:200]
        rows = [
            (entry, [(labels.get(kind, kind), count) for kind, count in entry.counts.items()])
            for entry in entries
        ]
        return super().get_context_data(rows=rows, **kwargs)


class ProcessingOverviewView(PrivacyScreen, TemplateView):
    template_name = "snippets/privacy_overview.html"
    page_title = gettext_lazy("Verwerkingsoverzicht")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        schools = list(access.managed_schools(self.request.user).order_by("name"))
        return super().get_context_data(
            schools=schools,
            categories=processing.overview(schools),
            processors=processing.processors(),
            **kwargs,
        )


def urls():
    return [
        path(
            "privacy/ouder/<int:pk>/verwijderen/",
            DeletionRequestView.as_view(),
            name="privacy_deletion",
        ),
        path("privacy/logboek/", PrivacyLogView.as_view(), name="privacy_log"),
        path(
            "privacy/verwerkingsoverzicht/",
            ProcessingOverviewView.as_view(),
            name="privacy_overview",
        ),
    ]


class PrivacyMenuItem(MenuItem):
    def is_shown(self, request):
        return access.may_handle_privacy(request.user)


def overview_menu_item():
    return PrivacyMenuItem(
        gettext_lazy("Verwerkingsoverzicht"),
        reverse("privacy_overview"),
        icon_name="doc-full",
        order=230,
    )


def log_menu_item():
    return PrivacyMenuItem(
        gettext_lazy("Privacylogboek"), reverse("privacy_log"), icon_name="history", order=231
    )


def deletion_button(snippet, user, next_url=None):
    if isinstance(snippet, Guardian) and access.may_handle_privacy(user):
        yield ListingButton(
            gettext_lazy("Verzoek tot verwijdering"),
            url=reverse("privacy_deletion", args=[snippet.pk]),
            icon_name="bin",
            priority=90,
        )
