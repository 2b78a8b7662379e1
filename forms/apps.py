from django.apps import AppConfig


class FormsConfig(AppConfig):
    """Every Django form a person fills in, grouped by feature."""

    name = "forms"
    label = "portal_forms"
