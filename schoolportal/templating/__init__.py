"""Drop-in replacements for Django's ``{% trans %}`` and ``{% url %}`` that remember results.

Both tags do the same work for the same arguments on every page: a constant
``{% trans "Uitloggen" %}`` looks the text up in the catalogue (8 µs) and a ``{% url %}``
walks the URL resolver (18 µs). A profile page holds about forty of the first, every
page's menu and forms several of the second. The replacements keep each result per
everything it depends on and otherwise behave exactly like Django's (same syntax, same
errors); ``TEMPLATES`` installs them (``libraries["i18n"]`` and ``builtins``), so every
template, Wagtail's admin included, uses them without a change.
"""

from django.core.signals import setting_changed
from django.dispatch import receiver

# Settings whose change (only ever in tests) makes remembered results wrong.
_DEPENDS_ON = {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "ROOT_URLCONF", "FORCE_SCRIPT_NAME"}


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting in _DEPENDS_ON:
        from . import i18n, urls

        i18n.forget()
        urls.forget()
