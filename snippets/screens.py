"""The school's own admin screens (delivery, answers, class lists, invitations, link codes).

Wagtail's header shows a screen's breadcrumbs, and a screen that names none shows just
"Home": each screen here names the trail down to what it belongs to (a mailing, a group, a
pupil), so the header reads "Mailings › Schoolreis › Verzending", and the page itself
links back to that mailing, group or pupil.
"""

from django.urls import reverse
from django.utils.text import capfirst
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .viewsets import START


def snippet_url(instance, view="edit"):
    """The admin URL of a snippet's ``view`` of ``instance`` ("edit" or "inspect")."""
    return reverse(type(instance).snippet_viewset.get_url_name(view), args=[instance.pk])


def listing_step(model):
    """The trail step to a snippet's listing, named as its screen is."""
    url = reverse(model.snippet_viewset.get_url_name("list"))
    return capfirst(model._meta.verbose_name_plural), url


class AdminScreen(WagtailAdminTemplateMixin):
    """A screen with its own title in the header and a way back to what it belongs to."""

    breadcrumbs_items = [START]

    def get_trail(self):
        """[(label, url)] from the start page down to what this screen belongs to.

        Override it: the last step is where the screen's "back" link leads.
        """
        return []

    def get_breadcrumbs_items(self):
        steps = [{"url": url, "label": label} for label, url in self.get_trail()]
        here = {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()}
        return [*self.breadcrumbs_items, *steps, here]

    def get_back_link(self):
        trail = self.get_trail()
        if not trail:
            return None
        label, url = trail[-1]
        return {"label": label, "url": url}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("back_link", self.get_back_link())
        return super().get_context_data(**kwargs)
