"""Mijn profiel → Mijn gegevens: ask for the export, follow its progress, download it.

Only the parent who asked opens their download, and only until it expires: everybody
else, and everybody afterwards, gets a 404.
"""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from schoolportal import access
from schoolportal.parentviews.caching import forget_session_pages, forget_user_pages
from schoolportal.parentviews.views import GuardianRequiredMixin, private_download

from .building import request_export
from .status import current_export, status_text


def profile_section_url():
    return reverse("portal:profile") + "#mijn-gegevens"


class StartView(GuardianRequiredMixin, View):
    """ "Mijn gegevens downloaden": queue an export, or show the one already on its way."""

    def get(self, request):
        # The button lives on the profile page; a bookmarked or reloaded URL goes there.
        return redirect(profile_section_url())

    def post(self, request):
        _export, created = request_export(request.user)
        # The profile page shows the export from now on, in every session of the parent.
        forget_session_pages(request)
        forget_user_pages([request.user.pk])
        if created:
            messages.success(
                request,
                _("Uw gegevens worden klaargemaakt. U krijgt een e-mail als ze klaarstaan."),
            )
        else:
            messages.info(request, _("Uw gegevens worden al klaargemaakt."))
        return redirect(profile_section_url())


class StatusView(GuardianRequiredMixin, View):
    """The export's progress for the profile page's script; never cached."""

    def get(self, request):
        export = current_export(request.user)
        if export is None:
            data = {"status": "none", "progress": 0, "text": ""}
        else:
            data = {
                "status": export.status,
                "progress": export.progress,
                "text": status_text(export),
            }
        response = JsonResponse(data)
        response["Cache-Control"] = "private, no-store"
        return response


class DownloadView(GuardianRequiredMixin, View):
    """The parent's own ZIP while it is on offer; always a download."""

    def get(self, request, pk):
        export = access.data_export_for(request.user, pk)
        if export is None:
            raise Http404
        return private_download(export, export.filename)
