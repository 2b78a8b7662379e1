from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo school: `python manage.py demo`."""

    name = "schoolportal.demo"
    label = "demo"
