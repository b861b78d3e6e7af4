"""A real Celery worker as a subprocess, sharing the test database (PostgreSQL) and a Redis db.

Used by the tests that need a separate worker process: the hostile corpus, the
workers killed mid-reading and mid-send, and the chase sweep run by a real beat.
Each process runs in a session of its own, so a test can kill a prefork pool's
child alone (``kill_child``, as the kernel's out-of-memory killer would) or the
whole process group at once (``kill_all``, as a machine going down would).
"""

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import redis
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
CELERY = ROOT / ".venv" / "bin" / "celery"
#: Redis for the worker tests that do not name their own (the hostile corpus uses db 12).
REDIS_URL = os.environ.get("WORKER_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")

#: The worker is a separate process and needs a database it can share (CI sets DATABASE_URL).
needs_postgresql = pytest.mark.needs_postgresql


def database_url() -> str:
    """The test database (test_<name>) as a URL the worker can read."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def empty_redis(url: str):
    """A client on an emptied Redis db (a generator for fixtures: emptied again afterwards)."""
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield client
    client.flushdb()


def worker_env(*, redis_url: str, media_root, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "MEDIA_ROOT": str(media_root),
        "DJANGO_SETTINGS_MODULE": "foitracker.settings",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


class CeleryProcess:
    """``celery -A foitracker ARGS`` in a session of its own, logging to ``log``."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path):
        self.log = log
        self.process = subprocess.Popen(
            [str(CELERY), "-A", "foitracker", *args],
            cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def kill_all(self) -> None:
        """SIGKILL the main process and its children at once: nobody acknowledges anything."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Warm shutdown (SIGTERM), then SIGKILL if it does not end."""
        if not self.alive:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill_all()


class Worker(CeleryProcess):
    """``celery -A foitracker worker`` (prefork with one child, or ``pool="solo"``)."""

    def __init__(
        self,
        name: str,
        env: dict[str, str],
        log: Path,
        *,
        concurrency: int = 1,
        pool: str = "prefork",
    ):
        super().__init__(
            ["worker", f"--pool={pool}", f"--concurrency={concurrency}", "-l", "info",
             "--without-mingle", "--without-gossip", "-n", f"{name}-{os.getpid()}@%h"],
            env,
            log,
        )  # fmt: skip

    def children(self) -> list[int]:
        """The pool's child processes (Linux /proc; none with the solo pool)."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                found.append(int(entry.name))
        return found

    def kill_child(self) -> int:
        """SIGKILL the pool's child: the worker's main process sees it die (WorkerLostError)."""
        (child,) = self.children()
        os.kill(child, signal.SIGKILL)
        return child


class Beat(CeleryProcess):
    """``celery -A foitracker beat`` (the scheduler named in settings), its files in ``workdir``."""

    def __init__(self, env: dict[str, str], log: Path, *, workdir: Path):
        super().__init__(
            ["beat", "-l", "info", "--pidfile", str(workdir / "beat.pid"),
             "-s", str(workdir / "beat-schedule")],
            env,
            log,
        )  # fmt: skip


def wait_for(
    condition: Callable[[], object],
    what: str,
    *,
    workers: tuple[CeleryProcess, ...] = (),
    timeout: float = 60,
    interval: float = 0.05,
):
    """Poll ``condition`` until it is truthy (returned); fail with the processes' logs if not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    tails = "\n".join(f"--- {w.log.name}\n{w.text()[-3000:]}" for w in workers)
    pytest.fail(f"Timed out after {timeout:g}s waiting for {what}.\n{tails}")
