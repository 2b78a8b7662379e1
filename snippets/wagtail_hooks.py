from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet

from schoolportal.people.models import Guardian, StaffMember

from .invitations import InviteView, invite_url
from .people import PeopleViewSetGroup

register_snippet(PeopleViewSetGroup)


@hooks.register("register_admin_urls")
def register_invite_url():
    return [path("uitnodigen/<str:kind>/<int:pk>/", InviteView.as_view(), name="people_invite")]


@hooks.register("register_snippet_listing_buttons")
def invite_button(snippet, user, next_url=None):
    if isinstance(snippet, Guardian | StaffMember) and user.has_perm(
        f"people.change_{snippet._meta.model_name}"
    ):
        has_account = snippet.user_id is not None and snippet.user.has_usable_password()
        if not has_account:
            yield ListingButton(
                _("Uitnodigen"), url=invite_url(snippet), icon_name="mail", priority=50
            )
