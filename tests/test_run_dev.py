"""`make run` (site/deploy/run_dev.py): Ctrl-C stops every process it started, and frees the port.

The script runs for real against this virtualenv, on a free port and a fresh var directory
(no migrations needed: the server answers and the worker starts without them).
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "site" / "deploy" / "run_dev.py"

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_serves(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def port_free(port):
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def running(pid):
    """Alive and not a zombie (a zombie holds no port and runs nothing)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def descendants(pid):
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int(Path(entry, "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


@pytest.fixture
def run_dev(tmp_path):
    started = []
    env = {key: value for key, value in os.environ.items() if not key.startswith("EMAIL_")}
    env.update(
        DJANGO_SETTINGS_MODULE="schoolportal.settings.dev",
        SCHOOLPORTAL_VAR_DIR=str(tmp_path / "var"),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
    )
    env.pop("REDIS_URL", None)
    (tmp_path / "var").mkdir()

    def ignore_sigint():
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    def start(port, sigint_ignored=False):
        # A session of its own stands in for the terminal: its Ctrl-C reaches the group.
        process = subprocess.Popen(  # noqa: S603 - fixed arguments, our own interpreter
            [sys.executable, str(SCRIPT), "--port", str(port)],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            # As a shell starts a background command (`make run &`), or a parent process
            # that ignores Ctrl-C itself: the disposition is inherited through exec.
            preexec_fn=ignore_sigint if sigint_ignored else None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        deadline = time.monotonic() + 60
        while not port_serves(port):
            assert process.poll() is None, "run_dev.py ended before serving"
            assert time.monotonic() < deadline, "the development server did not start"
            time.sleep(0.2)
        # Server (parent and reloader child) and worker (cluster and its workers) are up.
        deadline = time.monotonic() + 30
        while len(descendants(process.pid)) < 5 and time.monotonic() < deadline:
            time.sleep(0.2)
        return process, descendants(process.pid)

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def assert_all_stopped(process, children, port):
    assert process.wait(timeout=40) == 0
    deadline = time.monotonic() + 5
    while any(running(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in children if running(pid)] == []
    assert port_free(port)


def test_ctrl_c_stops_server_reloader_child_and_worker_and_it_starts_again(run_dev):
    port = free_port()
    process, children = run_dev(port)
    assert len(children) >= 4  # qcluster with its workers, runserver with its reloader child

    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
    assert_all_stopped(process, children, port)

    again, children = run_dev(port)
    assert port_serves(port)
    # An impatient second Ctrl-C must not cut the stopping short.
    os.killpg(again.pid, signal.SIGINT)
    time.sleep(0.5)
    os.killpg(again.pid, signal.SIGINT)
    assert_all_stopped(again, children, port)


def test_a_signal_to_the_script_alone_stops_everything_it_started(run_dev):
    port = free_port()
    process, children = run_dev(port)

    process.send_signal(signal.SIGTERM)

    assert_all_stopped(process, children, port)


def test_ctrl_c_stops_everything_also_when_started_with_ctrl_c_ignored(run_dev):
    port = free_port()
    process, children = run_dev(port, sigint_ignored=True)

    os.killpg(process.pid, signal.SIGINT)
    assert_all_stopped(process, children, port)
