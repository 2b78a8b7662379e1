"""`make bench`, import part: bringing in a school of 600 pupils from its administration.

Times, in process on the bench database, reading a 600-pupil CSV export and importing it
into an empty school (600 pupils, 800 guardians, 1,200 links, 8 groups), a re-import with
changes (30 renamed, 30 moved, 30 gone, 30 new) and the same file again (nothing changes).
Everything happens in a transaction that is rolled back, so the bench database keeps its
state. Target: the first import under 10 s. Reuses bench/run.py's database helpers.
"""

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run as harness

IMPORT_SCHOOL_BRIN = "99PI"
PUPILS = 600
TARGET_SECONDS = 10.0


class RolledBack(Exception):
    pass


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=1000)
    parser.add_argument("--pupils", type=int, default=PUPILS)
    return parser.parse_args(argv)


def changed(rows):
    """The export a month later: renamed, moved, gone and new pupils, 30 of each."""
    rows = [list(row) for row in rows]
    for row in rows[:30]:
        row[3] += "-Smit"
    for row in rows[30:60]:
        row[5] = "Groep 8" if row[5] != "Groep 8" else "Groep 7"
    del rows[60:90]
    from schoolportal.pupilimport.sample import sample_rows

    return rows + sample_rows(30, start=90000)


def timed(function):
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def main(argv=None):
    args = parse_args(argv)
    harness.BENCH_DIR.mkdir(parents=True, exist_ok=True)
    _lock = harness.hold_lock()
    harness.prepare_database(args.families, reseed=False)
    harness.setup_django()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from schoolportal.people.models import School, SchoolYear
    from schoolportal.pupilimport.plan import apply_plan
    from schoolportal.pupilimport.reader import read_rows
    from schoolportal.pupilimport.sample import as_csv, sample_rows

    def read(rows):
        return read_rows(SimpleUploadedFile("export.csv", as_csv(rows)))

    first = sample_rows(args.pupils)
    results = {}
    try:
        with transaction.atomic():
            school = School.objects.create(name="Bench importschool", brin=IMPORT_SCHOOL_BRIN)
            today = date.today()
            start_year = today.year if today.month >= 8 else today.year - 1
            SchoolYear.objects.create(
                school=school,
                name=f"{start_year}-{start_year + 1}",
                start_date=date(start_year, 8, 1),
                end_date=date(start_year + 1, 7, 31),
            )
            results["read the CSV"], raw = timed(lambda: read(first))
            results[f"import {args.pupils} pupils"], _ = timed(
                lambda: apply_plan(school, raw, None)
            )
            again = changed(first)
            results["re-import with changes"], plan = timed(
                lambda: apply_plan(school, read(again), None)
            )
            if len(plan.additions) != 30 or len(plan.departures) != 30:
                raise SystemExit(f"bench: the re-import planned {plan.summary()}")
            results["the same file again"], plan = timed(
                lambda: apply_plan(school, read(again), None)
            )
            if plan.has_changes:
                raise SystemExit(f"bench: the same file again changed {plan.summary()}")
            raise RolledBack
    except RolledBack:
        pass

    header = f"{'pupil import':34} {'seconds':>8} {'target':>7}"
    print("\n" + header + "\n" + "-" * len(header))
    for name, seconds in results.items():
        target = f"< {TARGET_SECONDS:.0f}" if name.startswith("import") else ""
        print(f"{name:34} {seconds:8.2f} {target:>7}")
    out = harness.BENCH_DIR / "pupilimport-latest.json"
    out.write_text(json.dumps({"pupils": args.pupils, "seconds": results}, indent=2))
    slow = results[f"import {args.pupils} pupils"] > TARGET_SECONDS
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
