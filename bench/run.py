"""`make bench`: how fast the parent portal answers under load, and what each page costs.

Builds (once) a demo school with 1000 families in var/bench/, serves it with gunicorn the
way production does, logs in as the demo parent and loads each parent page with wrk from
a separate process: requests per second and p50/p99 latency, next to the trivial /healthz
ceiling. Parent pages are cached per session, so each page is loaded three times: with the
one session again and again (cache hits), with a new session of the demo parent per request
(first views, rendered, but what is kept per family is always there), and with a new session
per request of 200 different parents in turn (first views of 200 families, each asking for
their own child's class list and group page; what is kept per family is rendered on a
family's first request and found on its later ones, as for a parent who comes back).
Adds the database queries per page (Django test client, in process) and the peak memory of
the gunicorn workers, prints a table per view and stores them as JSON so commits can be
compared (`--compare var/bench/latest.json`).

Targets: a cached page serves at least 15 % of the ceiling's requests per second; every first
view at least 10 % (the floor), and the dashboard, mailings and class list answer first views
with a median latency under 50 ms (wrk's p50, under the run's own concurrent connections).

It is a report: it exits 0 when a page misses its target, non-zero only when it could not
measure (a page that does not answer 200, a server that does not start, no wrk).

    .venv/bin/python bench/run.py [--reseed] [--compare FILE] [--duration 8] ...
"""

import argparse
import contextlib
import fcntl
import hashlib
import http.client
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
DB_PATH = BENCH_DIR / "bench.sqlite3"
SEED_MARKER = BENCH_DIR / "seeded.json"
SERVER_LOG = BENCH_DIR / "gunicorn.log"
SESSIONS_FILE = BENCH_DIR / "sessions.txt"
LOCK_FILE = BENCH_DIR / "run.lock"
SESSIONS_LUA = ROOT / "bench" / "sessions.lua"
GUNICORN_CONF = ROOT / "site" / "deploy" / "gunicorn.conf.py"
# What the demo school is made of: when one changes, the reused database is stale.
SEED_SOURCES = [
    ROOT / "schoolportal" / "demo" / "school.py",
    ROOT / "schoolportal" / "demo" / "families.py",
    ROOT / "schoolportal" / "demo" / "agenda.py",
    ROOT / "schoolportal" / "demo" / "mailings.py",
    ROOT / "schoolportal" / "demo" / "grouppages.py",
    ROOT / "schoolportal" / "demo" / "conversations.py",
    ROOT / "schoolportal" / "demo" / "newsletters.py",
    ROOT / "schoolportal" / "demo" / "results.py",
    ROOT / "site" / "demo" / "names.json",
]

PARENT_EMAIL = "ouder.jansen@example.org"
PARENT_PASSWORD = "demo-wachtwoord"  # noqa: S105 - the documented demo password
HOST = "127.0.0.1"
# A parent page from its session's page cache should serve at least this share of the
# trivial /healthz ceiling; a first view (rendered) at least FLOOR_RATIO.
TARGET_RATIO = 0.15
FLOOR_RATIO = 0.10
# First views of these pages should have a median latency under P50_TARGET_MS.
P50_TARGET_MS = 50
P50_PAGES = ("dashboard", "mailings", "class list")
# When other processes take more than this share of the CPUs during the measurement,
# req/s are lower than on a quiet machine: the report says so.
BUSY_SHARE = 0.10


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    parent: bool = True  # a parent page has a target; /healthz is the ceiling
    # Any parent's path to the page, filled in from their child's group ({group}) and its
    # group page ({group_page}); None where not every family has the page.
    family_path: str | None = None

    def path_for(self, family):
        return self.family_path.format(**family)


def pages_for(
    class_group_pk,
    slip_mailing_pk,
    group_page_pk,
    album_pk,
    conversation_pk,
    newsletter_pk,
    results_child_pk=None,
    interview_path=None,
):
    """The measured pages, the ceiling first: ratios are relative to it."""

    def same(name, path):
        return Page(name, path, family_path=path)

    return [
        Page("healthz (ceiling)", "/healthz", parent=False),
        same("dashboard", "/portaal/"),
        same("profile", "/portaal/profiel/"),
        same("school overview", "/portaal/school/"),
        Page(
            "class list",
            f"/portaal/groepen/{class_group_pk}/",
            family_path="/portaal/groepen/{group}/",
        ),
        Page(
            "class list print",
            f"/portaal/groepen/{class_group_pk}/afdrukken/",
            family_path="/portaal/groepen/{group}/afdrukken/",
        ),
        same("children", "/portaal/kinderen/"),
        same("mailings", "/portaal/mailings/"),
        Page("mailing with slip", f"/portaal/mailings/{slip_mailing_pk}/"),
        same("agenda", "/portaal/agenda/"),
        same("agenda month", "/portaal/agenda/maand/"),
        Page(
            "group page",
            f"/portaal/groepspagina/{group_page_pk}/",
            family_path="/portaal/groepspagina/{group_page}/",
        ),
        Page("photo album", f"/portaal/groepspagina/album/{album_pk}/"),
        # Berichten is never kept in the page cache: every view is rendered.
        same("berichten", "/portaal/berichten/"),
        Page("conversation", f"/portaal/berichten/{conversation_pk}/"),
        # Rendered for every visit (a family's own reports as they are now), never cached.
        same("absent melden", "/portaal/absenties/melden/"),
        same("absences", "/portaal/absenties/"),
        # Overblijven: the coming lunch days, rendered per visit like the absences.
        same("lunch", "/portaal/overblijven/"),
        same("newsletters", "/portaal/nieuwsbrieven/"),
        # The demo has one school: every family reads its newest issue.
        same("newsletter issue", f"/portaal/nieuwsbrieven/{newsletter_pk}/"),
        # Resultaten: rendered per visit (a release shows at once); the demo school uses it.
        same("resultaten", "/portaal/resultaten/"),
        *(
            [Page("results of a child", f"/portaal/resultaten/kind/{results_child_pk}/")]
            if results_child_pk
            else []
        ),
        # Oudergesprekken: rendered per visit (the free times as they are now).
        same("interviews", "/portaal/oudergesprekken/"),
        *([Page("interview booking", interview_path)] if interview_path else []),
    ]


