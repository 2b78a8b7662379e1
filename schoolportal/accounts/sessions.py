"""Sessions end after ``SESSION_IDLE_TIMEOUT`` seconds without a request.

Django only knows an absolute lifetime (``SESSION_COOKIE_AGE``). A phone or tablet that a
family shares stays logged in for days; an idle limit ends what nobody uses, in the portal
and in the Wagtail admin alike.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from . import loginsessions

LAST_ACTIVITY = "last_activity"
# The session is written (database and cache) only when the stored time is older than this:
# most requests read it and change nothing. An idle session may so end up to this much early.
WRITE_EVERY = 5 * 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY)
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(
                    request,
                    _("U bent uitgelogd omdat u een tijd niet actief was. Log opnieuw in."),
                )
            elif last is None or now - last >= min(WRITE_EVERY, settings.SESSION_IDLE_TIMEOUT):
                request.session[LAST_ACTIVITY] = now
                # "Ingelogde apparaten" shows the last use as exactly as the idle clock knows it.
                loginsessions.seen(request, timezone.now())
        return self.get_response(request)


@receiver(user_logged_in)
def start_activity(sender, request, user, **kwargs):
    """Start the clock at login, which writes the session anyway.

    The session's end is fixed here, as a date: with a relative age, every later write of
    the session (the activity mark above, every few minutes) would move the end along and a
    session in use would never end.
    """
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY] = int(time.time())
        request.session.set_expiry(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE))
