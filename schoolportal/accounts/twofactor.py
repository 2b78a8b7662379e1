"""Tweestapsverificatie: a code from an authenticator app (TOTP) after the password.

django-otp keeps the devices (``otp_totp``: the app; ``otp_static``: ten recovery codes,
each working once), marks a session verified (``django_otp.login``) and slows down wrong
codes (each failure doubles the wait, per device). What is decided here:

- who needs a code: everybody with a confirmed device (teachers and parents switch it on
  themselves), and, while ``STAFF_2FA_REQUIRED`` is on, management, administration and
  superusers (``access.must_use_second_factor``), who set up a device before anything else;
- what a session still owes is decided once, at login, and kept in the session, so an
  ordinary request costs no query for it;
- until the code is given, every page of the site (portal and admin alike) sends the
  browser to the code (or set-up) page: one rule for Wagtail's login and the portal's.
"""

import base64
import time
from urllib.parse import quote

import django_otp
import segno
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from schoolportal import access

from . import loginsessions

# What this session still owes: a code ("verify"), a device first ("set_up"), or nothing ("").
SESSION_STEP = "second_factor_step"
VERIFY = "verify"
SET_UP = "set_up"
# The secret of an app being set up, until its first code confirms it.
SESSION_NEW_KEY = "second_factor_new_key"
RECOVERY_CODE_COUNT = 10
APP_NAME = "Authenticator-app"
RECOVERY_NAME = "Herstelcodes"


def step_for(user):
    """What a login of ``user`` needs besides the password."""
    if user_has_device(user, confirmed=True):
        return VERIFY
    if settings.STAFF_2FA_REQUIRED and access.must_use_second_factor(user):
        return SET_UP
    return ""


@receiver(user_logged_in)
def decide_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STEP] = step_for(user)


def open_paths():
    """What a half-logged-in browser may open: the code pages themselves and logging out."""
    return {
        reverse("accounts:two_factor_verify"),
        reverse("accounts:two_factor_setup"),
        reverse("accounts:logout"),
        reverse("set_language"),
    }


class SecondFactorMiddleware:
    """After django-otp's ``OTPMiddleware``: no page before the second factor is given."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            step = request.session.get(SESSION_STEP)
            if step is None:
                # A session from before this rule (or a test's force_login without request).
                step = request.session[SESSION_STEP] = step_for(user)
            if step and request.path_info not in open_paths():
                target = (
                    "accounts:two_factor_verify" if step == VERIFY else "accounts:two_factor_setup"
                )
                next_url = quote(request.get_full_path(), safe="/")
                return redirect(f"{reverse(target)}?next={next_url}")
        return self.get_response(request)


def safe_next(request, default):
    """The page the user was on their way to, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def verified(request, device):
    """The code was right: this session is a full login now, under a new session key (what
    an onlooker saw of the old key opens nothing)."""
    request.session.cycle_key()
    loginsessions.follow_new_key(request)
    django_otp.login(request, device)
    request.session[SESSION_STEP] = ""
    request.session.pop(SESSION_NEW_KEY, None)


def has_device(user):
    return user_has_device(user, confirmed=True)


def with_device(accounts):
    """Ids of those of ``accounts`` (a queryset of users) with a confirmed device: one query
    for a whole listing of people."""
    devices = Q(pk__in=TOTPDevice.objects.filter(confirmed=True).values("user_id")) | Q(
        pk__in=StaticDevice.objects.filter(confirmed=True).values("user_id")
    )
    return set(accounts.filter(devices).values_list("pk", flat=True))


def is_recovery_code(device):
    return isinstance(device, StaticDevice)


def has_app(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def new_key(request):
    """The secret of the app being set up in this session (made on first view, kept until
    confirmed, so reloading the page shows the same QR code)."""
    key = request.session.get(SESSION_NEW_KEY)
    if not key:
        key = request.session[SESSION_NEW_KEY] = random_hex(20)
    return key


def unsaved_app(user, key):
    return TOTPDevice(user=user, key=key, name=APP_NAME, confirmed=False)


def secret_text(key):
    """The secret as people type it into an app: base32 in groups of four."""
    secret = base64.b32encode(bytes.fromhex(key)).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device):
    """The QR code of the app's set-up link, as inline SVG (no script, no image request)."""
    code = segno.make(device.config_url, error="m")
    # A viewBox without a fixed size: the stylesheet sizes it for phone and desktop.
    return code.svg_inline(
        border=2, dark="#000", light="#fff", omitsize=True, title=_("QR-code voor de app")
    )


def code_matches_new_key(key, code):
    """Whether ``code`` is the app's current code (or the one before or after it: clocks drift)."""
    device = unsaved_app(None, key)
    if not code.isdigit() or len(code) != device.digits:
        return False
    return _totp(device).verify(int(code), tolerance=device.tolerance)


def _totp(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    # The clock django-otp's own check reads (``time.time``), so both agree, frozen or not.
    totp.time = time.time()
    return totp


@transaction.atomic
def confirm_app(user, key):
    """Make the app the user's only one and give ten new recovery codes (returned once)."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, key=key, name=APP_NAME, confirmed=True)
    # The code that confirmed it cannot be used again to log in.
    device.last_t = _totp(device).t()
    device.save(update_fields=["last_t"])
    return device, new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user):
    """Ten fresh recovery codes, shown once; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def remaining_recovery_codes(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def switch_off(user):
    for device in devices_for_user(user, confirmed=None):
        device.delete()


def normalise_code(value):
    return "".join((value or "").split()).lower()


def devices_for_code(user, code):
    """The devices a typed code is meant for: six digits are the app's, anything else a
    recovery code. Trying only those keeps a recovery code's failures off the app's count."""
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    return list(model.objects.filter(user=user, confirmed=True))
