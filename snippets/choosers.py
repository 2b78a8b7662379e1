"""Wagtail's choosers with the admin's scope.

The document chooser answers with any document's title for any id it is given; the page
chooser shows the title and breadcrumbs of any parent page it is asked to open (and opens,
for a page type, at the common ancestor of every school's pages of that type), and names
any page it is told was chosen. Staff get only what ``access`` lets them see.
"""

from django.http import Http404
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import chooser as page_choosers
from wagtail.documents.views.chooser import viewset as document_choosers
from wagtail.models import Page

from schoolportal import access

_document_chosen = document_choosers.chosen_view
_browse_pages = page_choosers.BrowseView.as_view()
_pages_chosen = page_choosers.ChosenMultipleView.as_view()


@require_admin_access
def document_chosen(request, pk):
    if not access.staff_documents(request.user).filter(pk=pk).exists():
        raise Http404
    return _document_chosen(request, pk=pk)


def _choosable_pages(user):
    """The root (where browsing starts; it names no school) and the user's own pages."""
    return Page.objects.filter(depth=1) | access.staff_pages(user)


@require_admin_access
def browse_pages(request, parent_page_id=None):
    pages = _choosable_pages(request.user)
    if parent_page_id is None:
        try:
            wanted = page_choosers.page_models_from_string(
                request.GET.get("page_type") or "wagtailcore.page"
            )
        except (ValueError, LookupError) as error:
            raise Http404 from error
        # Wagtail would open at the common ancestor of every school's pages of that type.
        own_of_type = access.staff_pages(request.user).type(*wanted)
        start = None
        if wanted != (Page,) and own_of_type.exists():
            start = own_of_type.first_common_ancestor()
        parent_page_id = (start or Page.get_first_root_node()).pk
    elif not pages.filter(pk=parent_page_id).exists():
        raise Http404
    return _browse_pages(request, parent_page_id=parent_page_id)


@require_admin_access
def pages_chosen(request):
    requested = request.GET.getlist("id")
    if not all(pk.isdigit() for pk in requested):
        raise Http404
    if access.staff_pages(request.user).filter(pk__in=requested).count() != len(set(requested)):
        raise Http404
    return _pages_chosen(request)
