"""Privacy for parents: what the portal keeps, why, for how long and who sees it, generated
from the running settings and the modules their children's schools use."""

from django.views.generic import TemplateView

from schoolportal import access
from schoolportal.parentviews.views import GuardianRequiredMixin

from . import processing


class PrivacyView(GuardianRequiredMixin, TemplateView):
    # Not from the page cache: the periods are settings, which no data version follows.
    template_name = "privacy/privacy.html"

    def get_context_data(self, **kwargs):
        schools = list(access.schools_for(self.request.user))
        categories = [
            (category, lines) for category, lines, using in processing.overview(schools) if using
        ]
        return super().get_context_data(schools=schools, categories=categories, **kwargs)
