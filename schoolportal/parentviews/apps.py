from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParentViewsConfig(AppConfig):
    name = "schoolportal.parentviews"
    label = "parentviews"
    verbose_name = _("Ouderpagina's")

    def ready(self):
        # Every process that saves school data must make the cached pages stale, the task
        # worker too, which loads no URLs and so no view module.
        from . import caching  # noqa: F401