def parse_args(argv=None):
    """Defaults fit the 2-core machines the project runs its checks on."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", type=int, default=1000, help="demo families (1000)")
    parser.add_argument("--reseed", action="store_true", help="build a new database first")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (4)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument("--duration", type=int, default=8, help="seconds per page (8)")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured seconds per page (2)")
    parser.add_argument(
        "--sessions", type=int, default=10000, help="sessions for each first-view run (10000)"
    )
    parser.add_argument(
        "--parents", type=int, default=200, help="parents of the many-families run (200)"
    )
    parser.add_argument("--compare", type=Path, help="earlier results JSON to print beside")
    parser.add_argument("--show-queries", action="store_true", help="print each page's SQL")
    return parser.parse_args(argv)


# --- Processes ----------------------------------------------------------------------------


def hold_lock():
    """One run at a time: two would rebuild the same database and share the CPUs.

    The lock lives on the open file: the kernel releases it however this process ends.
    """
    lock = LOCK_FILE.open("a+")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        sys.exit(f"bench: another run is in progress (pid {lock.read().strip() or '?'}).")
    lock.truncate(0)
    lock.write(str(os.getpid()))
    lock.flush()
    return lock


def bench_env(settings):
    """The environment of every Django process: the bench database, never var/'s own."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_URL": f"sqlite:///{DB_PATH}",
        "SCHOOLPORTAL_VAR_DIR": str(BENCH_DIR),
        "PYTHONUNBUFFERED": "1",
    }


def run(command, **kwargs):
    """Run a trusted command (no shell); every subprocess of the benchmark goes through here."""
    return subprocess.run(command, cwd=ROOT, **kwargs)  # noqa: S603


def manage(*args, settings="schoolportal.settings.dev", check=True):
    """`manage.py` against the bench database. Seeding needs dev (DEMO_DATA_ALLOWED)."""
    command = [sys.executable, "manage.py", *args]
    code = run(command, env=bench_env(settings)).returncode
    if check and code != 0:
        sys.exit(f"bench: `manage.py {' '.join(args)}` failed with exit code {code}.")
    return code


