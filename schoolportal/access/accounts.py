"""Accounts: whose login needs a second factor, and whose logged-in devices a user sees."""

from schoolportal.accounts.models import LoginSession
from schoolportal.people.models import StaffMember, StaffRole

from .scope import is_anonymous

# The roles that change a school's people and structure: a stolen password of theirs opens
# every family's address, phone numbers and medical notes.
SECOND_FACTOR_ROLES = (StaffRole.MANAGEMENT, StaffRole.ADMINISTRATION)


def must_use_second_factor(user):
    """Management, administration and superusers log in with a code as well as a password.

    Teachers and parents may switch it on themselves; then they need it too (the login
    asks for a code whenever the account has a device, whatever this answers).
    """
    if is_anonymous(user):
        return False
    if user.is_superuser:
        return True
    return StaffMember.objects.filter(user=user, role__in=SECOND_FACTOR_ROLES).exists()


def own_login_sessions(user):
    """The user's own logged-in devices; nobody, staff included, sees another's."""
    if is_anonymous(user):
        return LoginSession.objects.none()
    return LoginSession.objects.filter(user=user)
