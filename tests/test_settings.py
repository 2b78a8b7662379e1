"""Production settings refuse to start half-configured and pass Django's deploy checks."""

import gc
import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECRET = "p" * 25 + "r0duct10n-s3cr3t-k3y-f0r-t3sts"
ONE_YEAR = 60 * 60 * 24 * 365

# Variables of the developer's or CI's environment that would change what production reads.
CONTROLLED = [
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_HOST",
    "BASE_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "CSRF_TRUSTED_ORIGINS",
    "TRUSTED_PROXY_COUNT",
    "SESSION_COOKIE_AGE",
    "SESSION_IDLE_TIMEOUT",
]


@pytest.fixture
def production_env(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in CONTROLLED}
    env.update(
        DJANGO_SETTINGS_MODULE="schoolportal.settings.production",
        SCHOOLPORTAL_VAR_DIR=str(tmp_path / "var"),
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="school.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def run(env, *args):
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def django_setup(env, code="pass"):
    return run(env, "-c", f"import django; django.setup(); {code}")


def test_production_refuses_to_start_without_secret_key(production_env):
    del production_env["SECRET_KEY"]

    result = django_setup(production_env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_a_short_secret_key(production_env):
    production_env["SECRET_KEY"] = "te-kort"

    result = django_setup(production_env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(production_env):
    del production_env["ALLOWED_HOSTS"]

    result = django_setup(production_env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_passes_the_deploy_check(production_env):
    result = run(production_env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_security_settings(production_env):
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'DEBUG': s.DEBUG, 'SESSION_COOKIE_SECURE': s.SESSION_COOKIE_SECURE, "
        "'CSRF_COOKIE_SECURE': s.CSRF_COOKIE_SECURE, 'SECURE_HSTS_SECONDS': s.SECURE_HSTS_SECONDS, "
        "'SECURE_PROXY_SSL_HEADER': s.SECURE_PROXY_SSL_HEADER, "
        "'SECURE_SSL_REDIRECT': s.SECURE_SSL_REDIRECT, 'DEMO_DATA_ALLOWED': s.DEMO_DATA_ALLOWED, "
        "'PASSWORD_HASHERS': s.PASSWORD_HASHERS}))"
    )

    result = django_setup(production_env, code)

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= ONE_YEAR
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["DEMO_DATA_ALLOWED"] is False
    assert "MD5" not in values["PASSWORD_HASHERS"][0]


def test_production_refuses_the_demo_command(production_env):
    result = run(production_env, "manage.py", "demo")

    assert result.returncode != 0
    assert "refused" in result.stderr


# Sessions through the configured engine, as the session middleware reaches them.
SESSION_STORE = (
    "from importlib import import_module; from django.conf import settings; "
    "SessionStore = import_module(settings.SESSION_ENGINE).SessionStore"
)
SESSION_READER = f"""
import django, sys
django.setup()
{SESSION_STORE}
for line in sys.stdin:
    print(SessionStore(session_key=line.strip()).exists(line.strip()) and
          SessionStore(session_key=line.strip()).load().get("user") or "gone", flush=True)
"""


def test_a_logout_in_one_process_ends_the_session_in_every_other_process(production_env):
    """gunicorn runs several processes; without Redis their sessions must still agree."""
    assert run(production_env, "manage.py", "migrate", "--noinput").returncode == 0
    reader = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", SESSION_READER],
        cwd=ROOT,
        env=production_env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        created = django_setup(
            production_env,
            f"{SESSION_STORE}; s = SessionStore(); s['user'] = 'marieke'; s.create(); "
            "print(s.session_key)",
        )
        key = created.stdout.strip().splitlines()[-1]
        reader.stdin.write(key + "\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "marieke"  # now in the reader's cache

        deleted = django_setup(
            production_env,
            f"{SESSION_STORE}; SessionStore(session_key={key!r}).delete()",
        )
        assert deleted.returncode == 0, deleted.stderr
        reader.stdin.write(key + "\n")
        reader.stdin.flush()

        assert reader.stdout.readline().strip() == "gone"
    finally:
        reader.kill()
        reader.wait()


def test_gunicorn_workers_always_collect_garbage_and_start_from_a_frozen_master():
    """The config switches collection off while the master loads the app (gc.freeze()'s
    advice for forking servers); every hook that precedes forking turns it back on."""
    config = runpy.run_path(str(ROOT / "site" / "deploy" / "gunicorn.conf.py"))
    try:
        assert not gc.isenabled()  # reading the config (start or reload) before loading
        config["when_ready"](server=None)
        assert gc.isenabled() and gc.get_freeze_count() > 0

        gc.disable()  # a reload (SIGHUP) reads the config again
        config["on_reload"](server=None)
        assert gc.isenabled()

        gc.disable()
        config["post_fork"](server=None, worker=None)
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


# The real login view under the production settings, reached the way nginx reaches it:
# from the proxy's address (REMOTE_ADDR) with the client appended to X-Forwarded-For.
LOGIN_BEHIND_PROXY = """
import json
import django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

# The one thing not as deployed: static file names without the manifest collectstatic writes.
override_settings(
    STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
).enable()
get_user_model().objects.create_user(email="ouder@example.org", password="juist-en-geheim-42")


def attempt(forwarded_for, password):
    response = Client().post(
        "/account/inloggen/",
        {"username": "ouder@example.org", "password": password},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=forwarded_for,
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_HOST="school.example.org",
    )
    return response.status_code


A, B = "145.97.1.10", "84.24.5.6"
statuses = {
    # Client A guesses five times, each time putting another address in front of its own.
    "a_guesses": [attempt(f"{forged}, {A}", "fout") for forged in
                  [B, "10.0.0.9", "8.8.8.8", "unknown", "84.24.5.7"]],
    "a_right_password": attempt(A, "juist-en-geheim-42"),
    # Client B, behind a proxy of its own that names A, is still B.
    "b_right_password": attempt(f"{A}, {B}", "juist-en-geheim-42"),
}
print(json.dumps(statuses))
"""


def test_behind_the_proxy_one_client_never_locks_out_another(production_env):
    """Five failures lock client A out; client B logs in. A forged left-most entry in
    X-Forwarded-For cannot choose the bucket: nginx appends the real client on the right."""
    assert run(production_env, "manage.py", "migrate", "--noinput").returncode == 0

    result = run(production_env, "-c", LOGIN_BEHIND_PROXY)

    assert result.returncode == 0, result.stderr
    statuses = json.loads(result.stdout.strip().splitlines()[-1])
    assert statuses == {
        "a_guesses": [200, 200, 200, 200, 429],
        "a_right_password": 429,
        "b_right_password": 302,
    }


CLIENT_ADDRESS = """
import django
django.setup()
from django.test import RequestFactory
from schoolportal.accounts.throttling import client_address

request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2",
                               HTTP_X_FORWARDED_FOR="8.8.8.8, 145.97.1.10, 10.0.0.1")
print(client_address(request))
"""


@pytest.mark.parametrize(
    ("proxies", "client"),
    [("0", "10.0.0.2"), ("1", "10.0.0.1"), ("2", "145.97.1.10"), ("3", "8.8.8.8")],
)
def test_the_client_address_is_counted_from_the_right_by_the_number_of_proxies(
    production_env, proxies, client
):
    production_env["TRUSTED_PROXY_COUNT"] = proxies

    result = django_setup(production_env, f"exec({CLIENT_ADDRESS!r})")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == client


def test_session_lifetime_and_idle_limit_come_from_the_environment(production_env):
    production_env.update(SESSION_COOKIE_AGE="86400", SESSION_IDLE_TIMEOUT="1800")
    code = (
        "from django.conf import settings as s; print(s.SESSION_COOKIE_AGE, s.SESSION_IDLE_TIMEOUT)"
    )

    result = django_setup(production_env, code)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "86400 1800"
