"""Deliver outbox rows (chasers, reminders, digests) exactly once.

A row is written (``claim_rows``) before anything is sent, under the outbox's
unique constraints, so however many sweeps run only one row exists per
(request, kind, stage). ``deliver`` then takes the row with one conditional
UPDATE (pending -> sending, or a ``sending`` row whose worker died and whose
lease ran out), sends it, and marks it sent in the transaction that records
the chaser on the request's timeline. A second delivery of the same task, a
retry after success, or a second worker finds nothing to take and returns.

The one window no outbox can close is a worker killed after the mail server
accepted the message and before the row is marked sent: the row is retried
when its lease runs out, with the same Message-ID, so the recipient's mail
system sees one message twice rather than two messages.
"""

import logging
import smtplib
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection, make_msgid
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from requests_app.domain.lifecycle import EventKind, EventRejected
from requests_app.models import FoiRequest, OutboundMessage
from requests_app.selectors.overdue import chaseable_q, review_chaseable_q

from .events import EventInput, record_event

log = logging.getLogger(__name__)

#: A ``sending`` row older than this belongs to a worker that died; it may be taken again.
LEASE = timedelta(minutes=10)
#: After this many failed attempts a row is marked failed and left for a person to look at.
MAX_ATTEMPTS = 6
#: Kinds this module sends (the campaign's first request is sent by services/sending.py).
KINDS = (
    OutboundMessage.Kind.CHASER,
    OutboundMessage.Kind.REMINDER,
    OutboundMessage.Kind.DIGEST,
)


class SendFailed(Exception):
    """The mail server refused or could not be reached; the row is left to be retried."""


def new_message_id(kind: str) -> str:
    return make_msgid(idstring=kind, domain=settings.REPLY_DOMAIN)


def thread_headers(request_message_id: str) -> dict[str, str]:
    """In-Reply-To and References: the original request's Message-ID, so the chaser threads."""
    return {"in_reply_to": request_message_id or "", "references": request_message_id or ""}


def claim_rows(rows: list[OutboundMessage]) -> dict[str, int]:
    """Insert rows, skipping any whose (request or user, kind, stage) already exists.

    Returns {message_id: id} of the rows this call inserted: the Message-IDs
    are new, so a row found under one of them is ours, and a conflict means
    another sweep (or an earlier run) claimed that stage first.
    """
    if not rows:
        return {}
    OutboundMessage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    ids = [r.message_id for r in rows]
    return dict(OutboundMessage.objects.filter(message_id__in=ids).values_list("message_id", "pk"))


def stale_ids(*, now=None, kinds: Iterable[str] = KINDS) -> list[int]:
    """Rows nobody is sending: pending ones whose task was lost, and expired leases."""
    now = now or timezone.now()
    return list(
        OutboundMessage.objects.filter(kind__in=list(kinds))
        .filter(
            Q(status=OutboundMessage.Status.PENDING, created_at__lt=now - timedelta(minutes=5))
            | Q(status=OutboundMessage.Status.SENDING, claimed_at__lt=now - LEASE)
        )
        .values_list("pk", flat=True)[:1000]
    )


def _take(outbound_id: int, now) -> bool:
    taken = (
        OutboundMessage.objects.filter(pk=outbound_id)
        .filter(
            Q(status=OutboundMessage.Status.PENDING)
            | Q(status=OutboundMessage.Status.SENDING, claimed_at__lt=now - LEASE)
        )
        .update(status=OutboundMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    return taken == 1


def _no_longer_due(msg: OutboundMessage) -> str:
    """Why a chaser claimed earlier must not go now (answered, held...); '' if it still must."""
    if msg.kind != OutboundMessage.Kind.CHASER:
        return ""
    wanted = review_chaseable_q() if msg.stage == "review" else chaseable_q()
    if FoiRequest.objects.filter(wanted, pk=msg.request_id).exists():
        return ""
    return "cancelled: the request is no longer chaseable (answered, paused, stopped or on hold)"


def email_for(msg: OutboundMessage, connection=None) -> EmailMessage:
    headers = {"Message-ID": msg.message_id}
    if msg.in_reply_to:
        headers["In-Reply-To"] = msg.in_reply_to
    if msg.references:
        headers["References"] = msg.references
    return EmailMessage(
        subject=msg.subject,
        body=msg.body,
        from_email=msg.from_address,
        to=[msg.to_address],
        reply_to=[msg.reply_to] if msg.reply_to else None,
        headers=headers,
        connection=connection,
    )


def deliver(*, outbound_id: int, connection=None) -> str:
    """Send one outbox row if nobody has; 'sent', 'skipped' or 'cancelled'.

    Raises SendFailed (the row back to pending, or failed after MAX_ATTEMPTS)
    when the mail server does not take the message, so the caller can retry.
    """
    now = timezone.now()
    if not _take(outbound_id, now):
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
        final = msg.attempts >= MAX_ATTEMPTS
        mine.update(
            status=OutboundMessage.Status.FAILED if final else OutboundMessage.Status.PENDING,
            last_error=f"attempt {msg.attempts}: {exc}"[:2000],
            claimed_at=None,
        )
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
