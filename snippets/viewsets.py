"""The base of the school's snippet screens: scoped (``scoping``) and in plain Dutch.

Wagtail's generic screens say "Home", "Inspecteer", "True", "None" and "---------" where a
teacher expects Dutch words; these subclasses say what the screen means instead, and their
searches find a person by the whole name a teacher types ("Noah Blom").
"""

from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters import ModelChoiceFilter
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column

from .scoping import (
    SchoolScopedViewSet,
    ScopedChooseResultsView,
    ScopedChooserViewSet,
    ScopedChooseView,
    ScopedEditView,
    ScopedFilterSet,
    ScopedIndexView,
    ScopedInspectView,
)

# The first step of every screen's breadcrumbs: Wagtail's says "Home".
START = {"url": reverse_lazy("wagtailadmin_home"), "label": _("Start")}
SEE = _("Bekijken")
NOTHING = "–"


def words_query(words, fields):
    """Rows in which every word occurs in one of ``fields``: "Noah Blom" finds Noah Blom,
    whose first and last name are two fields."""
    query = Q()
    for word in words.split():
        matches = Q()
        for field in fields:
            matches |= Q(**{f"{field}__icontains": word})
        query &= matches
    return query


def yes_no(value):
    return gettext("Ja") if value else gettext("Nee")


class YesNoColumn(Column):
    """A yes/no field in a listing as "Ja"/"Nee" (Wagtail writes "True"/"False")."""

    def __init__(self, model, name, **kwargs):
        kwargs.setdefault("label", capfirst(model._meta.get_field(name).verbose_name))
        kwargs.setdefault("sort_key", name)
        super().__init__(name, **kwargs)

    def get_value(self, instance):
        return yes_no(super().get_value(instance))


class PlainFilterSet(ScopedFilterSet):
    """A filter on a school, group or year starts at "Alle", as the other filters do."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for list_filter in self.filters.values():
            if isinstance(list_filter, ModelChoiceFilter):
                list_filter.extra["empty_label"] = gettext("Alle")


class PlainIndexView(ScopedIndexView):
    base_filterset_class = PlainFilterSet

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(words_query(self.search_query, self.search_fields or []))

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        inspect_url = self.get_inspect_url(instance)
        for button in buttons:
            if inspect_url and button.url == inspect_url:
                button.label = SEE
        return buttons


class PlainEditView(ScopedEditView):
    def get_inspect_url(self):
        # Whoever edits sees every field in the form already.
        return None


class PlainInspectView(ScopedInspectView):
    page_title = SEE

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, bool):
            return yes_no(value)
        if value is None or value == "":
            return NOTHING
        return value


class NameSearchForm(BaseFilterForm):
    """The chooser's search box (Wagtail shows one only for models in its search index)."""

    q = forms.CharField(
        label=_("Zoeken"),
        widget=forms.TextInput(attrs={"placeholder": _("Naam")}),
        required=False,
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = self.cleaned_data.get("q")
        fields = objects.model.snippet_viewset.search_fields
        if query and fields:
            objects = objects.filter(words_query(query, fields))
            self.is_searching = True
            self.search_query = query
        return objects


class SearchingChooseView(ScopedChooseView):
    filter_form_class = NameSearchForm


class SearchingChooseResultsView(ScopedChooseResultsView):
    filter_form_class = NameSearchForm


class SearchingChooserViewSet(ScopedChooserViewSet):
    choose_view_class = SearchingChooseView
    choose_results_view_class = SearchingChooseResultsView


class PlainViewSet(SchoolScopedViewSet):
    index_view_class = PlainIndexView
    edit_view_class = PlainEditView
    inspect_view_class = PlainInspectView
    chooser_viewset_class = SearchingChooserViewSet

    @property
    def breadcrumbs_items(self):
        return [START]
