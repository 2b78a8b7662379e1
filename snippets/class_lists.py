"""Staff class lists in the admin: every field, for emergencies and the teacher's own use.

Parents' class lists show only what other parents chose to share. Staff of the school see
every group's pupils with medical notes and emergency contacts; what families hid from
other parents (address, phones, e-mail, babysitter) only management, administration and
the group's own teachers (``access.sees_hidden_contact_details``).
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from schoolportal import access
from schoolportal.accesslog.models import Action, Screen
from schoolportal.accesslog.recording import record
from schoolportal.people.models import Babysitter, Guardianship

from .screens import AdminScreen


class StaffClassListIndexView(AdminScreen, TemplateView):
    template_name = "snippets/class_list_index.html"
    page_title = gettext_lazy("Klassenlijsten")
    header_icon = "group"

    def get_context_data(self, **kwargs):
        user = self.request.user
        groups = (
            access.staff_groups(user)
            .select_related("school", "school_year")
            .order_by("school__name", "lowest_year_level", "name")
        )
        taught = set(access.taught_groups(user).values_list("pk", flat=True))
        return super().get_context_data(groups=groups, taught=taught, **kwargs)


class StaffClassListView(AdminScreen, TemplateView):
    template_name = "snippets/class_list.html"
    page_title = gettext_lazy("Klassenlijst")
    header_icon = "group"

    def dispatch(self, request, pk):
        self.group = get_object_or_404(
            access.staff_groups(request.user).select_related("school"), pk=pk
        )
        return super().dispatch(request)

    def get_page_subtitle(self):
        return str(self.group)

    def get_trail(self):
        return [(gettext_lazy("Klassenlijsten"), reverse("people_class_lists"))]

    def get_back_link(self):
        return {"label": gettext_lazy("alle klassenlijsten"), "url": reverse("people_class_lists")}

    def get_context_data(self, **kwargs):
        pupils = (
            access.pupils_for(self.request.user)
            .filter(group=self.group)
            .prefetch_related(
                "emergency_contacts",
                Prefetch(
                    "guardianships",
                    queryset=Guardianship.objects.select_related("guardian").prefetch_related(
                        Prefetch("guardian__babysitters", queryset=Babysitter.objects.all())
                    ),
                ),
            )
            .order_by("last_name", "first_name")
        )
        user = self.request.user
        sees_hidden = access.sees_hidden_contact_details(user, self.group.school_id, self.group.pk)
        policy = access.ContactDetailsPolicy(user)
        guardians = {}
        for pupil in pupils:
            for guardianship in pupil.guardianships.all():
                guardians[guardianship.guardian_id] = guardianship.guardian
                guardianship.details = policy.details(
                    guardianship.guardian, self.group.school, self.group.pk
                )
        # The page is the printed list too (Ctrl+P): opening it is what the log can tell.
        record(
            self.request,
            Action.VIEWED,
            where=Screen.ADMIN_CLASS_LIST,
            pupils=pupils,
            guardians=guardians.values(),
            school=self.group.school_id,
        )
        writes = (
            access.addressable_groups(self.request.user, self.group.school_id)
            .filter(pk=self.group.pk)
            .exists()
        )
        return super().get_context_data(
            group=self.group,
            pupils=pupils,
            sees_hidden=sees_hidden,
            # Berichten: "Bericht sturen" at each parent, where the user may write to them.
            compose_url=reverse("conversations_admin:new") if writes else None,
            **kwargs,
        )
