"""`make run`: Django's development server and a django-q2 worker, stopped together by Ctrl-C."""

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    args = parser.parse_args()
    python = sys.executable
    processes = [
        subprocess.Popen([python, "manage.py", "qcluster"], cwd=ROOT),
        subprocess.Popen([python, "manage.py", "runserver", f"127.0.0.1:{args.port}"], cwd=ROOT),
    ]
    print(f"Schoolportal: http://127.0.0.1:{args.port}/  (Ctrl-C stops server and worker)")
    try:
        while all(process.poll() is None for process in processes):
            try:
                processes[1].wait(timeout=1)
            except subprocess.TimeoutExpired:
                continue
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    return max((process.returncode or 0) for process in processes if process.returncode != -2)


if __name__ == "__main__":
    sys.exit(main())
