"""Absent melden for parents: report, read, extend or shorten, and end ("weer beter").

Every object comes from ``access``: a child or report that is not the family's, or at a
school that does not use absences, answers 404. These pages are not cached per session:
they show the family's own reports as they are now.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from forms.absences import AbsenceReportForm, ChangeReturnForm
from schoolportal import access
from schoolportal.parentviews.views import (
    ActsForChildMixin,
    GuardianRequiredMixin,
    refuse_without_authority,
)

from . import lifecycle
from .models import EndedBy, ReportedBy
from .schooldays import calendar_for

# Per child, the index shows the open reports and this many ended ones (newest first).
PAST_SHOWN = 10


def own_reports_url(pupil_id):
    return reverse("absences:index") + f"#kind-{pupil_id}"


class AbsencesRequiredMixin(GuardianRequiredMixin):
    """404 unless one of the parent's children is at a school that uses absences."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.uses_absences(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class AbsenceIndexView(AbsencesRequiredMixin, TemplateView):
    """Absenties: per child the current reports and the recent past ones."""

    template_name = "absences/index.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        pupils = list(access.absence_pupils(user).order_by("date_of_birth"))
        reports = list(
            access.own_absence_reports(user).filter(pupil__in=pupils).order_by("-first_day", "-pk")
        )
        calendar = calendar_for([r for r in reports if r.is_open], today)
        children = []
        for pupil in pupils:
            own = [report for report in reports if report.pupil_id == pupil.pk]
            current = [report for report in own if report.is_open]
            for report in current:
                report.back_on = calendar.back_on(report)
            children.append(
                {
                    "pupil": pupil,
                    "may_act": access.may_act_for(user, pupil),
                    "current": current,
                    "past": [report for report in own if not report.is_open][:PAST_SHOWN],
                }
            )
        return super().get_context_data(
            children=children,
            today=today,
            may_report=any(child["may_act"] for child in children),
            **kwargs,
        )


class ReportAbsenceView(AbsencesRequiredMixin, TemplateView):
    """Absent melden: the child, the reason, the first day and the expected return date."""

    template_name = "absences/report.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            children = access.absence_pupils(request.user).order_by("date_of_birth")
            self.children = list(children)
            # Reporting is in the school's name: only for children the parent has authority
            # over; the others are named with the reason instead of offered.
            self.pupils = [p for p in self.children if access.may_act_for(request.user, p)]
        return super().dispatch(request, *args, **kwargs)

    def refusal(self, request):
        data = request.POST if request.method == "POST" else request.GET
        chosen = data.get("pupil" if request.method == "POST" else "kind")
        if chosen in (None, ""):
            if request.method == "POST" and not self.pupils:
                return refuse_without_authority(request, self.children[0], self.cancel_url())
            return None
        child = next((p for p in self.children if str(p.pk) == chosen), None)
        if child is None:
            raise Http404  # somebody else's child, or a school without absences
        if child not in self.pupils:
            return refuse_without_authority(request, child, self.cancel_url())
        return None

    def cancel_url(self):
        return reverse("absences:index")

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        form = AbsenceReportForm(data=data, pupils=self.pupils, today=timezone.localdate())
        chosen = data.get("pupil") if data is not None else self.request.GET.get("kind")
        if chosen not in (None, ""):
            form.fields["pupil"].initial = int(chosen)
        return form

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        pupil = next(pupil for pupil in self.pupils if pupil.pk == data["pupil"])
        try:
            lifecycle.report_absence(
                pupil,
                reason=data["reason"],
                explanation=data["explanation"].strip(),
                first_day=data["first_day"],
                expected_return=data["expected_return"],
                user=request.user,
                by=ReportedBy.PARENT,
            )
        except lifecycle.Overlap as overlap:
            return self.render_to_response(
                self.get_context_data(form=form, overlap=overlap.report), status=400
            )
        messages.success(
            request,
            _("%(name)s is absent gemeld. U krijgt een bevestiging per e-mail.")
            % {"name": pupil.full_name},
        )
        return redirect(own_reports_url(pupil.pk))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cancel_url=self.cancel_url(),
            without_authority=[p for p in self.children if p not in self.pupils],
            **kwargs,
        )


class OpenReportMixin(AbsencesRequiredMixin, ActsForChildMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.report = access.own_open_absence_report(request.user, kwargs["pk"])
            if self.report is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def acting_for(self):
        return self.report.pupil

    def authority_back_url(self):
        return own_reports_url(self.report.pupil_id)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            report=self.report, cancel_url=own_reports_url(self.report.pupil_id), **kwargs
        )


class ChangeReturnView(OpenReportMixin, TemplateView):
    """Verlengen of inkorten: a new expected return date (and a reminder for it)."""

    template_name = "absences/change.html"

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        return ChangeReturnForm(data=data, report=self.report, today=timezone.localdate())

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            lifecycle.change_return(self.report, form.cleaned_data["expected_return"])
        except lifecycle.Overlap as overlap:
            return self.render_to_response(
                self.get_context_data(form=form, overlap=overlap.report), status=400
            )
        except lifecycle.AlreadyEnded:
            raise Http404 from None
        messages.success(request, _("De absentiemelding is gewijzigd."))
        return redirect(own_reports_url(self.report.pupil_id))


class EndReportView(OpenReportMixin, TemplateView):
    """Weer beter: the child is back today."""

    template_name = "absences/end.html"

    def post(self, request, *args, **kwargs):
        lifecycle.end(self.report, EndedBy.PARENT)
        messages.success(
            request,
            _("Fijn dat %(name)s weer beter is. De school weet het.")
            % {"name": self.report.pupil.full_name},
        )
        return redirect(own_reports_url(self.report.pupil_id))
