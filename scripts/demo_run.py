"""Run the demo as production runs: the web server, a Celery worker and beat, together.

``make demo`` starts this after loading the demo data. The three processes share
the filesystem broker under var/broker (no server to install) and the SQLite
database, so a send returns at once and the worker sends it, beat runs the
chase sweep, the digest and the outbox flush on their schedules, exactly as in
production; today's chase sweep is queued once at the start, as if beat had run it
at 07:00. Their output is interleaved, each line prefixed with its process.
Ctrl-C (or SIGTERM) stops all three; if one stops on its own, the others are
stopped too and its exit status is ours.

    .venv/bin/python scripts/demo_run.py [--host 127.0.0.1] [--port 8000]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GRACE_SECONDS = 10


def commands(host: str, port: int) -> dict[str, list[str]]:
    python = sys.executable
    celery = [python, "-m", "celery", "-A", "foitracker"]
    return {
        "web": [python, "manage.py", "runserver", f"{host}:{port}", "--noreload"],
        "worker": [*celery, "worker", "-l", "info", "--concurrency", "2"],
        "beat": [*celery, "beat", "-l", "info"],
    }


def environment() -> dict[str, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "DJANGO_SETTINGS_MODULE": "foitracker.settings"}
    env["CELERY_TASK_ALWAYS_EAGER"] = "0"  # tasks go to the worker, as in production
    return env


class Group:
    """Child processes, each in its own session, stopped together (their groups killed if slow)."""

    def __init__(self) -> None:
        self.children: dict[str, subprocess.Popen] = {}
        self.lock = threading.Lock()

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        child = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C reaches us; we stop each whole group
            text=True,
            bufsize=1,
        )
        self.children[name] = child
        width = max(len(n) for n in ("web", "worker", "beat"))
        threading.Thread(target=self._relay, args=(name.ljust(width), child), daemon=True).start()

    def _relay(self, label: str, child: subprocess.Popen) -> None:
        assert child.stdout is not None
        for line in child.stdout:
            with self.lock:
                sys.stdout.write(f"{label} | {line}")
                sys.stdout.flush()

    def first_exit(self) -> tuple[str, int] | None:
        for name, child in self.children.items():
            code = child.poll()
            if code is not None:
                return name, code
        return None

    def stop(self) -> None:
        for child in self.children.values():
            if child.poll() is None:
                child.terminate()  # the process itself: a worker then stops its pool warmly
        deadline = time.monotonic() + GRACE_SECONDS
        for child in self.children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(child.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                child.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument(
        "--no-sweep", action="store_true", help="do not queue today's chase sweep at the start"
    )
    args = parser.parse_args(argv)
    (ROOT / "var" / "broker").mkdir(parents=True, exist_ok=True)
    group = Group()
    stopping = threading.Event()

    def on_signal(signum, frame) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    env = environment()
    for name, command in commands(args.host, args.port).items():
        group.start(name, command, env)
    # Today's chase sweep, as beat would have run it at 07:00: the worker sends what is due
    # (exactly once, so starting the demo again sends nothing more).
    if not args.no_sweep:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "foitracker",
                "call",
                "requests_app.chase_sweep",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            check=False,
        )
    status = 0
    while not stopping.is_set():
        ended = group.first_exit()
        if ended is not None:
            name, status = ended
            print(f"demo: {name} stopped (exit status {status}); stopping the others.", flush=True)
            break
        stopping.wait(0.5)
    else:
        print("demo: stopping the web server, the worker and beat.", flush=True)
    group.stop()
    return status


if __name__ == "__main__":
    sys.exit(main())
