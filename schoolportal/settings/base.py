"""Settings shared by every environment.

Safe for production by default: secrets and hosts come from the environment,
and only ``dev.py``/``test.py`` relax anything.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("SCHOOLPORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name):
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "schoolportal.accounts",
    "schoolportal.people",
    "schoolportal.agenda",
    "schoolportal.notifications",
    "schoolportal.mailings",
    "schoolportal.conversations",
    "schoolportal.absences",
    "schoolportal.lunch",
    "schoolportal.results",
    "schoolportal.consent",
    "schoolportal.accesslog",
    "schoolportal.interviews",
    "schoolportal.newsletters",
    "schoolportal.classposts",
    "schoolportal.reactions",
    "schoolportal.pupilimport",
    "schoolportal.operations",
    "schoolportal.dataexport",
    "schoolportal.privacy",
    "schoolportal.parentviews",
    "schoolportal.portal",
    "schoolportal.demo",
    "pages",
    "snippets",
    "forms",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "django_q",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After authentication: the Inzagelog's rows of a request, written at its end in one query.
    "schoolportal.accesslog.recording.AccessLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: a session that ended for idleness says so on the login page.
    "schoolportal.accounts.sessions.IdleTimeoutMiddleware",
    # No page (portal or admin) before the second factor of a login that needs one.
    "schoolportal.accounts.twofactor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "schoolportal.portal.middleware.SecurityHeadersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Must be last: it turns AxesBackend's lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "schoolportal.urls"
WSGI_APPLICATION = "schoolportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        # No "loaders": Django then wraps these in its cached loader, so each template is
        # compiled once per process.
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "schoolportal.portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# Embedded default: SQLite in var/. DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'schoolportal.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite ignores select_for_update: IMMEDIATE transactions and a busy timeout
    # make concurrent writers (web + qcluster) queue instead of failing. Connections are
    # kept (CONN_MAX_AGE): a new one re-reads the whole schema, which costs more than a page.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "schoolportal"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background tasks (django-q2) ------------------------------------------
# Timeouts nest: SMTP (EMAIL_TIMEOUT) < task timeout < broker retry, so a slow
# mail server fails inside the task instead of being delivered twice.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
Q_WORKERS = int(os.environ.get("Q_WORKERS", "2"))
# How many workers share one large mailing, each with its own connection to the mail
# server: all worker processes of all task hosts together (hosts × Q_WORKERS). A web host
# cannot count them, so several task hosts set it; the sweep takes over a host that is gone.
OUTBOX_SENDERS = int(os.environ.get("OUTBOX_SENDERS", str(Q_WORKERS)))
Q_CLUSTER = {
    "name": "schoolportal",
    "workers": Q_WORKERS,
    "timeout": 60,
    "retry": 120,
    "max_attempts": 5,
    "queue_limit": 50,
    "bulk": 10,
    "catch_up": False,
    "save_limit": 1000,
    "label": _("Achtergrondtaken"),
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["poll"] = 0.25  # a query every 0.25 s: e-mails start at once, idle costs nothing

# Wagtail's own background work runs through django-tasks; keep it immediate and
# leave the project's tasks to django-q2.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Accounts -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "schoolportal.accounts.backends.EmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 12  # reset links die within a day
INVITATION_VALID_FOR = timedelta(days=7)

# Throttle failed logins per (account, client address) pair, not per account: anybody who
# knows a parent's e-mail address could otherwise lock that parent out. An account under
# attack from many addresses is slowed down instead (``throttling.cool_off``): each attacking
# pair stays locked longer, while the parent's own address has no failures and logs in.
# No separate per-address lock: a successful login resets every bucket it matches, so one
# person with an account could empty their address's bucket at will, and behind school
# Wi-Fi or a mobile carrier's shared address it would lock out strangers.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = "schoolportal.accounts.throttling.cool_off"
# The cool-off differs per account, so each attempt keeps the expiry it was given; without
# this, any login would clean up every account's attempts older than its own cool-off.
AXES_USE_ATTEMPT_EXPIRATION = True
LOGIN_COOL_OFF = timedelta(minutes=15)
LOGIN_COOL_OFF_MAX = timedelta(days=1)
# Every this many failures against one account (all addresses together, within the longest
# cool-off) double the cool-off of each of its pairs, up to LOGIN_COOL_OFF_MAX.
LOGIN_FAILURES_PER_DOUBLING = 10
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "schoolportal.accounts.throttling.submitted_email"
AXES_LOCKOUT_CALLABLE = "schoolportal.accounts.views.locked_out"
AXES_VERBOSE = False
# Its log lines name the account by a keyed reference, never by the address typed in.
AXES_CLIENT_STR_CALLABLE = "schoolportal.operations.logs.axes_client"
AXES_ENABLE_ADMIN = False
# Without a proxy the client is the peer; production.py reads X-Forwarded-For instead.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Tweestapsverificatie (schoolportal.accounts.twofactor): management, administration and
# superusers must log in with a code from an authenticator app as well; teachers and parents
# may switch it on. Off only where nobody has a phone at hand: tests and the demo.
STAFF_2FA_REQUIRED = env_bool("STAFF_2FA_REQUIRED", True)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Schoolportal")
# Each wrong code doubles the wait before the next one is checked (1, 2, 4, … seconds, per
# device): a million possible codes cannot be tried, and the owner who mistypes waits seconds.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Password-reset requests per hour, per submitted address and per client address. The client
# limit is higher: many families share one address behind a mobile carrier or school Wi-Fi.
PASSWORD_RESET_LIMIT_PER_EMAIL = 3
PASSWORD_RESET_LIMIT_PER_CLIENT = 10
PASSWORD_RESET_LIMIT_WINDOW = timedelta(hours=1)

# With Redis, sessions are read from it and written through to the database. Without it the
# cache is each process's own memory, where a session would outlive its logout in another
# process (gunicorn runs several): there the database alone holds them.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A session ends at the latest this long after login, and sooner after SESSION_IDLE_TIMEOUT
# without a request (schoolportal.accounts.sessions); parents share phones and tablets.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 24 * 7)))
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(60 * 60 * 12)))
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Internationalisation ------------------------------------------------
# Must be "nl" before the first migrate: Wagtail creates its default Locale from it.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
WAGTAIL_CONTENT_LANGUAGES = [("nl", "Nederlands")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads, renditions and exports in S3-compatible object storage (django-storages), so that
# every web and task host sees the same files. The bucket must be private (no public ACLs,
# public access blocked): files reach parents only through ``schoolportal.privatemedia``.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
MEDIA_SIGNED_URL_SECONDS = int(os.environ.get("MEDIA_SIGNED_URL_SECONDS", "60"))
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            # Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (boto3 reads them).
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "signature_version": "s3v4",
            "querystring_auth": True,
            "querystring_expire": MEDIA_SIGNED_URL_SECONDS,
            # Two uploads of "IMG_0001.jpg" are two objects, never one overwriting the other.
            "file_overwrite": False,
        },
    }
# app: the web process streams private files; accel: nginx does (X-Accel-Redirect to
# PRIVATE_MEDIA_ACCEL_PREFIX, an internal location); signed: a redirect to a signed bucket URL.
PRIVATE_MEDIA_DELIVERY = os.environ.get(
    "PRIVATE_MEDIA_DELIVERY", "signed" if AWS_STORAGE_BUCKET_NAME else "app"
)
PRIVATE_MEDIA_ACCEL_PREFIX = os.environ.get("PRIVATE_MEDIA_ACCEL_PREFIX", "/protected-media/")

# --- E-mail ---------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Schoolportal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "schoolportal.notifications.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    # Without a mail server every e-mail lands as its own .eml file (open it in a mail client).
    EMAIL_BACKEND = "schoolportal.notifications.files.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_SEND_ATTEMPTS = 5

# `manage.py demo` creates accounts with a published password: dev and test only.
DEMO_DATA_ALLOWED = False

# --- Wagtail --------------------------------------------------------------
WAGTAIL_SITE_NAME = "Schoolportal"
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# What staff may upload, and so attach to a mailing: office documents, PDFs and images.
# No HTML, SVG or scripts: they could run in a browser, and mail servers refuse them.
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "odt",
    "rtf",
    "txt",
    "xls",
    "xlsx",
    "ods",
    "csv",
    "ppt",
    "pptx",
    "odp",
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "heic",
]
# Mailboxes refuse larger e-mails: one attachment, and all of a mailing's together.
MAILING_ATTACHMENT_MAX_SIZE = int(os.environ.get("MAILING_ATTACHMENT_MAX_SIZE", 20 * 1024 * 1024))
WAGTAILDOCS_MAX_UPLOAD_SIZE = MAILING_ATTACHMENT_MAX_SIZE
# Inzagelog: how long a row of who opened or changed a pupil's or guardian's record is kept
# (removed by the daily retention run, schoolportal.privacy).
ACCESS_LOG_RETENTION_DAYS = int(os.environ.get("ACCESS_LOG_RETENTION_DAYS", 365))
# Berichten: how many messages a parent may send per hour before being asked to wait.
CONVERSATION_MESSAGES_PER_HOUR = int(os.environ.get("CONVERSATION_MESSAGES_PER_HOUR", 20))
# A new document goes into its school's collection without asking (documents are per school).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "pages.documents.SchoolDocumentForm"
WAGTAIL_I18N_ENABLED = False
# Wagtail accepts 128 megapixels: a small, highly compressed PNG of that size ties up a worker
# and its memory while it is resized. 50 million pixels is more than any phone or camera photo
# a school uploads.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = int(os.environ.get("WAGTAILIMAGES_MAX_IMAGE_PIXELS", 50_000_000))
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The admin's CSP blocks gravatar.com (a broken avatar), and it would learn staff addresses.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Private Wagtail pages ask for a login through the portal's own form (throttled, one look).
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
WAGTAIL_PASSWORD_RESET_ENABLED = False  # the portal's own reset flow serves staff too
WAGTAILUSERS_PASSWORD_ENABLED = True

LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_secrets": {"()": "schoolportal.logging.MaskSecretsFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        # One JSON object per line for a log collector: LOG_FORMAT=json (production's default).
        "json": {"()": "schoolportal.operations.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["mask_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django": {"level": "INFO"},
        # Logger filters change the record before any handler (file, Sentry, …) sees it.
        "django.request": {"level": "INFO", "filters": ["mask_secrets"]},
        # runserver's request log: through the masking handler, not Django's default one.
        "django.server": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
            "filters": ["mask_secrets"],
        },
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# --- Retention (schoolportal.privacy) -------------------------------------
# Days after which the daily retention run removes or anonymises each kind of data, counted
# from the moment named in the privacy page (the last message, the pupil leaving, ...).
# Each is set by RETENTION_DAYS_<KIND>, e.g. RETENTION_DAYS_CONVERSATIONS=365.
RETENTION_DAYS = {
    kind: int(os.environ.get(f"RETENTION_DAYS_{kind.upper()}", days))
    for kind, days in {
        "conversations": 730,
        "reply_slip_answers": 365,
        "absences": 730,
        "lunch_days": 7 * 365,
        "interview_bookings": 365,
        "album_photos": 365,
        "results_of_pupils_who_left": 365,
        "consent_history_of_pupils_who_left": 365,
        "accounts_of_families_who_left": 90,
        "outbox": 90,
        "email_changes": 30,
        "invitations": 90,
        "login_sessions": 30,
    }.items()
}
