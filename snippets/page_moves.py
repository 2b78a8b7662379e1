"""Wagtail's "move page" confirmation, asked only about a move the user may make.

Wagtail's confirmation page names the page and its new parent (and a slug clash names the
page's slug) before anything checks the user's rights: the move itself is refused later,
but another school's page titles would already be on the screen.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.pages.move import MoveConfirmView
from wagtail.models import Page

_move_confirm = MoveConfirmView.as_view()


@require_admin_access
def move_confirm(request, page_to_move_id, destination_id):
    page = get_object_or_404(Page, id=page_to_move_id).specific  # group pages' own rules
    destination = get_object_or_404(Page, id=destination_id)
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise Http404
    return _move_confirm(request, page_to_move_id=page_to_move_id, destination_id=destination_id)
