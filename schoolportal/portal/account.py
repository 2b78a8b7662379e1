"""Mijn profiel → "Wachtwoord wijzigen" and "E-mailadres wijzigen": the parent's own login.

A new e-mail address counts only once the link sent to it has been opened and confirmed
(``accounts.views.EmailChangeConfirmView``); the old address is told afterwards.
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from forms.accounts import EmailChangeForm, PasswordChangeForm
from schoolportal.accounts import emailchange, loginsessions
from schoolportal.notifications import account_emails
from schoolportal.parentviews.views import GuardianRequiredMixin


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
        loginsessions.follow_new_key(self.request)
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
