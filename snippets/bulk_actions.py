"""Wagtail's bulk actions (delete, …) on snippets, limited to the user's own schools.

Wagtail looks the objects up by id across the whole installation, and "select all"
means every row of the model. For the school-scoped models this view answers 404 for
any id outside the user's scope and turns "all" into the ids the user may change,
before handing over to Wagtail's own bulk action view.
"""

from django.apps import apps
from django.http import Http404
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.bulk_action import index as wagtail_bulk_action

from schoolportal import access


@require_admin_access
def scoped_bulk_action(request, app_label, model_name, action):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    if access.is_school_scoped(model):
        allowed = access.staff_editable_objects(request.user, model)
        requested = request.GET.getlist("id")
        if "all" in requested:
            ids = [str(pk) for pk in allowed.values_list("pk", flat=True)]
        else:
            ids = [pk for pk in requested if pk.isdigit()]
            if len(ids) != len(requested) or allowed.filter(pk__in=ids).count() != len(set(ids)):
                raise Http404
        request.GET = request.GET.copy()
        request.GET.setlist("id", ids)
    return wagtail_bulk_action(request, app_label, model_name, action)
