"""Proof that Schoolportal runs correctly on several hosts (`make prove-scaleout`, a CI leg).

On one machine, as a school board would run it on several:

- one PostgreSQL database (made anew), one Redis database (emptied), one S3-compatible
  server (moto's server mode, started here) with a private bucket;
- two gunicorn processes ("web-a", "web-b") and two `qcluster` workers ("worker-c",
  "worker-d"), each with a local directory of its own (SCHOOLPORTAL_VAR_DIR): what one host
  writes to its disk, no other host sees, so whatever must be shared has to be in the
  database, Redis or the bucket;
- an SMTP sink (aiosmtpd, its own process) that writes down every recipient.

It proves, and exits 1 when it cannot:

1. a teacher uploads an album photo through web-a; a parent of the group reads it through
   web-b (its size made by a worker, the bytes from the bucket through a signed URL);
2. a manager publishes a whole-school mailing to 2,000 families through web-a; when half
   is delivered worker-c is killed with SIGKILL; worker-d and the sweep finish the rest:
   every family gets exactly one e-mail (counted in the sink), nobody two, and rows cut
   off while sending (if any) are shown to staff on the mailing's delivery screen (web-b).

    .venv/bin/python bench/scaleout.py [--recipients 2000] [--keep]
"""

import argparse
import collections
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from urllib.parse import urljoin

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import mailing
from bench import run as harness

