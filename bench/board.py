"""`make bench`, board part: a generated school board of 30 schools on PostgreSQL and Redis.

A school board runs one installation for all its schools. This builds one, fresh each run,
in the PostgreSQL database ``schoolportal_board`` (Redis database 11 for the cache and the
django-q2 broker):

1. the demo school (``manage.py demo``), then the parent pages' queries of the demo parent
   (bench/run.py's pages and counting: a first view in a new session, the same session
   again, and the first view of a generated family);
2. 29 generated schools beside it, to --families families in all (10,000), with groups,
   teachers, agenda items and the board's office (bestuur@example.org, management of every
   school); the same queries counted again, and again after the board's mailing. Target:
   every count the same as with the one school;
3. the board's office publishes one mailing to "alle scholen van het bestuur" in the admin,
   over HTTP to gunicorn, as bench/mailing.py does for a school (the confirming POST is
   timed; median of --publish-runs, each a new mailing). Target: under 2 s;
4. a last board mailing delivered by two `qcluster` processes ("two task hosts", one worker
   each unless --q-workers) to an SMTP sink, from the publish to the last row sent; beside
   it, right before and after, the same rendered messages sent the way send_mass_mail sends
   (one connection). Target: the pipeline at least half the rate of send_mass_mail.

A report: exits 0 when a time or rate target is missed; 1 when a parent page needs more
queries with the board than with one school, or an address of the board mailing was not
sent (a CI leg: `make prove-board`), and non-zero when it could not measure.

    .venv/bin/python bench/board.py [--families 10000] [--schools 30] [--keep]
"""

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import mailing
from bench import run as harness

