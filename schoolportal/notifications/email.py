"""Render e-mails from template twins: ``email/<name>.txt`` and ``email/<name>.html``.

No e-mail of ours carries a Reply-To: staff addresses are never shown and replies would
reach nobody. Parents answer through Berichten; e-mails to them say so and link there
(``email/includes_answer``).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def absolute(path):
    """``path`` as a link in an e-mail, on the installation's own address."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def compose_link():
    """Where a parent answers: nobody reads replies to our e-mails (see includes_answer)."""
    return absolute(reverse("conversations:compose"))


def render_email(name, context, to, *, language=None, headers=None, from_email=None):
    """An e-mail with a plain-text and an HTML part; the subject is the first line of ``.txt``."""
    context = {"compose_link": compose_link(), **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"email/{name}_subject.txt", context).strip()
        text = render_to_string(f"email/{name}.txt", context)
        html = render_to_string(f"email/{name}.html", {**context, "subject": subject})
    message = EmailMultiAlternatives(
        subject=" ".join(subject.splitlines()),
        body=text,
        from_email=from_email,
        to=[to],
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
    )
    message.attach_alternative(html, "text/html")
    return message
