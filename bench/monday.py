"""`make bench`, Monday morning: a mixed parent workload on the scale-out configuration.

The morning after a school-wide mailing with a reply slip: parents log in, look at the
dashboard, open the mailing, answer its slip (the page they are sent back to included),
look at the agenda and at their child's group page. Served as production serves it:
PostgreSQL (database schoolportal_monday) and Redis (db 12: cache, sessions, django-q2's
broker), gunicorn with production's config and a qcluster beside it.

--parents virtual parents, each of another family (bench/run.py's bench_parents), are
driven by a closed-loop load generator in --processes OS processes with --connections
each (a virtual browser per connection: bench/mailing.py's Browser, over http.client; the
sync workers close every connection, so there is no keep-alive to keep), for --duration
seconds after --warmup. Measured first against one web process (one gunicorn with
--workers sync workers), then against two (two gunicorns on two ports; a connection picks
one at random per request, as a proxy spreads requests, so a session made on one is used
on the other). Reports actions/s and journeys/s, p50/p99 per action, the share of the
CPUs that other processes took, and the factor throughput(2)/throughput(1). Under load a
sync worker queues requests, so p50/p99 there hold the wait; each action's p50 "alone"
(one connection, one web process, measured first) is its own cost.

It is a report: it exits 0 when it measured, non-zero when it could not (seeding or a
server failed, a response had another status than expected, an answer was not stored).

    .venv/bin/python bench/monday.py [--reseed] [--parents 200] [--duration 20] ...
"""

import argparse
import contextlib
import functools
import itertools
import json
import math
import multiprocessing
import os
import random
import re
import signal
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import mailing as mailbench
from bench import run as harness

ROOT = harness.ROOT
BENCH_DIR = harness.BENCH_DIR
WORK_DIR = BENCH_DIR / "monday"  # SCHOOLPORTAL_VAR_DIR: media, static and logs of this bench
SEED_MARKER = BENCH_DIR / "monday-seeded.json"
RESULTS = BENCH_DIR / "monday-latest.json"
HOST = harness.HOST
POSTGRES = os.environ.get("MONDAY_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = "schoolportal_monday"
REDIS_URL = os.environ.get("MONDAY_REDIS_URL", "redis://127.0.0.1:6379/12")
LOGIN = "/account/inloggen/"
MIGRATE = ("migrate", "--noinput", "-v", "0")
MAILING_TITLE = "Studiedag maandag: komt uw kind naar de opvang?"
QUESTIONS = [
    ("Komt uw kind maandag naar de opvang?", "radio", "Ja\nNee", True),
    ("Opmerkingen", "multiline", "", False),
]
SAVED = "Uw antwoord is opgeslagen."
ACTIONS = (
    "login page",
    "login (POST)",
    "dashboard",
    "mailing with slip",
    "answer slip (POST)",
    "mailing after answer",
    "agenda",
    "group page",
)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
UNIT = re.compile(r'name="unit" value="(\d+)"')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", type=int, default=1000, help="demo families (1000)")
    parser.add_argument("--reseed", action="store_true", help="build a new database first")
    parser.add_argument("--parents", type=int, default=200, help="virtual parents (200)")
    parser.add_argument("--processes", type=int, default=4, help="load processes (4)")
    parser.add_argument("--connections", type=int, default=4, help="per load process (4)")
    parser.add_argument("--workers", type=int, default=1, help="sync workers per gunicorn (1)")
    parser.add_argument("--duration", type=int, default=20, help="measured s per config (20)")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured s per config (5)")
    return parser.parse_args(argv)


def say(message):
    print(f"bench monday [{time.monotonic() - STARTED:5.1f} s]: {message}", flush=True)


def fail(message):
    sys.exit(f"bench monday: {message}")


STARTED = time.monotonic()


# --- The database: PostgreSQL, seeded once ----------------------------------------------------


def django_env(settings="bench.settings"):
    """The environment of every Django process of this bench (production settings)."""
    return {
        **harness.bench_env(settings),
        "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
        "REDIS_URL": REDIS_URL,
        "SCHOOLPORTAL_VAR_DIR": str(WORK_DIR),
    }


def manage(*args, settings="bench.settings", check=True):
    command = [sys.executable, "manage.py", *args]
    code = harness.run(command, env=django_env(settings)).returncode
    if check and code != 0:
        fail(f"`manage.py {' '.join(args)}` failed with exit code {code}.")
    return code


def postgres(statement, *params):
    """One statement on the server's maintenance database; its first row, if any."""
    import psycopg

    try:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=5) as db:
            cursor = db.execute(statement, params or None)
            return cursor.fetchone() if cursor.description else None
    except psycopg.OperationalError as error:
        fail(f"no PostgreSQL at {POSTGRES} ({error}); set MONDAY_POSTGRES.")


