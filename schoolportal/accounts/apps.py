from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "schoolportal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Connect the login and logout signal receivers.
        from . import loginsessions, sessions, twofactor  # noqa: F401
