import math

from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from schoolportal.accounts import emailchange, twofactor
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


def current_password_matches(request, user, password):
    """Checked like a login, so django-axes counts a wrong current password as a failure
    and locks guessing out the same way (its middleware answers with the lockout page)."""
    return authenticate(request, username=user.email, password=password) is not None


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, with the current password checked through the login throttle."""

    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": _("Uw huidige wachtwoord klopt niet. Probeer het opnieuw."),
    }

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)
        self.fields["old_password"].label = _("Huidig wachtwoord")
        self.fields["new_password1"].label = _("Nieuw wachtwoord")
        self.fields["new_password2"].label = _("Nieuw wachtwoord (nogmaals)")

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not current_password_matches(self.request, self.user, old_password):
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(
        label=_("Nieuw e-mailadres"),
        max_length=254,
        help_text=_("U ontvangt op dit adres een link. Pas als u die opent, verandert uw inlog."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Huidig wachtwoord"),
        strip=False,
        help_text=_("Ter controle dat u het zelf bent."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, request=None, **kwargs):
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_new_email(self):
        email = normalise_email(self.cleaned_data["new_email"])
        if email == self.user.email:
            raise ValidationError(_("Dit is al uw huidige e-mailadres."), code="unchanged")
        if emailchange.address_in_use(email, except_user=self.user):
            raise ValidationError(
                _("Dit e-mailadres hoort al bij een ander account. Kies een ander adres."),
                code="in_use",
            )
        return email

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not current_password_matches(self.request, self.user, password):
            raise ValidationError(
                _("Uw huidige wachtwoord klopt niet. Probeer het opnieuw."),
                code="password_incorrect",
            )
        return password


class SecondFactorForm(forms.Form):
    """The code after the password: six digits from the app, or one recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_(
            "De zes cijfers uit uw authenticator-app, of een van uw herstelcodes als u uw "
            "telefoon niet bij de hand hebt."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self):
        code = twofactor.normalise_code(self.cleaned_data["code"])
        devices = twofactor.devices_for_code(self.user, code)
        for device in devices:
            allowed, details = device.verify_is_allowed()
            if not allowed:
                raise ValidationError(_throttled_message(details), code="throttled")
        for device in devices:
            if device.verify_token(code):
                self.device = device
                return code
        raise ValidationError(
            _(
                "Deze code klopt niet. Typ de code die de app nu toont (hij verandert elke 30 "
                "seconden), of een herstelcode die u nog niet gebruikt hebt."
            ),
            code="invalid",
        )


def _throttled_message(details):
    locked_until = (details or {}).get("locked_until")
    if locked_until is None:
        return _("Te veel onjuiste codes. Wacht even en probeer het dan opnieuw.")
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    return ngettext(
        "Te veel onjuiste codes. Probeer het over %(seconds)s seconde opnieuw.",
        "Te veel onjuiste codes. Probeer het over %(seconds)s seconden opnieuw.",
        seconds,
    ) % {"seconds": seconds}


class AppConfirmForm(forms.Form):
    """Setting up the app: its first code proves the secret arrived in it."""

    code = forms.CharField(
        label=_("Code uit de app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, key, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key

    def clean_code(self):
        code = twofactor.normalise_code(self.cleaned_data["code"])
        if not twofactor.code_matches_new_key(self.key, code):
            raise ValidationError(
                _(
                    "Deze code klopt niet. Controleer of de tijd op uw telefoon goed staat en "
                    "typ de zes cijfers die de app nu toont."
                ),
                code="invalid",
            )
        return code