ROOT = harness.ROOT
WORK_DIR = ROOT / "var" / "scaleout"
RESULTS = WORK_DIR / "latest.json"
HOST = harness.HOST
POSTGRES = os.environ.get("SCALEOUT_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = "schoolportal_scaleout"
REDIS_URL = os.environ.get("SCALEOUT_REDIS_URL", "redis://127.0.0.1:6379/13")
BUCKET = "schoolportal-scaleout"
S3_KEY, S3_SECRET = "scaleout-key", "scaleout-secret"  # the local moto server's, not real
TEACHER = "juf.bakker@example.org"
PARENT = "ouder.jansen@example.org"
MANAGER = mailing.STAFF_EMAIL
PASSWORD = harness.PARENT_PASSWORD
STARTED = time.monotonic()


def say(message):
    print(f"scaleout [{time.monotonic() - STARTED:5.1f} s]: {message}", flush=True)


def fail(message):
    say(f"FAILED: {message}")
    sys.exit(1)


# --- The SMTP sink: every recipient on a line of its own --------------------------------------


def smtp_sink(port, path):
    from aiosmtpd.controller import Controller

    log = Path(path).open("a", buffering=1)  # noqa: SIM115 - open while the sink runs

    class Recorder:
        async def handle_DATA(self, server, session, envelope):
            # The subject tells the mailing from the demo's own e-mails (absence reminders).
            subject = BytesParser(policy=default).parsebytes(envelope.content)["Subject"] or ""
            for recipient in envelope.rcpt_tos:
                log.write(f"{recipient.lower()}\t{' '.join(subject.split())}\n")
            return "250 OK"

    controller = Controller(Recorder(), hostname=HOST, port=port)
    controller.start()
    print("ready", flush=True)
    sys.stdin.read()  # until the proof closes stdin
    controller.stop()


def received(path, subject):
    """{recipient: how many e-mails whose subject holds ``subject``} as the sink wrote them."""
    if not path.exists():
        return collections.Counter()
    lines = (line.split("\t", 1) for line in path.read_text().splitlines() if "\t" in line)
    return collections.Counter(to for to, line_subject in lines if subject in line_subject)


# --- Services ------------------------------------------------------------------------------


def fresh_database():
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    return f"{POSTGRES}/{DATABASE}"


def empty_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def start_s3(port):
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(port)],
        stdout=(WORK_DIR / "moto.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=f"http://{HOST}:{port}",
        aws_access_key_id=S3_KEY,
        aws_secret_access_key=S3_SECRET,
        region_name="us-east-1",
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            client.create_bucket(Bucket=BUCKET)
            return server
        except Exception:  # not listening yet
            if time.monotonic() > deadline or server.poll() is not None:
                fail("moto's S3 server did not start; see var/scaleout/moto.log")
            time.sleep(0.3)


def host_env(name, database_url, s3_port, sink_port):
    """Production settings for one "host": shared services, a local directory of its own."""
    local = WORK_DIR / name
    local.mkdir(parents=True, exist_ok=True)
    return {
        **harness.bench_env("bench.settings"),
        "SCHOOLPORTAL_VAR_DIR": str(local),
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://{HOST}:{s3_port}",
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": S3_KEY,
        "AWS_SECRET_ACCESS_KEY": S3_SECRET,
        "EMAIL_HOST": HOST,
        "EMAIL_PORT": str(sink_port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_USE_SSL": "0",
        "Q_WORKERS": "2",
    }


def manage(env, *args):
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def start_web(name, env, port):
    log = (WORK_DIR / f"{name}.log").open("w")
    command = [
        sys.executable, "-m", "gunicorn", "--config", str(harness.GUNICORN_CONF),
        "--bind", f"{HOST}:{port}", "--workers", "2", "--no-control-socket",
        "schoolportal.wsgi:application",
    ]  # fmt: skip
    return subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def start_worker(name, env):
    log_path = WORK_DIR / f"{name}.log"
    cluster = mailing.start_qcluster(env, log_path)
    mailing.wait_for_cluster(cluster, log_path, timeout=120)
    return cluster


# --- Browsing ------------------------------------------------------------------------------


def browser(port, email):
    import requests

    session = requests.Session()
    session.base = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 90
    while True:
        with contextlib.suppress(requests.ConnectionError):
            if session.get(session.base + "/readyz", timeout=10).status_code == 200:
                break
        if time.monotonic() > deadline:
            fail(f"{session.base}/readyz did not answer 200")
        time.sleep(0.5)
    page = session.get(session.base + "/account/inloggen/")
    response = session.post(
        session.base + "/account/inloggen/",
        data={"csrfmiddlewaretoken": csrf(page.text), "username": email, "password": PASSWORD},
        headers={"Referer": page.url},
        allow_redirects=False,
    )
    if response.status_code != 302:
        fail(f"{email} could not log in on {session.base} ({response.status_code})")
    return session


def csrf(html):
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not found:
        fail("no CSRF token in the form")
    return found[1]


def post_form(session, path, html, changes, files=None):
    """The admin's page editor form as a browser sends it, with ``changes``."""
    from wagtail.test.utils.form_data import querydict_from_html

    data = querydict_from_html(html, form_id="page-edit-form", exclude_csrf=False)
    for key, value in changes.items():
        data[key] = value
    return session.post(
        session.base + path,
        data={key: data.getlist(key) for key in data},
        files=files,
        headers={"Referer": session.base + path},
        allow_redirects=False,
    )


def upload_album_photo(web_a_port):
    """The teacher adds an album with one photo through web-a; the album's pk."""
    from io import BytesIO

    from django.urls import reverse
    from PIL import Image

    from pages.models import GroupPage, PhotoAlbumPage

    teacher = browser(web_a_port, TEACHER)
    group_page = GroupPage.objects.get(group__name="Groep 3", group__school__brin=mailing.DEMO_BRIN)
    path = reverse("wagtailadmin_pages:add", args=["pages", "photoalbumpage", group_page.pk])
    jpeg = BytesIO()
    Image.new("RGB", (1600, 1200), (30, 140, 200)).save(jpeg, "JPEG")
    form = teacher.get(teacher.base + path)
    title = f"Schaalproef {int(time.time())}"
    changes = {"title": title, "action-publish": "action-publish"}
    files = {"new_photos": ("schaalproef.jpg", jpeg.getvalue(), "image/jpeg")}
    response = post_form(teacher, path, form.text, changes, files)
    if response.status_code != 302:
        # The upload is kept; the photo still needs its caption (its text alternative).
        rows = re.findall(r'name="(photos-\d+)-image"', response.text)
        captions = {f"{row}-caption": "Blauwe lucht boven het schoolplein" for row in rows}
        response = post_form(teacher, path, response.text, {**changes, **captions})
    if response.status_code != 302:
        fail(f"the album could not be published through web-a ({response.status_code})")
    album = PhotoAlbumPage.objects.get(title=title)
    say(f"web-a: {TEACHER} published album {album.pk} with one photo")
    return album


def read_photo_elsewhere(web_b_port, album):
    """The parent reads the photo through web-b: a signed redirect to the bucket."""
    import requests
    from django.urls import reverse

    parent = browser(web_b_port, PARENT)
    photo = album.photos.get()
    page = parent.get(parent.base + reverse("grouppages:album", args=[album.pk]))
    if page.status_code != 200:
        fail(f"web-b answered {page.status_code} to the album page")
    url = parent.base + reverse("grouppages:photo", args=[photo.pk])
    deadline = time.monotonic() + 120
    while True:  # the worker makes the size; meanwhile the placeholder
        response = parent.get(url, allow_redirects=False)
        location = response.headers.get("Location", "")
        if response.status_code == 302 and BUCKET in location:
            break
        if time.monotonic() > deadline:
            fail(f"no signed URL for the photo after 120 s ({response.status_code} {location})")
        time.sleep(1)
    data = requests.get(urljoin(parent.base, location), timeout=10)
    if data.status_code != 200 or data.content[:2] != b"\xff\xd8":
        fail(f"the signed URL answered {data.status_code}, not the JPEG")
    unsigned = requests.get(location.split("?")[0], timeout=10)
    if unsigned.status_code == 200:
        fail("the bucket served the photo without a signature")
    say(f"web-b: {PARENT} read the photo ({len(data.content)} bytes from the bucket)")
    return {"photo_bytes": len(data.content), "unsigned_status": unsigned.status_code}


# --- The mailing with a worker killed -----------------------------------------------------


def publish_mailing(web_a_port):
    from django.urls import reverse

    from schoolportal.mailings.models import Mailing

    manager = browser(web_a_port, MANAGER)
    path = reverse("wagtailsnippets_mailings_mailing:add")
    form = manager.get(manager.base + path)
    title = f"Schaalproef mailing {int(time.time())}"
    response = manager.post(
        manager.base + path,
        data=mailing.publish_form(form.text, title),
        headers={"Referer": manager.base + path},
        allow_redirects=False,
    )
    if response.status_code != 302:
        fail(f"publishing through web-a answered {response.status_code}")
    # A first publication asks for a confirmation with the number of e-mails.
    send_page = manager.get(urljoin(manager.base, response.headers["Location"]))
    if send_page.status_code != 200:
        fail(f"the confirmation page answered {send_page.status_code}")
    response = manager.post(
        send_page.url,
        data=mailing.confirmation(send_page.text),
        headers={"Referer": send_page.url},
        allow_redirects=False,
    )
    sent = Mailing.objects.get(title=title)
    if response.status_code != 302 or not sent.live or sent.sent_at is None:
        fail(f"confirming the mailing answered {response.status_code}; it was not sent")
    return sent


def outbox_counts(mailing_pk):
    from django.db.models import Count

    rows = mailing.outbox_rows(mailing_pk).values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}


def deliver_with_a_worker_killed(web_a_port, web_b_port, worker_c, sink_log, expected):
    the_mailing = publish_mailing(web_a_port)
    say(f"web-a: {MANAGER} published mailing {the_mailing.pk} to {expected} addresses")
    started = time.monotonic()
    killed_at = None
    deadline = started + 600
    while time.monotonic() < deadline:
        delivered = sum(received(sink_log, the_mailing.title).values())
        if killed_at is None and delivered >= expected // 2:
            os.killpg(worker_c.pid, signal.SIGKILL)
            killed_at = delivered
            say(f"worker-c killed (SIGKILL) after {delivered} e-mails")
        counts = outbox_counts(the_mailing.pk)
        if not counts.get("pending") and not counts.get("sending") and killed_at is not None:
            break
        time.sleep(1 if killed_at else 0.05)
    else:
        fail(f"the mailing was not finished within 10 minutes: {outbox_counts(the_mailing.pk)}")
    seconds = time.monotonic() - started
    time.sleep(2)  # the sink writes what it accepted
    counts = outbox_counts(the_mailing.pk)
    per_recipient = received(sink_log, the_mailing.title)
    rows = dict(mailing.outbox_rows(the_mailing.pk).values_list("recipient_email", "status"))
    twice = sorted(address for address, n in per_recipient.items() if n > 1)
    interrupted = sorted(address for address, status in rows.items() if status == "interrupted")
    missing = sorted(
        address
        for address, status in rows.items()
        if status != "interrupted" and per_recipient[address] != 1
    )
    say(f"delivered in {seconds:.0f} s: {counts}; twice {len(twice)}, missing {len(missing)}")
    if twice:
        fail(f"{len(twice)} families got the mailing twice, e.g. {twice[:3]}")
    if missing or counts.get("failed"):
        fail(f"{len(missing)} families got no e-mail, e.g. {missing[:3]}; {counts}")
    if len(rows) != expected:
        fail(f"{len(rows)} outbox rows for {expected} addresses")
    shown = staff_sees_interrupted(web_b_port, the_mailing.pk, len(interrupted))
    return {
        "mailing": the_mailing.pk,
        "addresses": expected,
        "killed_after": killed_at,
        "seconds": round(seconds, 1),
        "statuses": counts,
        "received_once": sum(1 for n in per_recipient.values() if n == 1),
        "received_twice": len(twice),
        "interrupted": len(interrupted),
        "interrupted_shown_to_staff": shown,
    }


def staff_sees_interrupted(web_b_port, mailing_pk, interrupted):
    from django.urls import reverse

    manager = browser(web_b_port, MANAGER)
    path = reverse("wagtailsnippets_mailings_mailing:delivery", args=[mailing_pk])
    page = manager.get(manager.base + path)
    found = re.search(r"Onderbroken \(mogelijk wel aangekomen\)</td><td>(\d+)<", page.text)
    if page.status_code != 200 or not found:
        fail(f"the delivery screen on web-b answered {page.status_code} without its counts")
    if int(found[1]) != interrupted:
        fail(f"the delivery screen shows {found[1]} interrupted, the outbox has {interrupted}")
    say(f"web-b: the delivery screen shows {interrupted} interrupted e-mail(s) to staff")
    return True


# --- Main ----------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=2000)
    parser.add_argument("--smtp-sink", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.smtp_sink:
        return smtp_sink(int(args.smtp_sink[0]), args.smtp_sink[1])

    # A CI timeout's TERM stops the servers too (the finally below), not only this script.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    sink_log = WORK_DIR / "received.txt"
    sink_log.unlink(missing_ok=True)
    processes = []
    try:
        database_url = fresh_database()
        empty_redis()
        s3_port, sink_port = harness.free_port(), harness.free_port()
        processes.append(start_s3(s3_port))
        sink = subprocess.Popen(  # noqa: S603 - this very script
            [sys.executable, __file__, "--smtp-sink", str(sink_port), str(sink_log)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        processes.append(sink)
        if sink.stdout.readline().strip() != "ready":
            fail("the SMTP sink did not start")
        hosts = {
            name: host_env(name, database_url, s3_port, sink_port)
            for name in ["web-a", "web-b", "worker-c", "worker-d"]
        }
        say("migrating PostgreSQL and loading the demo school (photos into the bucket)")
        # The demo's well-known passwords are refused under production settings: loaded with
        # the development settings, against the same database and bucket.
        loader = {**hosts["worker-c"], "DJANGO_SETTINGS_MODULE": "schoolportal.settings.dev"}
        manage(loader, "migrate", "--noinput")
        manage(loader, "demo")
        for name in ["web-a", "web-b"]:
            manage(hosts[name], "collectstatic", "--noinput", "-v", "0")
        # The loader's queued tasks are signed with the development settings' key: no worker
        # here could read them.
        empty_redis()
        mailing.setup_django(hosts["worker-c"])
        _before, expected = mailing.top_up_guardians(mailing.the_school(), args.recipients)
        web_a_port, web_b_port = harness.free_port(), harness.free_port()
        processes.append(start_web("web-a", hosts["web-a"], web_a_port))
        processes.append(start_web("web-b", hosts["web-b"], web_b_port))
        worker_c = start_worker("worker-c", hosts["worker-c"])
        processes.append(worker_c)
        processes.append(start_worker("worker-d", hosts["worker-d"]))
        say("two web processes and two workers running")

        album = upload_album_photo(web_a_port)
        photo = read_photo_elsewhere(web_b_port, album)
        delivery = deliver_with_a_worker_killed(
            web_a_port, web_b_port, worker_c, sink_log, expected
        )
        result = {"photo": photo, "mailing": delivery, "passed": True}
        RESULTS.write_text(json.dumps(result, indent=2))
        say(f"PASSED; {RESULTS.relative_to(ROOT)}")
        return 0
    finally:
        for process in reversed(processes):
            if process.stdin:
                with contextlib.suppress(OSError):
                    process.stdin.close()
            mailing.stop_process_group(process, timeout=20)


if __name__ == "__main__":
    sys.exit(main())
