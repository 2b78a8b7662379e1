"""Local development: the demo school on http://127.0.0.1:8000."""

from .base import *

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WAGTAILADMIN_BASE_URL = os.environ.get(
    "BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
)
DEMO_DATA_ALLOWED = True
# The demo's management account logs in with the published password alone (nobody has the
# demo's authenticator app); STAFF_2FA_REQUIRED=1 make run shows the requirement.
STAFF_2FA_REQUIRED = env_bool("STAFF_2FA_REQUIRED", False)
