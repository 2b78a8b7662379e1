"""Wagtail's admin URLs that the project shadows still reach the project's views.

``schoolportal.urls`` places scoped views before ``admin/`` at the paths Wagtail uses. Each
check reverses Wagtail's own URL name, so a Wagtail release that moves or renames one of
those routes fails here instead of silently serving Wagtail's unscoped view again.
"""

import pytest
from django.urls import URLPattern, resolve, reverse

from schoolportal import urls as project_urls
from snippets import choosers, page_moves, reports, tags
from snippets.bulk_actions import scoped_bulk_action

TAG_VIEWS = dict(tags.URLS)
MODEL = {"content_type_app_name": "pages", "content_type_model_name": "grouppage"}

# (Wagtail's URL name, its arguments, the project's view that must answer there)
SHADOWS = [
    (
        "wagtail_bulk_action",
        {"app_label": "wagtaildocs", "model_name": "document", "action": "delete"},
        scoped_bulk_action,
    ),
    ("wagtailadmin_reports:site_history", {}, reports.site_history),
    ("wagtailadmin_reports:site_history_results", {}, reports.site_history_results),
    ("wagtailadmin_reports:page_types_usage", {}, reports.page_types_usage),
    ("wagtailadmin_reports:page_types_usage_results", {}, reports.page_types_usage_results),
    ("wagtailadmin_reports:locked_pages", {}, reports.locked_pages),
    ("wagtailadmin_reports:locked_pages_results", {}, reports.locked_pages_results),
    ("wagtailadmin_reports:workflow", {}, reports.workflows),
    ("wagtailadmin_reports:workflow_results", {}, reports.workflows_results),
    ("wagtailadmin_reports:workflow_tasks", {}, reports.workflow_tasks),
    ("wagtailadmin_reports:workflow_tasks_results", {}, reports.workflow_tasks_results),
    ("wagtailadmin_pages:type_use", MODEL, reports.page_type_use),
    ("wagtailadmin_pages:type_use_results", MODEL, reports.page_type_use_results),
    ("wagtailforms:index", {}, reports.form_pages),
    ("wagtailforms:index_results", {}, reports.form_pages_results),
    ("wagtailimages:index", {}, TAG_VIEWS["images/"]),
    ("wagtailimages:index_results", {}, TAG_VIEWS["images/results/"]),
    ("wagtaildocs:index", {}, TAG_VIEWS["documents/"]),
    ("wagtaildocs:index_results", {}, TAG_VIEWS["documents/results/"]),
    ("wagtailimages_chooser:choose", {}, TAG_VIEWS["images/chooser/"]),
    ("wagtailadmin_tag_autocomplete", {}, tags.tag_autocomplete),
    (
        "wagtailadmin_tag_model_autocomplete",
        {"app_name": "taggit", "model_name": "tag"},
        tags.tag_autocomplete,
    ),
    ("wagtaildocs_chooser:chosen", {"pk": 1}, choosers.document_chosen),
    ("wagtailadmin_choose_page", {}, choosers.browse_pages),
    ("wagtailadmin_choose_page_child", {"parent_page_id": 1}, choosers.browse_pages),
    ("wagtailadmin_choose_page_chosen_multiple", {}, choosers.pages_chosen),
    (
        "wagtailadmin_pages:move_confirm",
        {"page_to_move_id": 1, "destination_id": 2},
        page_moves.move_confirm,
    ),
]


@pytest.mark.parametrize(("name", "kwargs", "view"), SHADOWS, ids=[s[0] for s in SHADOWS])
def test_wagtails_url_reaches_the_projects_view(name, kwargs, view):
    path = reverse(name, kwargs=kwargs)
    assert resolve(path).func is view, f"{name} ({path}) no longer reaches the project's view"


def test_every_shadowed_admin_path_is_checked_by_wagtails_url_name():
    """A new shadow needs its line above, or a rename of its Wagtail route goes unnoticed."""
    shadowing = {
        pattern.callback
        for pattern in project_urls.urlpatterns
        if isinstance(pattern, URLPattern) and str(pattern.pattern).startswith("admin/")
    }
    assert shadowing == {view for _name, _kwargs, view in SHADOWS}
