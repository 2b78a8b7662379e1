"""Oudergesprekken in the admin: rounds (planned with the teachers' days; saving generates
the slots and can write the invitation mailing), single slots a teacher blocks or adds,
and bookings staff make, move or cancel on a parent's behalf.

Which rounds, slots, bookings, pupils and teachers a staff member reaches is ``access``'s;
the rules of booking are ``schoolportal.interviews.rules``'s (staff also book outside the
booking period: a parent phoned).
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList

from schoolportal import access
from schoolportal.interviews import rules
from schoolportal.interviews.invitation import write_invitation
from schoolportal.interviews.models import InterviewBooking, InterviewRound, InterviewSlot

from .scoping import SchoolScopedForm
from .viewsets import PlainFilterSet, PlainIndexView, PlainViewSet


class InterviewRoundForm(SchoolScopedForm):
    """A round with its days; saving makes the slots match the days."""

    write_invitation = forms.BooleanField(
        label=_("Uitnodiging klaarzetten"),
        required=False,
        help_text=_(
            "Maakt een concept-mailing aan de groepen van deze ronde met een link om een tijd "
            "te kiezen. U leest hem na en verstuurt hem onder Mailings."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fill_in_only_school()
        if "groups" in self.fields:
            self.fields["groups"].widget = forms.CheckboxSelectMultiple()
            self.fields["groups"].queryset = self.fields["groups"].queryset.order_by(
                "-school_year__start_date", "lowest_year_level", "name"
            )
        formset = self.formsets.get("days")
        if formset is not None and self.for_user is not None:
            teachers = access.interview_teachers(self.for_user).order_by("display_name")
            for form in [*formset.forms, formset.empty_form]:
                form.fields["teacher"].queryset = teachers

    def clean(self):
        cleaned = super().clean()
        school = self.chosen_school()
        other = [g.name for g in cleaned.get("groups") or () if school and g.school_id != school.pk]
        if other:
            self.add_error(
                "groups", _("Groep %(name)s is van een andere school.") % {"name": other[0]}
            )
        days = self.formsets.get("days")
        for form in days.forms if days is not None else ():
            teacher = getattr(form, "cleaned_data", {}).get("teacher")
            if teacher is not None and school is not None and teacher.school_id != school.pk:
                form.add_error("teacher", _("Deze leerkracht werkt niet op deze school."))
        return cleaned

    def save(self, commit=True):
        interview_round = super().save(commit=commit)
        if commit:
            rules.generate_slots(interview_round)
            if self.cleaned_data.get("write_invitation"):
                write_invitation(interview_round, self.for_user)
        return interview_round


class InterviewRoundViewSet(PlainViewSet):
    model = InterviewRound
    icon = "group"
    menu_label = _("Gespreksrondes")
    add_to_admin_menu = False  # in the "Oudergesprekken" submenu (``schedule.menu_item``)
    list_display = ["title", "school", "booking_opens_at", "booking_closes_at"]
    list_filter = ["school"]
    search_fields = ["title"]
    ordering = ["-booking_opens_at"]
    inspect_view_fields = [
        "title",
        "school",
        "groups",
        "slot_minutes",
        "location",
        "video_link",
        "booking_opens_at",
        "booking_closes_at",
        "early_booking_days",
        "send_confirmation",
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("school"),
            FieldPanel("title"),
            FieldPanel("groups"),
            MultiFieldPanel(
                [
                    FieldPanel("booking_opens_at"),
                    FieldPanel("booking_closes_at"),
                    FieldPanel("early_booking_days"),
                    FieldPanel("send_confirmation"),
                ],
                heading=_("Inschrijven"),
            ),
            MultiFieldPanel(
                [FieldPanel("slot_minutes"), FieldPanel("location"), FieldPanel("video_link")],
                heading=_("Gesprekken"),
            ),
            InlinePanel(
                "days",
                heading=_("Dagen per leerkracht"),
                label=_("Dag"),
                panels=[
                    FieldPanel("teacher", widget=forms.Select),
                    FieldPanel("date"),
                    FieldPanel("start_time"),
                    FieldPanel("end_time"),
                    FieldPanel("breaks"),
                    FieldPanel("room"),
                ],
            ),
            FieldPanel("write_invitation"),
        ],
        base_form_class=InterviewRoundForm,
    )


class SlotFilterSet(PlainFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("status"),
        choices=[("free", _("vrij")), ("booked", _("gekozen")), ("blocked", _("geblokkeerd"))],
        method="filter_state",
        empty_label=_("Alle"),
    )

    class Meta:
        model = InterviewSlot
        fields = ["round", "teacher"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["round"].queryset = access.staff_interview_rounds(user)
            self.filters["teacher"].queryset = access.interview_teachers(user)

    def filter_state(self, queryset, name, value):
        return {
            "free": queryset.free(),
            "booked": queryset.filter(booking__isnull=False),
            "blocked": queryset.filter(blocked=True),
        }.get(value, queryset)


class SlotIndexView(PlainIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("teacher", "round", "booking__pupil")


class InterviewSlotForm(SchoolScopedForm):
    """Block a time, or add a single one (a teacher for themselves)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            rounds = access.staff_interview_rounds(self.for_user).order_by("-booking_opens_at")
            self.fields["round"].queryset = rounds
            self.fields["teacher"].queryset = access.interview_teachers(self.for_user)
        if self.instance.pk is not None:
            for name in ("round", "teacher"):
                self.fields[name].disabled = True  # a time stays with its round and teacher

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("'Eindigt om' ligt niet na 'begint om'."))
        booked = self.instance.pk and hasattr(self.instance, "booking")
        if cleaned.get("blocked") and booked:
            self.add_error(
                "blocked",
                _("Deze tijd is al gekozen. Verplaats of annuleer eerst het gesprek."),
            )
        exists = InterviewSlot.objects.filter(
            round=cleaned.get("round"), teacher=cleaned.get("teacher"), starts_at=start
        ).exclude(pk=self.instance.pk)
        if start and exists.exists():
            self.add_error("starts_at", _("Deze leerkracht heeft op dit moment al een tijd."))
        return cleaned

    def save(self, commit=True):
        if self.instance.pk is None:
            self.instance.added_by_hand = True
        return super().save(commit=commit)


