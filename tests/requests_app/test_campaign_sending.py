"""Sending a campaign by email: preflight, reply addresses, exactly once, resuming, throttling."""

import smtplib
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.utils import timezone

from requests_app.models import Campaign, Force, OutboundMessage, RequestEvent
from requests_app.services.addresses import reply_address, token_from_address
from requests_app.services.campaigns import create_campaign
from requests_app.services.logging_sent import mark_sent
from requests_app.services.sending import (
    NEEDS_ATTENTION,
    SendRejected,
    Throttle,
    claim,
    confirm_delivered,
    preflight,
    retry_failed,
    send_campaign,
)
from requests_app.services.state import today
from tests.requests_app.campaign_helpers import days_ago, give_forces_email

pytestmark = pytest.mark.django_db
FORCES = ["kent", "essex", "durham", "gwent", "surrey"]


@pytest.fixture
def campaign(settings):
    settings.SEND_RATE_PER_MINUTE = 0
    give_forces_email(only=FORCES)
    return create_campaign(
        slug="c",
        title="Platforms",
        periods=["2019-20"],
        template="Dear {force_name}, ref {reference}",
        forces=Force.objects.filter(pk__in=FORCES),
    )


class FailingBackend(EmailBackend):
    """Accepts ``accept`` messages, then raises ``error`` for every later one."""

    def __init__(self, accept: int, error: Exception, **kwargs):
        super().__init__(**kwargs)
        self.accept, self.error = accept, error

    def send_messages(self, messages):
        if len(mail.outbox) >= self.accept:
            raise self.error
        return super().send_messages(messages)


def test_reply_addresses_carry_the_token_in_either_style(settings):
    settings.REPLY_MAILBOX, settings.REPLY_DOMAIN = "foi", "replies.example"
    settings.REPLY_ADDRESS_STYLE = "plus"
    assert reply_address("abcdefghij0123") == "foi+abcdefghij0123@replies.example"
    assert token_from_address("<FOI+abcdefghij0123@replies.example>") == "abcdefghij0123"
    assert token_from_address("foi+abc@replies.example") is None  # too short to be ours
    settings.REPLY_ADDRESS_STYLE = "subdomain"
    assert reply_address("abcdefghij0123") == "abcdefghij0123@replies.example"
    assert token_from_address("abcdefghij0123@replies.example") == "abcdefghij0123"
    settings.REPLY_ADDRESS_STYLE = "carrier-pigeon"
    with pytest.raises(ImproperlyConfigured, match="REPLY_ADDRESS_STYLE"):
        reply_address("abcdefghij0123")


def test_preflight_reports_unreachable_and_portal_only_forces_before_sending(campaign):
    Force.objects.filter(pk="kent").update(foi_email="")
    Force.objects.filter(pk="essex").update(foi_email_broken=True, portal_url="https://foi.essex")
    Force.objects.filter(pk="durham").update(foi_email="", portal_url="https://foi.durham")
    report = preflight(campaign)
    assert [r.force_id for r in report.unreachable] == ["kent"]
    assert report.unreachable[0].note == "its force has no FOI email address, and no portal"
    assert sorted(r.force_id for r in report.via_portal) == ["durham", "essex"]
    assert [r.force_id for r in report.by_email] == ["gwent", "surrey"]
    assert report.total == 5
    send_campaign(campaign)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "foi@gwent.police.example",
        "foi@surrey.police.example",
    ]


