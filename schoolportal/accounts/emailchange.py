"""Changing the login e-mail address: a signed, expiring link to the new address.

The link carries only the request's id, signed with a timestamp (``django.core.signing``).
It stops working when it expires, once it has been used, when a newer request was made,
or when the account's address changed in the meantime.
"""

from datetime import timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import EmailChange, User, normalise_email

SALT = "schoolportal.accounts.email-change"
VALID_FOR = timedelta(hours=24)


class LinkError(Exception):
    """Why a link cannot change the address; ``str()`` is not shown, ``reason`` is."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


EXPIRED, INVALID, USED, TAKEN = "expired", "invalid", "used", "taken"


def address_in_use(email, except_user=None):
    users = User.objects.filter(email=normalise_email(email))
    if except_user is not None:
        users = users.exclude(pk=except_user.pk)
    return users.exists()


def request_change(user, new_email):
    """A new request for ``user``; earlier open requests of the user are withdrawn."""
    EmailChange.objects.filter(user=user, confirmed_at__isnull=True).delete()
    return EmailChange.objects.create(
        user=user, old_email=user.email, new_email=normalise_email(new_email)
    )


def make_token(change):
    return signing.dumps(change.pk, salt=SALT, compress=False)


def find(token):
    """The open request a token is for; raises ``LinkError`` otherwise."""
    try:
        pk = signing.loads(token, salt=SALT, max_age=VALID_FOR)
    except signing.SignatureExpired as error:
        raise LinkError(EXPIRED) from error
    except signing.BadSignature as error:
        raise LinkError(INVALID) from error
    change = EmailChange.objects.select_related("user").filter(pk=pk).first()
    if change is None or not change.user.is_active:
        raise LinkError(INVALID)  # withdrawn by a newer request, or the account is gone
    if change.confirmed_at is not None:
        raise LinkError(USED)
    if change.user.email != change.old_email:
        raise LinkError(INVALID)
    return change


def confirm(token):
    """Change the address; returns the request. Raises ``LinkError`` when it cannot."""
    with transaction.atomic():
        change = find(token)
        # Lock the row: two tabs confirming the same link change it once.
        change = EmailChange.objects.select_for_update().select_related("user").get(pk=change.pk)
        if change.confirmed_at is not None:
            raise LinkError(USED)
        if address_in_use(change.new_email, except_user=change.user):
            raise LinkError(TAKEN)
        change.user.email = change.new_email
        try:
            with transaction.atomic():
                change.user.save(update_fields=["email"])
        except IntegrityError as error:  # taken by another account a moment ago
            raise LinkError(TAKEN) from error
        change.confirmed_at = timezone.now()
        change.save(update_fields=["confirmed_at"])
    return change
