"""Wagtail reports and listings that span every school, for superusers only (see wagtail_hooks).

Site history lists every logged change (pupils' names included); page types usage names
the last edited page of each type (a group's blog post or album). The locked pages and
workflow reports filter by every user who ever locked a page or asked for moderation, the
page type listing and the forms listing by every site (a site is named after its school).
All of them filter by model permission only, so staff of one school would read the others'.
"""

from django.http import Http404
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.locked_pages import LockedPagesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.contrib.forms.views import FormPagesListView

# Menu item names (``construct_reports_menu``, ``construct_main_menu``).
SUPERUSER_ONLY_REPORTS = (
    "site-history",
    "page-types-usage",
    "locked-pages",
    "workflows",
    "workflow-tasks",
)
SUPERUSER_ONLY_MENU_ITEMS = ("forms",)


def _for_superusers(view):
    @require_admin_access
    def wrapper(request, *args, **kwargs):
        if not request.user.is_superuser:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _listing_and_results(view_class):
    return (
        _for_superusers(view_class.as_view()),
        _for_superusers(view_class.as_view(results_only=True)),
    )


site_history, site_history_results = _listing_and_results(LogEntriesView)
page_types_usage, page_types_usage_results = _listing_and_results(PageTypesUsageReportView)
locked_pages, locked_pages_results = _listing_and_results(LockedPagesView)
workflows, workflows_results = _listing_and_results(WorkflowView)
workflow_tasks, workflow_tasks_results = _listing_and_results(WorkflowTasksView)
# As Wagtail routes them: the view of the page type named in the URL.
page_type_use, page_type_use_results = (
    _for_superusers(
        page_viewset_registry.as_view(
            name,
            app_label_kwarg="content_type_app_name",
            model_name_kwarg="content_type_model_name",
        )
    )
    for name in ("content_type_use", "content_type_use_results")
)
form_pages, form_pages_results = _listing_and_results(FormPagesListView)

# (path below /admin/, view): placed before Wagtail's admin URLs in ``schoolportal.urls``.
URLS = [
    ("reports/site-history/", site_history),
    ("reports/site-history/results/", site_history_results),
    ("reports/page-types-usage/", page_types_usage),
    ("reports/page-types-usage/results/", page_types_usage_results),
    ("reports/locked/", locked_pages),
    ("reports/locked/results/", locked_pages_results),
    ("reports/workflow/", workflows),
    ("reports/workflow/results/", workflows_results),
    ("reports/workflow_tasks/", workflow_tasks),
    ("reports/workflow_tasks/results/", workflow_tasks_results),
    ("pages/usage/<slug:content_type_app_name>/<slug:content_type_model_name>/", page_type_use),
    (
        "pages/usage/<slug:content_type_app_name>/<slug:content_type_model_name>/results/",
        page_type_use_results,
    ),
    ("forms/", form_pages),
    ("forms/results/", form_pages_results),
]