def test_each_force_gets_its_own_message_once_with_reply_address_and_message_id(campaign):
    report = send_campaign(campaign)
    assert sorted(report.sent) == sorted(f"c/{f}" for f in FORCES)
    assert len(mail.outbox) == 5
    for request in campaign.requests.select_related("force"):
        (message,) = [m for m in mail.outbox if m.to == [request.force.foi_email]]
        assert message.reply_to == [reply_address(request.reply_token)]
        assert message.extra_headers["Message-ID"] == request.message_id != ""
        assert message.body == f"Dear {request.force.name}, ref {request.reference}"
        assert request.reference in message.subject
        assert request.status == "awaiting" and request.sent_on == today()
        sent = request.events.get(kind="sent")
        assert sent.channel == "email" and request.message_id in sent.note
        outbound = OutboundMessage.objects.get(request=request, kind="request", stage="")
        assert (outbound.status, outbound.message_id) == ("sent", request.message_id)
    assert len({m.reply_to[0] for m in mail.outbox}) == 5
    # a second run finds nothing to send
    again = send_campaign(campaign)
    assert again.sent == [] and len(mail.outbox) == 5
    assert RequestEvent.objects.filter(kind="sent").count() == 5


def test_an_interrupted_send_resumes_without_sending_anyone_twice(campaign):
    error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    first = send_campaign(campaign, connection=FailingBackend(2, error))
    assert len(first.sent) == 2 and "SMTPServerDisconnected" in first.interrupted
    stopped = OutboundMessage.objects.get(status="pending")
    assert stopped.attempts == 1 and "Connection unexpectedly closed" in stopped.last_error
    message_id = stopped.message_id
    assert OutboundMessage.objects.count() == 3  # the rest were never claimed
    assert preflight(campaign).by_email[0].note.startswith("resuming")

    second = send_campaign(campaign)
    assert len(second.sent) == 3 and not second.interrupted
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"foi@{f}.police.example" for f in FORCES)
    stopped.refresh_from_db()
    assert (stopped.status, stopped.attempts, stopped.message_id) == ("sent", 2, message_id)


def test_a_refused_address_fails_that_force_and_the_run_goes_on(campaign):
    refused = smtplib.SMTPRecipientsRefused({"foi@x": (550, b"No such user")})
    report = send_campaign(campaign, connection=FailingBackend(1, refused))
    assert len(report.sent) == 1 and len(report.failed) == 4 and not report.interrupted
    assert OutboundMessage.objects.filter(status="failed").count() == 4
    assert len(preflight(campaign).needs_attention) == 4


def test_a_message_that_keeps_failing_stops_being_retried(campaign):
    error = smtplib.SMTPDataError(451, b"Try again later")
    for _ in range(3):
        send_campaign(campaign, connection=FailingBackend(0, error))
    row = OutboundMessage.objects.get()  # the first force's, every time
    assert (row.request.force_id, row.status, row.attempts) == ("durham", "failed", 3)
    report = send_campaign(campaign, connection=FailingBackend(0, error))
    assert ("c/durham", "needs attention: SMTPDataError: (451, b'Try again later')") in (
        report.skipped
    )
    row.refresh_from_db()
    assert row.attempts == 3  # not tried again; the run went on to the next force
    assert OutboundMessage.objects.get(status="pending").request.force_id == "essex"


def test_a_row_left_sending_by_a_dead_process_is_not_sent_again_blindly(campaign, settings):
    settings.SEND_STALE_AFTER_MINUTES = 15
    kent = campaign.requests.get(force_id="kent")
    row, _ = claim(kent.pk)  # a process claimed it... and died before marking it
    assert row.status == "sending"
    report = send_campaign(campaign)
    assert ("c/kent", "being sent by another run") in report.skipped
    assert "foi@kent.police.example" not in [m.to[0] for m in mail.outbox]
    assert [r.force_id for r in preflight(campaign).in_progress] == ["kent"]

    OutboundMessage.objects.filter(pk=row.pk).update(
        claimed_at=timezone.now() - timedelta(minutes=16)
    )
    assert [r.force_id for r in preflight(campaign).needs_attention] == ["kent"]
    report = send_campaign(campaign)
    assert report.skipped == [("c/kent", "needs attention: a run stopped while sending it")]
    row.refresh_from_db()
    assert (row.status, row.last_error) == ("failed", NEEDS_ATTENTION)
    assert len(mail.outbox) == 4  # kent never emailed automatically