ROOT = harness.ROOT
WORK_DIR = ROOT / "var" / "board"
RESULTS = WORK_DIR / "latest.json"
POSTGRES = os.environ.get("BOARD_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = "schoolportal_board"
REDIS_URL = os.environ.get("BOARD_REDIS_URL", "redis://127.0.0.1:6379/11")
BOARD_EMAIL = "bestuur@example.org"
PASSWORD = harness.PARENT_PASSWORD
TARGET_PUBLISH_MS = 2000
TARGET_RATIO = 0.5
WORKER_HOSTS = 2
STARTED = time.monotonic()


def say(message):
    print(f"bench board [{time.monotonic() - STARTED:6.1f} s]: {message}", flush=True)


def fail(message):
    sys.exit(f"bench board: {message}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=30, help="schools of the board (30)")
    parser.add_argument("--families", type=int, default=10000, help="families in all (10000)")
    parser.add_argument("--publish-runs", type=int, default=3, help="measured publishes (3)")
    # Two task hosts of one worker each: the "two workers" (4 in all gave 82 %).
    parser.add_argument("--q-workers", type=int, default=1, help="workers per qcluster (1)")
    parser.add_argument("--max-seconds", type=int, default=600, help="wait for delivery (600)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args(argv)


# --- Environment ---------------------------------------------------------------------------


def database_url():
    return f"{POSTGRES}/{DATABASE}"


def board_env(sink_port, q_workers):
    """Production settings on the board's database; every task host's workers share a
    large mailing (OUTBOX_SENDERS: the worker processes of all task hosts together)."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    return {
        **harness.bench_env("bench.settings"),
        "SCHOOLPORTAL_VAR_DIR": str(WORK_DIR),
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "EMAIL_HOST": harness.HOST,
        "EMAIL_PORT": str(sink_port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_USE_SSL": "0",
        "Q_WORKERS": str(q_workers),
        "OUTBOX_SENDERS": str(q_workers * WORKER_HOSTS),
    }


def psql(sql):
    subprocess.run(  # noqa: S603
        ["psql", f"{POSTGRES}/postgres", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],  # noqa: S607
        check=True,
        stdout=subprocess.DEVNULL,
    )


def manage(env, *args):
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        fail(f"`manage.py {' '.join(args)}` failed:\n{result.stderr[-3000:]}")
    return round(time.monotonic() - started, 1)


def fresh_database(env):
    psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    psql(f"CREATE DATABASE {DATABASE}")
    migrate = manage(env, "migrate", "--noinput", "-v", "0")
    # The demo builder runs only under the development settings (DEMO_DATA_ALLOWED).
    demo = manage({**env, "DJANGO_SETTINGS_MODULE": "schoolportal.settings.dev"}, "demo")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    return {"migrate_s": migrate, "demo_s": demo}


# --- The parent pages' queries --------------------------------------------------------------


def parent_pages():
    group_page_pk, album_pk = harness.group_page_pks()
    return harness.pages_for(
        harness.class_group_pk(),
        harness.slip_mailing_pk(),
        group_page_pk,
        album_pk,
        harness.conversation_pk(),
        harness.newsletter_pk(),
        harness.results_child_pk(),
        harness.interview_path(),
    )


def query_counts(pages, parents):
    from django.core.cache import cache

    cache.clear()  # every first view renders; the session's repeat is served from the cache
    counts, _backend = harness.count_queries(pages, parents)
    return {page.name: counts[page.path] for page in pages}


# --- The board ------------------------------------------------------------------------------


def generate_board(schools, families):
    """``schools`` - 1 schools beside the demo school, until ``families`` families in all:
    groups per year level, a teacher per group, parents of one to three children, agenda
    items; and the board's office, management of every school."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from schoolportal.agenda.models import AgendaItem
    from schoolportal.people.models import (
        Group,
        Guardian,
        Pupil,
        School,
        SchoolYear,
        StaffMember,
        StaffRole,
    )

    demo_year = SchoolYear.objects.get()
    present = Guardian.objects.count()
    per_school = max(1, (families - present) // (schools - 1))
    made = {"schools": 1, "families": present, "pupils": Pupil.objects.count()}
    with transaction.atomic():
        for number in range(2, schools + 1):
            school = School.objects.create(
                name=f"Basisschool Bestuur {number}",
                brin=f"{number:02d}BB",
                street="Schoolstraat",
                house_number=str(number),
                postcode="3811 AA",
                city="Amersfoort",
            )
            year = SchoolYear.objects.create(
                school=school,
                name=demo_year.name,
                start_date=demo_year.start_date,
                end_date=demo_year.end_date,
            )
            groups = Group.objects.bulk_create(
                Group(
                    school=school,
                    school_year=year,
                    name=f"Groep {level}",
                    lowest_year_level=level,
                    highest_year_level=level,
                )
                for level in range(1, 9)
            )
            teachers = StaffMember.objects.bulk_create(
                StaffMember(
                    school=school,
                    display_name=f"juf {group.name} ({number})",
                    email=f"leerkracht.{number}.{group.lowest_year_level}@bestuur.example.org",
                    role=StaffRole.TEACHER,
                )
                for group in groups
            )
            Group.teachers.through.objects.bulk_create(
                Group.teachers.through(group_id=group.pk, staffmember_id=teacher.pk)
                for group, teacher in zip(groups, teachers, strict=True)
            )
            made["pupils"] += add_families(school, groups, number, per_school)
            made["families"] += per_school
            made["schools"] += 1
            AgendaItem.objects.bulk_create(
                AgendaItem(
                    school=school,
                    title=f"Activiteit {n}",
                    start_date=demo_year.start_date + timedelta(days=14 * n),
                    end_date=demo_year.start_date + timedelta(days=14 * n),
                    all_day=True,
                    whole_school=True,
                )
                for n in range(1, 11)
            )
        office = get_user_model().objects.create_user(
            BOARD_EMAIL, PASSWORD, first_name="Bureau", last_name="Bestuur"
        )
        for school in School.objects.all():
            StaffMember.objects.create(
                school=school,
                user=office,
                display_name="Bestuursbureau",
                email=BOARD_EMAIL,
                role=StaffRole.MANAGEMENT,
            )
    return made


def add_families(school, groups, number, count):
    """``count`` families of one or two parents (70 % two) and one to three children."""
    from schoolportal.people.models import Guardian, Guardianship, Pupil

    guardians, pupils, links = [], [], []
    for family in range(count):
        parents = [
            Guardian(
                first_name="Ouder",
                last_name=f"{role.upper()} {number}-{family}",
                email=f"ouder.{number}.{family}{role}@bestuur.example.net",
            )
            for role in ("a", "b")[: 1 + (family % 10 < 7)]
        ]
        guardians.extend(parents)
        for child in range(1 + family % 3):
            group = groups[(family + child * 3) % 8]
            pupils.append(
                Pupil(
                    school=school,
                    group=group,
                    pupil_number=f"{number:02d}{family:05d}{child}",
                    first_name=f"Kind {child + 1}",
                    last_name=f"Gezin {number}-{family}",
                    date_of_birth=date(2026 - 4 - group.lowest_year_level, 10, 1),
                )
            )
            links.append((parents, len(pupils) - 1))
    Guardian.objects.bulk_create(guardians, batch_size=1000)
    Pupil.objects.bulk_create(pupils, batch_size=1000)
    Guardianship.objects.bulk_create(
        (
            Guardianship(guardian=parent, pupil=pupils[index])
            for parents, index in links
            for parent in parents
        ),
        batch_size=1000,
    )
    return len(pupils)


# --- Publishing and delivering a board mailing ----------------------------------------------


def whole_school_mailing():
    """Every family of the demo school has a mailing before the first count, as after the
    board's: a page's first mailing adds its fixed queries (groups, school), not growth."""
    staff = mailing.staff_user()
    sent = mailing.new_mailing("Welkom terug", staff, mailing.the_school())
    sent.save_revision(user=staff).publish(user=staff)
    forget_queued_work()


def board_mailing_form(html, title):
    form = mailing.publish_form(html, title)
    form["audience"] = ["every_school"]
    form["sender"] = ["board"]
    return form


def publish_board_mailing(browser, title):
    """Create, "Publiceren", confirm: the confirming POST (publish + queue) is timed."""
    from django.urls import reverse

    from schoolportal.mailings.models import Mailing

    add_path = reverse("wagtailsnippets_mailings_mailing:add")
    status, _headers, html, _ = browser.request("GET", add_path)
    if status != 200 or 'value="every_school"' not in html:
        fail(f"{add_path} answered {status} without 'alle scholen van het bestuur'.")
    status, headers, html, _ = browser.request("POST", add_path, board_mailing_form(html, title))
    if status != 302:
        fail(f"publishing answered {status}: {mailing.form_errors(html)}")
    send_path = urllib.parse.urlsplit(headers["Location"]).path
    _status, _headers, html, _ = browser.request("GET", send_path)
    started_wall = time.time()
    status, _headers, _html, seconds = browser.request(
        "POST", send_path, mailing.confirmation(html)
    )
    sent = Mailing.objects.filter(title=title, sent_at__isnull=False).first()
    if status != 302 or sent is None:
        fail(f"confirming {title!r} answered {status} but the mailing was not sent.")
    return {
        "mailing": sent.pk,
        "t0": started_wall,
        "ms": round(seconds * 1000, 1),
        "queued": mailing.outbox_rows(sent.pk).count(),
    }


def forget_queued_work():
    """Outbox rows and broker tasks of mailings no worker is meant to send."""
    mailing.forget_queued_work()
    mailing.clear_redis(REDIS_URL)


def board_messages(mailing_pk):
    """The pipeline's own rendered messages, one per address, for send_mass_mail's way."""
    from schoolportal.mailings import delivery
    from schoolportal.notifications.models import OutboxMessage

    addresses = mailing.outbox_rows(mailing_pk).values_list("recipient_email", flat=True)
    return [
        delivery.render_mailing(
            OutboxMessage(pk=n + 1, kind=delivery.MAILING, cause_id=mailing_pk, recipient_email=e)
        )
        for n, e in enumerate(addresses.order_by("pk"))
    ]


def send_mass_mail_way(sink, messages):
    from django.core.mail import get_connection

    before, started = sink.count(), time.perf_counter()
    with get_connection(fail_silently=False) as connection:
        sent = connection.send_messages(messages)
    seconds = time.perf_counter() - started
    if sent != len(messages) or sink.count() - before != sent:
        fail(f"send_mass_mail's way: {sent} of {len(messages)} sent.")
    say(f"send_mass_mail way: {sent / seconds:.0f} msg/s")
    return {"messages": sent, "seconds": round(seconds, 2), "rate": round(sent / seconds, 1)}


def deliver_through_two_hosts(env, sink, browser, max_seconds):
    """A board mailing sent by two qclusters; send_mass_mail's way right before and after."""
    measured = publish_board_mailing(browser, "Bestuur: bezorging")  # workers still down
    messages = board_messages(measured["mailing"])
    forget_queued_work()  # only the measured mailing is delivered
    reference = [send_mass_mail_way(sink, messages)]
    clusters = []
    try:
        for host in range(WORKER_HOSTS):
            log_path = WORK_DIR / f"worker-{host + 1}.log"
            clusters.append((mailing.start_qcluster(env, log_path), log_path))
        for cluster, log_path in clusters:
            mailing.wait_for_cluster(cluster, log_path, timeout=120)
        say(f"{WORKER_HOSTS} qclusters running; publishing the measured mailing")
        before = sink.count()
        published = publish_board_mailing(browser, "Bestuur: gemeten bezorging")
        counts, finished = mailing.wait_until_delivered(
            published["mailing"], published["queued"], clusters[0][0], max_seconds, "two hosts"
        )
        received = sink.count() - before
        times = mailing.delivery_times(published["mailing"], published["t0"])
        by_host = senders_per_host(clusters)
    finally:
        for cluster, _log_path in clusters:
            mailing.stop_process_group(cluster)
    reference.append(send_mass_mail_way(sink, messages))
    sent = counts.get("sent", 0)
    seconds = times["last_sent"] or 0
    rate = round(sent / seconds, 1) if sent and seconds else 0.0
    baseline = statistics.mean(run["rate"] for run in reference)
    return {
        "queued": published["queued"],
        "sent": sent,
        "received": received,
        "statuses": counts,
        "finished": finished,
        "seconds": seconds,
        "rate": rate,
        **{f"{key}_s": value for key, value in times.items()},
        "send_mass_mail": reference,
        "send_mass_mail_rate": round(baseline, 1),
        "ratio": round(rate / baseline, 3),
        "tasks_per_host": by_host,
        "target": "PASS" if finished and rate / baseline >= TARGET_RATIO else "FAIL",
    }


def senders_per_host(clusters):
    """Delivery tasks each qcluster ran (from their logs): both hosts took part."""
    return [
        log_path.read_text(errors="replace").count("deliver_pending")
        for _cluster, log_path in clusters
    ]


# --- Report ---------------------------------------------------------------------------------


def compare_counts(stages):
    """Pages whose counts grew: the board's must equal the one school's; after the board's
    mailings a page may need fewer (a list of board mailings has no group teachers to
    fetch), never more."""
    (_, one), (_, board), (_, mailed) = stages
    grew = []
    for name, counts in one.items():
        cells = [(key, value) for key, value in counts.items() if value is not None]
        if any(board[name][key] != value or mailed[name][key] > value for key, value in cells):
            grew.append(name)
    return grew


def print_report(result):
    stages = result["query_counts"]
    print("\nqueries per parent page (first view / same session again / a generated family):")
    header = f"{'page':22}" + "".join(f"{label:>20}" for label, _ in stages)
    print(header + "\n" + "-" * len(header))
    for name in stages[0][1]:
        cells = []
        for _label, counts in stages:
            row = counts[name]
            cells.append(f"{row['first']} / {row['repeat']} / {harness.fmt(row['families'], 'd')}")
        print(f"{name:22}" + "".join(f"{cell:>20}" for cell in cells))
    verdict = (
        "PASS" if not result["changed_pages"] else "FAIL: " + ", ".join(result["changed_pages"])
    )
    print(
        "(target: the board's counts equal the one school's, none more after its mailings)",
        verdict,
    )
    publish = result["publish"]
    print(
        f"\npublishing a board mailing to {publish['queued'][0]} addresses: median"
        f" {publish['median_ms']:.0f} ms ({', '.join(f'{t:.0f}' for t in publish['runs_ms'])};"
        f" target < {TARGET_PUBLISH_MS} ms) {publish['target']}"
    )
    d = result["delivery"]
    print(
        f"delivering it through {WORKER_HOSTS} qclusters x {result['q_workers']} workers:"
        f" {d['sent']}/{d['queued']} sent ({d['received']} received by the sink, the"
        f" schedules' e-mails included) in {d['seconds']} s ="
        f" {d['rate']:.0f} msg/s; send_mass_mail's way {d['send_mass_mail_rate']:.0f} msg/s;"
        f" ratio {d['ratio']:.0%} (target >= {TARGET_RATIO:.0%}) {d['target']};"
        f" delivery tasks per host {d['tasks_per_host']}; first sent {d['first_sent_s']} s"
        " after the publish"
    )


# --- Main -----------------------------------------------------------------------------------


def main(args):
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    harness.BENCH_DIR.mkdir(parents=True, exist_ok=True)  # the lock and gunicorn's log
    _lock = harness.hold_lock()  # one benchmark at a time: they share the CPUs
    if args.schools < 2:
        fail("a board has at least two schools.")
    with contextlib.ExitStack() as cleanup:
        sink = mailing.Sink()
        cleanup.callback(sink.stop)
        env = board_env(sink.port, args.q_workers)
        say(f"a fresh database {DATABASE} with the demo school")
        seed = fresh_database(env)
        if not args.keep:
            cleanup.callback(psql, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        mailing.setup_django(env)
        mailing.clear_redis(REDIS_URL)
        cleanup.callback(mailing.clear_redis, REDIS_URL)
        pages, parents = parent_pages(), harness.bench_parents(1)
        whole_school_mailing()
        query_counts(pages, parents)  # a first read marks mailings read: not a stage's cost
        stages = [("one school", query_counts(pages, parents))]
        started = time.monotonic()
        made = generate_board(args.schools, args.families)
        made["seconds"] = round(time.monotonic() - started, 1)
        say(f"board: {made['schools']} schools, {made['families']} families ({made['seconds']} s)")
        stages.append((f"{made['schools']} schools", query_counts(pages, parents)))

        port = harness.free_port()
        server = mailing.start_gunicorn(port, env)
        cleanup.callback(mailing.stop_process_group, server)
        mailing.wait_for_http(server, port)
        browser = mailing.Browser(port)
        browser.log_in(BOARD_EMAIL, PASSWORD)
        publish_board_mailing(browser, "Bestuur: koude worker")
        runs = [publish_board_mailing(browser, f"Bestuur {n}") for n in range(args.publish_runs)]
        times = [run["ms"] for run in runs]
        publish = {
            "runs_ms": times,
            "median_ms": statistics.median(times),
            "queued": [run["queued"] for run in runs],
            "target": "PASS" if statistics.median(times) < TARGET_PUBLISH_MS else "FAIL",
        }
        say(f"publish {publish['median_ms']:.0f} ms median, {runs[0]['queued']} rows queued")
        stages.append(("+ board mailings", query_counts(pages, parents)))
        forget_queued_work()
        delivery = deliver_through_two_hosts(env, sink, browser, args.max_seconds)

    commit, dirty = harness.git_revision()
    result = {
        "commit": commit,
        "dirty": dirty,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "seed": seed,
        "board": made,
        "q_workers": args.q_workers,
        "query_counts": stages,
        "changed_pages": compare_counts(stages),
        "publish": publish,
        "delivery": delivery,
        "run_seconds": round(time.monotonic() - STARTED, 1),
    }
    print_report(result)
    RESULTS.write_text(json.dumps(result, indent=2, default=str) + "\n")
    verdicts = {
        "query counts": "FAIL" if result["changed_pages"] else "PASS",
        "publish": publish["target"],
        "delivery": delivery["target"],
    }
    failed = [name for name, verdict in verdicts.items() if verdict != "PASS"]
    print(
        ("bench board FAIL: " + ", ".join(failed) if failed else "bench board PASS")
        + f" ({made['schools']} schools, {made['families']} families; publish"
        f" {publish['median_ms']:.0f} ms; delivery {delivery['rate']:.0f} msg/s ="
        f" {delivery['ratio']:.0%} of send_mass_mail); {RESULTS.relative_to(ROOT)}"
    )
    # Timings are a report; more queries with more schools, or a family without its one
    # e-mail, is wrong on any machine.
    wrong = result["changed_pages"] or delivery["sent"] != delivery["queued"]
    return 1 if wrong else 0


if __name__ == "__main__":
    arguments = parse_args()
    try:
        sys.exit(main(arguments))
    except KeyboardInterrupt:
        sys.exit("bench board: interrupted.")
