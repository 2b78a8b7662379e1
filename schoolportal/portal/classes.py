"""School: jaargroep information and class lists, with only what parents chose to share."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject
from django.views.generic import TemplateView

from schoolportal import access
from schoolportal.people.models import ClassParent, Guardianship, StaffMember

from .caching import request_version
from .views import GuardianRequiredMixin


class SchoolOverviewView(GuardianRequiredMixin, TemplateView):
    """Jaargroep informatie: each group of the parent's children, its teachers and class parents."""

    template_name = "portal/school.html"

    def get_context_data(self, **kwargs):
        groups = (
            access.parent_groups(self.request.user)
            .select_related("school", "school_year")
            .prefetch_related(
                Prefetch("teachers", queryset=StaffMember.objects.only("id", "display_name")),
                Prefetch("class_parents", queryset=ClassParent.objects.select_related("guardian")),
            )
            .order_by("school__name", "lowest_year_level", "name")
        )
        # The groups' cards show the groups, their teachers and class parents' names, the
        # same for every family with children in the same groups: the template keeps them
        # per groups, data version and language, and reads them only when not kept yet.
        group_ids = ",".join(map(str, access.scope(self.request.user).group_ids))
        return super().get_context_data(
            groups=SimpleLazyObject(lambda: list(groups)),
            groups_key=f"{request_version(self.request)}:{group_ids}",
            **kwargs,
        )


def class_list(group, viewer):
    """The group's pupils, each with the guardian details ``viewer`` may see. Fixed queries."""
    policy = access.ContactDetailsPolicy(viewer)
    pupils = (
        access.pupils_for(viewer)
        .filter(group=group)
        .only("id", "first_name", "infix", "last_name", "group_id", "school_id")
        .prefetch_related(
            Prefetch(
                "guardianships",
                queryset=Guardianship.objects.select_related("guardian").order_by("pk"),
            )
        )
        .order_by("last_name", "first_name")
    )
    return [
        {
            "pupil": pupil,
            "guardians": [
                policy.details(guardianship.guardian, group.school)
                for guardianship in pupil.guardianships.all()
            ],
        }
        for pupil in pupils
    ]


class ClassListView(GuardianRequiredMixin, TemplateView):
    """The class list of one of the parent's children's groups (404 for any other group)."""

    template_name = "portal/class_list.html"

    def get_context_data(self, **kwargs):
        group = get_object_or_404(
            access.groups_for(self.request.user).select_related("school"), pk=self.kwargs["pk"]
        )
        return super().get_context_data(
            group=group, rows=class_list(group, self.request.user), **kwargs
        )


class ClassListPrintView(ClassListView):
    """Afdrukken: names and shared addresses on one printable page."""

    template_name = "portal/class_list_print.html"
