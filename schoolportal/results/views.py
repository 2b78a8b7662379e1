"""Resultaten for parents: per child the released reports and test results over time.

Every object comes from ``access``: a child or report that is not the family's, not yet
released, or at a school that does not use Resultaten answers 404. Rendered per visit,
never from the page cache: a release shows at once.
"""

from datetime import timedelta

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from schoolportal import access
from schoolportal.parentviews.views import GuardianRequiredMixin, private_download

from .chart import score_chart

# On the dashboard, what was released this many days ago or less counts as new.
NEW_DAYS = 14


class ResultsRequiredMixin(GuardianRequiredMixin):
    """404 unless one of the parent's children is at a school that uses Resultaten."""

    pupil = None  # a child's page found the child already: then the school uses the module

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and self.pupil is None and not access.uses_results(user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ResultsIndexView(ResultsRequiredMixin, TemplateView):
    """Resultaten: per child the released reports, and the way to their test results."""

    template_name = "results/index.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        pupils = list(access.results_pupils(user).order_by("date_of_birth"))
        reports = {pupil.pk: [] for pupil in pupils}
        for report in access.released_reports(user).order_by("-school_year", "-released_at"):
            reports[report.pupil_id].append(report)
        children = [{"pupil": pupil, "reports": reports[pupil.pk]} for pupil in pupils]
        return super().get_context_data(children=children, **kwargs)


def tests_of(results):
    """The names of the tests in ``results``, the one taken most often first."""
    counts = {}
    for result in results:
        counts[result.test_name] = counts.get(result.test_name, 0) + 1
    return sorted(counts, key=lambda name: (-counts[name], name))


class ChildResultsView(ResultsRequiredMixin, TemplateView):
    """One child's released reports, test results over time and a chart of one test."""

    template_name = "results/child.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.pupil = access.results_pupil_for(request.user, kwargs["pk"])
            if self.pupil is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        results = list(
            access.released_test_results(user)
            .filter(pupil=self.pupil)
            .order_by("-taken_on", "test_name")
        )
        tests = tests_of(results)
        chosen = self.request.GET.get("toets")
        if chosen not in tests:
            chosen = tests[0] if tests else None
        reports = (
            access.released_reports(user)
            .filter(pupil=self.pupil)
            .order_by("-school_year", "-released_at")
        )
        return super().get_context_data(
            pupil=self.pupil,
            results=results,
            reports=list(reports),
            tests=tests,
            chosen=chosen,
            chart=score_chart(r for r in results if r.test_name == chosen),
            **kwargs,
        )


class ReportDownloadView(ResultsRequiredMixin, View):
    """A released report of one of the parent's children; always a download."""

    def get(self, request, pk):
        report = get_object_or_404(
            access.released_reports(request.user).select_related("pupil"), pk=pk
        )
        return private_download(report, report.filename)


def new_results(user, now=None):
    """For the dashboard: the children with reports or test results released in the last
    ``NEW_DAYS`` days, with how many of each."""
    now = now or timezone.now()
    since = now - timedelta(days=NEW_DAYS)
    return list(access.children_with_new_results(user, since, now).order_by("date_of_birth"))
