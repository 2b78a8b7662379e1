"""Wagtail's bulk actions (delete, move, publish, add to collection, …), limited to the
user's own schools.

Wagtail looks the objects up by id across the whole installation and lists the titles of
those the user may not change; "select all" means every row of the listing. For the
school-scoped snippets, documents, images and pages this view answers 404 for any id
outside what the admin shows the user (``access``) and turns "all" into the ids of the
listing within that scope, before handing over to Wagtail's own bulk action view.
"""

from django.apps import apps
from django.http import Http404
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.bulk_action import index as wagtail_bulk_action
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Page

from schoolportal import access


def admin_scope(user, model):
    """The rows of ``model`` bulk actions may name, or None for a model left to Wagtail."""
    if access.is_school_scoped(model):
        return access.staff_editable_objects(user, model)
    if issubclass(model, AbstractDocument):
        return access.staff_documents(user)
    if issubclass(model, AbstractImage):
        return access.staff_images(user)
    if issubclass(model, Page):
        return access.staff_pages(user)
    return None


def _listed_ids(request, app_label, model_name, action, model):
    """What Wagtail's "all" would take: the listing's rows (of a collection or below a page,
    and matching the search), as ids."""
    action_class = bulk_action_registry.get_bulk_action_class(app_label, model_name, action)
    parent_id = request.GET.get("childOf")
    if action_class is None or (parent_id is not None and not parent_id.isdigit()):
        raise Http404
    if issubclass(model, Page) and parent_id is not None:
        # Wagtail reads the parent page itself: it must be the root or one of the user's.
        own = Page.objects.filter(depth=1) | access.staff_pages(request.user)
        if not own.filter(pk=parent_id).exists():
            raise Http404
    listed = action_class(request, model).get_all_objects_in_listing_query(parent_id)
    return [getattr(row, "pk", row) for row in listed]


@require_admin_access
def scoped_bulk_action(request, app_label, model_name, action):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    allowed = admin_scope(request.user, model)
    if allowed is not None:
        requested = request.GET.getlist("id")
        if "all" in requested:
            if access.is_school_scoped(model):
                chosen = allowed
            else:
                chosen = allowed.filter(
                    pk__in=_listed_ids(request, app_label, model_name, action, model)
                )
            ids = [str(pk) for pk in chosen.values_list("pk", flat=True)]
        else:
            ids = [pk for pk in requested if pk.isdigit()]
            if len(ids) != len(requested) or allowed.filter(pk__in=ids).count() != len(set(ids)):
                raise Http404
        request.GET = request.GET.copy()
        request.GET.setlist("id", ids)
    return wagtail_bulk_action(request, app_label, model_name, action)
