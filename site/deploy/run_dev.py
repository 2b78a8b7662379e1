"""`make run`: Django's development server and a django-q2 worker, stopped together by Ctrl-C.

Both run in a process group of their own, so that stopping them never depends on which
process a signal happened to reach. runserver's autoreloader serves from a child process,
and qcluster from workers: a Ctrl-C that reached the parent twice (once from the terminal,
once from here) could interrupt its cleanup and leave the child serving the port. Here every
group gets one SIGINT, time to finish, then SIGKILL for whatever is left in it.
"""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# qcluster finishes the tasks in hand; longer than that is a hang.
GRACE_SECONDS = 15


class Stop(Exception):
    """SIGTERM or SIGHUP (make killed, terminal closed): stop like Ctrl-C."""


def _raise_stop(signum, frame):
    raise Stop


def start(*arguments):
    return subprocess.Popen(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        # A group of its own: the terminal's Ctrl-C reaches this script only, which stops the
        # whole group, reloader child and workers included. No stdin: nothing here reads it.
        start_new_session=True,
        stdin=subprocess.DEVNULL,
    )


def group_alive(process):
    try:
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def signal_group(process, signum):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def stop(processes):
    # Ignore a second Ctrl-C while stopping: cleanup must run to the end.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for process in processes:
        signal_group(process, signal.SIGINT)
    deadline = time.monotonic() + GRACE_SECONDS
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
    # Members of a group may outlive its leader (the reloader's child did): wait for them too.
    while time.monotonic() < deadline and any(group_alive(p) for p in processes):
        time.sleep(0.1)
    for process in processes:
        if group_alive(process):
            signal_group(process, signal.SIGKILL)
        if process.poll() is None:
            process.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    args = parser.parse_args()
    # A shell starts background commands with SIGINT ignored, and Python then never raises
    # KeyboardInterrupt: take Ctrl-C back explicitly (the children inherit the default).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGHUP, _raise_stop)
    processes = []
    try:
        processes.append(start("qcluster"))
        processes.append(start("runserver", f"127.0.0.1:{args.port}"))
        print(f"Schoolportal: http://127.0.0.1:{args.port}/  (Ctrl-C stops server and worker)")
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except (KeyboardInterrupt, Stop):
        pass
    finally:
        stop(processes)
    # Stopped by us (SIGINT or SIGKILL) is a normal end; anything else is what went wrong.
    stopped = {0, -signal.SIGINT, -signal.SIGKILL, 1 << 7 | signal.SIGINT}
    for process in processes:
        if process.returncode not in stopped:
            return process.returncode if process.returncode > 0 else 128 - process.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
