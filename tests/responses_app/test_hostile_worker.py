"""The hostile corpus through a real Celery worker (prefork pool), Redis on loopback, PostgreSQL.

Every bad file ends as a failed reply with its sentence, the good files
queued before and after them are read, and the worker is still running at
the end: no crash, no hung queue. The per-document time limit is our own
timer in the worker's child process (READ_TIME_LIMIT_SECONDS=1 here).
"""

import os

import pytest

from foitracker.celery import app as celery_app
from responses_app.models import Reply
from responses_app.services.arrivals import record_arrival
from responses_app.tasks import extract_document
from tests.celery_worker import Worker, empty_redis, needs_postgresql, wait_for, worker_env

from . import hostile_corpus as corpus
from . import inbound_support
from .inbound_support import expected_figures, figures_of, sample, sent_request

# The shared fixtures, bound by name (no conftest needed).
campaign = inbound_support.campaign

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    needs_postgresql,
]

REDIS_URL = os.environ.get("HOSTILE_TEST_REDIS_URL", "redis://127.0.0.1:6379/12")
TIMEOUT = 120
#: Rows in the slow listing, under the 1,000,000-row limit: over three times what a
#: fast machine reads within the 1-second limit (250,000 rows took under 1 s to 3 s here).
SLOW_ROWS = 900_000
#: Room for that listing (about 70 MB) under the document size limit.
MAX_DOCUMENT_BYTES = 120 * 1024 * 1024


@pytest.fixture
def redis_db():
    yield from empty_redis(REDIS_URL)


def test_a_real_worker_survives_the_hostile_corpus(campaign, redis_db, tmp_path, settings):
    settings.MAX_DOCUMENT_BYTES = MAX_DOCUMENT_BYTES
    kent = sent_request(campaign, "kent", token="kentreply00000001")
    files = [
        ("kent.csv", sample("kent.csv")),
        ("bomb.xlsx", corpus.zip_bomb(25 * 1024 * 1024)),
        ("xxe.xlsx", corpus.xxe_xlsx()),
        ("reply.xlsx", corpus.truncated(sample("essex.xlsx"))),
        ("random.xlsx", corpus.random_bytes()),
        ("many.xlsx", corpus.workbook(sheets=120)),
        ("liar.xlsx", corpus.lying_zip()),
        ("listing.csv", corpus.slow_csv(SLOW_ROWS)),
        ("utf16.csv", sample("kent.csv").decode("utf-8-sig").encode("utf-16")),
    ]
    queued: list[int] = []
    arrival = record_arrival(
        request=kent, on=kent.sent_on, note="Hostile corpus", files=files, dispatch=queued.append
    )
    assert len(arrival.documents) == len(files) == len(queued)
    env = worker_env(
        redis_url=REDIS_URL,
        media_root=settings.MEDIA_ROOT,
        READ_TIME_LIMIT_SECONDS="1",
        READ_MAX_UNPACKED_BYTES=str(20 * 1024 * 1024),
        MAX_DOCUMENT_BYTES=str(MAX_DOCUMENT_BYTES),
    )
    worker = Worker("hostile", env, tmp_path / "worker.log")
    try:
        with celery_app.connection_for_write(REDIS_URL) as conn:
            for document_id in queued:
                extract_document.apply_async((document_id,), connection=conn)

        def finished() -> bool:
            if not worker.alive:
                pytest.fail(f"the worker stopped:\n{worker.text()[-4000:]}")
            return not Reply.objects.filter(status="pending").exists()

        wait_for(finished, "every reading to end", workers=(worker,), timeout=TIMEOUT, interval=0.5)
        alive = worker.alive
    finally:
        worker.stop()
    text = worker.text()
    assert alive, text[-3000:]
    assert "WorkerLostError" not in text and "Hard time limit" not in text
    outcome = {
        r.document.name: (r.status, r.error) for r in Reply.objects.select_related("document")
    }
    assert outcome["kent.csv"] == ("extracted", "") and outcome["utf16.csv"] == ("extracted", "")
    expected_errors = {
        "bomb.xlsx": "could not read bomb.xlsx: it would unpack to more than 20 MB",
        "xxe.xlsx": "could not read xxe.xlsx: it declares XML entities",
        "reply.xlsx": "could not read reply.xlsx: the file is damaged",
        "random.xlsx": "could not read random.xlsx: its content is not a spreadsheet",
        "many.xlsx": "could not read many.xlsx: it has more than 100 sheets",
        "liar.xlsx": "could not read liar.xlsx: sheet 'Data' is damaged",
        "listing.csv": "could not read listing.csv: reading it took longer than the 1 second "
        "allowed",
    }
    for name, start in expected_errors.items():
        status, error = outcome[name]
        assert status == "failed" and error.startswith(start), (name, error)
    assert figures_of(kent) == expected_figures("kent")
