"""Tweestapsverificatie and Ingelogde apparaten: the user's own login, staff and parents alike.

Parents reach these from Mijn profiel, staff from their account page in the admin.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from forms.accounts import AppConfirmForm, SecondFactorForm
from schoolportal import access

from . import loginsessions, twofactor


def home_url(user):
    """Where "Terug" goes: Mijn profiel for parents, the admin for staff without children."""
    if access.guardian_for(user) is None and access.may_use_admin(user):
        return reverse("wagtailadmin_home")
    return reverse("portal:profile")


class AccountPageMixin(LoginRequiredMixin):
    def get_context_data(self, **kwargs):
        return super().get_context_data(back_url=home_url(self.request.user), **kwargs)


class SecondFactorVerifyView(LoginRequiredMixin, FormView):
    """After the password: the code. Every page of the site sends an unverified login here."""

    template_name = "accounts/two_factor_verify.html"
    form_class = SecondFactorForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            # The devices may have gone since login (switched off in another session).
            step = request.session[twofactor.SESSION_STEP] = twofactor.step_for(user)
            if step == twofactor.SET_UP:
                return redirect(_with_next(reverse("accounts:two_factor_setup"), request))
            if not step:
                return redirect(twofactor.safe_next(request, home_url(user)))
        elif user.is_authenticated:
            return redirect(twofactor.safe_next(request, home_url(user)))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.request.GET.get("next", ""), **kwargs)

    def form_valid(self, form):
        twofactor.verified(self.request, form.device)
        if twofactor.is_recovery_code(form.device):
            left = twofactor.remaining_recovery_codes(self.request.user)
            messages.warning(
                self.request,
                _(
                    "U bent ingelogd met een herstelcode; die werkt geen tweede keer. U hebt "
                    "nog %(count)s herstelcodes. Maak nieuwe aan onder Tweestapsverificatie."
                )
                % {"count": left},
            )
        return redirect(twofactor.safe_next(self.request, home_url(self.request.user)))

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


def _with_next(url, request):
    target = request.GET.get("next")
    return f"{url}?{request.GET.urlencode()}" if target else url


class SecondFactorSetupView(AccountPageMixin, FormView):
    """Set up the app: QR code and secret as text, one code to confirm, then the recovery
    codes, shown once. Required for management and administration before anything else."""

    template_name = "accounts/two_factor_setup.html"
    form_class = AppConfirmForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        # Somebody with only the password of an account that has a device must not be able
        # to add a device of their own: first the code of the existing one.
        if user.is_authenticated and not user.is_verified() and twofactor.has_device(user):
            return redirect(_with_next(reverse("accounts:two_factor_verify"), request))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "key": twofactor.new_key(self.request)}

    def get_context_data(self, **kwargs):
        device = twofactor.unsaved_app(self.request.user, twofactor.new_key(self.request))
        return super().get_context_data(
            qr_svg=twofactor.qr_svg(device),
            secret=twofactor.secret_text(device.key),
            required=self.request.session.get(twofactor.SESSION_STEP) == twofactor.SET_UP,
            next=self.request.GET.get("next", ""),
            **kwargs,
        )

    def form_valid(self, form):
        request = self.request
        device, codes = twofactor.confirm_app(request.user, form.key)
        twofactor.verified(request, device)
        # Sessions elsewhere were opened with the password alone.
        ended = loginsessions.end_others(request)
        messages.success(request, _("Tweestapsverificatie staat aan."))
        return self.response_class(
            request=request,
            template="accounts/recovery_codes.html",
            context={
                "codes": codes,
                "ended": ended,
                "continue_url": twofactor.safe_next(request, home_url(request.user)),
                "back_url": home_url(request.user),
            },
            using=self.template_engine,
        )

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SecondFactorView(AccountPageMixin, TemplateView):
    template_name = "accounts/two_factor.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            enabled=twofactor.has_app(user),
            recovery_left=twofactor.remaining_recovery_codes(user),
            required=settings.STAFF_2FA_REQUIRED and access.must_use_second_factor(user),
            **kwargs,
        )


class RecoveryCodesView(LoginRequiredMixin, View):
    """POST: ten new recovery codes, shown once; the old ones stop working."""

    def post(self, request):
        if not twofactor.has_app(request.user):
            raise Http404
        codes = twofactor.new_recovery_codes(request.user)
        context = {"codes": codes, "back_url": home_url(request.user), "renewed": True}
        return render(request, "accounts/recovery_codes.html", context)


class SecondFactorOffView(LoginRequiredMixin, View):
    def post(self, request):
        user = request.user
        if settings.STAFF_2FA_REQUIRED and access.must_use_second_factor(user):
            messages.error(
                request,
                _("Voor uw rol is tweestapsverificatie verplicht; u kunt het niet uitzetten."),
            )
        else:
            twofactor.switch_off(user)
            request.session[twofactor.SESSION_STEP] = ""
            messages.success(request, _("Tweestapsverificatie staat uit."))
        return redirect("accounts:two_factor")


class LoginSessionsView(AccountPageMixin, TemplateView):
    template_name = "accounts/login_sessions.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            login_sessions=loginsessions.active_sessions(self.request.user),
            current_key=self.request.session.session_key,
            **kwargs,
        )


class EndLoginSessionView(LoginRequiredMixin, View):
    """POST: log one of the user's own devices out; another user's session is a 404."""

    def post(self, request, pk):
        row = get_object_or_404(access.own_login_sessions(request.user), pk=pk)
        if row.session_key == request.session.session_key:
            logout(request)
            return redirect("accounts:login")
        loginsessions.end([row])
        messages.success(request, _("U bent uitgelogd op %(device)s.") % {"device": row.device})
        return redirect("accounts:login_sessions")


class EndOtherLoginSessionsView(LoginRequiredMixin, View):
    def post(self, request):
        count = loginsessions.end_others(request)
        messages.success(
            request,
            _("Alle andere sessies zijn beëindigd (%(count)s).") % {"count": count},
        )
        return redirect("accounts:login_sessions")
