"""Ingelogde apparaten: where a user is logged in, and ending such a session.

A row per login (``LoginSession``) is written at login and removed at logout; its
``last_seen`` moves only when the idle clock writes the session anyway (``sessions``),
so listing devices costs no write per request. Ending one deletes the session itself
with the session engine's public ``delete``: that browser's next request is anonymous
and goes to the login page.
"""

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from ua_parser import parse

from schoolportal import access

from .models import LoginSession

# The session remembers its own row, so a new session key (after a password change) moves
# the row along instead of leaving it behind.
SESSION_ROW = "login_session_id"


def describe_device(user_agent):
    """ "Firefox op Android": enough to recognise one's own phone, nothing more is stored."""
    if not user_agent:
        return _("Onbekend apparaat")
    result = parse(user_agent[:500])
    browser = result.user_agent.family if result.user_agent else ""
    system = result.os.family if result.os else ""
    browser = "" if browser in ("", "Other") else browser
    system = "" if system in ("", "Other") else system
    if browser and system:
        return _("%(browser)s op %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Onbekend apparaat")


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


@receiver(user_logged_in)
def remember_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    session = request.session
    if session.session_key is None:
        session.save()
    now = timezone.now()
    row, _created = LoginSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "device": describe_device(request.META.get("HTTP_USER_AGENT", ""))[:100],
            "created_at": now,
            "last_seen": now,
        },
    )
    session[SESSION_ROW] = row.pk
    # Rows of sessions that ended by themselves (idle or too old) go when their owner logs in.
    _stale(LoginSession.objects.filter(user=user)).delete()


@receiver(user_logged_out)
def forget_logout(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session") and request.session.session_key:
        LoginSession.objects.filter(session_key=request.session.session_key).delete()


def seen(request, now):
    """Called by the idle clock when it writes the session: the row follows it."""
    row_id = request.session.get(SESSION_ROW)
    key = request.session.session_key
    if row_id is None or key is None:
        return
    LoginSession.objects.filter(pk=row_id, user=request.user).update(last_seen=now, session_key=key)


def follow_new_key(request):
    """After ``update_session_auth_hash`` (a new session key): keep the row on this session."""
    seen(request, timezone.now())


def _stale(rows):
    now = timezone.now()
    return rows.filter(last_seen__lt=now - timedelta(seconds=settings.SESSION_IDLE_TIMEOUT)) | (
        rows.filter(created_at__lt=now - timedelta(seconds=settings.SESSION_COOKIE_AGE))
    )


def active_sessions(user):
    """The user's sessions that still let somebody in, the most recently used first."""
    now = timezone.now()
    return access.own_login_sessions(user).filter(
        last_seen__gte=now - timedelta(seconds=settings.SESSION_IDLE_TIMEOUT),
        created_at__gte=now - timedelta(seconds=settings.SESSION_COOKIE_AGE),
    )


def end(rows):
    """End these sessions: their browsers are logged out at their next request."""
    rows = list(rows)
    store = _store()
    for row in rows:
        store(session_key=row.session_key).delete()
    LoginSession.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


def end_others(request):
    """End every session of the user but this one ("Alle andere sessies beëindigen")."""
    others = access.own_login_sessions(request.user).exclude(
        session_key=request.session.session_key
    )
    return end(others)
