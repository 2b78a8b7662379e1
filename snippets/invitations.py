"""'Uitnodigen' in the admin: staff send a guardian or staff member their one-time link."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from schoolportal import access
from schoolportal.accounts.invitations import invite
from schoolportal.people.models import Guardian, StaffMember

from .screens import AdminScreen, listing_step, snippet_url

INVITABLE = {"guardian": Guardian, "staffmember": StaffMember}


def invite_url(instance):
    return reverse("people_invite", args=[instance._meta.model_name, instance.pk])


class InviteView(AdminScreen, TemplateView):
    """GET asks for confirmation; POST (re)sends the invitation."""

    template_name = "snippets/invite.html"
    page_title = gettext_lazy("Uitnodigen")
    header_icon = "mail"

    def dispatch(self, request, kind, pk):
        model = INVITABLE.get(kind)
        if model is None:
            raise Http404
        if not request.user.has_perm(f"people.change_{kind}"):
            raise PermissionDenied
        self.profile = access.staff_objects(request.user, model).filter(pk=pk).first()
        if self.profile is None:
            raise Http404
        self.listing_url = reverse(model.snippet_viewset.get_url_name("list"))
        return super().dispatch(request)

    def get_page_subtitle(self):
        return str(self.profile)

    def get_trail(self):
        return [listing_step(type(self.profile)), (str(self.profile), snippet_url(self.profile))]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            profile=self.profile, listing_url=self.listing_url, **kwargs
        )

    def post(self, request):
        try:
            invite(self.profile, request.user, request.build_absolute_uri("/"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("De uitnodiging voor %(name)s wordt verstuurd naar %(email)s.")
                % {"name": self.profile, "email": self.profile.email},
            )
        return redirect(self.listing_url)
