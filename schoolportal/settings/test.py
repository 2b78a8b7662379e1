"""Test settings: fast hashing, local-memory cache unless REDIS_URL, e-mail in memory."""

from .base import *

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
MEDIA_ROOT = VAR_DIR / "test-media"
WAGTAILADMIN_BASE_URL = "http://testserver"
if REDIS_URL:
    CACHES["default"]["KEY_PREFIX"] = f"schoolportal-test-{os.getpid()}"
# Tests run tasks synchronously unless they ask for the broker explicitly.
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
# The production logging setup, secret masking included, but silent.
LOGGING = {**LOGGING, "handlers": {"console": {"class": "logging.NullHandler"}}}
DEMO_DATA_ALLOWED = True
# Hundreds of tests log staff in with force_login; the two-factor tests switch this on.
STAFF_2FA_REQUIRED = False
