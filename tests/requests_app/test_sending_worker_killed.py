"""A worker killed in the middle of sending: every email goes once, or waits for a person.

A real Celery worker (prefork, one child) on Redis and the test database sends
through an SMTP server on loopback (aiosmtpd) that holds one message's DATA
until the test lets it go, so the kill lands in the middle of the SMTP
conversation, the one moment whose outcome the sender cannot know. The two
documented policies (README, "Campaigns" and "Chasers") are checked against
the server's own count:

- a campaign's request is sent **at most once**: the row whose send was cut
  off is never sent again by a machine; it is marked "needs attention" for a
  person (the server here did keep that message: sending it again would have
  been a duplicate FOI request);
- a chaser is sent again once its lease runs out, with the same Message-ID
  (the server here did not keep the cut-off message, so it arrives once).
"""

import asyncio
import email
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from email import policy

import pytest
from django.db.models import F

from foitracker.celery import app as celery_app
from requests_app.models import Force, OutboundMessage, RequestEvent
from requests_app.services.campaigns import create_campaign
from requests_app.services.delivery import LEASE
from requests_app.services.preflight import NEEDS_ATTENTION, preflight, stale_after
from requests_app.services.sending import send_campaign
from requests_app.tasks import flush_outbox, send_campaign_task, send_outbound
from tests.celery_worker import (
    REDIS_URL,
    Worker,
    empty_redis,
    needs_postgresql,
    wait_for,
    worker_env,
)
from tests.factories import OutboundMessageFactory
from tests.responses_app.inbound_support import ensure_forces
from tests.smtp_server import loopback_smtp

from .campaign_helpers import give_forces_email
from .chasing_support import make_request

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    needs_postgresql,
]

FORCES = ("cleveland", "cumbria", "dorset")  # sent in this order (by name)
VISIBILITY = 2  # seconds before Redis hands an unacknowledged task to another worker


class HoldingServer:
    """Accepts mail, but holds the ``hold``-th DATA until ``release`` is set.

    With ``keep_held`` the held message counts as received (a server that
    queued it before its reply could reach the sender); otherwise it is refused.
    """

    def __init__(self, *, hold: int, keep_held: bool) -> None:
        self.hold, self.keep_held = hold, keep_held
        self.received: list[email.message.EmailMessage] = []
        self.holding, self.release = threading.Event(), threading.Event()
        self._seen = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self._seen += 1
            held = self._seen == self.hold
            if not held or self.keep_held:
                self.received.append(message)
        if not held:
            return "250 2.0.0 OK"
        self.holding.set()
        while not self.release.is_set():
            await asyncio.sleep(0.02)
        return "250 2.0.0 OK" if self.keep_held else "451 4.3.0 Try again later"

    def recipients(self) -> list[str]:
        return sorted(str(m["To"]) for m in self.received)


@pytest.fixture
def redis_db():
    yield from empty_redis(REDIS_URL)


@contextmanager
def serve(handler: HoldingServer, settings=None) -> Iterator[int]:
    """The loopback server's port; a held DATA is let go at the end, so the server can stop."""
    with loopback_smtp(handler, settings) as port:
        try:
            yield port
        finally:
            handler.release.set()


def env_for(settings, port: int) -> dict[str, str]:
    return worker_env(
        redis_url=REDIS_URL,
        media_root=settings.MEDIA_ROOT,
        EMAIL_URL=f"smtp://127.0.0.1:{port}",
        SEND_RATE_PER_MINUTE="0",
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY),
    )


def queue(task, *args) -> None:
    with celery_app.connection_for_write(REDIS_URL) as conn:
        task.apply_async(args, connection=conn)


def wait_visibility(redis_db) -> None:
    """Until the unacknowledged task is older than the visibility timeout."""
    (_, delivered_at), *_ = redis_db.zrange("unacked_index", 0, 0, withscores=True)
    wait_for(lambda: time.time() > delivered_at + VISIBILITY + 0.5, "the visibility timeout")


