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
import time
from datetime import date, timedelta

import pytest
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from requests_app.models import OutboundMessage, RequestEvent
from requests_app.services.calendars import calendar
from tests.celery_worker import Beat, Worker, empty_redis, needs_postgresql, wait_for, worker_env
from tests.factories import OutboundMessageFactory
from tests.smtp_server import loopback_smtp

from .chasing_support import SmtpHandler, make_request

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    needs_postgresql,
]

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


@pytest.fixture
def redis_db():
    yield from empty_redis(REDIS_URL)


@pytest.fixture
def smtp():
    handler = SmtpHandler()
    with loopback_smtp(handler) as port:
        yield handler, port


def sweeps_done(worker: Worker) -> int:
    """Sweeps the worker has finished (beat keeps its run counts in memory for minutes)."""
    return sum(
        1
        for line in worker.text().splitlines()
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

    env = worker_env(
        redis_url=REDIS_URL,
        media_root=tmp_path / "media",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
    )
    worker = Worker("chase-test", env, tmp_path / "worker.log", pool="solo")
    beat = Beat(env, tmp_path / "beat.log", workdir=tmp_path)
    both = (worker, beat)
    try:
        wait_for(
            lambda: len(handler.messages) >= 3,
            "three chasers at the SMTP server",
            workers=both,
            timeout=TIMEOUT,
            interval=0.5,
        )
        sweeps_then = sweeps_done(worker)

        def swept_twice_more() -> bool:
            return sweeps_done(worker) >= sweeps_then + 2 and redis_db.llen("celery") == 0

        wait_for(
            swept_twice_more,
            "the worker to run the sweep twice more",
            workers=both,
            timeout=TIMEOUT,
            interval=0.5,
        )
        time.sleep(2)  # let the worker finish the sweep it may be running
    finally:
        beat.stop()
        worker.stop()

    assert not worker.alive and not beat.alive
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
