"""Browser journeys: Debian's chromium, driven by Playwright, against the real server.

One session builds a fresh SQLite demo school in a temporary folder, serves it with
gunicorn on a free loopback port and stops it at the end. Every page a journey visits
is checked with axe-core (WCAG 2.1 A and AA, see accessibility.py): a 'serious' or
'critical' finding fails the test. A failed test leaves a screenshot and the page's HTML
in test-results/e2e/.

These tests run only with SCHOOLPORTAL_E2E=1, which `make test-e2e` sets after
site/e2e/install.sh has installed chromium, axe-core and playwright; plain `make test`
collects and skips them.
"""

import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .accessibility import AXE_JS, Axe

ROOT = Path(__file__).resolve().parents[2]
E2E_DIR = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RESULTS_DIR = ROOT / "test-results" / "e2e"
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
SERVER_START_TIMEOUT = 30  # seconds, after migrate and demo
DEFAULT_TIMEOUT_MS = 10_000


def skip_reason():
    """Why the browser journeys cannot run here, or None when they can."""
    if os.environ.get("SCHOOLPORTAL_E2E") != "1":
        return "browser journeys run only with SCHOOLPORTAL_E2E=1: use `make test-e2e`"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is missing: `make test-e2e` installs the e2e extra"
    if not os.access(CHROMIUM, os.X_OK):
        return (
            f"{CHROMIUM} is missing and only root can install it: "
            "`apt-get install chromium` (as root `make test-e2e` does this itself)"
        )
    if not AXE_JS.is_file():
        return f"{AXE_JS.relative_to(ROOT)} is missing: run site/e2e/install.sh (npm ci)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = skip_reason()
    for item in items:
        if E2E_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, for the failure artefacts below."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


