from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReactionsConfig(AppConfig):
    name = "schoolportal.reactions"
    label = "reactions"
    verbose_name = _("Reacties")

    def ready(self):
        from . import digest, signals  # noqa: F401  (the outbox renderer, the photo clean-up)
        from .schedule import ensure_schedule

        post_migrate.connect(ensure_schedule, sender=self, dispatch_uid="reactions-schedule")
