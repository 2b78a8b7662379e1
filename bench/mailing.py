"""`make bench`, mailing part: publishing a mailing, and delivering it through django-q2.

Works on a copy of bench/run.py's 1,000-family school (var/bench/mailing.sqlite3, made
anew each run) and measures:

1. publish: the Wagtail admin's create view with "Publiceren" (action-publish) for a
   whole-school mailing, POSTed as the management user (directie@example.org) over HTTP to
   gunicorn with the production settings, as a browser does: ms per request (median of
   --publish-runs, each a new mailing, after one unmeasured warm-up) and the outbox rows
   it queued; the same POST once in process for its number of queries. Target < 1000 ms.
2. pipeline: extra guardians bring the school to --recipients (2,000) addresses; a
   whole-school mailing is published and delivered by real `manage.py qcluster` workers to
   a local SMTP sink (aiosmtpd in its own process, only counting), timed from the publish
   until the last outbox row is sent: with django-q2's ORM broker, then with Redis
   (REDIS_URL), --rounds mailings each (the median counts). Beside it, in the same run and
   to the same sink: the same rendered messages sent the way send_mass_mail sends (one
   connection, ``send_messages``), right before and after every mailing, and
   send_mass_mail itself with plain-text tuples. Target: pipeline >= 50 % of the former.
   Also ``deliver_pending`` in process (no django-q2), timed per step with its SQL per
   message: whether the time goes to the outbox bookkeeping or to the task queue.
3. memory: peak RSS of qcluster and all its children (sampled from /proc) during each leg,
   summed (RSS, and PSS which counts pages shared after the fork once) and per process.

Other processes taking the CPUs (a test suite beside it) lower the rates, the pipeline's
more than send_mass_mail's: figures measured while they took more than 10 % are starred.

It is a report: it exits 0 when a target is missed, non-zero only when it could not
measure (a server or worker that does not start, a publish that fails, mail that never
arrives). Needs aiosmtpd (a test dependency: `make install-test`).

    .venv/bin/python bench/mailing.py [--recipients 2000] [--legs orm,redis] ...
"""

import argparse
import contextlib
import json
import os
import re
import resource
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run as harness

