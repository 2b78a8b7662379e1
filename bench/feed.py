"""`make bench`, calendar part: the personal iCalendar feed under load.

Measures, beside /healthz on the same gunicorn: the demo parent's feed (200, and 304 to a
conditional request) and a feed of 1,000 items (200 and 304), plus the time to build
that 1,000-item feed in process. Target: the 304 answer reaches half of /healthz.
Reuses bench/run.py's database, server and wrk helpers.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run as harness

FEED_SCHOOL_BRIN = "99FB"
FEED_PARENT_EMAIL = "bench.agenda@example.org"
FEED_ITEMS = 1000
TARGET_304 = 0.5


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int, default=6)
    parser.add_argument("--warmup", type=int, default=1)
    return parser.parse_args(argv)


def ensure_feed_school():
    """A second school with one family and 1,000 agenda items, apart from the demo school."""
    from schoolportal.accounts.models import User
    from schoolportal.agenda.models import AgendaItem
    from schoolportal.people.models import Group, Guardian, Guardianship, Pupil, School, SchoolYear

    school, _ = School.objects.get_or_create(brin=FEED_SCHOOL_BRIN, defaults={"name": "Feedschool"})
    year, _ = SchoolYear.objects.get_or_create(
        school=school,
        name="bench",
        defaults={"start_date": date(2026, 8, 24), "end_date": date(2027, 7, 16)},
    )
    group, _ = Group.objects.get_or_create(
        school_year=year,
        name="Groep 4",
        defaults={"school": school, "lowest_year_level": 4, "highest_year_level": 4},
    )
    user = User.objects.filter(email=FEED_PARENT_EMAIL).first() or User.objects.create_user(
        FEED_PARENT_EMAIL, None, first_name="Agenda", last_name="Bench"
    )
    guardian, _ = Guardian.objects.get_or_create(
        user=user, defaults={"first_name": "Agenda", "last_name": "Bench"}
    )
    pupil, _ = Pupil.objects.get_or_create(
        school=school,
        first_name="Feed",
        last_name="Bench",
        defaults={"group": group, "date_of_birth": date(2018, 5, 1)},
    )
    Guardianship.objects.get_or_create(guardian=guardian, pupil=pupil)
    missing = FEED_ITEMS - AgendaItem.objects.filter(school=school).count()
    first = date(2026, 8, 24)
    AgendaItem.objects.bulk_create(
        AgendaItem(
            school=school,
            title=f"Activiteit {n}",
            location="Gymzaal",
            description="Een activiteit om de feed te vullen.",
            all_day=n % 3 == 0,
            start_date=first + timedelta(days=n % 300),
            end_date=first + timedelta(days=n % 300),
            start_time=None if n % 3 == 0 else time_of(n),
            end_time=None if n % 3 == 0 else time_of(n, 1),
        )
        for n in range(max(missing, 0))
    )
    return user


def time_of(n, extra_hours=0):
    from datetime import time as clock

    return clock(8 + n % 8 + extra_hours, 0)


def build_seconds(user, repeat=5):
    """Median time to build the feed body in process (no HTTP, no cache)."""
    from schoolportal.agenda.feeds import feed_body

    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        body = feed_body(user)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), body.count(b"BEGIN:VEVENT")


def feed_token(user):
    from schoolportal.agenda.models import CalendarFeed

    return CalendarFeed.renew(user)


def wrk(binary, port, path, args, headers=()):
    command = [
        binary, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
        "--timeout", "30s", "--latency",
    ]  # fmt: skip
    for header in headers:
        command += ["-H", header]
    if args.warmup:
        harness.run(
            [*command[:3], f"-d{args.warmup}s", f"http://{harness.HOST}:{port}{path}"],
            capture_output=True,
        )
    result = harness.run(
        [*command, f"http://{harness.HOST}:{port}{path}"], capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"bench: wrk failed on {path}:\n{result.stderr}")
    return harness.parse_wrk(result.stdout)


def etag_of(port, path):
    status, headers, _body = harness.http_request(port, "GET", path)
    if status != 200 or not headers.get("ETag"):
        sys.exit(f"bench: {path} answered {status} without an ETag.")
    conditional = harness.http_request(
        port, "GET", path, headers={"If-None-Match": headers["ETag"]}
    )
    if conditional[0] != 304:
        sys.exit(f"bench: {path} answered {conditional[0]} to its own ETag, not 304.")
    return headers["ETag"]


def main(argv=None):
    args = parse_args(argv)
    harness.BENCH_DIR.mkdir(parents=True, exist_ok=True)
    _lock = harness.hold_lock()
    binary = harness.ensure_wrk()
    harness.prepare_database(args.families, reseed=False)
    harness.collect_static()
    harness.setup_django()
    from django.contrib.auth import get_user_model

    demo_parent = get_user_model().objects.get(email=harness.PARENT_EMAIL)
    big_parent = ensure_feed_school()
    seconds, events = build_seconds(big_parent)
    feeds = {
        "demo parent's feed": f"/agenda/{feed_token(demo_parent)}.ics",
        f"feed of {events} items": f"/agenda/{feed_token(big_parent)}.ics",
    }

    port = harness.free_port()
    server = harness.start_gunicorn(port, args.workers)
    rows = []
    try:
        harness.wait_until_ready(server, port)
        ceiling = wrk(binary, port, "/healthz", args)
        rows.append(("healthz (ceiling)", ceiling, None))
        for name, path in feeds.items():
            etag = etag_of(port, path)
            rows.append((f"{name} 200", wrk(binary, port, path, args), None))
            rows.append(
                (
                    f"{name} 304",
                    wrk(binary, port, path, args, [f"If-None-Match: {etag}"]),
                    TARGET_304,
                )
            )
    finally:
        harness.stop_gunicorn(server)

    print(f"\nbuilding the {events}-item feed in process: {seconds * 1000:.0f} ms (median of 5)")
    header = f"{'answer':34} {'req/s':>8} {'ratio':>7} {'p50 ms':>7} {'p99 ms':>7} {'target':>7}"
    print(header + "\n" + "-" * len(header))
    result_rows, failed = [], []
    for name, figures, target in rows:
        ratio = figures["rps"] / ceiling["rps"] if ceiling["rps"] else 0
        verdict = "" if target is None else ("PASS" if ratio >= target else "FAIL")
        if verdict == "FAIL":
            failed.append(name)
        print(
            f"{name:34} {figures['rps']:8.1f} {ratio:7.1%} {figures['p50_ms'] or 0:7.1f}"
            f" {figures['p99_ms'] or 0:7.1f} {verdict:>7}"
        )
        result_rows.append({"answer": name, **figures, "ratio": round(ratio, 4), "target": verdict})
    saved = harness.BENCH_DIR / "feed-latest.json"
    saved.write_text(
        json.dumps(
            {
                "build_ms": round(seconds * 1000, 1),
                "events": events,
                "rows": result_rows,
                "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
                "cpus": os.cpu_count(),
            },
            indent=2,
        )
    )
    verdict = "FAIL: " + ", ".join(failed) if failed else "PASS"
    print(f"bench feed {verdict} (304 answers reach {TARGET_304:.0%} of /healthz); {saved}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