def ensure_wrk():
    """wrk from Debian; installed on the spot when we are root (CI, the dev containers)."""
    found = shutil.which("wrk")
    if found:
        return found
    apt_get = shutil.which("apt-get")
    if os.geteuid() != 0 or apt_get is None:
        sys.exit(
            "bench: wrk is missing. Install it (Debian/Ubuntu: `sudo apt-get install -y wrk`)."
        )
    print("bench: installing wrk (apt-get install -y wrk)", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [apt_get, "install", "-y", "-q", "wrk"]
    if run(install, env=env).returncode != 0:  # the package lists may be missing or stale
        run([apt_get, "update", "-q"], env=env, check=True)
        run(install, env=env, check=True)
    return shutil.which("wrk") or sys.exit("bench: wrk is still missing after apt-get install.")


# --- The database -------------------------------------------------------------------------


def seed_fingerprint(families):
    """Identifies the demo data a database holds; a changed demo builder means reseeding."""
    digest = hashlib.sha256(str(families).encode())
    for source in SEED_SOURCES:
        digest.update(source.read_bytes())
    return digest.hexdigest()


def read_marker():
    """What the last seeding recorded; empty when it never finished."""
    try:
        return json.loads(SEED_MARKER.read_text())
    except (OSError, ValueError):
        return {}


def remove_database():
    """Drop the database with its WAL files and its marker, so a half-built one is never reused."""
    for path in (SEED_MARKER, DB_PATH, Path(f"{DB_PATH}-wal"), Path(f"{DB_PATH}-shm")):
        path.unlink(missing_ok=True)


def build_database(families):
    """Migrate a new database and load the demo school with ``families`` families."""
    remove_database()
    print(f"bench: seeding a new database with {families} families (takes a while)", flush=True)
    started = time.monotonic()
    manage("migrate", "--noinput", "-v", "0")
    manage("demo", "--families", str(families))
    seconds = round(time.monotonic() - started, 1)
    marker = {
        "fingerprint": seed_fingerprint(families),
        "families": families,
        "seed_seconds": seconds,
        "seeded_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    SEED_MARKER.write_text(json.dumps(marker, indent=2))
    print(f"bench: seeded in {seconds} s", flush=True)
    return marker


def prepare_database(families, reseed):
    """Reuse the seeded database when its demo data is current and it still migrates."""
    marker = read_marker()
    current = DB_PATH.exists() and marker.get("fingerprint") == seed_fingerprint(families)
    if current and not reseed:
        # New migrations of the code under test are applied; a schema that no longer
        # migrates (an edited migration) is rebuilt.
        if manage("migrate", "--noinput", "-v", "0", check=False) == 0:
            print(f"bench: reusing {DB_PATH.relative_to(ROOT)} (--reseed rebuilds it)")
            return {**marker, "reused": True}
        print("bench: the saved database no longer migrates; rebuilding it", flush=True)
    return {**build_database(families), "reused": False}


def collect_static():
    """Production serves static files through WhiteNoise from the collected, hashed files."""
    manage("collectstatic", "--noinput", "-v", "0", settings="bench.settings")


# --- Queries per page (in process) --------------------------------------------------------


def setup_django():
    """Django in this process, on the same settings and database as the server."""
    os.environ.update(bench_env("bench.settings"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def class_group_pk():
    """The group of Emma Jansen (the demo parent's child in groep 3): its class list."""
    from schoolportal.people.models import Pupil

    emma = Pupil.objects.get(
        first_name="Emma", last_name="Jansen", guardianships__guardian__email=PARENT_EMAIL
    )
    return emma.group_id


def slip_mailing_pk():
    """A demo mailing to the demo parent's groep 3 with an open reply slip: its detail page."""
    from schoolportal.mailings.models import Mailing

    mailing = Mailing.objects.filter(
        title="Schoolreis groep 3: wie rijdt er mee?", reply_fields__isnull=False
    ).first()
    if mailing is None:
        sys.exit("bench: the demo mailing with a reply slip is missing; try --reseed.")
    return mailing.pk


def conversation_pk():
    """The demo parent's conversation with juf Bakker: its page."""
    from schoolportal.conversations.models import Conversation

    conversation = Conversation.objects.filter(
        subject="Emma naar de tandarts", participants__guardian__email=PARENT_EMAIL
    ).first()
    if conversation is None:
        sys.exit("bench: the demo conversation with juf Bakker is missing; try --reseed.")
    return conversation.pk


def group_page_pks():
    """Groep 3's page (Emma Jansen's group) and its newest photo album."""
    from pages.models import GroupPage, PhotoAlbumPage

    page = GroupPage.objects.filter(group_id=class_group_pk()).first()
    album = PhotoAlbumPage.objects.child_of(page).live().order_by("-date").first() if page else None
    if album is None:
        sys.exit("bench: the demo group page with a photo album is missing; try --reseed.")
    return page.pk, album.pk


def interview_path():
    """Emma Jansen's booking page in the demo's round of groep 3 (open when the demo was
    loaded; a closed one is measured all the same)."""
    from django.urls import reverse

    from schoolportal.interviews.models import InterviewRound
    from schoolportal.people.models import Pupil

    emma = Pupil.objects.get(
        first_name="Emma", last_name="Jansen", guardianships__guardian__email=PARENT_EMAIL
    )
    latest = (
        InterviewRound.objects.filter(groups=emma.group_id).order_by("-booking_opens_at").first()
    )
    if latest is None:
        sys.exit("bench: the demo's interview round of groep 3 is missing; try --reseed.")
    return reverse("interviews:book", args=[latest.pk, emma.pk])


def newsletter_pk():
    """The demo school's newest newsletter issue, with every kind of block."""
    from pages.models import NewsletterPage

    issue = NewsletterPage.objects.live().order_by("-issue_date").first()
    if issue is None:
        sys.exit("bench: the demo newsletter is missing; try --reseed.")
    return issue.pk


def results_child_pk():
    """Daan Jansen (groep 7): two school years of released results in three tests."""
    from schoolportal.people.models import Pupil

    daan = Pupil.objects.filter(
        first_name="Daan", last_name="Jansen", guardianships__guardian__email=PARENT_EMAIL
    ).first()
    if daan is None:
        sys.exit("bench: the demo child Daan Jansen is missing; try --reseed.")
    return daan.pk


def bench_parents(count):
    """``count`` parents of different families, spread over the school, each with an account.

    The demo gives accounts to its named families only; the generated families' first
    parents get one here (once: the bench database keeps them), all with the hash of the
    demo password, since logging in is not what is measured. Returns (user, family) pairs,
    the family holding the ids their pages are found by: their first child's group and its
    group page.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from pages.models import GroupPage
    from schoolportal.people.models import Guardian, Guardianship

    first_parents = Guardian.objects.filter(email__regex=r"\.[0-9]+a@example\.net$")
    pks = list(first_parents.order_by("pk").values_list("pk", flat=True))
    if len(pks) < count:
        sys.exit(f"bench: the school has {len(pks)} generated families, not {count}; --reseed.")
    chosen = pks[:: len(pks) // count][:count]
    User = get_user_model()
    password = make_password(PARENT_PASSWORD)
    for guardian in Guardian.objects.filter(pk__in=chosen, user__isnull=True):
        guardian.user = User.objects.create(
            email=guardian.email,
            password=password,
            first_name=guardian.first_name,
            last_name=guardian.last_name,
        )
        guardian.save()
    groups = {}
    for guardian_pk, group_pk in (
        Guardianship.objects.filter(guardian__in=chosen)
        .order_by("pupil__pk")
        .values_list("guardian", "pupil__group")
    ):
        groups.setdefault(guardian_pk, group_pk)
    group_pages = dict(
        GroupPage.objects.filter(group__in=groups.values()).values_list("group", "pk")
    )
    users = User.objects.in_bulk([g.user_id for g in Guardian.objects.filter(pk__in=chosen)])
    return [
        (
            users[guardian.user_id],
            {"group": groups[guardian.pk], "group_page": group_pages[groups[guardian.pk]]},
        )
        for guardian in Guardian.objects.filter(pk__in=chosen).order_by("pk")
    ]


def demo_parent():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=PARENT_EMAIL)


def logged_in_client():
    """A test client logged in through the real form, and the backend that login recorded.

    The backend matters: its get_user() is the per-request user query.
    """
    from django.contrib.auth import BACKEND_SESSION_KEY
    from django.test import Client

    client = Client(HTTP_HOST=HOST, REMOTE_ADDR=HOST)
    form = {"username": PARENT_EMAIL, "password": PARENT_PASSWORD}
    response = client.post("/account/inloggen/", form)
    if response.status_code != 302:
        sys.exit(f"bench: logging in as {PARENT_EMAIL} in process answered {response.status_code}.")
    return client, client.session[BACKEND_SESSION_KEY]


def captured_get(client, path, show):
    """The queries of one GET that must answer 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        sys.exit(f"bench: {path} answered {response.status_code} in process, not 200.")
    if show:
        print(f"\n-- {path}: {len(captured)} queries")
        for query in captured.captured_queries:
            print(f"   {query['sql']}")
    return len(captured)


def first_view(client, user, backend, path, show=False):
    """The queries of ``user``'s first view of ``path``, in a new session."""
    client.logout()  # else force_login keeps the session of the same user
    client.force_login(user, backend=backend)
    return captured_get(client, path, show)


def count_queries(pages, parents, show=False):
    """Queries per page, for a session's first view and for the same session again, and for
    the first view of the first of the many parents.

    A throwaway request first fills the per-process caches (content types, the Wagtail
    site) as each gunicorn worker does once. The first view then comes from a new session
    (a page cache miss); the repeat is the logged-in client's second request.
    """
    from django.test import Client

    client, backend = logged_in_client()
    user = demo_parent()
    fresh = Client(HTTP_HOST=HOST, REMOTE_ADDR=HOST)
    parent, family = parents[0]
    counts = {}
    for page in pages:
        client.get(page.path)
        first = first_view(fresh, user, backend, page.path, show)
        counts[page.path] = {
            "first": first,
            "repeat": captured_get(client, page.path, show),
            "families": (
                first_view(fresh, parent, backend, page.path_for(family), show)
                if page.family_path
                else None
            ),
        }
    return counts, backend


def check_family_pages(pages, parents, backend, sample=3):
    """Some of the many parents, first, middle and last, open each of their pages (200) here,
    before the server runs: wrk alone would count a 302 to the login page as success."""
    from django.test import Client

    client = Client(HTTP_HOST=HOST, REMOTE_ADDR=HOST)
    step = max(1, (len(parents) - 1) // max(1, sample - 1))
    for user, family in parents[::step][:sample]:
        for page in pages:
            if page.family_path:
                first_view(client, user, backend, page.path_for(family))


def create_sessions(users, backend):
    """A logged-in session for each entry of ``users`` (a user may come many times), as
    cookie lines for sessions.lua in the same order.

    Pages are cached per session: only requests that each bring another session show what
    rendering a page costs, which every parent meets on a first visit and after any change.
    Each session is stored where logging in stores it (the session engine's database table,
    and its cache where the engine has one) and comes with a CSRF cookie, as after logging
    in, so a first view costs what a parent's first page after login costs.
    The bench database's old sessions go first, so it does not grow run after run.
    """
    from datetime import timedelta
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.contrib.sessions.models import Session
    from django.core.cache import caches
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from schoolportal.accounts.twofactor import SESSION_STEP

    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = {
        user.pk: {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            # What a real login decides: these parents have no second factor to give.
            SESSION_STEP: "",
        }
        for user in users
    }
    encoded = {pk: store().encode(session) for pk, session in sessions.items()}
    expires = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    keys = [get_random_string(32, VALID_KEY_CHARS) for _ in users]
    Session.objects.all().delete()
    Session.objects.bulk_create(
        [
            Session(session_key=key, session_data=encoded[user.pk], expire_date=expires)
            for key, user in zip(keys, users, strict=True)
        ],
        batch_size=1000,
    )
    if hasattr(store, "cache_key"):  # cached_db (with Redis): the cache is read first
        session_cache = caches[settings.SESSION_CACHE_ALIAS]
        session_cache.clear()
        session_cache.set_many(
            {
                store(session_key=key).cache_key: sessions[user.pk]
                for key, user in zip(keys, users, strict=True)
            },
            settings.SESSION_COOKIE_AGE,
        )
    # Logging in also sets the CSRF cookie, which every later page of the session brings.
    return [
        f"{settings.SESSION_COOKIE_NAME}={key}; "
        f"{settings.CSRF_COOKIE_NAME}={get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)}"
        for key in keys
    ]


def write_session_files(pages, demo_parent, parents, count, backend):
    """``count`` sessions of the demo parent (sessions.txt) and ``count`` of the many parents,
    taken in turn, so that requests in a row come from different families: for each page
    they have, a file of "path<TAB>cookie" lines, each parent asking for their own page."""
    lines = create_sessions(
        [demo_parent] * count + [parents[i % len(parents)][0] for i in range(count)], backend
    )
    SESSIONS_FILE.write_text("".join(f"{line}\n" for line in lines[:count]))
    for index, page in enumerate(pages):
        if page.family_path:
            family_lines = (
                f"{page.path_for(parents[i % len(parents)][1])}\t{line}"
                for i, line in enumerate(lines[count:])
            )
            family_sessions(index).write_text("".join(f"{line}\n" for line in family_lines))


def family_sessions(page_index):
    """The many parents' session file of one page."""
    return BENCH_DIR / f"sessions-families-{page_index}.txt"


# --- The server ---------------------------------------------------------------------------


def free_port():
    """A port nobody listens on, so the bench runs beside `make run` on 8000."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(port, workers):
    """Production's gunicorn config, on loopback, logging to var/bench/gunicorn.log.

    Worker recycling (max_requests) is switched off so the workers that took the load
    are the ones whose peak memory is read at the end.
    """
    command = [
        sys.executable, "-m", "gunicorn",
        "--config", str(GUNICORN_CONF),
        "--bind", f"{HOST}:{port}",
        "--workers", str(workers),
        "--max-requests", "0",
        "--no-control-socket",  # the default path is shared with any other gunicorn of this user
        "schoolportal.wsgi:application",
    ]  # fmt: skip
    log = SERVER_LOG.open("w")
    # Its own session: Ctrl-C reaches only this script, which then stops gunicorn in order.
    return subprocess.Popen(  # noqa: S603
        command,
        cwd=ROOT,
        env=bench_env("bench.settings"),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def server_failed(server, why):
    """Stop with the end of gunicorn's log: the reason is usually in there."""
    tail = "".join(SERVER_LOG.read_text(errors="replace").splitlines(True)[-30:])
    sys.exit(f"bench: {why}\n--- last lines of {SERVER_LOG.relative_to(ROOT)}\n{tail}")


def wait_until_ready(server, port, timeout=60):
    """Wait for /healthz instead of a fixed sleep: startup time varies with the machine."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            server_failed(server, f"gunicorn exited with code {server.returncode}.")
        with contextlib.suppress(OSError):
            if http_request(port, "GET", "/healthz")[0] == 200:
                return
        time.sleep(0.2)
    server_failed(server, f"gunicorn did not answer /healthz within {timeout} s.")


def stop_gunicorn(server):
    """TERM is gunicorn's graceful stop; KILL only if the workers do not finish in time."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=35)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def proc_status(pid):
    """The fields of /proc/<pid>/status; empty when the process is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)


def worker_pids(master_pid):
    """gunicorn's workers are the master's children."""
    return [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit()
        and proc_status(entry.name).get("PPid", "").strip() == str(master_pid)
    ]


def peak_worker_memory(master_pid):
    """Peak resident memory (VmHWM, KiB) of each worker, read from /proc before they stop."""
    peaks = {}
    for pid in worker_pids(master_pid):
        high_water = proc_status(pid).get("VmHWM")
        if high_water:
            peaks[pid] = int(high_water.split()[0])
    return peaks


# --- CPU taken by other processes ---------------------------------------------------------


def machine_ticks():
    """Busy and total CPU ticks of the whole machine since boot (first line of /proc/stat)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = fields[:8]  # guest is in user
    # Interrupts are left out: loopback networking runs there, on behalf of the benchmark.
    return (
        user + nice + system + steal,
        user + nice + system + idle + iowait + irq + softirq + steal,
    )


def process_ticks(pid):
    """User + system CPU ticks of one process; 0 when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    fields = stat[stat.rindex(")") + 2 :].split()  # the name may contain spaces
    return int(fields[11]) + int(fields[12])  # utime, stime


def cpu_snapshot(master_pid):
    """Machine ticks and the benchmark's own: gunicorn, the finished wrk runs, this script."""
    busy, total = machine_ticks()
    gunicorn = {pid: process_ticks(pid) for pid in [master_pid, *worker_pids(master_pid)]}
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    me = resource.getrusage(resource.RUSAGE_SELF)
    seconds = children.ru_utime + children.ru_stime + me.ru_utime + me.ru_stime
    return {"busy": busy, "total": total, "gunicorn": gunicorn, "own": seconds}


def others_cpu_share(before, after):
    """Share of the machine's CPU time used by anything but the benchmark in between.

    A loaded machine (tests running beside it) lowers req/s for reasons unrelated to
    the commit, so the report says when it happened instead of printing worse numbers.
    """
    gunicorn = sum(
        ticks - before["gunicorn"].get(pid, 0) for pid, ticks in after["gunicorn"].items()
    )
    own = gunicorn + (after["own"] - before["own"]) * os.sysconf("SC_CLK_TCK")
    total = after["total"] - before["total"]
    return round(max(0.0, (after["busy"] - before["busy"] - own) / total), 3) if total else 0.0


# --- HTTP: login and checks ---------------------------------------------------------------


def http_request(port, method, path, headers=None, body=None):
    """One request without following redirects: a 302 to the login page must show as such."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode(errors="replace")
    finally:
        connection.close()


def cookies_from(headers):
    """Cookie values set by a response (we keep no cookie jar: two cookies suffice)."""
    jar = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def log_in(port):
    """Log in through the real form (CSRF token included) and return the Cookie header."""
    status, headers, body = http_request(port, "GET", "/account/inloggen/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    csrf_cookie = cookies_from(headers).get("csrftoken")
    if status != 200 or not token or not csrf_cookie:
        sys.exit(f"bench: the login page answered {status} without a CSRF token.")
    form = {"csrfmiddlewaretoken": token[1], "username": PARENT_EMAIL, "password": PARENT_PASSWORD}
    status, headers, _body = http_request(
        port,
        "POST",
        "/account/inloggen/",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
        },
        body=urllib.parse.urlencode(form),
    )
    session = cookies_from(headers).get("sessionid")
    if status != 302 or not session:
        sys.exit(f"bench: logging in as {PARENT_EMAIL} answered {status}, without a session.")
    return f"sessionid={session}"


def check_pages(port, pages, cookie):
    """Every page must answer 200 with the cookie: wrk alone counts a 302 to login as success."""
    for page in pages:
        status = http_request(port, "GET", page.path, headers={"Cookie": cookie})[0]
        if status != 200:
            sys.exit(f"bench: {page.path} answered {status} with the parent's cookie, not 200.")


def check_family_sessions(port, pages):
    """The last line of each many-parents file (reached only when a run wraps around) opens
    its page: their sessions hold over HTTP as the in-process check cannot show."""
    for index, page in enumerate(pages):
        if page.family_path:
            path, cookie = family_sessions(index).read_text().splitlines()[-1].split("\t")
            status = http_request(port, "GET", path, headers={"Cookie": cookie})[0]
            if status != 200:
                sys.exit(f"bench: {path} answered {status} with a parent's cookie, not 200.")


# --- Load (wrk) ---------------------------------------------------------------------------

UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
PERCENTILE = re.compile(r"^\s*(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)


def parse_wrk(output):
    """Requests per second, p50/p99 in ms and the failures from `wrk --latency` output."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if rps is None:
        sys.exit(f"bench: could not read wrk's output:\n{output}")
    latency = {f"p{m[1]}_ms": float(m[2]) * UNIT_MS[m[3]] for m in PERCENTILE.finditer(output)}
    requests = re.search(r"^\s*(\d+) requests in", output, re.MULTILINE)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "rps": float(rps[1]),
        "p50_ms": latency.get("p50_ms"),
        "p99_ms": latency.get("p99_ms"),
        "requests": int(requests[1]) if requests else None,
        "non_2xx_3xx": int(non_2xx[1]) if non_2xx else 0,
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
    }


def run_wrk(wrk, port, page, args, seconds, cookie=None, sessions=SESSIONS_FILE):
    """One wrk run against one page: with ``cookie`` as one session, else a new session of
    ``sessions`` each time (where its lines name a path, that parent's own page).

    The timeout matches gunicorn's, so slow pages count instead of vanishing as errors.
    """
    command = [
        wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s",
        "--timeout", "30s", "--latency",
    ]  # fmt: skip
    if cookie:
        command += ["-H", f"Cookie: {cookie}", f"http://{HOST}:{port}{page.path}"]
    else:
        command += ["-s", str(SESSIONS_LUA), f"http://{HOST}:{port}{page.path}", "--"]
        command += [str(sessions), str(args.threads)]
    result = run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"bench: wrk failed on {page.path}:\n{result.stderr}")
    return parse_wrk(result.stdout)


def watched_wrk(server_pid, *wrk_args):
    """A wrk run with the share of the CPUs that other processes took meanwhile."""
    before = cpu_snapshot(server_pid)
    result = run_wrk(*wrk_args)
    return {**result, "others_cpu_share": others_cpu_share(before, cpu_snapshot(server_pid))}


def measure(wrk, port, pages, cookie, args, server_pid):
    """Per page: warm up, then the same session again and again, then a new session of the
    demo parent each time, then a new session of one of the many parents each time.

    /healthz has no session and no cache: one figure, which all tables share. The machine's
    speed drifts during a run, so it is measured first and again last, and the higher of
    the two counts: the stricter ratio.
    """
    results = {}
    for index, page in enumerate(pages):
        if args.warmup:
            run_wrk(wrk, port, page, args, args.warmup, cookie)
        repeat = watched_wrk(server_pid, wrk, port, page, args, args.duration, cookie)
        first = families = repeat
        if page.parent:
            first = watched_wrk(server_pid, wrk, port, page, args, args.duration)
            families = None
        if page.family_path:
            sessions = family_sessions(index)
            families = watched_wrk(server_pid, wrk, port, page, args, args.duration, None, sessions)
        for result in (first, families):
            if result is not None:
                result["sessions_reused"] = page.parent and result["requests"] > args.sessions
        results[page.path] = {"repeat": repeat, "first": first, "families": families}
        many = f" {families['rps']:8.1f} req/s many parents" if families else ""
        print(
            f"bench: {page.path:32} {repeat['rps']:8.1f} req/s same session"
            f" {first['rps']:8.1f} req/s new sessions{many}",
            flush=True,
        )
    ceiling = pages[0]
    again = watched_wrk(server_pid, wrk, port, ceiling, args, args.duration, cookie)
    print(f"bench: {ceiling.path:32} {again['rps']:8.1f} req/s at the end", flush=True)
    if again["rps"] > results[ceiling.path]["repeat"]["rps"]:
        results[ceiling.path] = dict.fromkeys(VIEWS, again)
    return results


# --- Report -------------------------------------------------------------------------------


def git_revision():
    """Short commit and whether the work tree has changes: results name their commit."""
    try:
        sha = run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        status = run(["git", "status", "--porcelain"], capture_output=True, text=True)
    except OSError:
        return "unknown", None
    return (sha.stdout.strip() or "unknown"), bool(status.stdout.strip())


# The options that shape the figures, stored with them.
RECORDED_ARGS = (
    "families",
    "workers",
    "threads",
    "connections",
    "duration",
    "warmup",
    "sessions",
    "parents",
)
VIEWS = {
    "repeat": "the same session again (page cache hits)",
    "first": "a new session of the demo parent per request (first views: pages rendered)",
    "families": "a new session per request, of many parents in turn (first views of many families)",
}
FIRST_VIEWS = ("first", "families")


def verdicts(page, view, result, ratio):
    """(target, p50 target) of one measured page: PASS or FAIL, "ceiling" for /healthz, and
    None where a page has no p50 target in that view."""
    if not page.parent:
        return "ceiling", None
    if view not in FIRST_VIEWS:
        return ("PASS" if ratio >= TARGET_RATIO else "FAIL"), None
    target = "PASS" if ratio >= FLOOR_RATIO else "FAIL"
    if page.name not in P50_PAGES:
        return target, None
    fast = result["p50_ms"] is not None and result["p50_ms"] < P50_TARGET_MS
    return target, ("PASS" if fast else "FAIL")


def build_rows(pages, measured, queries):
    """One row per page: for each view its figures, share of the ceiling and verdicts (None
    for a view the page is not measured in: the many parents do not all have every page)."""
    rows = []
    for page in pages:
        row = {"page": page.name, "path": page.path, "family_path": page.family_path}
        for view in VIEWS:
            result = measured[page.path][view]
            if result is None:
                row[view] = None
                continue
            ceiling = measured[pages[0].path][view]["rps"]
            ratio = result["rps"] / ceiling if ceiling else 0.0
            target, p50_target = verdicts(page, view, result, ratio)
            row[view] = {
                **result,
                "ratio": round(ratio, 4),
                "queries": queries[page.path][view],
                "target": target,
                "p50_target": p50_target,
            }
        rows.append(row)
    return rows


def busy_mark(result):
    """A star on a row measured while other processes took a share of the CPUs."""
    return "*" if result and result.get("others_cpu_share", 0) > BUSY_SHARE else " "


def busy_warning(result):
    """A warning when other processes competed for the CPUs during the measurement."""
    starred = any(busy_mark(row.get(view)) == "*" for row in result["pages"] for view in VIEWS)
    if result["others_cpu_share"] > BUSY_SHARE or starred:
        return (
            f"warning: other processes used {result['others_cpu_share']:.0%} of the CPUs during "
            f"the run (more than {BUSY_SHARE:.0%} in rows marked *); their req/s are lower than "
            "on a quiet machine and compare poorly with other runs"
        )
    return None


def fmt(value, spec):
    """A figure, or "-" (as wide) where there is none: an older results file, or a view
    without it."""
    if value is None:
        return "-".rjust(int(re.match(r"\+?(\d*)", spec)[1] or 0))
    return format(value, spec)


def target_legend(view):
    if view in FIRST_VIEWS:
        return (
            f"target: {FLOOR_RATIO:.0%} of the ceiling or more (the floor); p50 under "
            f"{P50_TARGET_MS} ms for {', '.join(P50_PAGES)}"
        )
    return f"target: {TARGET_RATIO:.0%} of the ceiling or more"


def print_table(rows, view, previous=None):
    """One table per view; with --compare the earlier figures stand beside the new ones."""
    before = {row["page"]: row.get(view) or {} for row in (previous or {}).get("pages", [])}
    header = f"{'page':18} {'path':36} {'req/s':>8} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7}"
    header += f" {'queries':>7} {'target':>7}"
    if view in FIRST_VIEWS:
        header += f" {'p50<' + str(P50_TARGET_MS):>7}"
    if previous:
        header += f"  | {'was req/s':>9} {'change':>7} {'was p50':>7} {'was q':>5}"
    print(f"\n{VIEWS[view]}; {target_legend(view)}:")
    print(header)
    print("-" * len(header))
    for row in rows:
        now = row.get(view)
        if now is None:
            print(f"{row['page']:18} {'-':36} (not every family has this page)")
            continue
        path = row.get("family_path") if view == "families" and row.get("family_path") else None
        line = (
            f"{row['page']:18} {path or row['path']:36} {now['rps']:8.1f} {now['ratio']:6.1%}"
            f" {fmt(now['p50_ms'], '7.1f')} {fmt(now['p99_ms'], '7.1f')}"
            f" {fmt(now['queries'], '7d')} {now['target']:>7}"
        )
        if view in FIRST_VIEWS:
            line += f" {now.get('p50_target') or '':>7}"
        line += busy_mark(now)
        if previous:
            old = before.get(row["page"], {})
            change = (now["rps"] / old["rps"] - 1) if old.get("rps") else None
            line += (
                f" | {fmt(old.get('rps'), '9.1f')} {fmt(change, '+7.1%')}"
                f" {fmt(old.get('p50_ms'), '7.1f')} {fmt(old.get('queries'), '5d')}"
            )
        print(line.rstrip())


def measured_parent_pages(rows, view):
    """The parent pages measured in one view, with their paths."""
    return [
        row[view] | {"path": row["path"]}
        for row in rows
        if row.get(view) and row[view]["target"] != "ceiling"
    ]


def summary_line(rows, memory_mib, parents):
    """The one line to read: did every parent page reach its targets, in every view?"""
    counts, below, slow = [], [], []
    for view, label in (
        ("repeat", f"same session at {TARGET_RATIO:.0%}"),
        ("first", f"first views at {FLOOR_RATIO:.0%}"),
        ("families", f"first views of {parents} parents at {FLOOR_RATIO:.0%}"),
    ):
        measured = measured_parent_pages(rows, view)
        failed = [r for r in measured if r["target"] == "FAIL"]
        counts.append(f"{len(measured) - len(failed)}/{len(measured)} {label}")
        below += [f"{r['path']} {view} ({r['ratio']:.1%})" for r in failed]
        slow += [
            f"{r['path']} {view} ({r['p50_ms']:.1f} ms)"
            for r in measured
            if r.get("p50_target") == "FAIL"
        ]
    timed = sum(
        1 for view in FIRST_VIEWS for r in measured_parent_pages(rows, view) if r["p50_target"]
    )
    verdict = "PASS" if not below and not slow else "FAIL"
    text = (
        f"bench {verdict}: parent pages against the /healthz ceiling "
        f"({rows[0]['repeat']['rps']:.0f} req/s): {', '.join(counts)}; "
        f"{timed - len(slow)}/{timed} first views of {', '.join(P50_PAGES)} with p50 under "
        f"{P50_TARGET_MS} ms; peak worker memory {memory_mib:.0f} MiB"
    )
    if below:
        text += f"; below target: {', '.join(below)}"
    if slow:
        text += f"; p50 over {P50_TARGET_MS} ms: {', '.join(slow)}"
    return text


def load_previous(path):
    """Read the results to compare with before this run overwrites latest.json."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as error:
        sys.exit(f"bench: cannot read {path} for --compare: {error}")


def write_results(result):
    """results-<commit>.json to keep, latest.json for the next --compare."""
    target = BENCH_DIR / f"results-{result['commit']}.json"
    text = json.dumps(result, indent=2) + "\n"
    target.write_text(text)
    (BENCH_DIR / "latest.json").write_text(text)
    return target


# --- Main ---------------------------------------------------------------------------------


def serve_and_measure(wrk, pages, args):
    """Start gunicorn, measure under load, read worker memory, always stop gunicorn."""
    port = free_port()
    server = start_gunicorn(port, args.workers)
    try:
        wait_until_ready(server, port)
        cookie = log_in(port)
        check_pages(port, pages, cookie)
        # The last session is reached only when the runs wrap around: checking it caches little.
        check_pages(port, pages, SESSIONS_FILE.read_text().splitlines()[-1])
        check_family_sessions(port, pages)
        before = cpu_snapshot(server.pid)
        measured = measure(wrk, port, pages, cookie, args, server.pid)
        others = others_cpu_share(before, cpu_snapshot(server.pid))
        check_pages(port, pages, cookie)  # the session still held at the end
        memory = peak_worker_memory(server.pid)
    finally:
        stop_gunicorn(server)
    return measured, memory, others


def build_result(args, revision, rows, memory, seed, others_share, started):
    """Everything a later --compare or a reader of var/bench/ needs, in one JSON object."""
    commit, dirty = revision
    return {
        "commit": commit,
        "dirty": dirty,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "others_cpu_share": others_share,
        "settings": {key: getattr(args, key) for key in RECORDED_ARGS},
        "target_ratio": TARGET_RATIO,
        "floor_ratio": FLOOR_RATIO,
        "p50_target_ms": P50_TARGET_MS,
        "pages": rows,
        "peak_worker_rss_mib": round(max(memory.values(), default=0) / 1024, 1),
        "worker_peaks_kib": sorted(memory.values()),
        "seed": seed,
        "run_seconds": round(time.monotonic() - started, 1),
    }


def print_report(result, previous, saved):
    """The tables, how long seeding and the run took, and the one-line verdict."""
    for view in VIEWS:
        print_table(result["pages"], view, previous)
    print()
    reused = (row.get(view) or {} for row in result["pages"] for view in FIRST_VIEWS)
    if any(measured.get("sessions_reused") for measured in reused):
        print("warning: a first-view run used more requests than --sessions; raise it")
    seed = result["seed"]
    if seed["reused"]:
        print(f"seeding: reused (built in {seed['seed_seconds']} s on {seed['seeded_at']})")
    else:
        print(f"seeding: {seed['seed_seconds']} s")
    print(f"run: {result['run_seconds']} s; results in {saved.relative_to(ROOT)}")
    warning = busy_warning(result)
    if warning:
        print(warning)
    summary = summary_line(
        result["pages"], result["peak_worker_rss_mib"], result["settings"]["parents"]
    )
    print(summary + (" (uncommitted changes)" if result["dirty"] else ""))


def main(argv=None):
    args = parse_args(argv)
    started = time.monotonic()
    revision = git_revision()  # the code gunicorn loads now, whatever lands during the run
    # A `kill` stops gunicorn as cleanly as Ctrl-C does: both unwind through `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    _lock = hold_lock()  # held until the process ends
    wrk = ensure_wrk()
    previous = load_previous(args.compare) if args.compare else None

    seed = prepare_database(args.families, args.reseed)
    collect_static()
    setup_django()
    pages = pages_for(
        class_group_pk(),
        slip_mailing_pk(),
        *group_page_pks(),
        conversation_pk(),
        newsletter_pk(),
        results_child_pk=results_child_pk(),
        interview_path=interview_path(),
    )
    parents = bench_parents(args.parents)
    queries, backend = count_queries(pages, parents, show=args.show_queries)
    check_family_pages(pages, parents, backend)
    write_session_files(pages, demo_parent(), parents, args.sessions, backend)
    measured, memory, others_share = serve_and_measure(wrk, pages, args)

    rows = build_rows(pages, measured, queries)
    result = build_result(args, revision, rows, memory, seed, others_share, started)
    saved = write_results(result)
    print_report(result, previous, saved)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("bench: interrupted.")
