"""Mijn profiel → "Wachtwoord wijzigen" and "E-mailadres wijzigen": the parent's own login.

A new e-mail address counts only once the link sent to it has been opened (and confirmed
with a button: mail scanners open links too); the old address is told afterwards.
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from forms.accounts import EmailChangeForm, PasswordChangeForm
from schoolportal.accounts import emailchange
from schoolportal.notifications import account_emails
from schoolportal.parentviews.views import GuardianRequiredMixin

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


class AccountFormView(GuardianRequiredMixin, FormView):
    template_name = "portal/account_form.html"
    title = ""
    intro = ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "request": self.request}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            section_title=self.title,
            intro=self.intro,
            cancel_url=reverse("portal:profile") + "#persoonlijk",
            **kwargs,
        )

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PasswordChangeView(AccountFormView):
    form_class = PasswordChangeForm
    title = gettext_lazy("Wachtwoord wijzigen")
    intro = gettext_lazy(
        "Kies een wachtwoord van minstens 10 tekens dat u nergens anders gebruikt."
    )

    def form_valid(self, form):
        form.save()
        # Stay logged in here; every other session of the account ends with the old password.
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Uw nieuwe wachtwoord is opgeslagen."))
        return redirect(reverse("portal:profile") + "#persoonlijk")


class EmailChangeView(AccountFormView):
    form_class = EmailChangeForm
    title = gettext_lazy("E-mailadres wijzigen")
    intro = gettext_lazy(
        "Met dit e-mailadres logt u in en hierop ontvangt u e-mail van het ouderportaal."
    )

    def form_valid(self, form):
        with transaction.atomic():
            change = emailchange.request_change(self.request.user, form.cleaned_data["new_email"])
            account_emails.queue_confirmation(change)
        messages.success(
            self.request,
            _(
                "We hebben een e-mail gestuurd naar %(address)s. Open de link daarin om het "
                "nieuwe e-mailadres te bevestigen. Tot dan logt u in met uw huidige adres."
            )
            % {"address": change.new_email},
        )
        return redirect(reverse("portal:profile") + "#persoonlijk")


class EmailChangeConfirmView(TemplateView):
    """Opened from the e-mail, logged in or not: the link itself proves the new mailbox."""

    template_name = "portal/email_change_confirm.html"

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
