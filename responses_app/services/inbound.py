"""Receive one email: drop duplicates, classify it, match it, record it on its request.

``receive_message(raw, source=..., dispatch=...)`` is what the IMAP poller, the
Maildir reader, ``fetch_mail --eml`` and the ``.eml`` upload all call, in one
transaction:

- a message whose Message-ID was seen before is dropped (the first stays);
- the raw ``.eml`` is kept (stored once by SHA-256) on an ``InboundMessage``;
- it is classified (reply, automatic reply, bounce: ``domain.mail_kinds``) and
  matched (``matching``: reply address, reference from the force's domain,
  In-Reply-To / References); unmatched mail waits in the holding pen with the
  best guesses until a person assigns or rejects it (``assign_message``,
  ``reject_message``); nothing is deleted.

What a matched message records on its request:

- a reply: a NOTE event "Reply received by email from ..." carrying the files
  (the email's body as a small ``.eml`` and every attachment, forwarded ones
  included), each queued for reading (``dispatch``, on commit). The NOTE becomes
  the request's RESPONSE, with its outcome, when the extraction of the files
  decides full / partial / refused / not held (``reading.settle_arrival``):
  a reply is a response only when a person or the extraction classifies it;
- an automatic reply: a NOTE saying so, and nothing read;
- a bounce: a NOTE saying which address failed; a permanent failure of an
  address we sent to marks the force's FOI address as broken.
"""

import hashlib
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import default as default_policy

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from requests_app.domain.explain import plural
from requests_app.models import FoiRequest, Force
from requests_app.services.state import today
from requests_app.users import acting_user
from responses_app.domain.mail import MailRecord, parse_message
from responses_app.domain.mail_kinds import AUTO_REPLY, BOUNCE
from responses_app.domain.readers.base import human_size
from responses_app.models import InboundMessage

from .arrivals import Dispatch, record_arrival
from .matching import Match, guesses_json, match_message
from .retention import has_bytes
from .storage import safe_name, store_bytes

Status, Method = InboundMessage.Status, InboundMessage.Method


@dataclass
class Receipt:
    message: InboundMessage
    created: bool

    @property
    def duplicate(self) -> bool:
        return not self.created


class MessageNotOpen(ValueError):
    """Only a message waiting in the holding pen can be assigned or rejected."""


class MessageGone(MessageNotOpen):
    """The message's original email is no longer kept, so nothing of it can be recorded."""


def _headers_only(raw: bytes) -> bytes:
    return BytesHeaderParser(policy=default_policy).parsebytes(raw[:1_000_000]).as_bytes()


def receive_message(
    raw: bytes, *, source: str, dispatch: Dispatch, request: FoiRequest | None = None, user=None
) -> Receipt:
    """Keep, classify and match one email; ``request`` given means a person put it there."""
    oversized = len(raw) > settings.INBOUND_MAX_MESSAGE_BYTES
    record = parse_message(_headers_only(raw) if oversized else raw)
    message_id = record.message_id or f"sha256-{hashlib.sha256(raw).hexdigest()}@no-message-id"
    existing = InboundMessage.objects.filter(message_id=message_id).first()
    if existing is not None:
        return Receipt(existing, created=False)
    try:
        with transaction.atomic():
            return Receipt(
                _receive(raw, record, message_id, source, dispatch, request, user, oversized),
                created=True,
            )
    except IntegrityError:
        existing = InboundMessage.objects.filter(message_id=message_id).first()
        if existing is None:
            raise
        return Receipt(existing, created=False)


def _receive(raw, record, message_id, source, dispatch, request, user, oversized):
    message = InboundMessage.objects.create(
        message_id=message_id,
        source=source,
        from_address=record.from_address,
        from_name=record.from_name,
        to_addresses=list(record.headers.get("To", ())),
        cc_addresses=list(record.headers.get("Cc", ())),
        delivered_to=[a for h in ("Delivered-To", "X-Original-To", "Envelope-To")
                      for a in record.headers.get(h, ())],
        subject=record.subject,
        sent_at=record.date,
        in_reply_to=" ".join(f"<{i}>" for i in record.in_reply_to)[:500],
        references=" ".join(f"<{i}>" for i in record.references),
        raw=None if oversized else store_bytes(
            raw, content_type="message/rfc822", limit=settings.INBOUND_MAX_MESSAGE_BYTES
        ),
        size=len(raw),
        kind=record.kind,
        kind_reason=record.kind_reason,
        bounced_recipients=list(record.bounce.recipients) if record.bounce else [],
        attachment_names=[p.filename for p in record.attachments],
    )  # fmt: skip
    if oversized:
        message.problem = (
            f"the message is {human_size(len(raw))}, larger than the "
            f"{human_size(settings.INBOUND_MAX_MESSAGE_BYTES)} limit: only its headers were "
            "kept; it stays in the mailbox"
        )
    if request is not None and not oversized:
        found = Match(request=request, method=Method.UPLOAD, detail="uploaded on the request")
    else:
        found = match_message(record)
    message.guesses = guesses_json(found)
    message.problem = "; ".join(filter(None, [message.problem, *found.problems]))
    if found.request is None or oversized:
        message.status = Status.HELD
        message.save()
        return message
    message.status, message.request = Status.MATCHED, found.request
    message.match_method, message.match_detail = found.method, found.detail[:300]
    message.handled_by = acting_user(user)
    message.save()
    _record(message, record, found.request, dispatch, user)
    return message


