"""Wagtail's document chooser answers with any document's title for any id it is given;
staff get only the documents ``access.staff_documents`` allows (what the chooser lists)."""

from django.http import Http404
from wagtail.admin.auth import require_admin_access
from wagtail.documents.views.chooser import viewset as document_choosers

from schoolportal import access

_document_chosen = document_choosers.chosen_view


@require_admin_access
def document_chosen(request, pk):
    if not access.staff_documents(request.user).filter(pk=pk).exists():
        raise Http404
    return _document_chosen(request, pk=pk)
