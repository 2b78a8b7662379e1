"""Oudergesprekken in the admin: a teacher's schedule as it fills (time, child, parents,
subject), printable and as CSV, and the admin menu of the module.

The rows are ``access``'s: a teacher's own times, or every teacher's of a managed school.
"""

import csv

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from schoolportal import access
from schoolportal.accesslog.models import Action, Screen
from schoolportal.accesslog.recording import record
from schoolportal.interviews.models import InterviewBooking, InterviewRound, InterviewSlot
from schoolportal.people.models import Guardian

from .screens import AdminScreen


class ScheduleFilterForm(forms.Form):
    round = forms.ModelChoiceField(label=_("Ronde"), queryset=None, required=False)
    teacher = forms.ModelChoiceField(
        label=_("Leerkracht"), queryset=None, required=False, empty_label=_("Alle")
    )

    def __init__(self, *args, rounds, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["round"].empty_label = None
        self.fields["teacher"].queryset = teachers


class ScheduleView(AdminScreen, TemplateView):
    """Per teacher and day every time of a round: free, blocked, or who comes and why;
    ``?export=csv`` downloads it."""

    template_name = "snippets/interview_schedule.html"
    page_title = _("Rooster oudergesprekken")
    header_icon = "time"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("interviews.view_interviewslot"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_trail(self):
        return [
            (
                gettext("Gespreksrondes"),
                reverse(InterviewRound.snippet_viewset.get_url_name("list")),
            )
        ]

    def rows(self):
        user = self.request.user
        rounds = access.staff_interview_rounds(user).order_by("-booking_opens_at")
        teachers = access.interview_teachers(user).order_by("display_name")
        own = teachers.filter(user_id=user.pk).first()
        self.form = ScheduleFilterForm(self.request.GET or None, rounds=rounds, teachers=teachers)
        self.round, teacher = rounds.first(), own
        if self.form.is_bound and self.form.is_valid():
            self.round = self.form.cleaned_data["round"] or self.round
            teacher = self.form.cleaned_data["teacher"]
        if self.round is None:
            return []
        slots = (
            access.staff_interview_slots(user)
            .filter(round=self.round)
            .select_related("teacher", "booking__pupil__group", "booking__guardian")
            .prefetch_related(
                Prefetch(
                    "booking__pupil__guardians",
                    queryset=Guardian.objects.order_by("last_name", "first_name"),
                )
            )
            .order_by("teacher__display_name", "starts_at")
        )
        if teacher is not None:
            slots = slots.filter(teacher=teacher)
        return list(slots)

    def get(self, request, *args, **kwargs):
        rows = self.rows()
        export = request.GET.get("export") == "csv"
        self.log(rows, Action.EXPORTED if export else Action.VIEWED)
        if export:
            return self.csv(rows)
        return super().get(request, *args, **kwargs)

    def log(self, slots, action):
        """The children with a time, and their parents, go into the Inzagelog."""
        pupils = [slot.booking.pupil for slot in slots if hasattr(slot, "booking")]
        guardians = {g.pk: g for pupil in pupils for g in pupil.guardians.all()}
        school = self.round.school_id if self.round is not None else None
        record(
            self.request,
            action,
            where=Screen.INTERVIEW_SCHEDULE,
            pupils=pupils,
            guardians=guardians.values(),
            school=school,
        )

    def csv(self, slots):
        name = slugify(f"oudergesprekken-{self.round.title if self.round else ''}")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        response.write("\ufeff")  # Excel reads the file as UTF-8
        writer = csv.writer(response)
        writer.writerow(
            [
                gettext("Datum"),
                gettext("Tijd"),
                gettext("Leerkracht"),
                gettext("Locatie"),
                gettext("Leerling"),
                gettext("Groep"),
                gettext("Ouders"),
                gettext("Onderwerp"),
            ]
        )
        for slot in slots:
            booking = getattr(slot, "booking", None)
            start = timezone.localtime(slot.starts_at)
            child = group = parents = subject = ""
            if booking is not None:
                child = booking.pupil.full_name
                group = booking.pupil.group.name if booking.pupil.group else ""
                parents = ", ".join(g.full_name for g in booking.pupil.guardians.all())
                subject = booking.subject
            elif slot.blocked:
                child = gettext("geblokkeerd")
            writer.writerow(
                [
                    f"{start:%d-%m-%Y}",
                    f"{start:%H:%M}–{timezone.localtime(slot.ends_at):%H:%M}",
                    slot.teacher.display_name,
                    slot.location,
                    child,
                    group,
                    parents,
                    subject,
                ]
            )
        return response

    def get_context_data(self, **kwargs):
        slots = self.rows()
        per_day = {}
        for slot in slots:
            key = (slot.teacher, timezone.localdate(slot.starts_at))
            per_day.setdefault(key, []).append(slot)
        query = self.request.GET.copy()
        query["export"] = "csv"
        if self.round is not None:
            query.setdefault("round", str(self.round.pk))
        return super().get_context_data(
            form=self.form,
            round=self.round,
            days=[(teacher, day, rows) for (teacher, day), rows in per_day.items()],
            booked=sum(1 for slot in slots if hasattr(slot, "booking")),
            total=len(slots),
            export=f"?{query.urlencode()}",
            **kwargs,
        )


def follows_interviews(request):
    """Whether the user plans or holds interviews: asked once per request."""
    known = getattr(request, "schoolportal_follows_interviews", None)
    if known is None:
        user = request.user
        known = (
            user.has_perm("interviews.view_interviewslot")
            and access.staff_schools(user).filter(interviews_enabled=True).exists()
        )
        request.schoolportal_follows_interviews = known
    return known


class InterviewsMenuItem(MenuItem):
    def is_shown(self, request):
        return follows_interviews(request)


def menu_item():
    def listing(model):
        return reverse(model.snippet_viewset.get_url_name("list"))

    items = [
        InterviewsMenuItem(
            _("Rooster"), reverse("interviews_schedule"), icon_name="table", order=1
        ),
        InterviewsMenuItem(
            _("Gespreksrondes"), listing(InterviewRound), icon_name="group", order=2
        ),
        InterviewsMenuItem(_("Gesprekstijden"), listing(InterviewSlot), icon_name="time", order=3),
        InterviewsMenuItem(
            _("Gespreksreserveringen"), listing(InterviewBooking), icon_name="user", order=4
        ),
    ]
    return SubmenuMenuItem(_("Oudergesprekken"), Menu(items=items), icon_name="group", order=236)