# -- the server ---------------------------------------------------------------------------


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(var_dir, port):
    """The dev settings on a database of their own; no Redis, no SMTP, no leftovers."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "CACHE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="schoolportal.settings.dev",
        DATABASE_URL=f"sqlite:///{var_dir / 'e2e.sqlite3'}",
        SCHOOLPORTAL_VAR_DIR=str(var_dir),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PORT=str(port),
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env, log, *args):
    """Run one manage.py command, its output in the server log; show that log if it fails."""
    log.write(f"$ manage.py {' '.join(args)}\n".encode())
    log.flush()
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        timeout=300,
        check=False,
    )
    if result.returncode:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{tail(log.name)}", pytrace=False)


def tail(path, lines=40):
    return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])


def wait_for_health(base_url, server, log_path):
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server stopped while starting:\n{tail(log_path)}", pytrace=False)
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"no answer on {base_url}/healthz:\n{tail(log_path)}", pytrace=False)


def serve_demo_school(tmp_path_factory, name, results_dir, request):
    """A fresh demo school in a folder of its own, served by gunicorn on a free loopback
    port until the generator is closed; its server log is kept in ``results_dir`` when a
    test failed."""
    var_dir = tmp_path_factory.mktemp(name)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = server_env(var_dir, port)
    log_path = var_dir / "server.log"
    with log_path.open("wb") as log:
        manage(env, log, "migrate", "--noinput")
        manage(env, log, "demo")
        log.write(f"$ gunicorn on {url}\n".encode())
        log.flush()
        server = subprocess.Popen(  # noqa: S603 - fixed arguments, our own interpreter
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "60",
                "--access-logfile",
                "-",
                "schoolportal.wsgi",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_health(url, server, log_path)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    if request.session.testsfailed:
        results_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(log_path, results_dir / "server.log")


@pytest.fixture(scope="session")
def base_url(request, tmp_path_factory):
    """A fresh demo school served by gunicorn on a free loopback port, for the whole session."""
    shutil.rmtree(RESULTS_DIR, ignore_errors=True)  # artefacts of an earlier run
    yield from serve_demo_school(tmp_path_factory, "e2e-school", RESULTS_DIR, request)


# -- the browser --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def artefact_name(nodeid):
    return re.sub(r"[^\w.-]+", "_", nodeid.split("::", 1)[-1]).strip("_")


def save_failure_artefacts(page, nodeid, problems=()):
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stem = RESULTS_DIR / artefact_name(nodeid)
    try:
        page.screenshot(path=f"{stem}.png", full_page=True)
        html = page.content()
    except Exception as error:  # a dead page must not hide the real failure
        html = f"<!-- page unavailable: {error} -->"
    notes = "".join(f"<!-- {problem} -->\n" for problem in problems)
    Path(f"{stem}.html").write_text(f"<!-- {page.url} -->\n{notes}{html}", encoding="utf-8")


def open_page(browser, base_url, request, viewport):
    """A fresh browser context (no cookies) at ``viewport``; artefacts when the test fails.

    ``bypass_csp``: the site's Content-Security-Policy (script-src 'self') would block the
    injected axe-core script.
    """
    context = browser.new_context(
        base_url=base_url, locale="nl-NL", bypass_csp=True, **VIEWPORTS[viewport]
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    broken = []
    page.on(
        "response",
        lambda response: (
            broken.append(f"{response.status} {response.url}")
            if response.status >= 500 or (response.status >= 400 and "/static/" in response.url)
            else None
        ),
    )
    page.on("pageerror", lambda error: broken.append(f"script error: {error}"))
    yield page
    report = getattr(request.node, "report_call", None)
    if (report is not None and report.failed) or broken:
        save_failure_artefacts(page, request.node.nodeid, broken)
    context.close()
    assert not broken, "broken responses or script errors:\n" + "\n".join(broken)


@pytest.fixture
def desktop_page(browser, base_url, request):
    yield from open_page(browser, base_url, request, "desktop")


@pytest.fixture
def phone_page(browser, base_url, request):
    yield from open_page(browser, base_url, request, "phone")


@pytest.fixture
def axe():
    """``axe(page)`` fails the test on serious or critical WCAG 2.1 A/AA violations."""
    return Axe()


# -- the admin journeys (test_admin_journeys.py) -------------------------------------------

from .admin_checks import WagtailFindings  # noqa: E402 - the admin journeys' own section
from .clicks import ClickReport  # noqa: E402

# base_url empties RESULTS_DIR when it starts, which may be after the admin journeys ran:
# their failure artefacts are moved to a folder of their own.
ADMIN_RESULTS_DIR = ROOT / "test-results" / "e2e-admin"


@pytest.fixture(scope="session")
def admin_base_url(request, tmp_path_factory):
    """A demo school of its own for the teachers' and management's admin journeys, served
    as ``base_url`` serves the other: the mailings they send reach groep 3 and the whole
    school, and would push the demo mailings the parent journeys read off their dashboard."""
    yield from serve_demo_school(tmp_path_factory, "e2e-admin-school", ADMIN_RESULTS_DIR, request)


def open_admin_page(browser, admin_base_url, request, viewport):
    try:
        yield from open_page(browser, admin_base_url, request, viewport)
    finally:
        for artefact in RESULTS_DIR.glob(f"{artefact_name(request.node.nodeid)}.*"):
            ADMIN_RESULTS_DIR.mkdir(parents=True, exist_ok=True)
            shutil.move(artefact, ADMIN_RESULTS_DIR / artefact.name)


@pytest.fixture
def admin_desktop_page(browser, admin_base_url, request):
    yield from open_admin_page(browser, admin_base_url, request, "desktop")


@pytest.fixture
def admin_phone_page(browser, admin_base_url, request):
    yield from open_admin_page(browser, admin_base_url, request, "phone")


@pytest.fixture(scope="session")
def click_report():
    """Every admin journey's clicks; test-results/e2e/click-counts.txt at the end."""
    report = ClickReport()
    yield report
    report.write(RESULTS_DIR / "click-counts.txt")
    print("\n" + "\n".join(report.lines()))


@pytest.fixture(scope="session")
def wagtail_axe_findings():
    """What axe finds on Wagtail's own admin screens; test-results/e2e/axe-wagtail.txt."""
    findings = WagtailFindings()
    yield findings
    findings.write(RESULTS_DIR / "axe-wagtail.txt")
    print("\n" + "\n".join(findings.lines()))