ROOT = harness.ROOT
BENCH_DIR = harness.BENCH_DIR
MAIL_DB = BENCH_DIR / "mailing.sqlite3"
RESULTS = BENCH_DIR / "mailing-latest.json"
GUNICORN_LOG = BENCH_DIR / "mailing-gunicorn.log"
HOST = harness.HOST
STAFF_EMAIL = "directie@example.org"
STAFF_PASSWORD = harness.PARENT_PASSWORD  # every demo account has the documented password
EXTRA_EMAIL = "bench.extra.{n}@example.org"
TARGET_PUBLISH_MS = 1000
TARGET_RATIO = 0.5
BODY = (
    "<h2>Beste ouders en verzorgers,</h2>"
    "<p>Volgende week is de <b>studiedag</b>: de kinderen zijn dan vrij. Op woensdag komt de "
    "schoolfotograaf, en de bibliotheek is weer open na schooltijd.</p>"
    "<ul><li>Maandag: studiedag, geen school.</li><li>Woensdag: schoolfotograaf.</li>"
    "<li>Vrijdag: de kinderen mogen verkleed komen.</li></ul>"
    "<p>Met vriendelijke groet,<br/>Karin Smit, directeur</p>"
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", type=int, default=1000, help="demo families (1000)")
    parser.add_argument("--recipients", type=int, default=2000, help="addresses to mail (2000)")
    parser.add_argument("--publish-runs", type=int, default=5, help="measured publishes (5)")
    parser.add_argument(
        "--legs", default="orm,redis", help="django-q2 brokers to measure: orm,redis (both)"
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        help="Redis for the redis leg (redis://127.0.0.1:6379/13); keys of this cluster "
        "name and cache prefix are removed from it before and after",
    )
    parser.add_argument(
        "--q-workers", type=int, default=2, help="workers per qcluster (Q_WORKERS, 2)"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="mailings per broker; the median counts (3)"
    )
    parser.add_argument(
        "--max-seconds", type=int, default=240, help="give up waiting for a mailing (240)"
    )
    parser.add_argument("--no-diagnosis", action="store_true", help="skip the in-process leg")
    parser.add_argument(
        "--smtp-delay-ms",
        type=float,
        default=0,
        help="the sink answers each message this late, like a distant mail server (0)",
    )
    # Internal modes: the SMTP sink, and a publish in another process's environment.
    parser.add_argument("--smtp-sink", nargs=2, type=float, help=argparse.SUPPRESS)
    parser.add_argument("--publish-child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def fail(message):
    sys.exit(f"bench mailing: {message}")


STARTED = time.monotonic()


def say(message):
    """Progress, with the seconds since the start."""
    print(f"bench mailing [{time.monotonic() - STARTED:5.1f} s]: {message}", flush=True)


# --- The SMTP sink (its own process) --------------------------------------------------------


def smtp_sink(port, delay_ms):
    """Accept mail on ``port`` and count it; "count" on stdin prints messages and bytes.

    Runs in its own process so that its CPU is not the sender's; EOF on stdin stops it.
    ``delay_ms`` makes it answer each message as late as a distant mail server would.
    """
    import asyncio

    from aiosmtpd.controller import Controller

    class Counter:
        messages = 0
        size = 0

        async def handle_DATA(self, server, session, envelope):
            if delay_ms:
                await asyncio.sleep(delay_ms / 1000)
            self.messages += len(envelope.rcpt_tos)
            self.size += len(envelope.content)
            return "250 OK"

    handler = Counter()
    controller = Controller(handler, hostname=HOST, port=port)
    controller.start()
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() == "count":
            print(handler.messages, handler.size, flush=True)
    controller.stop()
    return 0


class Sink:
    """The sink process, seen from the benchmark."""

    def __init__(self, delay_ms=0):
        try:
            import aiosmtpd  # noqa: F401 - only to say what is missing, here and not in the child
        except ImportError:
            fail("aiosmtpd is missing; install the test tools first (`make install-test`).")
        self.port = harness.free_port()
        self.process = subprocess.Popen(  # noqa: S603 - this very script
            [sys.executable, __file__, "--smtp-sink", str(self.port), str(delay_ms)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        if self.process.stdout.readline().strip() != "ready":
            fail(f"the SMTP sink did not start (exit code {self.process.poll()}).")

    def count(self):
        """Messages received so far (waits for the sink to answer)."""
        self.process.stdin.write("count\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().split()
        if not answer:
            fail("the SMTP sink stopped answering.")
        return int(answer[0])

    def stop(self):
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- Environments and processes -------------------------------------------------------------


def django_env(sink_port, redis_url=None, q_workers=2):
    """Production settings on the copy, mail to the sink; the broker is Redis or the ORM."""
    env = {
        **harness.bench_env("bench.settings"),
        "DATABASE_URL": f"sqlite:///{MAIL_DB}",
        "EMAIL_HOST": HOST,
        "EMAIL_PORT": str(sink_port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_USE_SSL": "0",
        "Q_WORKERS": str(q_workers),
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def copy_database():
    """A fresh copy of the seeded school: the mailings and extra guardians stay out of it."""
    for path in (MAIL_DB, Path(f"{MAIL_DB}-wal"), Path(f"{MAIL_DB}-shm")):
        path.unlink(missing_ok=True)
    source = sqlite3.connect(harness.DB_PATH)
    target = sqlite3.connect(MAIL_DB)
    try:
        source.backup(target)  # consistent, WAL included
    finally:
        target.close()
        source.close()


def stop_process_group(process, timeout=30):
    """TERM to the leader (gunicorn and qcluster then stop their own children), then KILL
    whatever is left of its group.

    Every server here starts in a session of its own, so its group is exactly its processes.
    A TERM to the whole group at once makes django-q2's sentinel wait for helpers that are
    already gone (half a minute).
    """
    if process.poll() is None:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=timeout)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # workers that outlived their parent
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def start_gunicorn(port, env, workers=1, log_path=GUNICORN_LOG):
    """Production's gunicorn config with ``workers`` workers (one: the requests follow each
    other) on ``env``'s database; bench/monday.py starts two of them."""
    command = [
        sys.executable, "-m", "gunicorn",
        "--config", str(harness.GUNICORN_CONF),
        "--bind", f"{HOST}:{port}",
        "--workers", str(workers),
        "--max-requests", "0",
        "--no-control-socket",
        "schoolportal.wsgi:application",
    ]  # fmt: skip
    log = log_path.open("w")
    return subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_for_http(server, port, timeout=60, log_path=GUNICORN_LOG):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            fail(f"gunicorn exited with code {server.returncode}; see {log_path}.")
        with contextlib.suppress(OSError):
            if harness.http_request(port, "GET", "/healthz")[0] == 200:
                return
        time.sleep(0.2)
    fail(f"gunicorn did not answer /healthz within {timeout} s; see {log_path}.")


def start_qcluster(env, log_path):
    log = log_path.open("w")
    return subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for_cluster(cluster, log_path, timeout=60):
    """Until django-q2 logs "Q Cluster … running.": its workers are then up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cluster.poll() is not None:
            fail(f"qcluster exited with code {cluster.returncode}; see {log_path}.")
        if re.search(r"Q Cluster .* running\.", log_path.read_text(errors="replace")):
            return
        time.sleep(0.1)
    fail(f"qcluster did not start within {timeout} s; see {log_path}.")


# --- Memory of a process tree ---------------------------------------------------------------


def process_tree(root_pid):
    """``root_pid`` and all its descendants (django-q2: sentinel, workers, monitor, pusher)."""
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    tree, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def kib(value):
    return int(value.split()[0]) if value else 0


def proportional_kib(pid):
    """PSS: shared (forked) pages split between their sharers, so the sum means something."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    found = re.search(r"^Pss:\s+(\d+) kB", text, re.MULTILINE)
    return int(found[1]) if found else 0


class MemorySampler(threading.Thread):
    """Samples the tree every ``interval`` s: peak of the summed RSS and PSS, and per process
    its own high-water mark (VmHWM, kept by the kernel between samples)."""

    def __init__(self, root_pid, interval=0.25):
        super().__init__(daemon=True)
        self.root_pid = root_pid
        self.interval = interval
        self.stopping = threading.Event()
        self.peak_rss_sum = self.peak_pss_sum = 0
        self.high_water = {}
        self.names = {}

    def sample(self):
        rss_sum = pss_sum = 0
        for pid in process_tree(self.root_pid):
            status = harness.proc_status(pid)
            if not status:
                continue
            rss_sum += kib(status.get("VmRSS"))
            pss_sum += proportional_kib(pid)
            self.high_water[pid] = max(self.high_water.get(pid, 0), kib(status.get("VmHWM")))
            self.names[pid] = status.get("Name", "").strip()
        self.peak_rss_sum = max(self.peak_rss_sum, rss_sum)
        self.peak_pss_sum = max(self.peak_pss_sum, pss_sum)

    def run(self):
        while not self.stopping.is_set():
            self.sample()
            self.stopping.wait(self.interval)

    def stop(self, roles=None):
        """The peaks; ``roles`` names the processes (pid -> role) in the per-process list."""
        self.stopping.set()
        self.join(timeout=5)
        roles = roles or {}
        return {
            "processes": len(self.high_water),
            "peak_process_rss_mib": round(max(self.high_water.values(), default=0) / 1024, 1),
            "peak_total_rss_mib": round(self.peak_rss_sum / 1024, 1),
            "peak_total_pss_mib": round(self.peak_pss_sum / 1024, 1),
            "process_peaks_mib": {
                f"{roles.get(pid, 'sentinel')} {pid}": round(peak / 1024, 1)
                for pid, peak in sorted(self.high_water.items(), key=lambda item: -item[1])
            },
        }


# django-q2 logs the pid of each process it starts but the sentinel (the one left over).
ROLES = {
    "worker": r"ready for work at (\d+)",
    "monitor": r"monitoring at (\d+)",
    "pusher": r"pushing tasks at (\d+)",
}


def cluster_roles(cluster_pid, log_path):
    """pid -> role of qcluster's processes; the one unnamed child is the sentinel."""
    text = log_path.read_text(errors="replace")
    roles = {cluster_pid: "qcluster"}
    for role, pattern in ROLES.items():
        for pid in re.findall(pattern, text):
            roles[int(pid)] = role
    return roles


# --- Django in this process -----------------------------------------------------------------


def setup_django(env):
    os.environ.update(env)
    import django

    django.setup()


def staff_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=STAFF_EMAIL)


def the_school():
    """The school directie@example.org manages: the demo school of 1,000 families."""
    from schoolportal.people.models import StaffMember, StaffRole

    member = StaffMember.objects.filter(user=staff_user(), role=StaffRole.MANAGEMENT).first()
    if member is None:
        fail(f"{STAFF_EMAIL} is not management of a school in the bench database.")
    return member.school


def new_mailing(title, user, school):
    """A draft for the whole school, written like the admin form writes one."""
    from schoolportal.mailings.models import Audience, Mailing, Sender

    mailing = Mailing(
        school=school,
        title=title,
        body=BODY,
        sender=Sender.SCHOOL,
        audience=Audience.SCHOOL,
        created_by=user,
    )
    mailing.save()
    return mailing


def outbox_rows(mailing_pk):
    from schoolportal.mailings.delivery import MAILING
    from schoolportal.notifications.models import OutboxMessage

    return OutboxMessage.objects.filter(kind=MAILING, cause_id=mailing_pk)


def forget_queued_work():
    """Publishing queued outbox rows and django-q2 tasks that no worker is meant to send."""
    from django_q.models import OrmQ

    from schoolportal.notifications.models import OutboxMessage

    OutboxMessage.objects.all().delete()
    OrmQ.objects.all().delete()


def school_addresses(school):
    """The distinct addresses a whole-school mailing reaches."""
    from schoolportal.mailings.models import Audience, Mailing
    from schoolportal.mailings.recipients import mailing_recipients

    probe = Mailing(school=school, audience=Audience.SCHOOL)
    return {email.strip().lower() for email, _user in mailing_recipients(probe) if email}


def top_up_guardians(school, target):
    """Extra guardians (each with an address of their own) until the school has ``target``."""
    from schoolportal.people.models import Guardian, Guardianship, Pupil

    existing = len(school_addresses(school))
    missing = target - existing
    if missing > 0:
        pupils = list(
            Pupil.objects.filter(school=school).order_by("pk").values_list("pk", flat=True)
        )
        guardians = Guardian.objects.bulk_create(
            Guardian(first_name="Extra", last_name=f"Ouder {n}", email=EXTRA_EMAIL.format(n=n))
            for n in range(missing)
        )
        Guardianship.objects.bulk_create(
            Guardianship(guardian=guardian, pupil_id=pupils[(n * 7) % len(pupils)])
            for n, guardian in enumerate(guardians)
        )
    return existing, len(school_addresses(school))


# --- 1. Publishing in the admin -------------------------------------------------------------


class Browser:
    """Just enough of a browser for Wagtail's admin: a cookie jar and form posts."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, form=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{HOST}:{self.port}"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
            body = urllib.parse.urlencode(form, doseq=True)
        started = time.perf_counter()
        status, response_headers, text = harness.http_request(
            self.port, method, path, headers=headers, body=body
        )
        elapsed = time.perf_counter() - started
        self.cookies.update(harness.cookies_from(response_headers))
        return status, response_headers, text, elapsed

    def log_in(self, email, password):
        status, _headers, text, _ = self.request("GET", "/account/inloggen/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        if status != 200 or not token:
            fail(f"the login page answered {status} without a CSRF token.")
        form = {"csrfmiddlewaretoken": token[1], "username": email, "password": password}
        status, _headers, _text, _ = self.request("POST", "/account/inloggen/", form)
        if status != 302 or "sessionid" not in self.cookies:
            fail(f"logging in as {email} answered {status}, without a session.")


DEMO_BRIN = "07XR"  # Basisschool De Regenboog, the demo school


def publish_form(html, title):
    """The editor's own form as a browser would send it, filled in and published."""
    from wagtail.test.utils.form_data import querydict_from_html, rich_text

    from schoolportal.mailings.models import BODY_FEATURES
    from schoolportal.people.models import School

    data = querydict_from_html(html, form_id="w-editor-form", exclude_csrf=False)
    if not data.get("school"):  # more schools in the database (bench/feed.py adds one): choose
        data["school"] = str(School.objects.get(brin=DEMO_BRIN).pk)
    data["title"] = title
    data["audience"] = "school"
    data["sender"] = "school"
    data["body"] = rich_text(BODY, features=BODY_FEATURES)
    data["action-publish"] = "action-publish"
    return {key: data.getlist(key) for key in data}


def form_errors(html):
    found = re.findall(r'class="error-message"[^>]*>\s*(?:<[^>]+>\s*)*([^<]+)', html)
    return "; ".join(dict.fromkeys(text.strip() for text in found)) or "no error shown"


def confirmation(html):
    """The confirmation page's form: a first publication asks "N e-mails versturen?" and
    publishes exactly the revision it counted."""
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    revision = re.search(r'name="revision" value="(\d+)"', html)
    if not token or not revision:
        fail("the confirmation page has no form with its revision.")
    return {"csrfmiddlewaretoken": token[1], "revision": revision[1]}


def publish_over_http(browser, add_path, title):
    """The editor's way: open the create view, "Publiceren", then confirm the number of
    e-mails; the confirming POST (which publishes and queues) is what is timed."""
    from schoolportal.mailings.models import Mailing

    status, _headers, html, _ = browser.request("GET", add_path)
    if status != 200:
        fail(f"{add_path} answered {status} to {STAFF_EMAIL}, not 200.")
    status, headers, html, _seconds = browser.request("POST", add_path, publish_form(html, title))
    if status != 302:
        fail(f"publishing through {add_path} answered {status}: {form_errors(html)}")
    send_path = urllib.parse.urlsplit(headers.get("Location", "")).path
    status, _headers, html, _ = browser.request("GET", send_path)
    if status != 200:
        fail(f"the confirmation page {send_path} answered {status}.")
    status, headers, html, seconds = browser.request("POST", send_path, confirmation(html))
    mailing = Mailing.objects.filter(title=title).first()
    if status != 302 or mailing is None or not mailing.live or mailing.sent_at is None:
        fail(f"confirming {title!r} answered {status} but the mailing was not sent.")
    return {
        "ms": round(seconds * 1000, 1),
        "queued": outbox_rows(mailing.pk).count(),
        "redirect": headers.get("Location"),
    }


def publish_in_process(add_path, title):
    """The same through Django's test client, for the confirming POST's queries (CSRF is
    not checked)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    client.force_login(staff_user())
    page = client.get(add_path)
    response = client.post(add_path, publish_form(page.content.decode(), title))
    if response.status_code != 302:
        fail(f"publishing in process answered {response.status_code}.")
    send_page = client.get(response["Location"])
    form = confirmation(send_page.content.decode())
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        response = client.post(response["Location"], form)
    seconds = time.perf_counter() - started
    if response.status_code != 302:
        fail(f"confirming in process answered {response.status_code}.")
    return {"ms": round(seconds * 1000, 1), "queries": len(captured)}


def measure_publish(env, runs):
    from django.urls import reverse

    add_path = reverse("wagtailsnippets_mailings_mailing:add")
    port = harness.free_port()
    server = start_gunicorn(port, env)
    try:
        wait_for_http(server, port)
        browser = Browser(port)
        browser.log_in(STAFF_EMAIL, STAFF_PASSWORD)
        cold = publish_over_http(browser, add_path, "Bench publiceren (koude worker)")
        timed = [publish_over_http(browser, add_path, f"Bench publiceren {n}") for n in range(runs)]
    finally:
        stop_process_group(server)
    say("gunicorn stopped")
    in_process = publish_in_process(add_path, "Bench publiceren (in proces)")
    forget_queued_work()
    times = [run["ms"] for run in timed]
    median = statistics.median(times)
    say(
        f"publish {median:.0f} ms median ({', '.join(f'{t:.0f}' for t in times)}),"
        f" {timed[0]['queued']} rows queued"
    )
    return {
        "median_ms": median,
        "runs_ms": times,
        "cold_ms": cold["ms"],
        "queued": [run["queued"] for run in timed],
        "queries_in_process": in_process["queries"],
        "in_process_ms": in_process["ms"],
        "target_ms": TARGET_PUBLISH_MS,
        "target": "PASS" if median < TARGET_PUBLISH_MS else "FAIL",
    }


# --- 2. Delivering: send_mass_mail beside the pipeline --------------------------------------


def rendered_messages(mailing):
    """The messages of the pipeline, rendered by its own renderer, one per address."""
    from schoolportal.mailings import delivery
    from schoolportal.notifications.models import OutboxMessage

    return [
        delivery.render_mailing(
            OutboxMessage(pk=n + 1, kind=delivery.MAILING, cause_id=mailing.pk, recipient_email=e)
        )
        for n, e in enumerate(sorted(school_addresses(mailing.school)))
    ]


def cpu_snapshot():
    """Busy and total ticks of the machine, and the ticks of this benchmark's processes
    (this script and all its descendants: sink, qcluster and its workers, finished children)."""
    busy, total = harness.machine_ticks()
    own = sum(harness.process_ticks(pid) for pid in process_tree(os.getpid()))
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    own += (children.ru_utime + children.ru_stime) * os.sysconf("SC_CLK_TCK")
    return busy, total, own


def self_cpu_seconds():
    """CPU time of this process so far (the sender, when it sends in process)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def tree_cpu_seconds(pid):
    """CPU time of a process tree so far (the qcluster and everything it started)."""
    return sum(harness.process_ticks(p) for p in process_tree(pid)) / os.sysconf("SC_CLK_TCK")


def others_share(before, after):
    """Share of the CPUs that other processes took in between (tests beside the benchmark)."""
    busy, total, own = (b - a for a, b in zip(before, after, strict=True))
    return round(max(0.0, (busy - own) / total), 3) if total else 0.0


class Baseline:
    """The pipeline's own rendered messages, sent as send_mass_mail sends: one connection,
    ``send_messages`` with all of them. Measured right before and after each pipeline leg,
    so that both see the same machine."""

    def __init__(self, sink, school):
        self.sink = sink
        mailing = new_mailing("Bench send_mass_mail", staff_user(), school)
        started = time.perf_counter()
        self.messages = rendered_messages(mailing)
        self.render_seconds = time.perf_counter() - started
        self.message_bytes = len(self.messages[0].message().as_bytes())
        self.runs = []

    def timed(self, what, send, count):
        before_count, before_cpu = self.sink.count(), cpu_snapshot()
        started, own_cpu = time.perf_counter(), self_cpu_seconds()
        sent = send()
        seconds, own_cpu = time.perf_counter() - started, self_cpu_seconds() - own_cpu
        share = others_share(before_cpu, cpu_snapshot())
        got = self.sink.count() - before_count
        if sent != count or got != count:
            fail(f"{what}: {sent} sent and {got} received of {count} messages.")
        return {
            "messages": sent,
            "seconds": round(seconds, 3),
            "rate": round(sent / seconds, 1),
            "cpu_ms_per_message": round(own_cpu * 1000 / sent, 3),
            "others_cpu_share": share,
        }

    def same_messages(self):
        from django.core.mail import get_connection

        def send():
            with get_connection(fail_silently=False) as connection:
                return connection.send_messages(self.messages)

        run = self.timed("send_messages", send, len(self.messages))
        self.runs.append(run)
        say(f"send_mass_mail way: {run['rate']:.0f} msg/s")
        return run

    def text_only(self):
        """send_mass_mail itself: it takes (subject, text, from, to) tuples, no HTML part."""
        from django.core.mail import send_mass_mail

        tuples = [(m.subject, m.body, m.from_email, m.to) for m in self.messages]
        run = self.timed("send_mass_mail", lambda: send_mass_mail(tuples), len(tuples))
        say(f"send_mass_mail, plain text: {run['rate']:.0f} msg/s")
        return run


def publish_child():
    """In the leg's environment (its broker): publish a whole-school mailing, print timings."""
    import django

    django.setup()
    user = staff_user()
    mailing = new_mailing(f"Bench pijplijn {os.getpid()}", user, the_school())
    started_wall, started = time.time(), time.perf_counter()
    mailing.save_revision(user=user).publish(user=user)
    publish_seconds = time.perf_counter() - started
    result = {
        "mailing": mailing.pk,
        "t0": started_wall,
        "publish_ms": round(publish_seconds * 1000, 1),
        "queued": outbox_rows(mailing.pk).count(),
    }
    print("PUBLISHED " + json.dumps(result), flush=True)
    return 0


def publish_elsewhere(env):
    """Publish from a process with the leg's settings, so its task goes to the leg's broker."""
    result = subprocess.run(  # noqa: S603 - this very script
        [sys.executable, __file__, "--publish-child"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = re.search(r"^PUBLISHED (.*)$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or not found:
        fail(f"publishing the pipeline mailing failed:\n{result.stderr[-3000:]}")
    return json.loads(found[1])


def status_counts(mailing_pk):
    from django.db.models import Count

    rows = outbox_rows(mailing_pk).values_list("status").annotate(n=Count("pk"))
    return dict(rows)


def wait_until_delivered(mailing_pk, expected, cluster, max_seconds, name):
    """Poll the outbox until no row of the mailing waits or is being sent."""
    deadline = time.monotonic() + max_seconds
    last_report = time.monotonic()
    while True:
        counts = status_counts(mailing_pk)
        busy = counts.get("pending", 0) + counts.get("sending", 0)
        if sum(counts.values()) >= expected and busy == 0:
            return counts, True
        if cluster.poll() is not None:
            fail(f"qcluster ({name}) exited with code {cluster.returncode} during the mailing.")
        if time.monotonic() > deadline:
            return counts, False
        if time.monotonic() - last_report > 10:
            say(f"{name}: {counts.get('sent', 0)} sent so far")
            last_report = time.monotonic()
        time.sleep(0.2)


def delivery_times(mailing_pk, started_wall):
    """From the outbox's own timestamps: first claim, first and last send, after the publish."""
    from django.db.models import Max, Min

    times = outbox_rows(mailing_pk).aggregate(
        first_claim=Min("claimed_at"), first_sent=Min("sent_at"), last_sent=Max("sent_at")
    )
    return {
        key: round(value.timestamp() - started_wall, 3) if value else None
        for key, value in times.items()
    }


def redis_available(url):
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except (redis.RedisError, OSError) as error:
        return str(error)
    return None


def clear_redis(url):
    """Only this benchmark's keys: django-q2's queue for the cluster and the cache prefix."""
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(url)
    for pattern in (f"django_q:{settings.Q_CLUSTER['name']}:*", "schoolportal:*"):
        for key in client.scan_iter(match=pattern, count=500):
            client.delete(key)


def pipeline_round(name, env, sink, cluster, max_seconds):
    """Publish a whole-school mailing and wait until its last row is sent."""
    before, before_cpu = sink.count(), cpu_snapshot()
    cluster_cpu = tree_cpu_seconds(cluster.pid)
    published = publish_elsewhere(env)
    counts, finished = wait_until_delivered(
        published["mailing"], published["queued"], cluster, max_seconds, name
    )
    cluster_cpu = tree_cpu_seconds(cluster.pid) - cluster_cpu
    share = others_share(before_cpu, cpu_snapshot())
    sent = counts.get("sent", 0)
    got = sink.count() - before
    if got < sent:
        fail(f"{name}: {sent} rows are marked sent but the SMTP sink received only {got}.")
    times = delivery_times(published["mailing"], published["t0"])
    seconds = times["last_sent"]
    steady = None
    if sent > 1 and times["last_sent"] > times["first_sent"]:
        steady = round((sent - 1) / (times["last_sent"] - times["first_sent"]), 1)
    return {
        "queued": published["queued"],
        "publish_ms": published["publish_ms"],
        "statuses": counts,
        "finished": finished,
        "sent": sent,
        "received": got,
        "seconds": seconds,
        "rate": round(sent / seconds, 1) if sent and seconds else 0.0,
        "steady_rate": steady,
        **{f"{key}_s": value for key, value in times.items()},
        "cpu_ms_per_message": round(cluster_cpu * 1000 / sent, 3) if sent else None,
        "others_cpu_share": share,
    }


def pipeline_leg(name, env, sink, baseline, rounds, max_seconds):
    """Start a qcluster; ``rounds`` times publish and wait for the last e-mail; memory sampled
    all along. The send_mass_mail way runs before the first round and after each: a round's
    ratio is against the runs right before and after it, so both see the same machine. The
    leg reports its median round.
    """
    log_path = BENCH_DIR / f"qcluster-{name}.log"
    cluster = start_qcluster(env, log_path)
    sampler = None
    runs = []
    try:
        wait_for_cluster(cluster, log_path)
        say(f"{name}: qcluster running")
        sampler = MemorySampler(cluster.pid)
        sampler.start()
        reference = [baseline.same_messages()]
        for number in range(rounds):
            run = pipeline_round(name, env, sink, cluster, max_seconds)
            reference.append(baseline.same_messages())
            run["send_mass_mail_rate"] = statistics.mean(r["rate"] for r in reference[-2:])
            run["ratio"] = round(run["rate"] / run["send_mass_mail_rate"], 4)
            runs.append(run)
            say(
                f"{name} round {number + 1}: {run['sent']}/{run['queued']} sent in"
                f" {run['seconds']} s ({run['rate']:.0f} msg/s, {run['ratio']:.0%} of"
                " send_mass_mail)"
            )
            if not run["finished"]:
                break
        time.sleep(0.3)  # a last memory sample after the final message
        memory = sampler.stop(cluster_roles(cluster.pid, log_path))
        sampler = None
    finally:
        if sampler:
            sampler.stop()
        stop_process_group(cluster)
        say(f"{name}: qcluster stopped")
    median = sorted(runs, key=lambda run: run["ratio"])[(len(runs) - 1) // 2]
    finished = all(run["finished"] for run in runs)
    return {
        "broker": name,
        **median,
        "finished": finished,
        "target": "PASS" if finished and median["ratio"] >= TARGET_RATIO else "FAIL",
        "rounds": runs,
        "memory": memory,
        "log": str(log_path.relative_to(ROOT)),
    }


# --- Diagnosis: deliver_pending in this process --------------------------------------------


class StepTimer:
    """Wraps functions to add up the time spent in each (a step of ``deliver_one``)."""

    def __init__(self):
        self.seconds = {}
        self.restore = []

    def wrap(self, owner, name, step, setter=setattr):
        original = owner[name] if isinstance(owner, dict) else getattr(owner, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[step] = self.seconds.get(step, 0.0) + time.perf_counter() - started

        if isinstance(owner, dict):
            owner[name] = timed
            self.restore.append(lambda: owner.__setitem__(name, original))
        else:
            setattr(owner, name, timed)
            self.restore.append(lambda: setattr(owner, name, original))

    def undo(self):
        for restore in reversed(self.restore):
            restore()


def diagnose_in_process(school, count):
    """``deliver_pending`` without django-q2, with the time of each step of ``deliver_one``
    and the SQL statements per message (BEGIN and COMMIT included; every statement is
    counted, not only the last 9,000 that Django keeps)."""
    from collections import deque

    from django.core.mail.backends.smtp import EmailBackend
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from schoolportal.mailings import delivery
    from schoolportal.notifications import outbox
    from schoolportal.notifications.models import OutboxMessage

    mailing = new_mailing("Bench in proces", staff_user(), school)
    addresses = sorted(school_addresses(school))[:count]
    # Rows written directly: outbox.queue would also ask django-q2 to deliver them.
    OutboxMessage.objects.bulk_create(
        OutboxMessage(kind=delivery.MAILING, cause_id=mailing.pk, recipient_email=address)
        for address in addresses
    )
    steps = StepTimer()
    steps.wrap(outbox.RENDERERS, delivery.MAILING, "render (prototype + EmailMessage)")
    steps.wrap(outbox, "_claim", "claim (BEGIN IMMEDIATE, UPDATE, COMMIT)")
    steps.wrap(EmailBackend, "send_messages", "SMTP send (as send_mass_mail)")
    steps.wrap(outbox, "_mark_sent", "mark sent (UPDATE, autocommit)")
    connection.queries_log = deque(maxlen=20 * len(addresses) + 1000)
    before_cpu = cpu_snapshot()
    started, own_cpu = time.perf_counter(), self_cpu_seconds()
    try:
        with CaptureQueriesContext(connection) as captured:
            sent = outbox.deliver_pending(delivery.MAILING, mailing.pk)
    finally:
        steps.undo()
    seconds, own_cpu = time.perf_counter() - started, self_cpu_seconds() - own_cpu
    share = others_share(before_cpu, cpu_snapshot())
    statements = {}
    for query in captured.captured_queries:
        verb = query["sql"].lstrip().split(None, 1)[0].upper()
        statements[verb] = statements.get(verb, 0) + 1
    per_message = max(sent, 1)
    rest = seconds - sum(steps.seconds.values())
    breakdown = {
        "batch SELECT, loop and the rest": rest,
        **steps.seconds,
    }
    result = {
        "messages": sent,
        "seconds": round(seconds, 3),
        "rate": round(sent / seconds, 1) if seconds else 0.0,
        "others_cpu_share": share,
        "cpu_ms_per_message": round(own_cpu * 1000 / per_message, 3),
        "ms_per_message": round(seconds * 1000 / per_message, 3),
        "steps_ms_per_message": {
            step: round(value * 1000 / per_message, 3) for step, value in breakdown.items()
        },
        "queries_per_message": round(len(captured) / per_message, 2),
        "statements_per_message": {
            verb: round(n / per_message, 2) for verb, n in sorted(statements.items())
        },
    }
    say(
        f"deliver_pending in process {result['rate']:.0f} msg/s,"
        f" {result['queries_per_message']} statements per message"
    )
    return result


# --- Report ---------------------------------------------------------------------------------


BUSY_SHARE = harness.BUSY_SHARE
fmt = harness.fmt


def busy(row):
    """A star on a figure measured while other processes took a share of the CPUs."""
    return "*" if row.get("others_cpu_share", 0) > BUSY_SHARE else " "


def delivery_row(name, row, ratio=None, leg=None):
    """One line of the delivery table; a pipeline leg fills the last columns."""
    line = (
        f"{name:42} {row.get('sent', row.get('messages')):5d} {row['seconds'] or 0:8.2f}"
        f" {row['rate']:7.1f}{busy(row)} {fmt(ratio, '6.1%')}"
        f" {fmt(row.get('cpu_ms_per_message'), '6.2f')}"
    )
    if leg:
        memory = leg["memory"]
        line += (
            f" {fmt(leg['first_sent_s'], '7.2f')}s {fmt(leg['steady_rate'], '7.1f')}"
            f" {fmt(memory.get('peak_total_rss_mib'), '7.0f')}"
            f" {fmt(memory.get('peak_total_pss_mib'), '7.0f')} {leg['target']:>6}"
        )
    return line.rstrip()


def print_report(result):
    publish = result["publish"]
    print(
        "\npublishing a whole-school mailing (admin create view, action-publish, HTTP to "
        "gunicorn, 1 worker):"
    )
    header = (
        f"{'runs':>4} {'median ms':>9} {'min':>6} {'max':>6} {'cold ms':>8} {'queued':>7}"
        f" {'queries':>7} {'target':>7}"
    )
    print(header + "\n" + "-" * len(header))
    print(
        f"{len(publish['runs_ms']):4d} {publish['median_ms']:9.0f} {min(publish['runs_ms']):6.0f}"
        f" {max(publish['runs_ms']):6.0f} {publish['cold_ms']:8.0f} {publish['queued'][0]:7d}"
        f" {publish['queries_in_process']:7d} {publish['target']:>7}"
    )
    print(
        f"(target < {TARGET_PUBLISH_MS} ms; cold: the worker's first publish, not counted;"
        " queries: the same POST in process)"
    )

    delay = f", answering after {result['smtp_delay_ms']:g} ms" if result["smtp_delay_ms"] else ""
    print(
        f"\ndelivering {result['recipients']} e-mails of {result['message_bytes']} bytes to a "
        f"local SMTP sink{delay} ({result['q_workers']} django-q2 workers):"
    )
    header = (
        f"{'way':42} {'sent':>5} {'seconds':>8} {'msg/s':>8} {'ratio':>6} {'CPU ms':>6}"
        f" {'1st sent':>8} {'steady':>7} {'RSS MiB':>7} {'PSS MiB':>7} {'target':>6}"
    )
    print(header + "\n" + "-" * len(header))
    runs = result["send_mass_mail_runs"]
    typical = sorted(runs, key=lambda run: run["rate"])[(len(runs) - 1) // 2]
    print(delivery_row(f"send_mass_mail way, median of {len(runs)} runs", typical))
    print(delivery_row("send_mass_mail (plain-text tuples)", result["send_mass_mail_text_only"]))
    diag = result.get("in_process")
    if diag:
        ratio = diag["rate"] / diag["send_mass_mail_rate"]
        print(delivery_row("deliver_pending in process (no django-q2)", diag, ratio))
    for leg in result["legs"]:
        name = f"django-q2 pipeline, {leg['broker']} broker (median)"
        print(delivery_row(name, leg, leg["ratio"], leg))
    for name, reason in result["skipped"].items():
        print(f"{'django-q2 pipeline, ' + name + ' broker':42} skipped: {reason}")
    print(
        f"(target: pipeline >= {TARGET_RATIO:.0%} of the send_mass_mail way run just before and"
        " after it; pipeline timed from the publish to the last row sent, median of"
        f" {result['rounds']} mailings; CPU ms: CPU time per"
        " message of the sender (this process, or qcluster and all its children); steady:"
        " msg/s from the first to the last e-mail; RSS: peak sum over qcluster and its"
        " children, PSS: the same with shared pages counted once)"
    )
    for leg in result["legs"]:
        memory = leg["memory"]
        print(
            f"{leg['broker']}: rounds at "
            + ", ".join(
                f"{run['rate']:.0f} msg/s = {run['ratio']:.0%}{busy(run).strip()}"
                for run in leg["rounds"]
            )
            + f"; the publish queued {leg['queued']} rows in "
            f"{leg['publish_ms']:.0f} ms; first claim {leg['first_claim_s']} s after it; "
            f"statuses {leg['statuses']}; peak RSS per process (MiB): "
            + ", ".join(f"{name} {peak}" for name, peak in memory["process_peaks_mib"].items())
            + ("" if leg["finished"] else f"; NOT FINISHED within {result['max_seconds']} s")
        )
    if diag:
        steps = ", ".join(f"{step} {ms}" for step, ms in diag["steps_ms_per_message"].items())
        statements = ", ".join(f"{v} {n}" for v, n in diag["statements_per_message"].items())
        print(
            f"deliver_one in process, ms per message: {steps}; total {diag['ms_per_message']}"
            f"\n  SQL per message: {statements} ({diag['queries_per_message']} in all)"
        )
    starred = [result.get("send_mass_mail_text_only"), diag, *result["send_mass_mail_runs"]]
    starred += [run for leg in result["legs"] for run in leg["rounds"]]
    if any(row and busy(row) == "*" for row in starred):
        print(
            f"warning: other processes used more than {BUSY_SHARE:.0%} of the CPUs during the "
            "rows marked *; their rates are lower than on a quiet machine"
        )


def summary(result):
    verdicts = [("publish", result["publish"]["target"])]
    verdicts += [(f"pipeline {leg['broker']}", leg["target"]) for leg in result["legs"]]
    failed = [name for name, verdict in verdicts if verdict != "PASS"]
    text = "bench mailing " + ("FAIL: " + ", ".join(failed) if failed else "PASS")
    text += f" (publish {result['publish']['median_ms']:.0f} ms"
    for leg in result["legs"]:
        text += (
            f"; {leg['broker']} {leg['rate']:.0f} msg/s = {leg['ratio']:.0%} of send_mass_mail"
            f", peak {leg['memory'].get('peak_total_rss_mib')} MiB RSS"
        )
    return text + f"); {RESULTS.relative_to(ROOT)}"


# --- Main -----------------------------------------------------------------------------------


def main(args):
    started = time.monotonic()
    revision = harness.git_revision()
    legs = [leg.strip() for leg in args.legs.split(",") if leg.strip()]
    if set(legs) - {"orm", "redis"}:
        fail(f"--legs takes orm and/or redis, not {args.legs!r}.")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    _lock = harness.hold_lock()  # one benchmark at a time: they share var/bench and the CPUs
    seed = harness.prepare_database(args.families, reseed=False)
    harness.collect_static()  # the admin's pages need the manifest of the production storage
    copy_database()
    say(f"copied the seeded school to {MAIL_DB.relative_to(ROOT)}")

    with contextlib.ExitStack() as cleanup:
        sink = Sink(args.smtp_delay_ms)
        cleanup.callback(sink.stop)
        orm_env = django_env(sink.port, q_workers=args.q_workers)
        setup_django(orm_env)
        school = the_school()

        publish = measure_publish(orm_env, args.publish_runs)
        before, recipients = top_up_guardians(school, args.recipients)
        say(
            f"{recipients} addresses ({before} in the demo school,"
            f" {recipients - before} extra guardians)"
        )
        baseline = Baseline(sink, school)
        text_only = baseline.text_only()
        in_process = None
        if not args.no_diagnosis:
            reference = baseline.same_messages()
            in_process = diagnose_in_process(school, recipients)
            in_process["send_mass_mail_rate"] = reference["rate"]

        results, skipped = [], {}
        for name in legs:
            env = orm_env
            if name == "redis":
                problem = redis_available(args.redis_url)
                if problem:
                    skipped[name] = f"no Redis at {args.redis_url} ({problem})"
                    say(f"skipping the redis leg: {skipped[name]}")
                    continue
                env = django_env(sink.port, redis_url=args.redis_url, q_workers=args.q_workers)
                clear_redis(args.redis_url)
                cleanup.callback(clear_redis, args.redis_url)
            results.append(pipeline_leg(name, env, sink, baseline, args.rounds, args.max_seconds))

    commit, dirty = revision
    result = {
        "commit": commit,
        "dirty": dirty,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "families": args.families,
        "recipients": recipients,
        "q_workers": args.q_workers,
        "rounds": args.rounds,
        "max_seconds": args.max_seconds,
        "publish": publish,
        "smtp_delay_ms": args.smtp_delay_ms,
        "message_bytes": baseline.message_bytes,
        "render_seconds": round(baseline.render_seconds, 3),
        "send_mass_mail_runs": baseline.runs,
        "send_mass_mail_text_only": text_only,
        "in_process": in_process,
        "legs": results,
        "skipped": skipped,
        "seed": seed,
    }
    print_report(result)
    result["run_seconds"] = round(time.monotonic() - started, 1)
    RESULTS.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(f"run: {result['run_seconds']} s")
    print(summary(result) + (" (uncommitted changes)" if dirty else ""))
    return 0


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.smtp_sink:
        sys.exit(smtp_sink(int(arguments.smtp_sink[0]), arguments.smtp_sink[1]))
    if arguments.publish_child:
        sys.exit(publish_child())
    # A `kill` unwinds through the same `finally` blocks as Ctrl-C: servers are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        sys.exit(main(arguments))
    except KeyboardInterrupt:
        sys.exit("bench mailing: interrupted.")
