"""A lost phone: management or administration switch off a colleague's or a parent's
two-step verification from the admin, instead of asking the technical administrator for
``manage.py reset_two_factor``.

The account is logged out everywhere; at the next login somebody who must use a second
factor sets up a new app first, anybody else logs in with the password alone. The switch is
written in the person's history. Who may is ``access.second_factor_resettable_accounts``.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.widgets import ListingButton
from wagtail.log_actions import log

from schoolportal import access
from schoolportal.accounts import loginsessions, twofactor
from schoolportal.people.models import Guardian, StaffMember

from .screens import AdminScreen, listing_step, snippet_url

SWITCHED_OFF = "schoolportal.second_factor_off"
KINDS = {"medewerker": StaffMember, "ouder": Guardian}
OFFERED = "_second_factor_offered"


def person_with_resettable_account(user, kind, pk):
    """The staff member or guardian whose account's second factor ``user`` may switch off;
    404 for anybody else, also for a person without an account."""
    if kind not in KINDS:
        raise Http404
    people = access.staff_objects(user, KINDS[kind]).filter(
        user__in=access.second_factor_resettable_accounts(user)
    )
    return get_object_or_404(people.select_related("user"), pk=pk)


class SecondFactorOffView(AdminScreen, TemplateView):
    template_name = "snippets/second_factor_off.html"
    page_title = gettext_lazy("Tweestapsverificatie uitzetten")
    header_icon = "key"

    def dispatch(self, request, kind, pk):
        self.person = person_with_resettable_account(request.user, kind, pk)
        return super().dispatch(request)

    def get_page_subtitle(self):
        return str(self.person)

    def get_trail(self):
        return [listing_step(type(self.person)), (str(self.person), snippet_url(self.person))]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person=self.person, has_device=twofactor.has_device(self.person.user), **kwargs
        )

    def post(self, request):
        account = self.person.user
        twofactor.switch_off(account)
        ended = loginsessions.end(access.own_login_sessions(account))
        log(instance=self.person, action=SWITCHED_OFF, user=request.user)
        messages.success(
            request,
            _(
                "De tweestapsverificatie van %(name)s staat uit; %(count)s ingelogde apparaten "
                "zijn uitgelogd."
            )
            % {"name": self.person, "count": ended},
        )
        return redirect(snippet_url(self.person))


def url_for(person):
    kind = "medewerker" if isinstance(person, StaffMember) else "ouder"
    return reverse("second_factor_off", args=[kind, person.pk])


def urls():
    return [
        path(
            "tweestapsverificatie/<str:kind>/<int:pk>/uitzetten/",
            SecondFactorOffView.as_view(),
            name="second_factor_off",
        )
    ]


def off_button(snippet, user, next_url=None):
    """Shown only where there is something to switch off, for who may."""
    if isinstance(snippet, StaffMember | Guardian) and snippet.user_id in offered_accounts(user):
        yield ListingButton(
            gettext_lazy("Tweestapsverificatie uitzetten"),
            url=url_for(snippet),
            icon_name="key",
            priority=85,
        )


def offered_accounts(user):
    """The accounts with a second factor that ``user`` may switch off, asked once per
    listing rather than per row (``request.user`` lives as long as the request)."""
    offered = user.__dict__.get(OFFERED)
    if offered is None:
        resettable = access.second_factor_resettable_accounts(user)
        offered = user.__dict__[OFFERED] = twofactor.with_device(resettable)
    return offered


def register_actions(actions):
    actions.register_action(
        SWITCHED_OFF,
        gettext_lazy("Tweestapsverificatie uitgezet"),
        gettext_lazy("Tweestapsverificatie uitgezet (verloren telefoon)"),
    )