def seed(families):
    """A new database: migrate, then the demo school (loaded with the development settings,
    as the production ones refuse the demo's well-known passwords)."""
    say(f"seeding {DATABASE} with {families} families (takes a while)")
    SEED_MARKER.unlink(missing_ok=True)
    postgres(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    postgres(f"CREATE DATABASE {DATABASE}")
    started = time.monotonic()
    manage(*MIGRATE, settings="schoolportal.settings.dev")
    manage("demo", "--families", str(families), settings="schoolportal.settings.dev")
    marker = {
        "fingerprint": harness.seed_fingerprint(families),
        "database": DATABASE,
        "families": families,
        "seed_seconds": round(time.monotonic() - started, 1),
        "seeded_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    SEED_MARKER.write_text(json.dumps(marker, indent=2))
    say(f"seeded in {marker['seed_seconds']} s")
    return {**marker, "reused": False}


def prepare_database(families, reseed):
    """Reuse the seeded database while the demo builder is unchanged and it still migrates."""
    with contextlib.suppress(OSError, ValueError):
        marker = json.loads(SEED_MARKER.read_text())
        exists = postgres("SELECT 1 FROM pg_database WHERE datname = %s", DATABASE)
        current = marker.get("fingerprint") == harness.seed_fingerprint(families)
        # New migrations are applied; a schema that no longer migrates is rebuilt.
        migrated = exists and current and not reseed and manage(*MIGRATE, check=False) == 0
        if migrated:
            say(f"reusing {DATABASE} (--reseed rebuilds it)")
            return {**marker, "reused": True}
    return seed(families)


# --- The Monday situation, written in process ---------------------------------------------------


def monday_mailing():
    """A whole-school mailing with an open per-family slip, sent an hour ago, unread and
    unanswered: written as the demo writes its mailings (published with sent_at set, so
    no e-mail is queued), kept between runs with its answers and read marks removed."""
    from django.utils import timezone

    from schoolportal.mailings import models
    from schoolportal.mailings.delivery import record_audience

    school = mailbench.the_school()
    sent_at = timezone.now() - timedelta(hours=1)
    mailing = models.Mailing.objects.filter(school=school, title=MAILING_TITLE).first()
    if mailing is None:
        mailing = models.Mailing(
            school=school,
            title=MAILING_TITLE,
            body="<p>Maandag is het studiedag. Laat u weten of uw kind naar de opvang komt?</p>",
            sender=models.Sender.SCHOOL,
            audience=models.Audience.SCHOOL,
            created_by=mailbench.staff_user(),
            sent_at=sent_at,
            reply_per=models.ReplyPer.FAMILY,
            reply_deadline=sent_at + timedelta(days=7),
        )
        mailing.reply_fields = models.ReplySlipField.questions(QUESTIONS)
        mailing.save()
        mailing.save_revision().publish()
        record_audience(mailing)
    models.Mailing.objects.filter(pk=mailing.pk).update(
        sent_at=sent_at, reply_deadline=sent_at + timedelta(days=7)
    )
    models.ReplySlipAnswer.objects.filter(mailing=mailing).delete()
    models.MailingRead.objects.filter(mailing=mailing).delete()
    mailing.refresh_from_db()
    return mailing


def virtual_parents(count, mailing):
    """``count`` parents of different families (harness.bench_parents), each of whom must
    find the slip on the mailing and may answer it: what the load generator needs of them."""
    from schoolportal import access

    names = [field.clean_name for field in mailing.reply_fields.order_by("sort_order")]
    parents = []
    for user, family in harness.bench_parents(count):
        pupils = access.own_pupils_addressed_by(user, mailing)
        if not pupils or not all(access.may_act_for(user, pupil) for pupil in pupils):
            fail(f"{user.email} has no slip to answer on the Monday mailing.")
        parents.append(
            {
                "email": user.email,
                "mailing": f"/portaal/mailings/{mailing.pk}/",
                "group_page": f"/portaal/groepspagina/{family['group_page']}/",
                "fields": names,
            }
        )
    return parents


def fresh_start():
    """No sessions or device rows of earlier runs; this bench's Redis keys removed."""
    from django.contrib.sessions.models import Session

    from schoolportal.accounts.models import LoginSession

    Session.objects.all().delete()
    LoginSession.objects.all().delete()
    mailbench.clear_redis(REDIS_URL)


def answers_stored(mailing):
    from schoolportal.mailings.models import ReplySlipAnswer

    return ReplySlipAnswer.objects.filter(mailing=mailing).count()


# --- The load generator (its own processes; standard library only) ---------------------------


class WrongStatus(Exception):
    pass


def journey(browser, parent, answer, timed):
    """One parent's Monday morning, from the login page to the group page."""
    browser.cookies.clear()  # a browser that has not logged in yet
    page = timed("login page", "GET", LOGIN)
    form = {"csrfmiddlewaretoken": found(TOKEN, page), "username": parent["email"]}
    timed("login (POST)", "POST", LOGIN, {**form, "password": harness.PARENT_PASSWORD})
    timed("dashboard", "GET", "/portaal/")
    page = timed("mailing with slip", "GET", parent["mailing"])
    unit = found(UNIT, page)
    question, notes = parent["fields"]
    slip = {"csrfmiddlewaretoken": found(TOKEN, page), "unit": unit}
    slip |= {f"unit{unit}-{question}": answer, f"unit{unit}-{notes}": f"Maandag: {answer}"}
    timed("answer slip (POST)", "POST", parent["mailing"], slip)
    if SAVED not in timed("mailing after answer", "GET", parent["mailing"]):
        raise WrongStatus(f"{parent['email']}: the answer was not confirmed")
    timed("agenda", "GET", "/portaal/agenda/")
    timed("group page", "GET", parent["group_page"])


def found(pattern, html):
    match = pattern.search(html)
    if match is None:
        raise WrongStatus(f"no {pattern.pattern!r} in the page")
    return match[1]


def connection_loop(ports, delay, parents, window, record):
    """A closed loop, started ``delay`` s late (connections that start together would stay
    in step): journey after journey, each of the next parent of this connection, until the
    window ends. A parent's answer changes from one visit to the next."""
    browser = mailbench.Browser(ports[0])  # a cookie jar; sync workers close connections
    # The proxy in front: any web process, request by request (not for security: S311).
    choose = random.Random(delay).choice  # noqa: S311
    time.sleep(delay)
    for number in itertools.count():
        parent = parents[number % len(parents)]
        answer = "Ja" if number // len(parents) % 2 else "Nee"
        timed = functools.partial(timed_request, browser, choose, ports, parent, window, record)
        try:
            journey(browser, parent, answer, timed)
        except Exception as error:  # a wrong status, a lost connection, or a bug: all stop it
            record("error", f"{type(error).__name__}: {error}")
            return
        if window[0] <= time.monotonic() <= window[1]:
            record("journey", parent["email"])
        if time.monotonic() > window[1]:
            return


def timed_request(browser, choose, ports, parent, window, record, action, method, path, form=None):
    """One request that must answer 200 (a GET) or 302 (a POST); its latency counts when it
    started and ended inside the measured window."""
    browser.port = choose(ports)
    started = time.monotonic()
    status, _headers, text, _seconds = browser.request(method, path, form)
    finished = time.monotonic()
    expected = 302 if method == "POST" else 200
    if status != expected:
        raise WrongStatus(f"{parent['email']} {method} {path}: {status}, not {expected}")
    if window[0] <= started and finished <= window[1]:
        record(action, finished - started)
    return text


def load_process(ports, slots, window, results):
    """One OS process of the load generator: a thread per connection, its parents its own."""
    samples = {action: [] for action in ACTIONS} | {"journey": [], "error": []}
    lock = threading.Lock()

    def record(action, value):
        with lock:
            samples[action].append(value)

    threads = [
        threading.Thread(target=connection_loop, args=(ports, *slot, window, record))
        for slot in slots
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(samples)


def drive(ports, parents, processes, connections, warmup, duration):
    """The load generator's processes (spawned: nothing of Django in them) and their samples
    merged, with CPU snapshots at the start and end of the measured window."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    total = processes * connections
    # Each connection its own parents; their starts spread over half the warm-up.
    slots = [(n * warmup / total / 2, parents[n::total]) for n in range(total)]
    start = time.monotonic() + 3  # the processes are up by then
    window = (start + warmup, start + warmup + duration)
    workers = [
        context.Process(target=load_process, args=(ports, slots[n::processes], window, results))
        for n in range(processes)
    ]
    for worker in workers:
        worker.start()
    time.sleep(max(0.0, window[0] - time.monotonic()))
    before = cpu_snapshot()
    time.sleep(duration)
    after = cpu_snapshot()
    merged = {}
    for _worker in workers:
        for action, values in results.get(timeout=120).items():
            merged.setdefault(action, []).extend(values)
    for worker in workers:
        worker.join()
    return merged, before, after


# --- CPU taken by other processes -----------------------------------------------------------


def postgres_backends():
    """PostgreSQL's processes serving this bench's database (their title names it)."""
    pids = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            if entry.name.isdigit() and f" {DATABASE} " in (entry / "cmdline").read_text():
                pids.append(int(entry.name))
    return pids


def cpu_snapshot():
    """Machine ticks, and ticks of this bench's processes: this script and its descendants
    (gunicorns, qcluster, load generator) and the PostgreSQL backends of its database."""
    busy, total = harness.machine_ticks()
    ours = [*mailbench.process_tree(os.getpid()), *postgres_backends()]
    return busy, total, {pid: harness.process_ticks(pid) for pid in ours}


def others_share(before, after):
    own = sum(ticks - before[2].get(pid, 0) for pid, ticks in after[2].items())
    total = after[1] - before[1]
    return round(max(0.0, (after[0] - before[0] - own) / total), 3) if total else 0.0


# --- Report ---------------------------------------------------------------------------------


def percentile(values, share):
    """Nearest rank, in ms; None without values."""
    ordered = sorted(values)
    return round(ordered[math.ceil(share * len(ordered)) - 1] * 1000, 1) if ordered else None


def web_cpu_seconds(before, after, servers):
    """CPU time the web processes (gunicorn masters and workers) used in the window."""
    pids = {pid for server in servers for pid in mailbench.process_tree(server.pid)}
    ticks = sum(after[2][pid] - before[2].get(pid, 0) for pid in pids & after[2].keys())
    return ticks / os.sysconf("SC_CLK_TCK")


def measure(name, webs, parents, args, processes, connections, duration):
    """One configuration under load (``webs``: port and process of each web process):
    throughput, latency per action, CPU of the web processes, tasks the qcluster ran."""
    from django.utils import timezone
    from django_q.models import Task

    say(f"{name}: {args.warmup} s warm-up, {duration} s measured")
    since = timezone.now()
    ports = [port for port, _server in webs]
    merged, before, after = drive(ports, parents, processes, connections, args.warmup, duration)
    if merged["error"]:
        fail(f"{len(merged['error'])} connection(s) stopped: " + "; ".join(merged["error"][:5]))
    actions = {
        action: {
            "count": len(merged[action]),
            "per_s": round(len(merged[action]) / duration, 2),
            "p50_ms": percentile(merged[action], 0.50),
            "p99_ms": percentile(merged[action], 0.99),
        }
        for action in ACTIONS
    }
    per_s = sum(row["count"] for row in actions.values()) / duration
    web_cpu = web_cpu_seconds(before, after, [server for _port, server in webs])
    journeys = per_s / len(ACTIONS)  # a journey is one request of each action
    return {
        "web_processes": len(ports),
        "connections": processes * connections,
        "actions_per_s": round(per_s, 2),
        # Steady journeys/s, without the journeys cut off at the window's edges.
        "journeys_per_s": round(journeys, 2),
        "journeys_completed": len(merged["journey"]),
        "parents": len(set(merged["journey"])),
        "others_cpu_share": others_share(before, after),
        "web_cpu_cores": round(web_cpu / duration, 2),
        "web_cpu_ms_per_journey": round(web_cpu * 1000 / max(journeys * duration, 1), 1),
        "tasks_run": list(Task.objects.filter(started__gte=since).values_list("func", flat=True)),
        "actions": actions,
    }


def print_table(alone, one, two):
    """Per action: latency alone (one connection), then per configuration under load."""
    print(
        f"\n{'':22} {'alone':>8} | {'1 web process':^26} | {'2 web processes':^26}\n"
        f"{'action':22} {'p50 ms':>8} | {'per s':>7} {'p50 ms':>8} {'p99 ms':>9} |"
        f" {'per s':>7} {'p50 ms':>8} {'p99 ms':>9}"
    )
    print("-" * 92)
    for action in ACTIONS:
        line = f"{action:22} {harness.fmt(alone['actions'][action]['p50_ms'], '8.1f')}"
        for config in (one, two):
            row = config["actions"][action]
            line += f" | {row['per_s']:7.2f} {harness.fmt(row['p50_ms'], '8.1f')}"
            line += f" {harness.fmt(row['p99_ms'], '9.1f')}"
        print(line)
    print("-" * 92)
    for config in (one, two):
        print(
            f"{config['web_processes']} web process(es), {config['connections']} connections: "
            f"{config['actions_per_s']:.1f} actions/s = {config['journeys_per_s']:.2f} "
            f"journeys/s ({config['journeys_completed']} journeys of {config['parents']} parents "
            f"completed); web processes used {config['web_cpu_cores']:.2f} cores "
            f"({config['web_cpu_ms_per_journey']:.0f} ms CPU a journey), others "
            f"{config['others_cpu_share']:.0%} of the CPUs; tasks run: {len(config['tasks_run'])}"
        )


def main(argv=None):
    args = parse_args(argv)
    if args.parents < args.processes * args.connections:
        fail("--parents must be at least --processes x --connections (a parent per connection).")
    revision = harness.git_revision()
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    _lock = harness.hold_lock()  # one benchmark at a time: they share the CPUs
    seeded = prepare_database(args.families, args.reseed)
    manage("collectstatic", "--noinput", "-v", "0")
    mailbench.setup_django(django_env())
    fresh_start()
    mailing = monday_mailing()
    parents = virtual_parents(args.parents, mailing)
    from django.db import connections

    connections.close_all()  # the servers and the load own the database from here
    say(f"mailing {mailing.pk} to the whole school; {len(parents)} parents, each a slip")
    load = (args.processes, args.connections, args.duration)

    processes = []
    try:
        cluster_log = WORK_DIR / "qcluster.log"
        processes.append(mailbench.start_qcluster(django_env(), cluster_log))
        mailbench.wait_for_cluster(processes[-1], cluster_log, timeout=120)
        webs = []
        for name in ("web-a", "web-b"):
            port = harness.free_port()
            log_path = WORK_DIR / f"{name}.log"
            processes.append(mailbench.start_gunicorn(port, django_env(), args.workers, log_path))
            webs.append((port, processes[-1]))
            mailbench.wait_for_http(processes[-1], port, log_path=log_path)
        say("a qcluster and two gunicorns running")
        alone = measure("alone", webs[:1], parents, args, 1, 1, min(args.duration, 10))
        one = measure("1 web process", webs[:1], parents, args, *load)
        two = measure("2 web processes", webs, parents, args, *load)
    finally:
        for process in reversed(processes):
            mailbench.stop_process_group(process, timeout=20)

    factor = round(two["actions_per_s"] / max(one["actions_per_s"], 0.01), 2)
    answered = answers_stored(mailing)
    if answered < max(one["parents"], two["parents"]):
        fail(f"{answered} answers stored, but more parents answered.")
    commit, dirty = revision
    result = {
        "commit": commit,
        "dirty": dirty,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "settings": vars(args),
        "database": f"{POSTGRES}/{DATABASE}",
        "redis": REDIS_URL,
        "seed": seeded,
        "mailing": mailing.pk,
        "answers_stored": answered,
        "alone": alone,
        "configurations": [one, two],
        "factor": factor,
        "run_seconds": round(time.monotonic() - STARTED, 1),
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print_table(alone, one, two)
    seeding = "reused; built in" if seeded["reused"] else "built in"
    print(f"seeding: {seeding} {seeded['seed_seconds']} s; answers stored: {answered}")
    print(f"run: {result['run_seconds']} s; results in {RESULTS.relative_to(ROOT)}")
    busy = max(one["others_cpu_share"], two["others_cpu_share"])
    print(
        f"bench monday: {one['actions_per_s']:.1f} actions/s ({one['journeys_per_s']:.2f} "
        f"journeys/s) on 1 web process, {two['actions_per_s']:.1f} ({two['journeys_per_s']:.2f})"
        f" on 2: factor {factor:.2f} on {os.cpu_count()} cores (shared with the load generator,"
        f" PostgreSQL and Redis); login alone p50 "
        f"{alone['actions']['login (POST)']['p50_ms']} ms; others took up to {busy:.0%} of the"
        " CPUs" + (" (uncommitted changes)" if dirty else "")
    )
    return 0


if __name__ == "__main__":
    # A `kill` unwinds through the same `finally` as Ctrl-C: the servers are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("bench monday: interrupted.")
