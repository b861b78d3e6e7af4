"""End to end: a real Celery beat and worker, Redis on loopback, a real SMTP server.

Beat (django-celery-beat's DatabaseScheduler, reading the test database) fires
the chase sweep every two seconds as if today were Thursday 16 May 2019; the
worker (a separate process, solo pool) runs it, queues each send on Redis and
sends through an aiosmtpd server in this process. Overdue requests get the
stage due that day, exactly once however many times the sweep runs, and
nothing goes to the others.
"""

import json
import os
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
import redis
from django.db import connection
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from requests_app.models import OutboundMessage, RequestEvent
from requests_app.services.calendars import calendar
from tests.factories import OutboundMessageFactory
from tests.smtp_server import loopback_smtp

from .chasing_support import SmtpHandler, make_request

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker and beat are separate processes and need a database they can "
        "share: run with DATABASE_URL=postgres://... (CI does)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
CELERY = ROOT / ".venv" / "bin" / "celery"
REDIS_URL = os.environ.get("CHASER_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
TODAY = date(2019, 5, 16)
TIMEOUT = 90


def sent_for_due(due: date) -> date:
    """The day a request must be sent (received) to fall due on ``due``."""
    cal = calendar("FOIA")
    day = due - timedelta(days=40)
    while cal.add_working_days(day, 20) < due:
        day += timedelta(days=1)
    assert cal.add_working_days(day, 20) == due
    return day


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def redis_db():
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def smtp():
    handler = SmtpHandler()
    with loopback_smtp(handler) as port:
        yield handler, port


def start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(CELERY), "-A", "foitracker", *args],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def wait_for(condition, what: str, logs: list[Path]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    tails = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in logs)
    pytest.fail(f"Timed out after {TIMEOUT}s waiting for {what}.\n{tails}")


def sweeps_done(log: Path) -> int:
    """Sweeps the worker has finished (beat keeps its run counts in memory for minutes)."""
    text = log.read_text(errors="replace")
    return sum(
        1
        for line in text.splitlines()
        if "Task requests_app.chase_sweep[" in line and "succeeded" in line
    )


def test_beat_and_a_worker_send_each_due_stage_once_over_real_smtp(tmp_path, redis_db, smtp):
    handler, smtp_port = smtp
    stage3 = make_request(sent=sent_for_due(date(2019, 4, 15)))  # +20 working days = today
    stage2 = make_request(sent=sent_for_due(date(2019, 5, 1)))  # +10 = today
    stage1 = make_request(sent=sent_for_due(date(2019, 5, 15)))  # +1 = today
    for req, stages in [(stage3, ["1", "2"]), (stage2, ["1"])]:
        for stage in stages:
            OutboundMessageFactory(request=req, stage=stage, status="sent")
    not_yet = make_request(sent=sent_for_due(TODAY))
    stopped = make_request(
        sent=sent_for_due(date(2019, 5, 1)),
        events=[("clarification_requested", date(2019, 4, 10), {})],
    )
    held = make_request(sent=sent_for_due(date(2019, 5, 1)), events=[("held", TODAY, {})])
    expected = {stage3.force.foi_email: "3", stage2.force.foi_email: "2"}
    expected[stage1.force.foi_email] = "1"

    PeriodicTask.objects.all().delete()
    every_2s, _ = IntervalSchedule.objects.get_or_create(every=2, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name="chase-sweep",
        task="requests_app.chase_sweep",
        interval=every_2s,
        kwargs=json.dumps({"today": TODAY.isoformat()}),
    )

    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "DJANGO_SETTINGS_MODULE": "foitracker.settings",
        "PYTHONUNBUFFERED": "1",
    }
    worker_log, beat_log = tmp_path / "worker.log", tmp_path / "beat.log"
    worker = start(
        ["worker", "--pool=solo", "-l", "info", "--without-mingle", "--without-gossip",
         "-n", f"chase-test-{os.getpid()}@%h"],
        env,
        worker_log,
    )  # fmt: skip
    beat = start(
        ["beat", "-l", "info", "--pidfile", str(tmp_path / "beat.pid"),
         "-s", str(tmp_path / "beat-schedule")],
        env,
        beat_log,
    )  # fmt: skip
    logs = [worker_log, beat_log]
    try:
        wait_for(lambda: len(handler.messages) >= 3, "three chasers at the SMTP server", logs)
        sweeps_then = sweeps_done(worker_log)

        def swept_twice_more() -> bool:
            return sweeps_done(worker_log) >= sweeps_then + 2 and redis_db.llen("celery") == 0

        wait_for(swept_twice_more, "the worker to run the sweep twice more", logs)
        time.sleep(2)  # let the worker finish the sweep it may be running
    finally:
        stop(beat)
        stop(worker)

    assert worker.returncode is not None and beat.returncode is not None
    got = {str(m["To"]): m for m in handler.messages}
    assert len(handler.messages) == 3, [m["Subject"] for m in handler.messages]
    assert set(got) == set(expected)
    for req, stage in [(stage3, "3"), (stage2, "2"), (stage1, "1")]:
        message = got[req.force.foi_email]
        assert req.reference in str(message["Subject"])
        assert str(message["In-Reply-To"]).strip() == req.message_id
        row = OutboundMessage.objects.get(request=req, stage=stage)
        assert (row.status, row.attempts) == ("sent", 1)
        assert list(
            RequestEvent.objects.filter(request=req, kind="chaser").values_list("on", "stage")
        ) == [(TODAY, stage)]
    for req in [not_yet, stopped, held]:
        assert not OutboundMessage.objects.filter(request=req).exists()
