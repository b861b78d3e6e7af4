"""A worker killed in the middle of reading a reply: nothing is lost, nothing is read twice.

A real Celery worker (prefork, one child) on Redis and the test database reads
a long listing (a few seconds of work). The test waits until the database
shows the reading has started (``Reply.read_attempts``), then SIGKILLs the
pool's child (the main process notices and hands the task back to the queue) or
the whole worker (nobody acknowledges anything; Redis hands the task to the
next worker after the visibility timeout). Afterwards the stored file is
intact, the reply is read once, on its second attempt, with one set of figures,
and the arrival is settled once.
"""

import hashlib
import time
from pathlib import Path

import pytest

from foitracker.celery import app as celery_app
from requests_app.models import RequestEvent
from responses_app.models import Figure, Finding, Reply
from responses_app.services.arrivals import record_arrival
from responses_app.tasks import extract_document
from tests.celery_worker import (
    REDIS_URL,
    Worker,
    empty_redis,
    needs_postgresql,
    wait_for,
    worker_env,
)

from . import hostile_corpus as corpus
from . import inbound_support
from .inbound_support import sent_request

campaign = inbound_support.campaign

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    needs_postgresql,
]

#: Rows in the listing: long enough to be killed in the middle of (about a second of
#: reading here), under the 1,000,000-row limit.
ROWS = 600_000
MAX_DOCUMENT_BYTES = 120 * 1024 * 1024
#: Seconds before Redis hands an unacknowledged task to another worker (1 hour in
#: production: CELERY_VISIBILITY_TIMEOUT).
VISIBILITY = 2


@pytest.fixture
def redis_db():
    yield from empty_redis(REDIS_URL)


@pytest.fixture
def listing(campaign, settings):
    """A request with one arrived file, a long listing, waiting to be read."""
    settings.MAX_DOCUMENT_BYTES = MAX_DOCUMENT_BYTES
    request = sent_request(campaign, "kent", token="kentreply00000002")
    queued: list[int] = []
    arrival = record_arrival(
        request=request,
        on=request.sent_on,
        note="Reply received",
        files=[("listing.csv", corpus.slow_csv(ROWS))],
        dispatch=queued.append,
    )
    (document,) = arrival.documents
    assert queued == [document.pk]
    return request, document


def env_for(settings) -> dict[str, str]:
    return worker_env(
        redis_url=REDIS_URL,
        media_root=settings.MEDIA_ROOT,
        READ_TIME_LIMIT_SECONDS="60",
        MAX_DOCUMENT_BYTES=str(MAX_DOCUMENT_BYTES),
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY),
    )


def queue(document_id: int) -> None:
    with celery_app.connection_for_write(REDIS_URL) as conn:
        extract_document.apply_async((document_id,), connection=conn)


def reading_started(reply: Reply):
    return Reply.objects.filter(pk=reply.pk, read_attempts__gte=1).exists()


def assert_stored_intact(document) -> None:
    stored = document.stored
    stored.refresh_from_db()
    data = Path(stored.content.path).read_bytes()
    assert len(data) == stored.size and hashlib.sha256(data).hexdigest() == stored.sha256


def assert_read_once(request, reply: Reply, *, attempts: int) -> None:
    reply.refresh_from_db()
    assert (reply.status, reply.error, reply.read_attempts) == ("extracted", "", attempts)
    assert Reply.objects.filter(document=reply.document).count() == 1
    figures = Figure.objects.filter(request=request)
    keys = list(figures.values_list("period", "dimension", "category"))
    assert keys and len(keys) == len(set(keys)), keys  # one figure per cell: read once
    assert set(figures.values_list("reply_id", flat=True)) == {reply.pk}
    total = figures.get(period="2019-20", dimension="total", category="all")
    assert total.value == ROWS
    codes = list(Finding.objects.filter(reply=reply).values_list("code", "locator"))
    assert len(codes) == len(set(codes)), codes
    assert RequestEvent.objects.filter(request=request, kind="response").count() == 1


def test_a_reading_whose_pool_child_is_killed_is_read_again_once(
    listing, redis_db, tmp_path, settings
):
    request, document = listing
    reply = Reply.objects.get(document=document)
    worker = Worker("reading-child", env_for(settings), tmp_path / "worker.log")
    try:
        queue(document.pk)
        wait_for(lambda: reading_started(reply), "the reading to start", workers=(worker,))
        worker.kill_child()
        reply.refresh_from_db()
        assert reply.status == "pending", "the reading ended before the kill: use a longer file"
        wait_for(
            lambda: Reply.objects.filter(pk=reply.pk).exclude(status="pending").exists(),
            "the reading to be delivered again and end",
            workers=(worker,),
        )
        assert worker.alive
    finally:
        worker.stop()
    assert "WorkerLostError" in worker.text()  # it died mid-task, and the task came back
    assert_read_once(request, reply, attempts=2)
    assert_stored_intact(document)


def test_a_reading_whose_whole_worker_is_killed_is_finished_by_the_next_worker(
    listing, redis_db, tmp_path, settings
):
    request, document = listing
    reply = Reply.objects.get(document=document)
    env = env_for(settings)
    first = Worker("reading-first", env, tmp_path / "first.log")
    try:
        queue(document.pk)
        wait_for(lambda: reading_started(reply), "the reading to start", workers=(first,))
        first.kill_all()
    finally:
        first.stop()
    # Nothing of the interrupted reading was written; the task waits, unacknowledged.
    reply.refresh_from_db()
    assert (reply.status, reply.read_attempts) == ("pending", 1)
    assert not Figure.objects.filter(request=request).exists()
    assert not Finding.objects.filter(reply=reply).exists()
    assert not RequestEvent.objects.filter(request=request, kind="response").exists()
    assert redis_db.hlen("unacked") == 1 and redis_db.llen("celery") == 0
    assert_stored_intact(document)

    # The next worker takes the task back once its visibility timeout has run out.
    (_, delivered_at), *_ = redis_db.zrange("unacked_index", 0, 0, withscores=True)
    wait_for(
        lambda: time.time() > delivered_at + VISIBILITY + 0.5,
        "the visibility timeout",
    )
    second = Worker("reading-second", env, tmp_path / "second.log")
    try:
        wait_for(
            lambda: Reply.objects.filter(pk=reply.pk).exclude(status="pending").exists(),
            "the next worker to read the reply",
            workers=(second,),
        )
    finally:
        second.stop()
    assert_read_once(request, reply, attempts=2)
    assert_stored_intact(document)
    assert redis_db.hlen("unacked") == 0
