from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingsConfig(AppConfig):
    name = "schoolportal.mailings"
    label = "mailings"
    verbose_name = _("Mailings")

    def ready(self):
        from . import (
            attachments,  # noqa: F401  (uploads deleted with their mailing)
            delivery,  # noqa: F401  (publish signal and the outbox renderer)
        )
