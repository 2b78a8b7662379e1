"""Accounts: whose login needs a second factor, and whose logged-in devices a user sees."""

from schoolportal.accounts.models import LoginSession

from .scope import is_anonymous, scope


def must_use_second_factor(user):
    """Management, administration and superusers log in with a code as well as a password:
    a stolen password of theirs opens every family's address, phones and medical notes.

    Teachers and parents may switch it on themselves; then they need it too (the login
    asks for a code whenever the account has a device, whatever this answers).
    """
    if is_anonymous(user):
        return False
    if user.is_superuser:
        return True
    return bool(scope(user).managed_school_ids)


def own_login_sessions(user):
    """The user's own logged-in devices; nobody, staff included, sees another's."""
    if is_anonymous(user):
        return LoginSession.objects.none()
    return LoginSession.objects.filter(user=user)