def test_a_person_decides_about_a_message_that_needs_attention(campaign):
    kent = campaign.requests.get(force_id="kent")
    essex = campaign.requests.get(force_id="essex")
    kent_row, _ = claim(kent.pk)
    essex_row, _ = claim(essex.pk)
    with pytest.raises(SendRejected, match="is sending, not failed"):
        retry_failed(outbound_id=kent_row.pk)  # still within its lease
    OutboundMessage.objects.filter(pk__in=[kent_row.pk, essex_row.pk]).update(
        status="failed", last_error=NEEDS_ATTENTION
    )
    confirm_delivered(outbound_id=kent_row.pk, on=days_ago(1))  # it did go
    kent.refresh_from_db()
    assert kent.sent_on == days_ago(1) and kent.message_id == kent_row.message_id
    retry_failed(outbound_id=essex_row.pk)  # it did not: send it again
    send_campaign(campaign)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"foi@{f}.police.example" for f in FORCES if f != "kent"
    )
    with pytest.raises(SendRejected, match="is sent, not failed"):
        confirm_delivered(outbound_id=kent_row.pk, on=today())


def test_a_request_logged_via_portal_is_not_emailed(campaign):
    kent = campaign.requests.get(force_id="kent")
    mark_sent(request=kent, on=days_ago(2), channel="portal", reference="K/1")
    send_campaign(campaign)
    assert "foi@kent.police.example" not in [m.to[0] for m in mail.outbox]
    assert claim(kent.pk) == (None, f"already sent on {days_ago(2)}")


def test_the_mail_server_being_down_claims_nothing(campaign):
    class Down(EmailBackend):
        def open(self):
            raise ConnectionRefusedError("Connection refused")

    report = send_campaign(campaign, connection=Down())
    assert "Could not connect" in report.interrupted
    assert not OutboundMessage.objects.exists()


def test_throttle_spaces_sends_to_the_configured_rate():
    now = [0.0]
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        now[0] += seconds

    throttle = Throttle(30, clock=lambda: now[0], sleep=sleep)
    for _ in range(4):
        throttle.wait()
        now[0] += 0.5  # the send itself
    assert waits == [1.5, 1.5, 1.5]  # 2 seconds apart, less the time sending took
    unthrottled = Throttle(0, clock=lambda: now[0], sleep=sleep)
    unthrottled.wait()
    unthrottled.wait()
    assert len(waits) == 3


def test_sending_uses_the_configured_rate(campaign, settings):
    settings.SEND_RATE_PER_MINUTE = 60
    slept = []
    send_campaign(campaign, sleep=slept.append, clock=lambda: 0.0)
    assert slept == [1.0] * 4  # five messages, one a second


class SlowBackend(EmailBackend):
    """locmem, but each message takes a little while, so two runs interleave."""

    def send_messages(self, messages):
        time.sleep(0.02)
        return super().send_messages(messages)


@pytest.mark.needs_postgresql  # concurrent writers need PostgreSQL's row locks
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sends_at_once_email_each_force_once(settings):
    settings.SEND_RATE_PER_MINUTE = 0
    forces = list(Force.objects.territorial().order_by("name").values_list("pk", flat=True)[:12])
    give_forces_email(only=forces)
    campaign = create_campaign(
        slug="race", title="Race", periods=["2019"], forces=Force.objects.filter(pk__in=forces)
    )
    start = threading.Barrier(2)
    reports = []

    def run():
        try:
            start.wait()
            reports.append(
                send_campaign(Campaign.objects.get(pk=campaign.pk), connection=SlowBackend())
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    recipients = Counter(m.to[0] for m in mail.outbox)
    assert set(recipients.values()) == {1} and len(recipients) == 12
    assert sum(len(r.sent) for r in reports) == 12
    assert RequestEvent.objects.filter(kind="sent", request__campaign=campaign).count() == 12
