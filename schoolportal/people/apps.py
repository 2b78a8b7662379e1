from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "schoolportal.people"
    label = "people"
    verbose_name = _("School en mensen")

    def ready(self):
        from . import signals  # noqa: F401
