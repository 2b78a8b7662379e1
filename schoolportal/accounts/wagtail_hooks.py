"""Staff find Tweestapsverificatie and Ingelogde apparaten on their account page in the admin."""

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks


@hooks.register("register_account_menu_item")
def two_factor_item(request):
    return {
        "url": reverse("accounts:two_factor"),
        "label": _("Tweestapsverificatie"),
        "help_text": _("Inloggen met een code uit een app op uw telefoon; herstelcodes."),
    }


@hooks.register("register_account_menu_item")
def login_sessions_item(request):
    return {
        "url": reverse("accounts:login_sessions"),
        "label": _("Ingelogde apparaten"),
        "help_text": _("Waar u nu ingelogd bent; log een apparaat uit."),
    }
