from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SnippetsConfig(AppConfig):
    """Admin screens (Wagtail snippet ViewSets) for the school's data."""

    name = "snippets"
    label = "snippets"
    verbose_name = _("Beheerschermen")
