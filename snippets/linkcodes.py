"""Koppelcodes: staff print one-time codes with which parents link (koppelen) a child."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from schoolportal import access
from schoolportal.people import linking
from schoolportal.people.models import Group, Pupil

from .screens import AdminScreen, listing_step, snippet_url


class LinkCodesView(AdminScreen, TemplateView):
    """GET asks for confirmation (old codes stop working); POST makes and shows the codes once."""

    template_name = "snippets/linkcodes_confirm.html"
    page_title = gettext_lazy("Koppelcodes")
    header_icon = "key"

    def dispatch(self, request, kind, pk):
        if not request.user.has_perm("people.change_pupil"):
            raise PermissionDenied
        if kind == "groep":
            self.subject = get_object_or_404(access.staff_objects(request.user, Group), pk=pk)
            # A group's codes are for the children in it now, not those who left.
            self.pupils = (
                access.staff_objects(request.user, Pupil).current().filter(group=self.subject)
            )
        elif kind == "leerling":
            self.subject = get_object_or_404(access.staff_objects(request.user, Pupil), pk=pk)
            self.pupils = Pupil.objects.filter(pk=self.subject.pk)
        else:
            raise PermissionDenied
        self.pupils = self.pupils.select_related("group", "school").order_by(
            "last_name", "first_name"
        )
        return super().dispatch(request)

    def get_page_subtitle(self):
        return str(self.subject)

    def get_trail(self):
        return [listing_step(type(self.subject)), (str(self.subject), snippet_url(self.subject))]

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, pupils=self.pupils, **kwargs)

    def post(self, request):
        letters = [
            {"pupil": pupil, "code": linking.issue_code(pupil, created_by=request.user)}
            for pupil in self.pupils
        ]
        portal_url = request.build_absolute_uri(reverse("portal:link_child"))
        return render(
            request,
            "snippets/linkcodes_print.html",
            {
                "letters": letters,
                "portal_url": portal_url,
                "subject": self.subject,
                "back_link": self.get_back_link(),
            },
        )
