"""Resultaten's own admin screens: importing a group's results from a CSV or Excel file (a preview
first), and releasing one report or result, or a whole group's, to the parents."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from forms.results import GroupChoiceForm, ResultsConfirmForm, ResultsUploadForm
from schoolportal import access
from schoolportal.results import importing
from schoolportal.results.models import SchoolReport, TestResult

from .screens import AdminScreen, listing_step

KINDS = {"rapport": SchoolReport, "toets": TestResult}


def switched_off_schools(user):
    """The names of the user's schools that have not switched Resultaten on."""
    return list(
        access.staff_schools(user).filter(results_enabled=False).values_list("name", flat=True)
    )


class ResultsScreen(AdminScreen, TemplateView):
    header_icon = "table"
    permission = "results.change_testresult"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_trail(self):
        return [listing_step(TestResult)]

    def get_context_data(self, **kwargs):
        kwargs.setdefault("switched_off", switched_off_schools(self.request.user))
        return super().get_context_data(**kwargs)


class ReleaseView(ResultsScreen):
    """Vrijgeven: one report or result becomes visible to the parents now."""

    template_name = "snippets/results_release.html"
    page_title = _("Vrijgeven")

    def dispatch(self, request, kind, pk):
        self.model = KINDS.get(kind)
        if self.model is None:
            raise Http404
        self.permission = f"results.change_{self.model._meta.model_name}"
        rows = access.staff_objects(request.user, self.model).unreleased()
        self.row = get_object_or_404(rows.select_related("pupil"), pk=pk)
        return super().dispatch(request)

    def get_trail(self):
        return [listing_step(self.model)]

    def get_context_data(self, **kwargs):
        return super().get_context_data(row=self.row, **kwargs)

    def post(self, request):
        self.row.released_at = timezone.now()
        self.row.save(update_fields=["released_at"])
        messages.success(
            request, gettext("%(row)s is vrijgegeven: ouders zien het nu.") % {"row": self.row}
        )
        return redirect(reverse(self.model.snippet_viewset.get_url_name("list")))


class ReleaseGroupView(ResultsScreen):
    """Vrijgeven per groep: every report and result of a group not yet released, at once."""

    template_name = "snippets/results_release_group.html"
    page_title = _("Groep vrijgeven")

    def waiting(self, group):
        pupils = group.pupils.all()
        return [
            access.staff_objects(self.request.user, model).unreleased().filter(pupil__in=pupils)
            for model in (SchoolReport, TestResult)
        ]

    def get_context_data(self, **kwargs):
        groups = access.staff_results_groups(self.request.user).order_by("name")
        form = kwargs.pop("form", None) or GroupChoiceForm(self.request.GET or None, groups=groups)
        counts = None
        if form.is_bound and form.is_valid():
            reports, results = self.waiting(form.cleaned_data["group"])
            counts = {"reports": reports.count(), "results": results.count()}
        return super().get_context_data(form=form, counts=counts, **kwargs)

    def post(self, request):
        groups = access.staff_results_groups(request.user)
        form = GroupChoiceForm(request.POST, groups=groups)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        now = timezone.now()
        with transaction.atomic():
            released = sum(
                rows.update(released_at=now) for rows in self.waiting(form.cleaned_data["group"])
            )
        messages.success(
            request,
            ngettext(
                "%(count)s rapport of resultaat van %(group)s is vrijgegeven.",
                "%(count)s rapporten en resultaten van %(group)s zijn vrijgegeven.",
                released,
            )
            % {"count": released, "group": form.cleaned_data["group"].name},
        )
        return redirect("results_release_group")


class ImportView(ResultsScreen):
    """Importeren: a group's results from a CSV or Excel file; first a preview, then the import."""

    template_name = "snippets/results_import.html"
    page_title = _("Toetsresultaten importeren")
    permission = "results.add_testresult"

    def groups(self):
        return access.staff_results_groups(self.request.user).order_by("name")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ResultsUploadForm(groups=self.groups()))
        return super().get_context_data(**kwargs)

    def post(self, request):
        if "content" in request.POST:
            return self.confirm(request)
        form = ResultsUploadForm(request.POST, request.FILES, groups=self.groups())
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        group, table = form.cleaned_data["group"], form.cleaned_data["file"]
        plan = importing.plan(group, table)
        confirm = ResultsConfirmForm(
            initial={"group": group, "content": ResultsConfirmForm.dump(table)},
            groups=self.groups(),
        )
        status = 400 if plan.errors else 200
        return self.render_to_response(
            self.get_context_data(form=form, plan=plan, group=group, confirm=confirm),
            status=status,
        )

    def confirm(self, request):
        form = ResultsConfirmForm(request.POST, groups=self.groups())
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(), status=400)
        group = form.cleaned_data["group"]
        plan = importing.apply(group, form.cleaned_data["content"])
        if plan.errors:
            return self.render_to_response(
                self.get_context_data(plan=plan, group=group), status=400
            )
        messages.success(
            request,
            gettext(
                "%(group)s: %(new)s resultaten toegevoegd, %(changed)s gewijzigd. Ouders zien "
                "ze pas na vrijgeven."
            )
            % {"group": group.name, "new": len(plan.new), "changed": len(plan.changed)},
        )
        return redirect(reverse(TestResult.snippet_viewset.get_url_name("list")))
