"""Sending through a real SMTP server on loopback: retries, duplicates, dead workers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from requests_app.models import OutboundMessage, RequestEvent
from requests_app.services import delivery
from requests_app.services.chasing import run_sweep
from requests_app.services.events import EventInput, record_event
from requests_app.tasks import send_outbound

from . import chasing_support as support
from .chasing_support import STAGE_DAYS, make_request

smtp_server = support.smtp_server

pytestmark = pytest.mark.django_db


def claimed_chaser():
    """An overdue request with its stage 1 chaser claimed in the outbox, not yet sent."""
    request = make_request()
    result = run_sweep(today=STAGE_DAYS["1"], dispatch=None)
    [chaser] = result.chasers
    return request, OutboundMessage.objects.get(pk=chaser.outbound_id)


def chaser_events(request):
    return list(
        RequestEvent.objects.filter(request=request, kind="chaser").values_list("stage", flat=True)
    )


def test_a_chaser_reaches_a_real_smtp_server_threaded_with_the_request(smtp_server):
    request, row = claimed_chaser()
    assert delivery.deliver(outbound_id=row.pk) == "sent"
    [message] = smtp_server.messages
    assert message["To"] == request.force.foi_email
    assert message["Message-ID"].strip() == row.message_id
    assert message["In-Reply-To"] == request.message_id
    assert message["References"] == request.message_id
    assert request.reference in message["Subject"]
    assert chaser_events(request) == ["1"]


def test_after_an_smtp_failure_the_retry_sends_once(smtp_server):
    smtp_server.refuse = 1
    request, row = claimed_chaser()
    with pytest.raises(delivery.SendFailed):
        delivery.deliver(outbound_id=row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 1)
    assert "451" in row.last_error
    assert smtp_server.messages == [] and chaser_events(request) == []
    assert delivery.deliver(outbound_id=row.pk) == "sent"
    assert delivery.deliver(outbound_id=row.pk) == "skipped"
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(smtp_server.messages) == 1
    assert chaser_events(request) == ["1"]


def test_the_task_retries_with_backoff_and_sends_once(smtp_server):
    smtp_server.refuse = 2
    request, row = claimed_chaser()
    send_outbound.apply(args=[row.pk])  # eager: the retries run at once, in process
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 3)
    assert smtp_server.refused == 2 and len(smtp_server.messages) == 1
    assert chaser_events(request) == ["1"]
    assert send_outbound.retry_backoff and send_outbound.max_retries == delivery.MAX_ATTEMPTS


def test_a_task_delivered_twice_sends_once(smtp_server):
    request, row = claimed_chaser()
    first = send_outbound.apply(args=[row.pk])
    second = send_outbound.apply(args=[row.pk])
    assert (first.get(), second.get()) == ("sent", "skipped")
    assert len(smtp_server.messages) == 1
    assert chaser_events(request) == ["1"]


def test_a_row_being_sent_by_a_live_worker_is_left_alone(smtp_server):
    request, row = claimed_chaser()
    OutboundMessage.objects.filter(pk=row.pk).update(status="sending", claimed_at=timezone.now())
    assert delivery.deliver(outbound_id=row.pk) == "skipped"
    assert smtp_server.messages == []


def test_a_row_left_by_a_dead_worker_is_sent_once_its_lease_runs_out(smtp_server):
    request, row = claimed_chaser()
    stale = timezone.now() - delivery.LEASE - timedelta(seconds=1)
    OutboundMessage.objects.filter(pk=row.pk).update(status="sending", claimed_at=stale, attempts=1)
    assert delivery.stale_ids() == [row.pk]
    assert delivery.deliver(outbound_id=row.pk) == "sent"
    assert delivery.deliver(outbound_id=row.pk) == "skipped"
    assert len(smtp_server.messages) == 1
    assert (
        smtp_server.messages[0]["Message-ID"].strip() == row.message_id
    )  # the same message, if twice


def test_a_row_that_keeps_failing_is_marked_failed_not_retried_forever(smtp_server):
    smtp_server.refuse = 100
    request, row = claimed_chaser()
    for _ in range(delivery.MAX_ATTEMPTS):
        with pytest.raises(delivery.SendFailed):
            delivery.deliver(outbound_id=row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", delivery.MAX_ATTEMPTS)
    assert delivery.deliver(outbound_id=row.pk) == "skipped"
    assert chaser_events(request) == []


def test_a_chaser_claimed_before_the_response_arrived_is_not_sent(smtp_server):
    request, row = claimed_chaser()
    record_event(request=request, data=EventInput("response", STAGE_DAYS["1"], outcome="full"))
    assert delivery.deliver(outbound_id=row.pk) == "cancelled"
    row.refresh_from_db()
    assert row.status == "failed" and row.last_error.startswith("cancelled")
    assert smtp_server.messages == [] and chaser_events(request) == []


def test_a_deleted_row_is_skipped_quietly(smtp_server):
    assert send_outbound.apply(args=[987654]).get() == "skipped"
