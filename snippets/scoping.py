"""Admin screens show and change only the rows of the staff member's own schools.

``access.staff_objects`` decides the rows; these pieces make the listing, the
object views and the form choices follow it, so a URL with another school's id
answers 404 and no drop-down offers another school's groups or pupils.
"""

from django.http import Http404
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.snippets.views import chooser as chooser_views
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from schoolportal import access
from schoolportal.people.models import Group, Guardian, Pupil, School, SchoolYear, StaffMember

SCOPED_CHOICE_MODELS = (School, SchoolYear, Group, Pupil, Guardian, StaffMember)


class ScopedObjectMixin:
    """404 for a row outside the user's scope: seeing uses one scope, changing another."""

    scope = staticmethod(access.staff_objects)

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not self.scope(self.request.user, self.model).filter(pk=obj.pk).exists():
            raise Http404
        return obj


class ScopedEditView(ScopedObjectMixin, snippet_views.EditView):
    scope = staticmethod(access.staff_editable_objects)


class ScopedDeleteView(ScopedObjectMixin, snippet_views.DeleteView):
    scope = staticmethod(access.staff_editable_objects)


class ScopedInspectView(ScopedObjectMixin, snippet_views.InspectView):
    pass


class ScopedHistoryView(ScopedObjectMixin, snippet_views.HistoryView):
    pass


class ScopedUsageView(ScopedObjectMixin, snippet_views.UsageView):
    pass


class ScopedPreviewOnEditView(ScopedObjectMixin, snippet_views.PreviewOnEditView):
    pass


class ScopedPreviewRevisionView(ScopedObjectMixin, snippet_views.PreviewRevisionView):
    pass


class ScopedRevisionsCompareView(ScopedObjectMixin, snippet_views.RevisionsCompareView):
    pass


class ScopedUnpublishView(ScopedObjectMixin, snippet_views.UnpublishView):
    scope = staticmethod(access.staff_editable_objects)


class ScopedRevisionsUnscheduleView(ScopedObjectMixin, snippet_views.RevisionsUnscheduleView):
    scope = staticmethod(access.staff_editable_objects)


class ScopedLockView(ScopedObjectMixin, snippet_views.LockView):
    scope = staticmethod(access.staff_editable_objects)


class ScopedUnlockView(ScopedObjectMixin, snippet_views.UnlockView):
    scope = staticmethod(access.staff_editable_objects)


# Workflows (a newsletter's group items): the task decides who acts; nobody reaches another
# school's object through them.
class ScopedWorkflowActionView(ScopedObjectMixin, snippet_views.WorkflowActionView):
    pass


class ScopedCollectWorkflowActionDataView(
    ScopedObjectMixin, snippet_views.CollectWorkflowActionDataView
):
    pass


class ScopedConfirmWorkflowCancellationView(
    ScopedObjectMixin, snippet_views.ConfirmWorkflowCancellationView
):
    pass


class ScopedWorkflowPreviewView(ScopedObjectMixin, snippet_views.WorkflowPreviewView):
    pass


class ScopedWorkflowHistoryView(ScopedObjectMixin, snippet_views.WorkflowHistoryView):
    pass


class ScopedWorkflowHistoryDetailView(ScopedObjectMixin, snippet_views.WorkflowHistoryDetailView):
    pass


class ScopedChooseView(chooser_views.ChooseView):
    def get_object_list(self):
        return access.staff_objects(self.request.user, self.model_class)


class ScopedChooseResultsView(chooser_views.ChooseResultsView):
    def get_object_list(self):
        return access.staff_objects(self.request.user, self.model_class)


class ScopedChosenView(chooser_views.SnippetChosenView):
    def get_object(self, pk):
        return access.staff_objects(self.request.user, self.model_class).get(pk=pk)


class ScopedChosenMultipleView(chooser_views.SnippetChosenMultipleView):
    def get_objects(self, pks):
        pks = [pk for pk in pks if pk.isdigit()]
        return access.staff_objects(self.request.user, self.model_class).filter(pk__in=pks)


class ScopedChooserViewSet(chooser_views.SnippetChooserViewSet):
    """The pop-up pickers of the edit forms list only the user's own schools' rows."""

    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView


class ScopedFilterSet(WagtailFilterSet):
    """Listing filters offer only the user's own schools, groups and years."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        for list_filter in self.filters.values():
            model = getattr(getattr(list_filter, "queryset", None), "model", None)
            if user is not None and model in SCOPED_CHOICE_MODELS:
                list_filter.queryset = access.staff_objects(user, model)


class ScopedIndexView(snippet_views.IndexView):
    base_filterset_class = ScopedFilterSet


class SchoolScopedForm(WagtailAdminModelForm):
    """Limits every school, group, pupil, guardian or staff choice to the user's schools."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        scope_choices(self.fields, self.for_user)
        for formset in getattr(self, "formsets", {}).values():
            formset.form = _scoped_form_class(formset.form, self.for_user)

    def fill_in_only_school(self):
        """Staff of one school never choose it: it is filled in and its field left out of the
        form, so Wagtail shows no panel for it (and nothing posted can change it)."""
        if self.for_user is None or "school" not in self.fields:
            return
        schools = list(access.staff_schools(self.for_user)[:2])
        if len(schools) != 1 or self.instance.school_id not in (None, schools[0].pk):
            return
        self.instance.school = schools[0]
        del self.fields["school"]

    def chosen_school(self):
        """The school the form saves for, chosen or filled in; call from ``clean``."""
        if "school" in self.fields:
            return self.cleaned_data.get("school")
        return self.instance.school

    def save(self, commit=True):
        if hasattr(self.instance, "mark_changed_by"):
            self.instance.mark_changed_by(self.for_user)
        return super().save(commit=commit)


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
    # Drafts, revisions and scheduling (mailings): every view of one object is scoped.
    preview_on_edit_view_class = ScopedPreviewOnEditView
    revisions_view_class = ScopedPreviewRevisionView
    revisions_compare_view_class = ScopedRevisionsCompareView
    unpublish_view_class = ScopedUnpublishView
    revisions_unschedule_view_class = ScopedRevisionsUnscheduleView
    lock_view_class = ScopedLockView
    unlock_view_class = ScopedUnlockView
    workflow_action_view_class = ScopedWorkflowActionView
    collect_workflow_action_data_view_class = ScopedCollectWorkflowActionDataView
    confirm_workflow_cancellation_view_class = ScopedConfirmWorkflowCancellationView
    workflow_preview_view_class = ScopedWorkflowPreviewView
    workflow_history_view_class = ScopedWorkflowHistoryView
    workflow_history_detail_view_class = ScopedWorkflowHistoryDetailView
    index_view_class = ScopedIndexView
    chooser_viewset_class = ScopedChooserViewSet
    inspect_view_enabled = True
    # Copying a pupil or a parent makes no sense, and an unscoped copy page would leak.
    copy_view_enabled = False
    search_backend_name = None  # plain database search: no index to keep in sync

    def get_queryset(self, request):
        return access.staff_objects(request.user, self.model)
