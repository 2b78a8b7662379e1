"""Wagtail reports that span every school, for superusers only (see wagtail_hooks).

Site history lists every logged change (pupils' names included); page types usage names
the last edited page of each type (a group's blog post or album). Both filter by model
permission only, so staff of one school would read the others'.
"""

from django.http import Http404
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView

SUPERUSER_ONLY_REPORTS = ("site-history", "page-types-usage")


def _for_superusers(view):
    @require_admin_access
    def wrapper(request):
        if not request.user.is_superuser:
            raise Http404
        return view(request)

    return wrapper


site_history = _for_superusers(LogEntriesView.as_view())
site_history_results = _for_superusers(LogEntriesView.as_view(results_only=True))
page_types_usage = _for_superusers(PageTypesUsageReportView.as_view())
page_types_usage_results = _for_superusers(PageTypesUsageReportView.as_view(results_only=True))
