"""Limits on logging in and on password-reset requests.

Logins are throttled by django-axes (settings ``AXES_*``); this module holds the callables
those settings name, and the password-reset limit, which counts in Django's cache.
"""

import hashlib
import logging

from axes.helpers import get_client_ip_address, get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from .models import normalise_email

logger = logging.getLogger(__name__)


def submitted_email(request, credentials):
    """The account a login attempt was for, normalised so 'A@x.nl' and 'a@x.nl' count together."""
    if credentials:
        return normalise_email(credentials.get("username") or credentials.get("email"))
    return normalise_email(request.POST.get("username"))


def client_address(request):
    """The client's address as django-axes sees it: behind the proxy, from X-Forwarded-For.

    Everything that counts per client asks this, so the proxy settings apply to all of it.
    """
    return get_client_ip_address(request)


def cool_off(request):
    """How long a locked (account, address) pair stays locked: ``AXES_COOLOFF_TIME``.

    ``LOGIN_COOL_OFF``, doubled for every ``LOGIN_FAILURES_PER_DOUBLING`` failures against the
    same account from all addresses together, up to ``LOGIN_COOL_OFF_MAX``. An attacker who
    spreads guesses over many addresses gets ever fewer per address, yet the account itself is
    never locked: its owner, at an address without failures, still logs in. Unknown accounts
    count the same way, so the lockout says nothing about whether an account exists.
    """
    base, longest = settings.LOGIN_COOL_OFF, settings.LOGIN_COOL_OFF_MAX
    email = get_client_username(request) if request is not None else None
    if not email:
        return base
    since = timezone.now() - longest
    failures = (
        AccessAttempt.objects.filter(username=email, attempt_time__gte=since).aggregate(
            total=Sum("failures_since_start")
        )["total"]
        or 0
    )
    # Capped before raising 2 to it: the count is the attacker's to choose.
    doublings = min(failures // settings.LOGIN_FAILURES_PER_DOUBLING, 16)
    return min(base * 2**doublings, longest)


def _count(kind, value):
    """One more request under ``kind``/``value`` in the current window; returns the count."""
    digest = hashlib.sha256(value.encode()).hexdigest()
    key = f"password-reset:{kind}:{digest}"
    window = int(settings.PASSWORD_RESET_LIMIT_WINDOW.total_seconds())
    # add() starts the window only for the first request; incr() keeps its expiry.
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window)
        return 1


def password_reset_allowed(request, email):
    """Whether a reset e-mail may be sent now for ``email``, counting this request.

    The client address is counted first, on every request, so a stream of requests from
    one address stays limited. The address asked for is counted only when the client is
    within its limit: otherwise one client could use up the hourly allowance of any number
    of accounts and so keep their owners from resetting at home. The caller answers the
    same either way: nobody learns whether an address exists or is being limited.
    """
    per_client = _count("client", client_address(request) or "unknown")
    allowed = per_client <= settings.PASSWORD_RESET_LIMIT_PER_CLIENT and (
        _count("email", normalise_email(email)) <= settings.PASSWORD_RESET_LIMIT_PER_EMAIL
    )
    if not allowed:
        logger.warning("Password-reset request over the limit; no e-mail sent.")
    return allowed
