from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from forms.accounts import LoginForm, PasswordResetRequestForm
from schoolportal import access
from schoolportal.notifications import account_emails

from . import emailchange
from .models import Invitation
from .throttling import password_reset_allowed


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Parents land on the dashboard; staff without children at school go to the admin."""
        user = self.request.user
        if access.guardian_for(user) is None and access.may_use_admin(user):
            return reverse("wagtailadmin_home")
        return super().get_default_redirect_url()


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    """Shown by django-axes after too many failed logins for an account from one address.

    The same page whether or not the account exists. It names no waiting time: that grows
    while an account is under attack (``throttling.cool_off``).
    """
    message = gettext_lazy(
        "Te veel mislukte inlogpogingen met dit e-mailadres vanaf deze verbinding. Probeer het "
        "later opnieuw, of stel een nieuw wachtwoord in via 'Wachtwoord vergeten'."
    )
    context = {"form": LoginForm(request), "locked_out": True, "lockout_message": message}
    return render(request, "accounts/login.html", context, status=429)


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default): a link or a mail scanner cannot log anybody out."""


class PasswordResetRequestView(FormView):
    template_name = "accounts/password_reset_request.html"
    form_class = PasswordResetRequestForm

    def form_valid(self, form):
        # Over the limit nothing is sent, and the answer is the same as always.
        if password_reset_allowed(self.request, form.cleaned_data["email"]):
            form.save(base_url=self.request.build_absolute_uri("/"))
        messages.success(
            self.request,
            _(
                "Als er een account bij dit e-mailadres hoort, ontvangt u binnen enkele minuten "
                "een e-mail met een link om een nieuw wachtwoord in te stellen."
            ),
        )
        return redirect("accounts:login")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """GET only moves the token into the session; the password changes on POST."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever could guess the old password has nothing left to guess; the owner, told by
        # the lockout page to come here, may log in again at once from every address.
        axes_reset(username=form.user.get_username())
        messages.success(self.request, _("Uw nieuwe wachtwoord is ingesteld. U kunt nu inloggen."))
        return response


class InvitationView(FormView):
    """Accept an invitation by choosing a password. Nothing changes until the form is posted."""

    template_name = "accounts/invitation.html"
    form_class = SetPasswordForm

    def dispatch(self, request, *args, **kwargs):
        self.invitation = Invitation.find(kwargs["token"])
        if (
            self.invitation is None
            or not self.invitation.is_usable
            or not self.invitation.user.is_active
        ):
            return render(
                request,
                "accounts/invitation_invalid.html",
                {"reason": self._reason_unusable()},
                status=404 if self.invitation is None else 410,
            )
        return super().dispatch(request, *args, **kwargs)

    def _reason_unusable(self):
        if self.invitation is None or not self.invitation.user.is_active:
            return _("Deze uitnodigingslink is niet (meer) geldig.")
        if self.invitation.accepted_at:
            return _("Deze uitnodiging is al gebruikt. Log in met uw e-mailadres en wachtwoord.")
        if self.invitation.user.has_usable_password():
            return _("Dit account heeft al een wachtwoord. Log in, of kies 'Wachtwoord vergeten'.")
        if self.invitation.revoked_at:
            return _("Er is een nieuwere uitnodiging verstuurd; gebruik de link uit die e-mail.")
        return _("Deze uitnodiging is verlopen. Vraag de school om een nieuwe uitnodiging.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.invitation.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(invitation=self.invitation, **kwargs)

    def form_valid(self, form):
        with transaction.atomic():
            # Lock the row: two tabs posting the same link cannot both accept it.
            invitation = Invitation.objects.select_for_update().get(pk=self.invitation.pk)
            if not invitation.is_usable:
                messages.error(self.request, _("Deze uitnodiging is al gebruikt."))
                return redirect("accounts:login")
            form.save()
            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_at"])
        messages.success(self.request, _("Uw wachtwoord is ingesteld. Log in om verder te gaan."))
        return redirect("accounts:login")


LINK_PROBLEMS = {
    emailchange.EXPIRED: gettext_lazy(
        "Deze link is verlopen. Vraag de wijziging opnieuw aan via Mijn profiel."
    ),
    emailchange.INVALID: gettext_lazy(
        "Deze link is niet (meer) geldig. Gebruik de link uit de nieuwste e-mail, of vraag "
        "de wijziging opnieuw aan via Mijn profiel."
    ),
    emailchange.USED: gettext_lazy(
        "Dit e-mailadres is al bevestigd. U logt in met uw nieuwe e-mailadres."
    ),
    emailchange.TAKEN: gettext_lazy(
        "Dit e-mailadres hoort inmiddels bij een ander account; uw e-mailadres is niet "
        "gewijzigd. Vraag de wijziging aan met een ander adres."
    ),
}


class EmailChangeConfirmView(TemplateView):
    """Opened from the e-mail, logged in or not: the link itself proves the new mailbox.

    GET only shows a button (mail scanners open links too); the address changes on POST.
    """

    template_name = "accounts/email_change_confirm.html"

    def problem(self, error):
        context = {"problem": LINK_PROBLEMS[error.reason]}
        status = 410 if error.reason in (emailchange.EXPIRED, emailchange.USED) else 404
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, token):
        try:
            change = emailchange.find(token)
        except emailchange.LinkError as error:
            return self.problem(error)
        return self.render_to_response({"change": change})

    def post(self, request, token):
        try:
            with transaction.atomic():
                change = emailchange.confirm(token)
                account_emails.queue_changed_notice(change)
        except emailchange.LinkError as error:
            return self.problem(error)
        messages.success(
            request,
            _("Uw nieuwe e-mailadres is bevestigd. U logt voortaan in met %(address)s.")
            % {"address": change.new_email},
        )
        if request.user.is_authenticated and request.user.pk == change.user_id:
            return redirect(reverse("portal:profile") + "#persoonlijk")
        return redirect("accounts:login")
