"""Parent-facing pages. Thin: they ask ``access`` what the parent may see and render it."""

from datetime import timedelta

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.generic import TemplateView

from schoolportal import access
from schoolportal.agenda import schedule
from schoolportal.agenda.views import shared_agenda_key
from schoolportal.dataexport.status import current_export, status_text
from schoolportal.mailings.listing import RECENT_COUNT, received_mailings, rows
from schoolportal.parentviews.caching import request_version
from schoolportal.parentviews.views import GuardianRequiredMixin
from schoolportal.people.models import StaffMember
from schoolportal.results.views import new_results


def own_children_key(request):
    """What a list of the user's children rests on, for ``{% cache %}`` with the language.

    The children (co-parents share the list) and the data version, which any change of a
    child, their group, school or teachers bumps.
    """
    pupil_ids = ",".join(map(str, access.scope(request.user).pupil_ids))
    return f"{request_version(request)}:{pupil_ids}"


def children_with_groups(user):
    """The user's children with group, school and teachers, in a fixed number of queries."""
    return (
        access.own_pupils(user)
        .select_related("group", "school")
        .prefetch_related(
            Prefetch(
                "group__teachers",
                queryset=StaffMember.objects.only("id", "display_name", "school_id"),
            )
        )
        .order_by("date_of_birth")
    )


def newsletters_key(request):
    """What the dashboard's recent newsletters rest on: the user's schools and the version."""
    school_ids = access.newsletter_school_ids(request.user)
    schools = "all" if school_ids is None else ",".join(map(str, school_ids))
    return f"{request_version(request)}:{schools}"


class DashboardView(GuardianRequiredMixin, TemplateView):
    """Het overzichtscherm: what a parent sees first after logging in."""

    template_name = "portal/dashboard.html"

    upcoming_days = 28
    upcoming_count = 5
    newsletter_count = 3

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        last = today + timedelta(days=self.upcoming_days)
        user = self.request.user
        return super().get_context_data(
            children=SimpleLazyObject(lambda: list(children_with_groups(user))),
            children_key=own_children_key(self.request),
            upcoming=SimpleLazyObject(
                lambda: schedule.occurrences(user, today, last)[: self.upcoming_count]
            ),
            agenda_key=shared_agenda_key(self.request, today, last),
            # "Absent melden" only for a parent who may report one of the children.
            reports_absences=SimpleLazyObject(lambda: access.reports_absences(user)),
            uses_lunch=SimpleLazyObject(lambda: access.uses_lunch(user)),
            new_results=SimpleLazyObject(lambda: new_results(user)),
            mailing_rows=rows(
                received_mailings(user)[:RECENT_COUNT], request_version(self.request)
            ),
            # The same for every family of the same schools: a fragment keyed on them.
            newsletters=SimpleLazyObject(
                lambda: list(
                    access.newsletters_for(user)
                    .select_related("school")
                    .order_by("-issue_date", "-pk")[: self.newsletter_count]
                )
            ),
            newsletters_key=newsletters_key(self.request),
            **kwargs,
        )


class ProfileView(GuardianRequiredMixin, TemplateView):
    """Mijn profiel: the parent's own data, and who at school sees which of it."""

    template_name = "portal/profile.html"

    def get_context_data(self, **kwargs):
        relations = access.own_guardianships(self.request.user)
        export = current_export(self.request.user)
        return super().get_context_data(
            guardian=self.guardian,
            relations=relations,
            data_export=export,
            data_export_text=status_text(export) if export else "",
            **kwargs,
        )

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["data_export"] is not None:
            # Its progress and expiry change without a request of the parent's: only the
            # page without an export is kept, and asking for one forgets it.
            response.page_cache_timeout = 0
        return response


class HelpView(GuardianRequiredMixin, TemplateView):
    """Help en contact: the school's contact details and where to get support."""

    template_name = "portal/help.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(reset_url=reverse("accounts:password_reset"), **kwargs)
