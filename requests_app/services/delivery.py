"""Deliver outbox rows of chasers, reminders and digests: at least once, same Message-ID.

The outbox engine (claim, take, send, give back) and its policy for each kind
are ``services/outbox.py``; this module is what the ``requests_app.send_outbound``
task runs for one row, and what marks a chaser on the request's timeline.
"""

import logging
import smtplib
from collections.abc import Iterable
from datetime import timedelta

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from requests_app.domain.lifecycle import EventKind, EventRejected
from requests_app.models import FoiRequest, OutboundMessage
from requests_app.selectors.overdue import chaseable_q, review_chaseable_q

from .events import EventInput, record_event
from .outbox import (
    LEASE,
    POLICIES,
    claim_rows,
    email_for,
    give_back,
    new_message_id,
    take,
    takeable,
)

__all__ = [
    "LEASE",
    "MAX_ATTEMPTS",
    "SendFailed",
    "claim_rows",
    "deliver",
    "new_message_id",
    "stale_ids",
    "thread_headers",
]

log = logging.getLogger(__name__)

#: After this many failed attempts a row is marked failed and left for a person to look at.
MAX_ATTEMPTS = POLICIES[OutboundMessage.Kind.CHASER].max_attempts
#: Kinds this module sends (the campaign's first request is sent by services/sending.py).
KINDS = (
    OutboundMessage.Kind.CHASER,
    OutboundMessage.Kind.REMINDER,
    OutboundMessage.Kind.DIGEST,
)


class SendFailed(Exception):
    """The mail server refused or could not be reached; the row is left to be retried."""


def thread_headers(request_message_id: str) -> dict[str, str]:
    """In-Reply-To and References: the original request's Message-ID, so the chaser threads."""
    return {"in_reply_to": request_message_id or "", "references": request_message_id or ""}


def stale_ids(*, now=None, kinds: Iterable[str] = KINDS) -> list[int]:
    """Rows nobody is sending: pending ones whose task was lost, and expired leases."""
    now = now or timezone.now()
    lost = OutboundMessage.objects.none()
    for kind in kinds:
        rows = OutboundMessage.objects.filter(takeable(POLICIES[kind], now), kind=kind)
        lost |= rows.exclude(
            status=OutboundMessage.Status.PENDING, created_at__gte=now - timedelta(minutes=5)
        )
    return list(lost.order_by("created_at", "id").values_list("pk", flat=True)[:1000])


def _no_longer_due(msg: OutboundMessage) -> str:
    """Why a chaser claimed earlier must not go now (answered, held...); '' if it still must."""
    if msg.kind != OutboundMessage.Kind.CHASER:
        return ""
    wanted = review_chaseable_q() if msg.stage == "review" else chaseable_q()
    if FoiRequest.objects.filter(wanted, pk=msg.request_id).exists():
        return ""
    return "cancelled: the request is no longer chaseable (answered, paused, stopped or on hold)"


def deliver(*, outbound_id: int, connection=None) -> str:
    """Send one outbox row if nobody has; 'sent', 'skipped' or 'cancelled'.

    Raises SendFailed (the row back to pending, or failed after MAX_ATTEMPTS)
    when the mail server does not take the message, so the caller can retry.
    """
    now = timezone.now()
    kind = OutboundMessage.objects.filter(pk=outbound_id).values_list("kind", flat=True).first()
    if kind not in KINDS or not take(outbound_id, kind, now):
        return "skipped"  # gone, sent, failed for good, or another worker is sending it
    mine = OutboundMessage.objects.filter(pk=outbound_id, status="sending", claimed_at=now)
    msg = OutboundMessage.objects.select_related("request").get(pk=outbound_id)
    why_not = _no_longer_due(msg)
    if why_not:
        mine.update(status=OutboundMessage.Status.FAILED, last_error=why_not)
        return "cancelled"
    try:
        email_for(msg, connection or get_connection()).send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as exc:
        give_back(msg, exc)
        raise SendFailed(f"Sending outbound message {outbound_id} failed: {exc}") from exc
    _mark_sent(msg, mine)
    return "sent"


@transaction.atomic
def _mark_sent(msg: OutboundMessage, mine) -> None:
    note = ""
    if msg.kind == OutboundMessage.Kind.CHASER and msg.request_id:
        try:
            record_event(
                request=msg.request,
                data=EventInput(
                    kind=EventKind.CHASER.value,
                    on=msg.due_for or timezone.localdate(),
                    stage=msg.stage,
                    note=f"{msg.subject} (sent to {msg.to_address})",
                ),
            )
        except EventRejected as exc:  # the mail went; say why the timeline lacks it
            note = f"sent, but not recorded on the timeline: {exc}"
            log.warning("Chaser %s sent but not recorded: %s", msg.pk, exc)
    mine.update(status=OutboundMessage.Status.SENT, sent_at=timezone.now(), last_error=note)