def test_a_campaign_send_killed_mid_smtp_sends_each_request_once_or_asks_a_person(
    redis_db, tmp_path, settings
):
    ensure_forces()
    give_forces_email(only=FORCES)
    campaign = create_campaign(
        slug="killed-send",
        title="Offences by platform",
        periods=["2019-20"],
        forces=Force.objects.filter(pk__in=FORCES),
    )
    first_req, cut_req, last_req = (campaign.requests.get(force_id=f) for f in FORCES)
    handler = HoldingServer(hold=2, keep_held=True)
    with serve(handler, settings) as port:
        env = env_for(settings, port)
        first = Worker("send-first", env, tmp_path / "first.log")
        try:
            queue(send_campaign_task, campaign.pk)
            wait_for(handler.holding.is_set, "the second message's DATA", workers=(first,))
            first.kill_all()
        finally:
            first.stop()
        handler.release.set()
        rows = {r.request_id: r for r in OutboundMessage.objects.filter(kind="request")}
        assert (rows[first_req.pk].status, rows[cut_req.pk].status) == ("sent", "sending")
        assert last_req.pk not in rows

        wait_visibility(redis_db)
        second = Worker("send-second", env, tmp_path / "second.log")
        try:
            wait_for(
                lambda: redis_db.hlen("unacked") == 0 and redis_db.llen("celery") == 0 and
                OutboundMessage.objects.filter(request=last_req, status="sent").exists(),
                "the next worker to finish the send",
                workers=(second,),
            )  # fmt: skip
        finally:
            second.stop()

        # One message per force reached the server; the cut-off one is left alone.
        assert handler.recipients() == [f"foi@{f}.police.example" for f in FORCES]
        for req in (first_req, last_req):
            row = OutboundMessage.objects.get(request=req, kind="request")
            assert (row.status, row.attempts) == ("sent", 1)
            assert RequestEvent.objects.filter(request=req, kind="sent").count() == 1
        cut = OutboundMessage.objects.get(request=cut_req, kind="request")
        assert (cut.status, cut.attempts) == ("sending", 1)
        assert not RequestEvent.objects.filter(request=cut_req, kind="sent").exists()

        # Fifteen minutes on, the row a dead process left is a person's decision.
        OutboundMessage.objects.filter(pk=cut.pk).update(
            claimed_at=F("claimed_at") - stale_after() - timedelta(minutes=1)
        )
        plan = preflight(campaign)
        assert [(r.request_id, r.note) for r in plan.needs_attention] == [
            (cut_req.pk, NEEDS_ATTENTION)
        ]
        settings.SEND_RATE_PER_MINUTE = 0
        again = send_campaign(campaign)
        assert again.sent == [] and again.skipped[0][0] == cut_req.reference
        assert "needs attention" in again.skipped[0][1]
    cut.refresh_from_db()
    assert (cut.status, cut.last_error) == ("failed", NEEDS_ATTENTION)
    assert len(handler.received) == 3  # nothing was sent twice


def test_a_chaser_killed_mid_smtp_is_sent_once_after_its_lease(redis_db, tmp_path, settings):
    request = make_request()
    row = OutboundMessageFactory(
        request=request, stage="1", in_reply_to=request.message_id, references=request.message_id
    )
    handler = HoldingServer(hold=1, keep_held=False)
    with serve(handler) as port:
        worker = Worker("chaser", env_for(settings, port), tmp_path / "worker.log")
        try:
            queue(send_outbound, row.pk)
            wait_for(handler.holding.is_set, "the chaser's DATA", workers=(worker,))
            row.refresh_from_db()
            assert (row.status, row.attempts) == ("sending", 1)
            worker.kill_child()
            # The task comes back at once and finds the row leased: it leaves it alone.
            wait_for(
                lambda: "'skipped'" in worker.text(),
                "the redelivered task to skip the leased row",
                workers=(worker,),
            )
            handler.release.set()
            row.refresh_from_db()
            assert row.status == "sending" and handler.received == []

            # Once the lease has run out, the outbox flush sends it again.
            OutboundMessage.objects.filter(pk=row.pk).update(
                claimed_at=F("claimed_at") - LEASE - timedelta(minutes=1)
            )
            queue(flush_outbox)
            wait_for(
                lambda: OutboundMessage.objects.filter(pk=row.pk, status="sent").exists(),
                "the flushed chaser to be sent",
                workers=(worker,),
            )
        finally:
            worker.stop()
    assert "WorkerLostError" in worker.text()
    (message,) = handler.received
    assert str(message["Message-ID"]) == row.message_id
    assert str(message["In-Reply-To"]) == request.message_id
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)
    assert list(
        RequestEvent.objects.filter(request=request, kind="chaser").values_list("stage", flat=True)
    ) == ["1"]
