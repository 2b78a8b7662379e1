from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LunchConfig(AppConfig):
    name = "schoolportal.lunch"
    label = "lunch"
    verbose_name = _("Overblijven")

    def ready(self):
        from schoolportal.absences.signals import absence_days_changed

        from .rules import cancel_for_absence

        absence_days_changed.connect(cancel_for_absence, dispatch_uid="lunch-absence")