def arrival_day(record: MailRecord, request: FoiRequest):
    """The Date header's day, unless it is in the future or before the request was sent."""
    now = today()
    if record.date is None:
        return now
    day = timezone.localdate(record.date)
    if day > now or (request.sent_on and day < request.sent_on):
        return now
    return day


def _sender(record: MailRecord) -> str:
    return (
        f"{record.from_name} <{record.from_address}>" if record.from_name else record.from_address
    )


def body_document(record: MailRecord) -> tuple[str, bytes] | None:
    """The email's letter (headers and bodies, no attachments) as a small .eml of its own."""
    if not record.text.strip() and not record.html.strip():
        return None
    letter = EmailMessage()
    letter["Subject"] = record.subject
    letter["From"] = record.from_address or "unknown@invalid"
    if record.date:
        letter["Date"] = record.date
    letter.set_content(record.text or " ")
    if record.html.strip():
        letter.add_alternative(record.html, subtype="html")
    stamp = f"{record.date:%Y-%m-%d}" if record.date else "undated"
    return safe_name(f"email {stamp} {record.from_address or 'unknown'}.eml"), letter.as_bytes()


def _record(message, record, request, dispatch, user) -> None:
    on = arrival_day(record, request)
    subject = f"“{record.subject}”" if record.subject else "(no subject)"
    if record.kind == AUTO_REPLY:
        note = f"Automatic reply from {_sender(record)}: {subject} ({record.kind_reason})."
        files = []
    elif record.kind == BOUNCE:
        note = _bounce_note(record, request)
        files = []
    else:
        how = "uploaded" if message.source == InboundMessage.Source.UPLOAD else "received by email"
        files = [f for f in [body_document(record)] if f]
        files += [(p.filename, p.data) for p in record.attachments]
        count = plural(len(files), "file")
        note = f"Reply {how} from {_sender(record)}: {subject} ({count})."
        if record.skipped:
            note += " Not kept: " + "; ".join(record.skipped[:10]) + "."
    arrival = record_arrival(
        request=request, on=on, note=note, files=files, dispatch=dispatch, user=user
    )
    message.event = arrival.event
    message.save(update_fields=["event"])


def _bounce_note(record: MailRecord, request: FoiRequest) -> str:
    bounce = record.bounce
    failed = bounce.recipients if bounce else ()
    recipients = ", ".join(failed) or "an address"
    final = bounce is None or bounce.permanent
    note = f"Delivery failure: email to {recipients} was {'not' if final else 'not yet'} delivered"
    if bounce and bounce.diagnostic:
        note += f" ({bounce.diagnostic[:200]})"
    note += "."
    force = request.force
    if final and force.foi_email and force.foi_email.lower() in failed:
        Force.objects.filter(pk=force.pk).update(foi_email_broken=True)
        note += f" {force.name}'s FOI address {force.foi_email} is now marked as broken."
    return note


@transaction.atomic
def assign_message(
    *, message: InboundMessage, request: FoiRequest, user, dispatch: Dispatch
) -> InboundMessage:
    """A held message put on a request by a person, then processed as if it had matched."""
    message = InboundMessage.objects.select_for_update().get(pk=message.pk)
    if message.status != Status.HELD:
        raise MessageNotOpen(f"the message is already {message.get_status_display().lower()}")
    raw = b""
    if message.raw_id:
        raw = _original(message)
    record = parse_message(raw) if raw else None
    message.status, message.request = Status.ASSIGNED, request
    message.match_method, message.match_detail = Method.HAND, f"assigned by {user}"
    message.handled_by, message.handled_at = user, timezone.now()
    message.save()
    if record is not None:
        _record(message, record, request, dispatch, user)
    return message


@transaction.atomic
def reject_message(*, message: InboundMessage, reason: str, user) -> InboundMessage:
    """A held message set aside with a reason; it stays listed, never deleted."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValueError("Say why the message is rejected.")
    message = InboundMessage.objects.select_for_update().get(pk=message.pk)
    if message.status != Status.HELD:
        raise MessageNotOpen(f"the message is already {message.get_status_display().lower()}")
    message.status, message.rejection_reason = Status.REJECTED, reason[:2000]
    message.handled_by, message.handled_at = user, timezone.now()
    message.save(update_fields=["status", "rejection_reason", "handled_by", "handled_at"])
    return message


def _original(message: InboundMessage) -> bytes:
    """The kept ``.eml`` of a message, or MessageGone saying why it cannot be read."""
    if not has_bytes(message.raw):
        raise MessageGone(
            "its original email was removed under the retention policy for personal data, "
            "so there is nothing left to record on a request; reject it instead"
        )
    try:
        with message.raw.content.open("rb") as handle:
            return handle.read()
    except OSError as exc:
        raise MessageGone(
            f"its original email could not be opened ({exc.strerror or exc})"
        ) from exc
