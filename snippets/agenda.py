"""Agenda items in the admin: staff plan for the whole school, teachers for their own groups."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList

from forms.widgets import NativeDateInput, NativeTimeInput
from schoolportal import access
from schoolportal.agenda.models import AgendaItem

from .scoping import SchoolScopedForm
from .viewsets import PlainViewSet, YesNoColumn


class AgendaItemForm(SchoolScopedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None:
            return
        if "groups" in self.fields:
            self.fields["groups"].queryset = access.editable_groups(user).order_by(
                "school", "lowest_year_level", "name"
            )
        if "school" in self.fields:
            # Teachers plan for their own school, which they do not manage.
            self.fields["school"].queryset = access.staff_schools(user)
        self.fill_in_only_school()
        if self.instance.pk is None and not self.is_bound:
            self._plan_for_own_groups()

    def _plan_for_own_groups(self):
        """A new item of a teacher is for the groups they teach, never for the whole school
        (which only management and administration plan)."""
        if access.managed_schools(self.for_user).exists():
            return
        self.initial["whole_school"] = False
        self.initial["groups"] = list(
            access.taught_groups(self.for_user).values_list("pk", flat=True)
        )

    def clean(self):
        cleaned = super().clean()
        school = self.chosen_school()
        groups = cleaned.get("groups") or []
        whole_school = cleaned.get("whole_school")
        user = self.for_user
        if school and any(group.school_id != school.pk for group in groups):
            self.add_error("groups", _("Kies alleen groepen van deze school."))
        if not whole_school and not groups:
            self.add_error("groups", _("Kies één of meer groepen, of 'hele school'."))
        manages = school is not None and access.managed_schools(user).filter(pk=school.pk).exists()
        if whole_school and not manages:
            self.add_error(
                "whole_school",
                _("Alleen de directie en administratie plannen voor de hele school."),
            )
        return cleaned

    def save(self, commit=True):
        if self.instance.pk is None and self.for_user is not None:
            self.instance.created_by = self.for_user
        return super().save(commit=commit)


class AgendaItemViewSet(PlainViewSet):
    model = AgendaItem
    icon = "date"
    menu_label = _("Agenda")
    menu_order = 220
    add_to_admin_menu = True
    list_display = [
        "title",
        "start_date",
        YesNoColumn(AgendaItem, "all_day"),
        YesNoColumn(AgendaItem, "whole_school"),
        "repeat",
        "school",
    ]
    list_filter = ["school", "whole_school", "groups", "repeat"]
    search_fields = ["title", "location"]
    ordering = ["-start_date"]
    edit_handler = ObjectList(
        [
            # A plain list of the user's schools: the snippet chooser lists only the schools
            # they manage, which for a teacher is none.
            FieldPanel("school", widget=forms.Select),
            FieldPanel("title"),
            FieldPanel("location"),
            FieldPanel("description"),
            MultiFieldPanel(
                [
                    FieldPanel("all_day"),
                    FieldRowPanel(
                        [
                            FieldPanel("start_date", widget=NativeDateInput),
                            FieldPanel("start_time", widget=NativeTimeInput),
                        ]
                    ),
                    FieldRowPanel(
                        [
                            FieldPanel("end_date", widget=NativeDateInput),
                            FieldPanel("end_time", widget=NativeTimeInput),
                        ]
                    ),
                ],
                heading=_("Wanneer"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("whole_school"),
                    FieldPanel("is_holiday"),
                    FieldPanel("groups", widget=forms.CheckboxSelectMultiple),
                ],
                heading=_("Voor wie"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [FieldPanel("repeat"), FieldPanel("repeat_until", widget=NativeDateInput)]
                    ),
                    InlinePanel(
                        "exceptions",
                        heading=_("Niet op"),
                        label=_("uitzondering"),
                        panels=[FieldPanel("date", widget=NativeDateInput)],
                    ),
                ],
                heading=_("Herhalen"),
            ),
        ],
        base_form_class=AgendaItemForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("school")
