from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from schoolportal.accounts.models import normalise_email
from schoolportal.notifications.queue import enqueue


class LoginForm(AuthenticationForm):
    """Log in with e-mail address and password; one message whether or not the account exists."""

    username = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "Dit e-mailadres en wachtwoord horen niet bij elkaar. Controleer ze en probeer het "
            "opnieuw."
        ),
        "inactive": _(
            "Dit e-mailadres en wachtwoord horen niet bij elkaar. Controleer ze en probeer het "
            "opnieuw."
        ),
    }

    def clean_username(self):
        return normalise_email(self.cleaned_data["username"])


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def save(self, base_url):
        """Queue a reset e-mail for the matching account, if any; the caller never learns which."""
        email = normalise_email(self.cleaned_data["email"])
        users = get_user_model().objects.filter(email=email, is_active=True)
        for user in users:
            if user.has_usable_password():
                enqueue(
                    "schoolportal.notifications.tasks.send_password_reset_email", user.pk, base_url
                )
