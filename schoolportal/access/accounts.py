"""Accounts: whose login needs a second factor, whose logged-in devices a user sees, and
whose second factor the school may switch off (a lost phone)."""

from django.db.models import Q

from schoolportal.accounts.models import LoginSession, User
from schoolportal.people.models import Guardianship, StaffMember

from .scope import is_anonymous, managed_schools, scope


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


def second_factor_resettable_accounts(user):
    """Accounts whose two-step verification the user may switch off when its phone is lost:
    of the staff and guardians of a school they manage (management, administration). Never
    their own (their own security page does that, with a code) and never a superuser's,
    unless they are one."""
    if is_anonymous(user):
        return User.objects.none()
    schools = managed_schools(user).values("pk")
    staff = StaffMember.objects.filter(school__in=schools).values("user_id")
    guardians = Guardianship.objects.filter(pupil__school__in=schools).values("guardian__user_id")
    accounts = User.objects.filter(Q(pk__in=staff) | Q(pk__in=guardians)).exclude(pk=user.pk)
    return accounts if user.is_superuser else accounts.exclude(is_superuser=True)
