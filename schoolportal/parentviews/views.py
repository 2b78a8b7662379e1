"""What every parent page starts with, and how it hands out a document."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect

from schoolportal import access, privatemedia


class GuardianRequiredMixin(LoginRequiredMixin):
    """Portal pages are for guardians; staff without children at school go to the admin."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.guardian = access.guardian_for(request.user)
        if self.guardian is None and not self.admits_without_guardian(request.user):
            if access.may_use_admin(request.user):
                return redirect("wagtailadmin_home")
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def admits_without_guardian(self, user):
        """Whether a logged-in user without children at school may open the page anyway.

        Override for pages that staff read as parents do; the view then runs with
        ``self.guardian`` None, so it must not rely on a guardian profile.
        """
        return False


def private_download(document, filename):
    """A document as a download under ``filename``: never shown inline from our origin (an
    uploaded page or image could otherwise run in it), and kept by no cache."""
    return privatemedia.serve(document.file, filename=filename, as_attachment=True)
