"""Resultaten in the admin: reports and test results per pupil, a CSV import of a group's
results with a preview, and releasing them to the parents ("Vrijgeven").

Which rows, pupils and groups a staff member reaches is ``access``'s: a managed school's, or
the groups a teacher teaches. A school that has not switched Resultaten on still keeps its
rows here, with one line saying that parents do not see them.
"""

import django_filters
from django import forms
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.widgets import ListingButton

from schoolportal import access
from schoolportal.parentviews.views import private_download
from schoolportal.results.models import LEVEL_CHOICES, SchoolReport, TestResult

from .results_screens import ImportView, ReleaseGroupView, ReleaseView, switched_off_schools
from .scoping import SchoolScopedForm
from .viewsets import PlainFilterSet, PlainIndexView, PlainViewSet

RELEASED, WAITING = "released", "waiting"
MAX_PDF_BYTES = 10 * 1024 * 1024


class ReleaseFilterSet(PlainFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("vrijgegeven"),
        choices=[(RELEASED, _("zichtbaar voor ouders")), (WAITING, _("nog niet vrijgegeven"))],
        method="filter_state",
        empty_label=_("Alle"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["pupil"].queryset = access.staff_results_pupils(user)

    def filter_state(self, queryset, name, value):
        if value == RELEASED:
            return queryset.released()
        if value == WAITING:
            return queryset.unreleased()
        return queryset


class SchoolReportFilterSet(ReleaseFilterSet):
    class Meta:
        model = SchoolReport
        fields = ["school", "pupil", "school_year"]


class TestResultFilterSet(ReleaseFilterSet):
    class Meta:
        model = TestResult
        fields = ["school", "pupil", "test_name"]


class ResultsIndexView(PlainIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("pupil", "school")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["switched_off"] = switched_off_schools(self.request.user)
        return context


class PupilResultForm(SchoolScopedForm):
    """A report or result of a pupil the user publishes for; it stays with that pupil."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "pupil" in self.fields:
            self.fields["pupil"].queryset = access.staff_results_pupils(self.for_user).order_by(
                "last_name", "first_name"
            )
        if "pupil" in self.fields:
            self.fields["pupil"].empty_label = gettext("Kies een leerling")
            if self.instance.pk is not None:
                self.fields["pupil"].disabled = True

    def save(self, commit=True):
        if self.instance.school_id is None:
            self.instance.school_id = self.instance.pupil.school_id
        return super().save(commit=commit)


class CheckedFile:
    """What the file input shows of a stored report: its name, linked to the checked
    download (the storage's own URL is not served)."""

    def __init__(self, url, name):
        self.url, self.name = url, name

    def __str__(self):
        return self.name


class ReportFileInput(forms.ClearableFileInput):
    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        report = getattr(value, "instance", None)
        if context["widget"]["is_initial"] and getattr(report, "pk", None):
            url = reverse("results_report_file", args=[report.pk])
            context["widget"]["value"] = CheckedFile(url, report.filename)
        return context


class SchoolReportForm(PupilResultForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload != self.instance.file:
            if upload.size > MAX_PDF_BYTES:
                raise forms.ValidationError(gettext("Het bestand is groter dan 10 MB."))
            start = upload.read(5)
            upload.seek(0)
            if start != b"%PDF-":
                raise forms.ValidationError(gettext("Dit bestand is geen PDF."))
        return upload


class TestResultForm(PupilResultForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "level" in self.fields:
            self.fields["level"].choices = [("", gettext("geen niveau")), *LEVEL_CHOICES]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("score") is None and not cleaned.get("level"):
            raise forms.ValidationError(gettext("Vul een score of een niveau in."))
        return cleaned


class ResultsViewSet(PlainViewSet):
    add_to_admin_menu = False  # in the "Resultaten" submenu (``results_menu_item``)
    index_view_class = ResultsIndexView
    index_template_name = "snippets/results_index.html"
    search_fields = ["pupil__first_name", "pupil__infix", "pupil__last_name"]
    list_per_page = 50


class SchoolReportViewSet(ResultsViewSet):
    model = SchoolReport
    icon = "doc-full"
    menu_label = _("Rapporten")
    filterset_class = SchoolReportFilterSet
    list_display = ["pupil", "title", "school_year", "released_at"]
    ordering = ["-created_at"]
    inspect_view_fields = ["pupil", "school", "school_year", "title", "released_at", "created_at"]
    edit_handler = ObjectList(
        [
            FieldPanel("pupil", widget=forms.Select),
            FieldPanel("school_year"),
            FieldPanel("title"),
            FieldPanel("file", widget=ReportFileInput),
            FieldPanel("released_at"),
        ],
        base_form_class=SchoolReportForm,
    )


class TestResultViewSet(ResultsViewSet):
    model = TestResult
    icon = "table"
    menu_label = _("Toetsresultaten")
    filterset_class = TestResultFilterSet
    list_display = ["pupil", "test_name", "taken_on", "score", "level", "released_at"]
    list_export = ["pupil", "test_name", "taken_on", "score", "level", "note", "released_at"]
    export_filename = "toetsresultaten"
    ordering = ["-taken_on", "pupil__last_name"]
    inspect_view_fields = [
        "pupil",
        "school",
        "test_name",
        "taken_on",
        "score",
        "level",
        "note",
        "released_at",
        "created_at",
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("pupil", widget=forms.Select),
            FieldPanel("test_name"),
            FieldPanel("taken_on"),
            FieldPanel("score"),
            FieldPanel("level"),
            FieldPanel("note"),
            FieldPanel("released_at"),
        ],
        base_form_class=TestResultForm,
    )


def report_file(request, pk):
    """A report's PDF for the staff who see the report; else 404. Never a public URL."""
    report = get_object_or_404(access.staff_reports(request.user).select_related("pupil"), pk=pk)
    return private_download(report, report.filename)


def release_url(row):
    kind = "rapport" if isinstance(row, SchoolReport) else "toets"
    return reverse("results_release", args=[kind, row.pk])


def release_button(snippet, user, next_url=None):
    """``register_snippet_listing_buttons``: a report's PDF, and "Vrijgeven" on a row
    parents do not see yet."""
    if isinstance(snippet, SchoolReport):
        yield ListingButton(
            _("PDF openen"),
            url=reverse("results_report_file", args=[snippet.pk]),
            icon_name="doc-full",
            priority=39,
        )
    if not isinstance(snippet, SchoolReport | TestResult) or snippet.is_released:
        return
    if user.has_perm(f"results.change_{snippet._meta.model_name}"):
        yield ListingButton(_("Vrijgeven"), url=release_url(snippet), icon_name="view", priority=40)


def urls():
    return [
        path("resultaten/importeren/", ImportView.as_view(), name="results_import"),
        path("resultaten/rapport/<int:pk>/", report_file, name="results_report_file"),
        path("resultaten/vrijgeven/", ReleaseGroupView.as_view(), name="results_release_group"),
        path(
            "resultaten/vrijgeven/<str:kind>/<int:pk>/",
            ReleaseView.as_view(),
            name="results_release",
        ),
    ]


class ResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("results.view_testresult")


def results_menu_item():
    items = [
        ResultsMenuItem(
            _("Toetsresultaten"),
            reverse(TestResult.snippet_viewset.get_url_name("list")),
            icon_name="table",
            order=1,
        ),
        ResultsMenuItem(
            _("Rapporten"),
            reverse(SchoolReport.snippet_viewset.get_url_name("list")),
            icon_name="doc-full",
            order=2,
        ),
        ResultsMenuItem(_("Importeren"), reverse("results_import"), icon_name="upload", order=3),
        ResultsMenuItem(
            _("Groep vrijgeven"), reverse("results_release_group"), icon_name="view", order=4
        ),
    ]
    return SubmenuMenuItem(_("Resultaten"), Menu(items=items), icon_name="table", order=236)
