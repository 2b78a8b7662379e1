from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "schoolportal.people"
    label = "people"
    verbose_name = _("School en mensen")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401
        from .roles import sync_role_permissions

        post_migrate.connect(sync_role_permissions, dispatch_uid="people_role_permissions")
