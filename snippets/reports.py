"""Wagtail's site history report, for superusers only (see wagtail_hooks)."""

from django.http import Http404
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView

_site_history = LogEntriesView.as_view()
_site_history_results = LogEntriesView.as_view(results_only=True)


@require_admin_access
def site_history(request):
    if not request.user.is_superuser:
        raise Http404
    return _site_history(request)


@require_admin_access
def site_history_results(request):
    if not request.user.is_superuser:
        raise Http404
    return _site_history_results(request)
