"""What kind of message an inbound email is: a reply, an automatic reply, or a delivery failure.

Pure (no Django). Delivery failures (bounces) are recognised first, because a
report of non-delivery is itself sent automatically:

- a ``multipart/report; report-type=delivery-status`` message (RFC 3464), or
  one with a ``message/delivery-status`` part;
- a sender named ``MAILER-DAEMON`` or ``postmaster`` (any domain);
- an ``X-Failed-Recipients`` header, or a subject such as "Undeliverable:",
  "Mail delivery failed", "Delivery Status Notification (Failure)".

Automatic replies (out-of-office notices, "we have received your email"
acknowledgements) next: ``Auto-Submitted`` other than ``no`` (RFC 3834),
``X-Autoreply`` / ``X-Autorespond``, ``Precedence: auto_reply``, or a subject
such as "Automatic reply:", "Out of Office:", "Auto-Reply:".

A bounce's original recipients come from the Final-Recipient / Original-Recipient
fields of its delivery-status part, else ``X-Failed-Recipients``, else the To
of the returned message; the returned message's Message-ID identifies what
we sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesHeaderParser, HeaderParser
from email.utils import collapse_rfc2231_value, getaddresses

from .readers.mime import part_bytes

REPLY, AUTO_REPLY, BOUNCE = "reply", "auto_reply", "bounce"
KINDS = (REPLY, AUTO_REPLY, BOUNCE)

_BOUNCE_SENDERS = {"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"}
_BOUNCE_SUBJECT = re.compile(
    r"^\s*(?:undeliver(?:able|ed)|undelivered mail|returned mail|mail delivery (?:failed|failure)|"
    r"delivery (?:status notification|failure|has failed|notification)|"
    r"failure notice|non[- ]?delivery|message not delivered|could not send message)",
    re.IGNORECASE,
)
_DELAY_SUBJECT = re.compile(r"\b(?:delay(?:ed)?|warning: message .* delayed)\b", re.IGNORECASE)
_AUTO_SUBJECT = re.compile(
    r"^\s*(?:auto(?:matic)?[\s_-]*(?:reply|response|answer)|autoreply|out of (?:the )?office|"
    r"away from (?:the )?office|absence (?:notice|notification)|on (?:annual )?leave\b|"
    r"i am (?:currently )?(?:out|away|on leave))",
    re.IGNORECASE,
)
_ADDRESS = re.compile(r"[^\s<>\"';,:()]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_MESSAGE_ID_LINE = re.compile(r"^Message-ID:\s*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)
_QMAIL_RECIPIENT = re.compile(r"^<([^<>\s]+@[^<>\s]+)>:\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Bounce:
    """What a delivery failure says: who could not be reached, for good or for now."""

    recipients: tuple[str, ...]
    permanent: bool
    diagnostic: str
    original_message_ids: tuple[str, ...]


def header_text(message: Message, name: str) -> str:
    """A header's value as text, never raising on a malformed header."""
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - a malformed header must not stop the reading
        value = None
    if value is None:
        for key, raw in getattr(message, "raw_items", lambda: [])():
            if key.lower() == name.lower():
                return str(raw)
        return ""
    return str(value)


