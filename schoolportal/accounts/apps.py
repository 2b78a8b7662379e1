from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "schoolportal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import sessions  # noqa: F401 - connects the login signal receiver
