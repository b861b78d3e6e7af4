"""Integration: a 43-force campaign sent through a real SMTP server on loopback (aiosmtpd).

Checks every message as the server received it, then interrupts sends half-way
(the server refusing a message; the process dying after the server accepted
one) and re-runs them: every force ends with exactly one copy.
"""

import email
import threading
from collections import Counter
from datetime import timedelta
from email import policy

import pytest
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.utils import timezone

from requests_app.models import Force, OutboundMessage
from requests_app.services.addresses import reply_address
from requests_app.services.campaigns import create_campaign
from requests_app.services.sending import confirm_delivered, send_campaign
from requests_app.services.state import today
from tests.requests_app.campaign_helpers import give_forces_email
from tests.smtp_server import loopback_smtp

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
TEMPLATE = (
    "Dear {force_name},\n\nPlease send the figures for {periods}.\n\nOur reference: {reference}"
)


class Recorder:
    """An SMTP handler that keeps what it accepts and can refuse one message with a 451."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []
        self.refuse_number: int | None = None  # the n-th DATA (1-based) gets a 451
        self._seen = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self._seen += 1
            if self._seen == self.refuse_number:
                return "451 4.3.0 Mailbox busy, try again later"
            message = email.message_from_bytes(envelope.content, policy=policy.default)
            self.received.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def recipients(self) -> Counter:
        return Counter(rcpt for rcpts, _ in self.received for rcpt in rcpts)


class ProcessKilled(BaseException):
    """Stands for the process being killed: nothing in the service catches it."""


class DiesAfter(SmtpBackend):
    """The real SMTP backend, whose process dies right after the server accepted message n."""

    def __init__(self, n: int, **kwargs):
        super().__init__(**kwargs)
        self.n, self.count = n, 0

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        self.count += sent
        if self.count >= self.n:
            raise ProcessKilled
        return sent


@pytest.fixture
def smtp(settings):
    handler = Recorder()
    settings.SEND_RATE_PER_MINUTE = 0
    settings.DEFAULT_FROM_EMAIL = "FOI Research <foi@research.example>"
    settings.REPLY_ADDRESS_STYLE, settings.REPLY_MAILBOX = "plus", "foi"
    settings.REPLY_DOMAIN = "replies.research.example"
    with loopback_smtp(handler, settings):
        yield handler


@pytest.fixture
def campaign():
    give_forces_email()
    return create_campaign(
        slug="platforms-2019",
        title="Offences by platform",
        periods=["2019-20", "2020-21"],
        template=TEMPLATE,
    )


def _all_forces_once(handler: Recorder) -> bool:
    expected = {
        f"foi@{f}.police.example" for f in Force.objects.territorial().values_list("pk", flat=True)
    }
    got = handler.recipients()
    return set(got) == expected and set(got.values()) == {1}


def test_a_43_force_campaign_goes_out_one_personal_message_each(smtp, campaign):
    report = send_campaign(campaign)
    assert len(report.sent) == 43 and not report.interrupted and not report.failed
    assert len(smtp.received) == 43 and _all_forces_once(smtp)
    by_recipient = {rcpts[0]: message for rcpts, message in smtp.received}
    reply_addresses = set()
    for request in campaign.requests.select_related("force"):
        message = by_recipient[request.force.foi_email]
        assert message["To"] == request.force.foi_email
        assert message["From"] == "FOI Research <foi@research.example>"
        assert message["Reply-To"] == reply_address(request.reply_token)
        assert message["Reply-To"] == f"foi+{request.reply_token}@replies.research.example"
        reply_addresses.add(message["Reply-To"])
        assert message["Message-ID"] == request.message_id
        assert request.message_id.endswith("@replies.research.example>")
        assert request.reference in message["Subject"]
        body = message.get_content()
        assert f"Dear {request.force.name}," in body
        assert f"Our reference: {request.reference}" in body
        assert "2019-20, 2020-21" in body
        assert request.status == "awaiting" and request.sent_on == today()
    assert len(reply_addresses) == 43
    assert OutboundMessage.objects.filter(status="sent").count() == 43


def test_a_send_refused_half_way_resumes_and_nobody_gets_two(smtp, campaign):
    smtp.refuse_number = 21
    first = send_campaign(campaign)
    assert len(first.sent) == 20 and "451" in first.interrupted
    assert len(smtp.received) == 20
    waiting = OutboundMessage.objects.get(status="pending")
    assert campaign.requests.filter(sent_on__isnull=True).count() == 23

    second = send_campaign(campaign)
    assert len(second.sent) == 23 and not second.interrupted
    assert len(smtp.received) == 43 and _all_forces_once(smtp)
    resent = next(m for r, m in smtp.received if r == [waiting.to_address])
    assert resent["Message-ID"] == waiting.message_id  # the same message, not a new one
    assert send_campaign(campaign).sent == [] and len(smtp.received) == 43


def test_a_process_killed_after_the_server_accepted_never_sends_twice(smtp, campaign, settings):
    with pytest.raises(ProcessKilled):
        send_campaign(campaign, connection=DiesAfter(10))
    assert len(smtp.received) == 10
    lost = OutboundMessage.objects.get(status="sending")  # accepted, never recorded
    assert OutboundMessage.objects.filter(status="sent").count() == 9

    resumed = send_campaign(campaign)  # at once: the dead run's claim is still fresh
    assert len(resumed.sent) == 33
    assert (lost.request.reference, "being sent by another run") in resumed.skipped
    assert len(smtp.received) == 43 and _all_forces_once(smtp)

    OutboundMessage.objects.filter(pk=lost.pk).update(
        claimed_at=timezone.now() - timedelta(minutes=settings.SEND_STALE_AFTER_MINUTES + 1)
    )
    later = send_campaign(campaign)  # much later: at most once, so a person decides
    assert later.sent == [] and len(smtp.received) == 43
    lost.refresh_from_db()
    assert lost.status == "failed" and lost.last_error.startswith("Needs attention")

    confirm_delivered(outbound_id=lost.pk, on=today())  # the log shows it was delivered
    assert campaign.requests.filter(sent_on__isnull=True).count() == 0
    assert _all_forces_once(smtp)