def message_kind(message: Message, *, sender: str, subject: str) -> tuple[str, str]:
    """(kind, why): REPLY, AUTO_REPLY or BOUNCE, with the evidence in a few words."""
    ctype = message.get_content_type()
    param = message.get_param("report-type", header="content-type")
    report = (collapse_rfc2231_value(param) if isinstance(param, tuple) else param or "").lower()
    if ctype == "multipart/report" and report == "delivery-status":
        return BOUNCE, "a delivery status report (multipart/report)"
    if any(p.get_content_type() == "message/delivery-status" for p in _walk(message, 200)):
        return BOUNCE, "a delivery status report (message/delivery-status)"
    local = sender.partition("@")[0].lower()
    if local in _BOUNCE_SENDERS:
        return BOUNCE, f"sent by {sender}"
    if header_text(message, "X-Failed-Recipients"):
        return BOUNCE, "an X-Failed-Recipients header"
    if _BOUNCE_SUBJECT.match(subject):
        return BOUNCE, f"the subject {subject[:60]!r}"
    auto = header_text(message, "Auto-Submitted").strip().lower()
    if auto and auto != "no":
        return AUTO_REPLY, f"Auto-Submitted: {auto[:40]}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder"):
        if header_text(message, name).strip():
            return AUTO_REPLY, f"an {name} header"
    if header_text(message, "Precedence").strip().lower() == "auto_reply":
        return AUTO_REPLY, "Precedence: auto_reply"
    if _AUTO_SUBJECT.match(subject):
        return AUTO_REPLY, f"the subject {subject[:60]!r}"
    return REPLY, ""


def _walk(message: Message, limit: int):
    for count, part in enumerate(message.walk()):
        if count >= limit:
            return
        yield part


def _strip_type(value: str) -> str:
    """`rfc822; foi@kent.police.uk` -> `foi@kent.police.uk`."""
    value = value.split(";", 1)[1] if ";" in value else value
    return value.strip().strip("<>").strip().lower()


def _status_blocks(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):
        return [p for p in payload if isinstance(p, Message)]
    text = payload if isinstance(payload, str) else ""
    return [HeaderParser().parsestr(block) for block in re.split(r"\n\s*\n", text) if block]


def _returned_headers(part: Message) -> Message | None:
    ctype = part.get_content_type()
    if ctype == "message/rfc822":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        return inner if isinstance(inner, Message) else None
    raw = part_bytes(part)
    if not raw:
        payload = part.get_payload()
        raw = payload.encode("utf-8", "replace") if isinstance(payload, str) else b""
    return BytesHeaderParser().parsebytes(raw)


def bounce_details(message: Message, body_text: str, subject: str) -> Bounce:
    """The recipients a delivery failure names, whether it is final, and the returned Message-ID."""
    recipients: list[str] = []
    actions: list[str] = []
    diagnostic = ""
    ids: list[str] = []
    returned_to: list[str] = []
    for part in _walk(message, 200):
        ctype = part.get_content_type()
        if ctype == "message/delivery-status":
            for block in _status_blocks(part):
                final = header_text(block, "Final-Recipient") or header_text(
                    block, "Original-Recipient"
                )
                if final and _strip_type(final) not in recipients:
                    recipients.append(_strip_type(final))
                action = header_text(block, "Action").strip().lower()
                status = header_text(block, "Status").strip()
                if action or status:
                    actions.append(action or ("failed" if status.startswith("5") else "delayed"))
                diagnostic = diagnostic or " ".join(header_text(block, "Diagnostic-Code").split())
        elif ctype in ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers"):
            returned = _returned_headers(part)
            if returned is not None:
                mid = header_text(returned, "Message-ID").strip()
                if mid:
                    ids.append(mid)
                returned_to += [a for _, a in getaddresses([header_text(returned, "To")]) if a]
    for value in header_text(message, "X-Failed-Recipients").split(","):
        if value.strip() and value.strip().lower() not in recipients:
            recipients.append(value.strip().lower())
    if not recipients:
        recipients = [m.lower() for m in _QMAIL_RECIPIENT.findall(body_text)]
    if not recipients:
        recipients = [a.lower() for a in returned_to]
    if not ids:
        ids = _MESSAGE_ID_LINE.findall(body_text)
    if actions:
        permanent = any(a == "failed" for a in actions)
    else:
        permanent = not _DELAY_SUBJECT.search(subject)
    unique = tuple(dict.fromkeys(r for r in recipients if _ADDRESS.fullmatch(r)))
    return Bounce(unique, permanent, diagnostic[:500], tuple(dict.fromkeys(ids)))
