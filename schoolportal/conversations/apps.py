from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "schoolportal.conversations"
    # "messages" would clash with django.contrib.messages.
    label = "conversations"
    verbose_name = _("Berichten")

    def ready(self):
        from . import (
            email,  # noqa: F401  (the outbox renderer)
            files,  # noqa: F401  (stored files deleted with their attachment)
        )
