"""Production settings, served over plain HTTP on loopback for `make bench`.

Starts from ``schoolportal.settings.production`` so the benchmark follows whatever
production changes (caches, middleware, logging); only what needs TLS or real
secrets is relaxed. Never use these settings for anything but the benchmark.
"""

import os
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent.parent / "var" / "bench"
BENCH_SECRET_KEY = "bench-only-fixed-key-not-secret-0123456789abcdefghijklmnop"  # noqa: S105

# Everything the app writes (database, static, media, mail) stays in var/bench, so the
# benchmark never touches the developer's var/schoolportal.sqlite3. bench/run.py sets
# these explicitly; the defaults protect a manual `manage.py ... --settings bench.settings`.
os.environ.setdefault("SCHOOLPORTAL_VAR_DIR", str(BENCH_DIR))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}")
# production.py refuses to import without these; the values below replace them anyway.
os.environ.setdefault("SECRET_KEY", BENCH_SECRET_KEY)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

from schoolportal.settings.production import *  # noqa: E402, F403

DEBUG = False
SECRET_KEY = BENCH_SECRET_KEY
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# wrk talks plain HTTP straight to gunicorn, without the TLS-terminating proxy.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The benchmarks and the scale-out proof log management in over HTTP with the password: the
# second factor is tested in tests/test_two_factor.py, not timed or scripted here.
STAFF_2FA_REQUIRED = False
