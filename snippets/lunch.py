"""Overblijven in the admin: every lunch day (filters, CSV), the day's list per group
(printable) and the month's count per child for billing (CSV).

Which days, groups and pupils a staff member reaches is ``access``'s: a managed school's,
or the groups a teacher teaches; only schools that use overblijven.
"""

import csv
from datetime import date, timedelta

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.widgets import AdminDateInput

from schoolportal import access
from schoolportal.lunch.models import LunchDay
from schoolportal.people.models import Pupil

from .scoping import SchoolScopedForm
from .screens import AdminScreen
from .viewsets import PlainFilterSet, PlainIndexView, PlainViewSet

ACTIVE, CANCELLED = "active", "cancelled"


class LunchDayFilterSet(PlainFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("status"),
        choices=[(ACTIVE, _("blijft over")), (CANCELLED, _("afgemeld"))],
        method="filter_state",
        empty_label=_("Alle"),
    )
    date = django_filters.DateFilter(label=_("datum"), widget=AdminDateInput)

    class Meta:
        model = LunchDay
        fields = ["school", "pupil", "date", "cancelled_by"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["pupil"].queryset = access.staff_lunch_pupils(user)

    def filter_state(self, queryset, name, value):
        if value == ACTIVE:
            return queryset.active()
        if value == CANCELLED:
            return queryset.cancelled()
        return queryset


class LunchDayIndexView(PlainIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("pupil", "school")


class StaffLunchDayForm(SchoolScopedForm):
    """A day registered by school (a parent phoned): the child and the date."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "pupil" in self.fields:
            self.fields["pupil"].queryset = access.staff_lunch_pupils(self.for_user).order_by(
                "last_name", "first_name"
            )
        if self.instance.pk is not None and "pupil" in self.fields:
            self.fields["pupil"].disabled = True  # a day stays with its child (and school)

    def save(self, commit=True):
        if self.instance.school_id is None:
            self.instance.school_id = self.instance.pupil.school_id
            self.instance.registered_by_user = self.for_user
        return super().save(commit=commit)


class LunchDayViewSet(PlainViewSet):
    model = LunchDay
    icon = "date"
    menu_label = _("Overblijfdagen")
    add_to_admin_menu = False  # in the "Overblijven" submenu (``lunch_menu_item``)
    index_view_class = LunchDayIndexView
    filterset_class = LunchDayFilterSet
    list_display = ["pupil", "date", "school", "cancelled_by"]
    list_export = ["pupil", "date", "school", "get_cancelled_by_display", "created_at"]
    export_headings = {"get_cancelled_by_display": _("afgemeld")}
    export_filename = "overblijfdagen"
    search_fields = ["pupil__first_name", "pupil__infix", "pupil__last_name"]
    ordering = ["-date", "pupil__last_name"]
    list_per_page = 50
    inspect_view_fields = [
        "pupil",
        "school",
        "date",
        "registered_by_user",
        "created_at",
        "cancelled_by",
        "cancelled_at",
    ]
    edit_handler = ObjectList(
        [FieldPanel("pupil", widget=forms.Select), FieldPanel("date")],
        base_form_class=StaffLunchDayForm,
    )


class LunchScreen(AdminScreen, TemplateView):
    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("lunch.view_lunchday"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_trail(self):
        return [(gettext("Overblijfdagen"), reverse(LunchDay.snippet_viewset.get_url_name("list")))]


class DayFilterForm(forms.Form):
    date = forms.DateField(label=_("Datum"), required=False, widget=AdminDateInput)
    group = forms.ModelChoiceField(
        label=_("Groep"), queryset=None, required=False, empty_label=_("Alle groepen")
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class DailyListView(LunchScreen):
    """Who stays for lunch on a day, per group, with their allergies: printable."""

    template_name = "snippets/lunch_daily.html"
    page_title = _("Overblijflijst")

    def get_context_data(self, **kwargs):
        user = self.request.user
        groups = access.staff_lunch_groups(user).select_related("school").order_by("name")
        form = DayFilterForm(self.request.GET or None, groups=groups)
        day, group = timezone.localdate(), None
        if form.is_valid():
            day = form.cleaned_data["date"] or day
            group = form.cleaned_data["group"]
        days = (
            access.staff_lunch_days(user)
            .active()
            .filter(date=day, school__lunch_enabled=True)
            .select_related("pupil", "pupil__group")
            .order_by("pupil__group__name", "pupil__last_name", "pupil__first_name")
        )
        if group is not None:
            days = days.filter(pupil__group=group)
        per_group = {}
        for lunch_day in days:
            per_group.setdefault(lunch_day.pupil.group, []).append(lunch_day.pupil)
        return super().get_context_data(
            form=form, day=day, groups=list(per_group.items()), total=len(days), **kwargs
        )


def month_of(value, today):
    """The first day of month ``value`` ("2027-03"), or of ``today``'s month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


class MonthlyCountView(LunchScreen):
    """Per child the number of lunch days in a month (cancelled days not counted), for
    billing; ``?export=csv`` downloads it."""

    template_name = "snippets/lunch_monthly.html"
    page_title = _("Overblijven per maand")

    def rows(self):
        self.month = month_of(self.request.GET.get("maand"), timezone.localdate())
        counts = dict(
            access.staff_lunch_days(self.request.user)
            .active()
            .filter(date__year=self.month.year, date__month=self.month.month)
            .order_by()
            .values("pupil_id")
            .annotate(days=Count("pk"))
            .values_list("pupil_id", "days")
        )
        pupils = (
            Pupil.objects.filter(pk__in=counts)
            .select_related("group", "school")
            .order_by("school__name", "group__name", "last_name", "first_name")
        )
        return [(pupil, counts[pupil.pk]) for pupil in pupils]

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "csv":
            return self.csv(self.rows())
        return super().get(request, *args, **kwargs)

    def csv(self, rows):
        name = slugify(f"overblijven-{self.month:%Y-%m}")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        response.write("\ufeff")  # Excel reads the file as UTF-8
        writer = csv.writer(response)
        writer.writerow(
            [gettext("Leerling"), gettext("Groep"), gettext("School"), gettext("Dagen")]
        )
        for pupil, days in rows:
            group = pupil.group.name if pupil.group else ""
            writer.writerow([pupil.full_name, group, pupil.school.name, days])
        return response

    def get_context_data(self, **kwargs):
        rows = self.rows()
        previous = (self.month.replace(day=1) - timedelta(days=1)).replace(day=1)
        following = (self.month.replace(day=28) + timedelta(days=4)).replace(day=1)
        return super().get_context_data(
            month=self.month,
            rows=rows,
            total=sum(days for _pupil, days in rows),
            previous=f"{previous:%Y-%m}",
            following=f"{following:%Y-%m}",
            export=f"?maand={self.month:%Y-%m}&export=csv",
            **kwargs,
        )


def follows_lunch(request):
    """Whether the user reads lunch lists: asked once per request (the menu asks per item)."""
    known = getattr(request, "schoolportal_follows_lunch", None)
    if known is None:
        user = request.user
        known = user.has_perm("lunch.view_lunchday") and access.staff_lunch_groups(user).exists()
        request.schoolportal_follows_lunch = known
    return known


class LunchMenuItem(MenuItem):
    """Shown to staff of a school that uses overblijven."""

    def is_shown(self, request):
        return follows_lunch(request)


def lunch_menu_item():
    items = [
        LunchMenuItem(_("Overblijflijst"), reverse("lunch_daily"), icon_name="list-ul", order=1),
        LunchMenuItem(_("Per maand"), reverse("lunch_monthly"), icon_name="table", order=2),
        LunchMenuItem(
            _("Overblijfdagen"),
            reverse(LunchDay.snippet_viewset.get_url_name("list")),
            icon_name="date",
            order=3,
        ),
    ]
    return SubmenuMenuItem(_("Overblijven"), Menu(items=items), icon_name="date", order=235)