class InterviewSlotViewSet(PlainViewSet):
    model = InterviewSlot
    icon = "time"
    menu_label = _("Gesprekstijden")
    add_to_admin_menu = False
    index_view_class = SlotIndexView
    filterset_class = SlotFilterSet
    list_display = ["__str__", "round", "location", "blocked", "booking"]
    search_fields = ["teacher__display_name", "round__title"]
    ordering = ["starts_at"]
    list_per_page = 50
    inspect_view_fields = ["round", "teacher", "starts_at", "ends_at", "location", "blocked"]
    edit_handler = ObjectList(
        [
            FieldPanel("round", widget=forms.Select),
            FieldPanel("teacher", widget=forms.Select),
            FieldPanel("starts_at"),
            FieldPanel("ends_at"),
            FieldPanel("location"),
            FieldPanel("blocked"),
        ],
        base_form_class=InterviewSlotForm,
    )


class BookingFilterSet(PlainFilterSet):
    class Meta:
        model = InterviewBooking
        fields = ["round"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["round"].queryset = access.staff_interview_rounds(user)


class BookingIndexView(PlainIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("slot__teacher", "pupil", "guardian")


class StaffBookingForm(SchoolScopedForm):
    """Book, move or change an interview for a parent who phoned: any free time of the
    child's teachers in a round for the child's group, also outside the booking period."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        self.fields["pupil"].queryset = access.staff_interview_pupils(self.for_user).order_by(
            "last_name", "first_name"
        )
        free = Q(booking__isnull=True, blocked=False)
        if self.instance.pk is not None:
            free |= Q(pk=self.instance.slot_id)
            self.fields["pupil"].disabled = True  # an interview stays with its child
        self.fields["slot"].queryset = (
            access.staff_interview_slots(self.for_user)
            .filter(free)
            .select_related("teacher")
            .order_by("starts_at")
        )
        if "guardian" in self.fields:
            self.fields["guardian"].required = False

    def clean(self):
        cleaned = super().clean()
        pupil, slot = cleaned.get("pupil"), cleaned.get("slot")
        if pupil and slot:
            if not rules.slot_is_for(pupil, slot):
                self.add_error(
                    "slot",
                    _("Deze tijd hoort niet bij een leerkracht van %(name)s in deze ronde.")
                    % {"name": pupil.first_name},
                )
                return cleaned
            other = InterviewBooking.objects.filter(round=slot.round, pupil=pupil).exclude(
                pk=self.instance.pk
            )
            if other.exists():
                self.add_error(
                    "pupil",
                    _("%(name)s heeft in deze ronde al een gesprek: verplaats dat.")
                    % {"name": pupil.first_name},
                )
        return cleaned

    def save(self, commit=True):
        self.instance.round = self.instance.slot.round
        if self.instance.pk is None:
            self.instance.booked_by_user = self.for_user
        return super().save(commit=commit)


class InterviewBookingViewSet(PlainViewSet):
    model = InterviewBooking
    icon = "user"
    menu_label = _("Gespreksreserveringen")
    add_to_admin_menu = False
    index_view_class = BookingIndexView
    filterset_class = BookingFilterSet
    list_display = ["slot", "pupil", "guardian", "subject"]
    search_fields = ["pupil__first_name", "pupil__infix", "pupil__last_name"]
    ordering = ["slot__starts_at"]
    list_per_page = 50
    inspect_view_fields = ["round", "slot", "pupil", "guardian", "subject", "created_at"]
    edit_handler = ObjectList(
        [
            FieldPanel("pupil", widget=forms.Select),
            FieldPanel("slot", widget=forms.Select),
            FieldPanel("guardian", widget=forms.Select),
            FieldPanel("subject"),
        ],
        base_form_class=StaffBookingForm,
    )
