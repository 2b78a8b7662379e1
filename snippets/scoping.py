"""Admin screens show and change only the rows of the staff member's own schools.

``access.staff_objects`` decides the rows; these pieces make the listing, the
object views and the form choices follow it, so a URL with another school's id
answers 404 and no drop-down offers another school's groups or pupils.
"""

from django.http import Http404
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from schoolportal import access
from schoolportal.people.models import Group, Guardian, Pupil, School, SchoolYear, StaffMember

SCOPED_CHOICE_MODELS = (School, SchoolYear, Group, Pupil, Guardian, StaffMember)


class ScopedObjectMixin:
    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not access.staff_objects(self.request.user, self.model).filter(pk=obj.pk).exists():
            raise Http404
        return obj


class ScopedEditView(ScopedObjectMixin, snippet_views.EditView):
    pass


class ScopedDeleteView(ScopedObjectMixin, snippet_views.DeleteView):
    pass


class ScopedInspectView(ScopedObjectMixin, snippet_views.InspectView):
    pass


class ScopedHistoryView(ScopedObjectMixin, snippet_views.HistoryView):
    pass


class ScopedUsageView(ScopedObjectMixin, snippet_views.UsageView):
    pass


class SchoolScopedForm(WagtailAdminModelForm):
    """Limits every school, group, pupil, guardian or staff choice to the user's schools."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        scope_choices(self.fields, self.for_user)
        for formset in getattr(self, "formsets", {}).values():
            formset.form = _scoped_form_class(formset.form, self.for_user)


def scope_choices(fields, user):
    for field in fields.values():
        model = getattr(getattr(field, "queryset", None), "model", None)
        if model in SCOPED_CHOICE_MODELS:
            field.queryset = access.staff_objects(user, model)


def _scoped_form_class(form_class, user):
    """The inline form class of a formset, with its choices scoped like the parent form."""

    class ScopedInlineForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            scope_choices(self.fields, user)

    ScopedInlineForm.__name__ = form_class.__name__
    return ScopedInlineForm


class SchoolScopedViewSet(SnippetViewSet):
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    inspect_view_enabled = True
    search_backend_name = None  # plain database search: no index to keep in sync

    def get_queryset(self, request):
        return access.staff_objects(request.user, self.model)
