"""Overblijven for parents: the coming lunch days per child, registering (chosen dates or
fixed weekdays until a date) and cancelling a day before the school's cut-off.

Every object comes from ``access``: a child or day that is not the family's, or at a
school that does not use overblijven, answers 404. Rendered per visit, never from the
page cache: the days as they are now.
"""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from forms.lunch import DAYS_OFFERED, LunchDatesForm, LunchWeekdaysForm
from schoolportal import access
from schoolportal.parentviews.views import ActsForChildMixin, GuardianRequiredMixin

from . import rules
from .models import CancelledBy

# Per child, the overview shows this many coming days (and how many more there are).
DAYS_SHOWN = 40
DATES, WEEKDAYS = "dates", "weekdays"


def child_url(pupil_id):
    return reverse("lunch:child", args=[pupil_id])


class LunchRequiredMixin(GuardianRequiredMixin):
    """404 unless one of the parent's children is at a school that uses overblijven."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.uses_lunch(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def coming_days(user, pupils, now):
    """{pupil id: [lunch day]} of the coming days not cancelled, each marked changeable."""
    today = timezone.localdate(now)
    schools = {pupil.school_id: pupil.school for pupil in pupils}
    days = (
        access.own_lunch_days(user)
        .active()
        .filter(pupil__in=pupils, date__gte=today)
        .order_by("date")
    )
    per_child = {pupil.pk: [] for pupil in pupils}
    for day in days:
        day.changeable = rules.is_changeable(schools[day.school_id], day.date, now)
        per_child[day.pupil_id].append(day)
    return per_child


class LunchIndexView(LunchRequiredMixin, TemplateView):
    """Overblijven: per child the coming lunch days."""

    template_name = "lunch/index.html"

    def get_context_data(self, **kwargs):
        user, now = self.request.user, timezone.now()
        pupils = list(access.lunch_pupils(user).select_related("school").order_by("date_of_birth"))
        days = coming_days(user, pupils, now)
        children = [
            {
                "pupil": pupil,
                "may_act": access.may_act_for(user, pupil),
                "days": days[pupil.pk][:DAYS_SHOWN],
                "more": max(0, len(days[pupil.pk]) - DAYS_SHOWN),
            }
            for pupil in pupils
        ]
        return super().get_context_data(children=children, **kwargs)


class LunchChildView(LunchRequiredMixin, ActsForChildMixin, TemplateView):
    """One child's coming lunch days and the two ways to register more."""

    template_name = "lunch/child.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.pupil = access.lunch_pupil_for(request.user, kwargs["pk"])
            if self.pupil is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def acting_for(self):
        return self.pupil

    def acts(self, request):
        # Registering is an agreement in the child's name; the days themselves are news.
        return request.method != "GET"

    def forms(self, posted=None):
        now = timezone.now()
        school = self.pupil.school
        first = rules.first_changeable_day(school, now)
        offered = rules.school_days(
            school.pk, [first + timedelta(days=n) for n in range(DAYS_OFFERED)]
        )
        data = self.request.POST if posted else None
        return {
            DATES: LunchDatesForm(
                data if posted == DATES else None, school=school, offered=offered, now=now
            ),
            WEEKDAYS: LunchWeekdaysForm(
                data if posted == WEEKDAYS else None, school=school, now=now
            ),
        }

    def get_context_data(self, **kwargs):
        kwargs.setdefault("forms", self.forms())
        days = coming_days(self.request.user, [self.pupil], timezone.now())[self.pupil.pk]
        return super().get_context_data(
            pupil=self.pupil,
            may_act=access.may_act_for(self.request.user, self.pupil),
            days=days,
            cutoff=self.pupil.school.lunch_cutoff,
            dates_form=kwargs["forms"][DATES],
            weekdays_form=kwargs["forms"][WEEKDAYS],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        posted = request.POST.get("form")
        if posted not in (DATES, WEEKDAYS):
            posted = DATES
        forms = self.forms(posted)
        form = forms[posted]
        if form.is_valid():
            dates = form.cleaned_data["days"] if posted == DATES else form.dates()
            try:
                registered = rules.register(self.pupil, dates, user=request.user)
            except rules.TooLate as late:
                form.add_error(
                    None,
                    _("Na %(time)s op de dag zelf kunt u %(day)s niet meer wijzigen.")
                    % {
                        "time": self.pupil.school.lunch_cutoff.strftime("%H:%M"),
                        "day": date_format(late.day, "l j F"),
                    },
                )
            else:
                if registered:
                    messages.success(
                        request,
                        ngettext(
                            "%(name)s blijft %(count)s dag over.",
                            "%(name)s blijft %(count)s dagen over.",
                            len(registered),
                        )
                        % {"name": self.pupil.first_name, "count": len(registered)},
                    )
                    return redirect(child_url(self.pupil.pk))
                form.add_error(
                    None,
                    _(
                        "Op de gekozen dagen is geen school (weekend of vakantie). Er is niets "
                        "aangemeld."
                    ),
                )
        return self.render_to_response(self.get_context_data(forms=forms), status=400)


class CancelLunchDayView(LunchRequiredMixin, ActsForChildMixin, TemplateView):
    """Afmelden: one lunch day, until the school's cut-off on that day."""

    template_name = "lunch/cancel.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.day = access.own_active_lunch_day(request.user, kwargs["pk"])
            if self.day is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def acting_for(self):
        return self.day.pupil

    def authority_back_url(self):
        return child_url(self.day.pupil_id)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            day=self.day,
            changeable=rules.is_changeable(self.day.school, self.day.date),
            cutoff=self.day.school.lunch_cutoff,
            back_url=child_url(self.day.pupil_id),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            rules.cancel(self.day, CancelledBy.PARENT)
        except rules.TooLate:
            return self.render_to_response(self.get_context_data(), status=400)
        messages.success(
            request,
            _("%(name)s is afgemeld voor %(day)s.")
            % {"name": self.day.pupil.first_name, "day": date_format(self.day.date, "l j F")},
        )
        return redirect(child_url(self.day.pupil_id))
