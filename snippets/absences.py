"""Absences in the admin: the register (filters, history per pupil, CSV), a report that
came in by phone, ending one, and today's absences per group on the dashboard.

Which reports and pupils a staff member reaches is ``access``'s: a managed school's, or
the groups a teacher teaches.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import AdminDateInput
from wagtail.snippets.views import snippets as snippet_views

from schoolportal import access
from schoolportal.absences import lifecycle
from schoolportal.absences.models import AbsenceReport, EndedBy, ReportedBy

from .scoping import SchoolScopedForm
from .screens import AdminScreen, listing_step
from .viewsets import PlainEditView, PlainFilterSet, PlainIndexView, PlainViewSet

OPEN, ENDED = "open", "ended"
# The dashboard lists at most this many absent children (one query, whatever the school).
MAX_ON_DASHBOARD = 200


class AbsenceFilterSet(PlainFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("status"),
        choices=[(OPEN, _("lopend")), (ENDED, _("beëindigd"))],
        method="filter_state",
        empty_label=_("Alle"),
    )
    day = django_filters.DateFilter(
        label=_("afwezig op"), method="filter_day", widget=AdminDateInput
    )

    class Meta:
        model = AbsenceReport
        fields = ["school", "group", "pupil", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            # A teacher follows their own groups' absences (the school-wide scope has none).
            self.filters["group"].queryset = access.staff_absence_groups(user)
            self.filters["pupil"].queryset = access.staff_absence_pupils(user)
            self.filters["school"].queryset = access.staff_schools(user)

    def filter_state(self, queryset, name, value):
        if value == OPEN:
            return queryset.open()
        if value == ENDED:
            return queryset.ended()
        return queryset

    def filter_day(self, queryset, name, value):
        """Absent on the day: from the first day until the day the child was (or is
        expected) back."""
        return (
            queryset.filter(first_day__lte=value)
            .exclude(returned_on__lte=value)
            .exclude(ended_at__isnull=True, expected_return__lte=value)
        )


class AbsenceIndexView(PlainIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("pupil", "group", "school")


class AbsenceCreateView(snippet_views.CreateView):
    def save_instance(self):
        instance = super().save_instance()
        lifecycle.notify_reported(instance)
        lifecycle.days_changed(instance)
        return instance


class AbsenceEditView(PlainEditView):
    def save_instance(self):
        instance = super().save_instance()
        if instance.is_open:
            lifecycle.days_changed(instance)  # a correction may cover other days now
        return instance


class StaffAbsenceForm(SchoolScopedForm):
    """A report that came in by phone, or a correction: the child, reason and dates."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "pupil" in self.fields:
            self.fields["pupil"].queryset = access.staff_absence_pupils(self.for_user).order_by(
                "last_name", "first_name"
            )
        if self.instance.pk is not None and "pupil" in self.fields:
            self.fields["pupil"].disabled = True  # a report stays with its child
        if self.instance.pk is None and "first_day" in self.fields:
            self.fields["first_day"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        pupil = cleaned.get("pupil") or getattr(self.instance, "pupil", None)
        first_day = cleaned.get("first_day")
        expected_return = cleaned.get("expected_return")
        if first_day and expected_return and expected_return <= first_day:
            self.add_error("expected_return", _("'Verwacht terug' moet na de eerste dag liggen."))
        elif pupil is not None and first_day and self.instance.ended_at is None:
            clash = lifecycle.overlapping_open_report(
                pupil.pk, first_day, expected_return, exclude=self.instance.pk
            )
            if clash is not None:
                self.add_error(
                    None,
                    _("%(name)s heeft al een lopende melding vanaf %(first)s voor dezelfde dagen.")
                    % {"name": pupil.full_name, "first": clash.first_day.strftime("%d-%m-%Y")},
                )
        return cleaned

    def save(self, commit=True):
        report = self.instance
        if report.pk is None:
            report.school_id = report.pupil.school_id
            report.group_id = report.pupil.group_id
            report.reported_by = ReportedBy.STAFF
            report.reported_by_user = self.for_user
        elif "expected_return" in self.changed_data:
            report.reminder_sent_at = None  # the new date gets its own reminder
        return super().save(commit=commit)


class AbsenceReportViewSet(PlainViewSet):
    model = AbsenceReport
    icon = "warning"
    menu_label = _("Absenties")
    menu_order = 230
    add_to_admin_menu = True
    index_view_class = AbsenceIndexView
    add_view_class = AbsenceCreateView
    edit_view_class = AbsenceEditView
    filterset_class = AbsenceFilterSet
    list_display = [
        "pupil",
        "group",
        "reason",
        "first_day",
        "expected_return",
        "returned_on",
        "ended_by",
    ]
    # Choices in words, as staff read them in the listing (the raw values mean nothing).
    list_export = [
        "pupil",
        "group",
        "school",
        "get_reason_display",
        "explanation",
        "first_day",
        "expected_return",
        "returned_on",
        "get_ended_by_display",
        "get_reported_by_display",
        "created_at",
    ]
    export_headings = {
        "get_reason_display": _("reden"),
        "get_ended_by_display": _("beëindigd"),
        "get_reported_by_display": _("gemeld door"),
    }
    export_filename = "absenties"
    search_fields = ["pupil__first_name", "pupil__infix", "pupil__last_name"]
    ordering = ["-first_day", "-pk"]
    list_per_page = 50
    inspect_view_fields = [
        "pupil",
        "school",
        "group",
        "reason",
        "explanation",
        "first_day",
        "expected_return",
        "reported_by",
        "reported_by_user",
        "created_at",
        "reminder_sent_at",
        "returned_on",
        "ended_by",
        "ended_at",
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("pupil", widget=forms.Select),
            FieldPanel("reason"),
            FieldPanel("explanation"),
            FieldRowPanel([FieldPanel("first_day"), FieldPanel("expected_return")]),
        ],
        base_form_class=StaffAbsenceForm,
    )


