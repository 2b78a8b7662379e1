"""E-mail tasks run by django-q2 workers. They take ids, reload, render and send."""

import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from schoolportal.accounts.models import Invitation

from .email import render_email
from .queue import retry_later

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


def _send(message, func, args, attempt):
    """Send, or schedule another attempt on a transient failure. Returns True when sent."""
    try:
        message.send()
    except TRANSIENT_ERRORS as error:
        if attempt >= settings.EMAIL_SEND_ATTEMPTS:
            logger.error("%s gave up after %s attempts: %s", func, attempt, type(error).__name__)
            raise
        logger.warning("%s attempt %s failed (%s); retrying", func, attempt, type(error).__name__)
        retry_later(func, *args, attempt=attempt + 1)
        return False
    return True


def send_password_reset_email(user_id, base_url, attempt=1):
    """The token is made here, in the worker, so it never sits in the task queue."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    message = render_email(
        "password_reset",
        {
            "user": user,
            "link": base_url.rstrip("/") + path,
            "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
        user.email,
    )
    _send(
        message,
        "schoolportal.notifications.tasks.send_password_reset_email",
        (user_id, base_url),
        attempt,
    )


def send_invitation_email(user_id, invited_by_id, base_url, attempt=1):
    """Issue a fresh invitation (revoking older links) and mail its one-time link."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    invitation, token = Invitation.issue(user, invited_by_id=invited_by_id)
    link = base_url.rstrip("/") + reverse("accounts:invitation", kwargs={"token": token})
    message = render_email(
        "invitation",
        {"user": user, "link": link, "invitation": invitation, "inviter": invitation.invited_by},
        user.email,
    )
    if _send(
        message,
        "schoolportal.notifications.tasks.send_invitation_email",
        (user_id, invited_by_id, base_url),
        attempt,
    ):
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
