"""What every parent page starts with, and how it hands out a document."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

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
        refusal = self.refusal(request)
        if refusal is not None:
            return refusal
        return super().dispatch(request, *args, **kwargs)

    def refusal(self, request):
        """A response that answers instead of the page, or None (the page).

        Asked once the user is known to be a guardian and the view's own ``dispatch`` found
        its objects; override for a page that some guardians may not use (``ActsForChildMixin``).
        """
        return None

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


def refuse_without_authority(request, pupil, back_url=None):
    """The answer to a guardian without parental authority over ``pupil`` who opens a page
    that acts for the child (``access.may_act_for``): 403, saying why, nothing changed."""
    context = {"pupil": pupil, "back_url": back_url or reverse("portal:child", args=[pupil.pk])}
    return TemplateResponse(request, "parentviews/no_authority.html", context, status=403)


class ActsForChildMixin(GuardianRequiredMixin):
    """For a page that acts for one child (changes its data or consent, its absences, lunch
    days or interview): a guardian without parental authority over the child is refused,
    GET and POST alike, before anything is read from the form or saved.

    The view's own ``dispatch`` finds the child first (answering 404 for another family's);
    ``acting_for()`` names it.
    """

    def acting_for(self):
        """The child the page acts for."""
        raise NotImplementedError

    def authority_back_url(self):
        """Where the refusal's "Terug" leads; None: the child's page."""
        return None

    def acts(self, request):
        """Whether this request acts for the child. Override for a page that also shows
        the child's data (then only POST acts, and GET shows why instead of the form)."""
        return True

    def refusal(self, request):
        if not self.acts(request):
            return None
        pupil = self.acting_for()
        if access.may_act_for(request.user, pupil):
            return None
        return refuse_without_authority(request, pupil, self.authority_back_url())