class EndAbsenceView(AdminScreen, TemplateView):
    """Staff end a report: the child is back (GET asks, POST ends)."""

    template_name = "snippets/absence_end.html"
    page_title = _("Absentie beëindigen")
    header_icon = "warning"

    def dispatch(self, request, pk):
        if not request.user.has_perm("absences.change_absencereport"):
            raise PermissionDenied
        reports = access.staff_absence_reports(request.user).open().select_related("pupil")
        self.report = get_object_or_404(reports, pk=pk)
        return super().dispatch(request)

    def get_page_subtitle(self):
        return str(self.report.pupil)

    def get_trail(self):
        return [listing_step(AbsenceReport)]

    def get_context_data(self, **kwargs):
        return super().get_context_data(report=self.report, **kwargs)

    def post(self, request):
        if lifecycle.end(self.report, EndedBy.STAFF):
            messages.success(
                request,
                gettext("%(name)s is weer aanwezig gemeld.") % {"name": self.report.pupil},
            )
        return redirect(reverse(AbsenceReport.snippet_viewset.get_url_name("list")))


def end_url(report):
    return reverse("absences_end", args=[report.pk])


class TodaysAbsencesPanel(Component):
    """Today's absent children per group the user follows (one query)."""

    name = "schoolportal_absences"
    template_name = "snippets/dashboard_absences.html"
    order = 5

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        today = timezone.localdate()
        reports = (
            access.staff_absence_reports(self.user)
            .absent_on(today)
            .filter(school__absences_enabled=True)
            .select_related("pupil", "group")
            .order_by("group__name", "pupil__last_name", "pupil__first_name")[:MAX_ON_DASHBOARD]
        )
        groups = {}
        for report in reports:
            groups.setdefault(report.group, []).append(report)
        listing = reverse(AbsenceReport.snippet_viewset.get_url_name("list"))
        return {
            "today": today,
            "groups": list(groups.items()),
            "register_url": f"{listing}?state={OPEN}&day={today.isoformat()}",
            "add_url": reverse(AbsenceReport.snippet_viewset.get_url_name("add")),
        }


def absences_panel(request, panels):
    """``construct_homepage_panels``: the panel for staff of a school that uses absences."""
    user = request.user
    if not access.staff_absence_groups(user).filter(school__absences_enabled=True).exists():
        return
    panels.append(TodaysAbsencesPanel(user))
