"""What the page types read through the portal have in common (group pages, newsletters)."""

from django.shortcuts import redirect
from django.urls import reverse
from wagtail.models import Page


class PortalServedPage(Page):
    """A page that lives in the admin's tree but is read only through the portal."""

    portal_url_name = ""
    # Previews are for editors in the admin: photos come from MEDIA_URL (staff only) and the
    # content from the revision being previewed, not from the portal's views.
    preview_template = ""

    class Meta:
        abstract = True

    def get_preview_template(self, request, mode_name):
        return self.preview_template

    def get_portal_url(self):
        return reverse(self.portal_url_name, args=[self.pk])

    def get_url_parts(self, request=None):
        # The page's URL (the admin's "Bekijk live" and "LIVE") is the portal view, on the
        # school's own site: its Wagtail URL would only redirect there.
        parts = super().get_url_parts(request=request)
        if parts is None or parts[2] is None:
            return parts
        site_id, root_url, _page_path = parts
        return site_id, root_url, self.get_portal_url()

    def serve(self, request, *args, **kwargs):
        # The portal view decides who may read it (404 for everybody else).
        return redirect(self.get_portal_url())
