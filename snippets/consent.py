"""Toestemming foto's in the admin: per group which pupils have which consent (printable),
and per pupil the history of every change (read-only: there is no screen that changes or
deletes it, only saving a pupil's consent writes it).

Who reads what is ``access.consent_groups`` / ``access.consent_pupils``: a teacher their own
groups, management and administration their whole school.
"""

from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton

from schoolportal import access
from schoolportal.consent.models import ConsentUse
from schoolportal.people.models import Pupil

from .screens import AdminScreen

USES = list(ConsentUse)


class ConsentGroupsView(AdminScreen, TemplateView):
    template_name = "snippets/consent_groups.html"
    page_title = gettext_lazy("Toestemming foto's")
    header_icon = "image"

    def get_context_data(self, **kwargs):
        groups = (
            access.consent_groups(self.request.user)
            .select_related("school", "school_year")
            .order_by("school__name", "lowest_year_level", "name")
        )
        return super().get_context_data(groups=groups, **kwargs)


class ConsentGroupView(AdminScreen, TemplateView):
    """One group: every pupil with Ja/Nee per use, to print and take along on a photo day."""

    template_name = "snippets/consent_group.html"
    page_title = gettext_lazy("Toestemming foto's")
    header_icon = "image"

    def dispatch(self, request, pk):
        groups = access.consent_groups(request.user).select_related("school")
        self.group = get_object_or_404(groups, pk=pk)
        return super().dispatch(request)

    def get_page_subtitle(self):
        return str(self.group)

    def get_trail(self):
        return [(gettext_lazy("Toestemming foto's"), reverse("consent_groups"))]

    def get_context_data(self, **kwargs):
        pupils = (
            access.consent_pupils(self.request.user)
            .filter(group=self.group)
            .order_by("last_name", "first_name")
        )
        rows = [(pupil, [getattr(pupil, use.value) for use in USES]) for pupil in pupils]
        totals = [sum(values[index] for _pupil, values in rows) for index in range(len(USES))]
        return super().get_context_data(
            group=self.group, uses=[use.label for use in USES], rows=rows, totals=totals, **kwargs
        )


class ConsentHistoryView(AdminScreen, TemplateView):
    """One pupil's consent now and every change before, newest first."""

    template_name = "snippets/consent_history.html"
    page_title = gettext_lazy("Geschiedenis toestemming")
    header_icon = "history"

    def dispatch(self, request, pk):
        pupils = access.consent_pupils(request.user).select_related("group", "school")
        self.pupil = get_object_or_404(pupils, pk=pk)
        return super().dispatch(request)

    def get_page_subtitle(self):
        return self.pupil.full_name

    def get_trail(self):
        trail = [(gettext_lazy("Toestemming foto's"), reverse("consent_groups"))]
        if self.pupil.group_id:
            trail.append(
                (str(self.pupil.group), reverse("consent_group", args=[self.pupil.group_id]))
            )
        return trail

    def get_context_data(self, **kwargs):
        now = [(use.label, getattr(self.pupil, use.value)) for use in USES]
        return super().get_context_data(
            pupil=self.pupil,
            now=now,
            changes=access.consent_history(self.request.user, self.pupil),
            **kwargs,
        )


def urls():
    return [
        path("toestemming/", ConsentGroupsView.as_view(), name="consent_groups"),
        path("toestemming/groep/<int:pk>/", ConsentGroupView.as_view(), name="consent_group"),
        path(
            "toestemming/leerling/<int:pk>/", ConsentHistoryView.as_view(), name="consent_history"
        ),
    ]


def menu_item():
    return MenuItem(
        gettext_lazy("Toestemming foto's"), reverse("consent_groups"), icon_name="image", order=215
    )


def history_button(snippet, user, next_url=None):
    if isinstance(snippet, Pupil):
        yield ListingButton(
            gettext_lazy("Toestemming"),
            url=reverse("consent_history", args=[snippet.pk]),
            icon_name="history",
            priority=47,
        )
