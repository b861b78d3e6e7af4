"""Helpers shared by the chaser tests: requests at a known place on the clock, sweeps by day."""

import email
import email.policy
import threading
from datetime import date, timedelta
from itertools import count

import pytest

from requests_app.services.chasing import run_sweep
from requests_app.services.delivery import deliver
from requests_app.services.events import EventInput, record_event
from tests.factories import FoiRequestFactory, ForceFactory
from tests.smtp_server import loopback_smtp

#: Sent (and received) Friday 15 March 2019: due Monday 15 April 2019 under FOIA
#: (18 March is the St Patrick's Day substitute holiday). Worked by hand:
#: stage 1 (+1 working day) Tuesday 16 April; stage 2 (+10) Wednesday 1 May, skipping
#: Good Friday 19 April and Easter Monday 22 April; stage 3 (+20) Thursday 16 May,
#: skipping the early May bank holiday (6 May).
SENT = date(2019, 3, 15)
DUE = date(2019, 4, 15)
STAGE_DAYS = {"1": date(2019, 4, 16), "2": date(2019, 5, 1), "3": date(2019, 5, 16)}
_numbers = count(1)


def make_request(*, sent: date = SENT, events=(), force=None, **kwargs):
    """A request sent by email on ``sent``, with further (kind, date, extra fields) events."""
    request = FoiRequestFactory(
        force=force or ForceFactory(),
        message_id=f"<request-{next(_numbers)}@foitracker.example>",
        **kwargs,
    )
    record_event(request=request, data=EventInput("sent", sent, channel="email"))
    for kind, on, extra in events:
        record_event(request=request, data=EventInput(kind, on, **extra))
    request.refresh_from_db()
    return request


def sweep(day: date):
    """Run the sweep as the CLI does (sending inline); the chasers it sent."""
    result = run_sweep(today=day, dispatch=lambda pk: deliver(outbound_id=pk))
    return [c for c in result.chasers if c.outcome == "sent"]


def days(first: date, last: date):
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def sweep_every_day(first: date, last: date) -> dict[date, list[tuple[str, str]]]:
    """Sweep each calendar day in turn: {day: [(reference, stage)]} for days that sent any."""
    sent = {}
    for day in days(first, last):
        chasers = sweep(day)
        if chasers:
            sent[day] = sorted((c.reference, c.stage) for c in chasers)
    return sent


class SmtpHandler:
    """Loopback SMTP handler: refuses the first ``refuse`` messages (451), keeps the rest."""

    def __init__(self, refuse: int = 0) -> None:
        self.refuse = refuse
        self.refused = 0
        self.messages: list[email.message.Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refused < self.refuse:
                self.refused += 1
                return "451 4.3.0 Mailbox busy, try again later"
            self.messages.append(
                email.message_from_bytes(envelope.content, policy=email.policy.default)
            )
        return "250 2.0.0 OK"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback (aiosmtpd), with Django's SMTP backend pointed at it."""
    handler = SmtpHandler()
    with loopback_smtp(handler, settings):
        yield handler
