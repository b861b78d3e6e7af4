"""Inbound email as plain data: who sent it, to which addresses, what kind, which parts.

Pure (no Django). ``parse_message(raw)`` turns the bytes of one message into a
``MailRecord`` and never raises on a malformed message: broken headers are
read as text, undecodable bytes are replaced. The record carries

- the addresses that can hold one of our reply tokens: To, Cc, Delivered-To,
  X-Original-To (and Envelope-To), plus the From/To/Cc of a forwarded message
  (attached as message/rfc822, or inline after "Forwarded message" /
  "Original Message" lines);
- the kind (reply, automatic reply, bounce: see ``mail_kinds``);
- the body as text and HTML, and the attachments flattened through forwarded
  messages (a forwarded message is kept as a ``.eml`` part of its own, so its
  letter is read too). Inline images (signature logos referenced from the
  HTML) are listed but not kept as documents.

``reply_tokens`` finds our tokens through the caller's ``token_of`` (the
service passes ``requests_app.services.addresses.token_from_address``, which
knows both address styles), ``mentions`` tells whether a reference appears in
a text, ``candidate_references`` lists reference-like words for guesses, and
``safe_html`` sanitises an HTML body with nh3 before it is shown.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

import nh3

from .mail_kinds import BOUNCE, Bounce, bounce_details, header_text, message_kind
from .readers.html_text import html_to_lines_and_tables
from .readers.mime import MAX_DEPTH, MAX_PARTS, child_parts, inner_message, part_bytes, part_text

MAX_TEXT = 200_000
TOKEN_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")
_FORWARD_MARK = re.compile(
    r"^[\s>]*(?:-{2,}\s*(?:Forwarded message|Original Message)\s*-{2,}|Begin forwarded message:)",
    re.IGNORECASE | re.MULTILINE,
)
_FORWARD_FIELD = re.compile(r"^[\s>]*(From|To|Cc|Subject|Date|Sent):\s*(.*)$", re.IGNORECASE)
_ID = re.compile(r"<([^<>\s]+)>")
_REFERENCE_WORD = re.compile(r"(?<![\w/-])[A-Za-z0-9][A-Za-z0-9/_.-]{1,38}[A-Za-z0-9](?![\w/-])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Part:
    """One attachment: its (untrusted) name, declared type and bytes."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class MailRecord:
    message_id: str
    from_address: str
    from_name: str
    subject: str
    date: datetime | None
    headers: dict[str, tuple[str, ...]]
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    kind: str
    kind_reason: str
    text: str = ""
    html: str = ""
    attachments: list[Part] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    forwarded: list[dict[str, tuple[str, ...]]] = field(default_factory=list)
    bounce: Bounce | None = None

    @property
    def sender_domain(self) -> str:
        return self.from_address.rpartition("@")[2].lower()

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """Message-IDs this message answers: In-Reply-To first, then References, newest first."""
        return tuple(dict.fromkeys([*self.in_reply_to, *reversed(self.references)]))

    def addresses(self) -> list[tuple[str, str]]:
        """(where, address) for every address that may carry a reply token, in matching order."""
        out = [(name, a) for name in TOKEN_HEADERS for a in self.headers.get(name, ())]
        for number, block in enumerate(self.forwarded, start=1):
            for name in ("To", "Cc", "From"):
                out += [(f"forwarded message {number} {name}", a) for a in block.get(name, ())]
        return out

    def search_text(self) -> str:
        """The subject and the body (plain text, or the text of the HTML), for references."""
        return f"{self.subject}\n{self.text}"[:MAX_TEXT]


def clean(value: object, limit: int = 1000) -> str:
    """Text safe for any database: decoded, no NUL or control characters, bounded."""
    text = str(value or "")
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _CONTROL.sub("", text)[:limit]


def decoded(value: str) -> str:
    try:
        return str(make_header(decode_header(value)))
    except Exception:  # noqa: BLE001 - a broken encoded word is kept as it came
        return value


def normalise_id(value: str) -> str:
    """`<abc@host>` -> `abc@host`: Message-IDs compared without brackets or spaces."""
    value = clean(value, 2000).strip()
    found = _ID.search(value)
    return (found.group(1) if found else "".join(value.split()))[:490]


def id_list(value: str) -> tuple[str, ...]:
    ids = _ID.findall(clean(value, 20000))
    return tuple(dict.fromkeys(i[:490] for i in ids))


def _addresses(message: Message, name: str) -> tuple[str, ...]:
    values = []
    try:
        values = [str(v) for v in message.get_all(name) or []]
    except Exception:  # noqa: BLE001
        values = [header_text(message, name)]
    found = [clean(a, 320).strip().lower() for _, a in getaddresses(values)]
    return tuple(dict.fromkeys(a for a in found if "@" in a))


def _date(message: Message) -> datetime | None:
    try:
        value = parsedate_to_datetime(header_text(message, "Date"))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if value is None or not 1990 <= value.year <= 2200:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class _Walker:
    """Bodies and attachments, depth-first, bounded in parts and nesting.

    A forwarded message (message/rfc822) becomes a ``.eml`` part of its own;
    its attachments are collected too, and its text is kept for matching.
    """

    def __init__(self, record: MailRecord, parts: int = 0) -> None:
        self.record = record
        self.bodies: dict[str, str] = {}
        self.parts = parts
        self.forwarded_text: list[str] = []

    def walk(self, part: Message, depth: int) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS or depth > MAX_DEPTH:
            note = "further parts (the message has too many parts or is nested too deeply)"
            if note not in self.record.skipped:
                self.record.skipped.append(note)
            return
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            self.forwarded(part, depth)
            return
        if ctype in ("message/delivery-status", "text/rfc822-headers", "message/rfc822-headers"):
            return
        if part.is_multipart():
            for child in child_parts(part):
                self.walk(child, depth + 1)
            return
        try:
            self.leaf(part, ctype)
        except Exception as exc:  # noqa: BLE001 - one damaged part does not lose the others
            self.record.skipped.append(f"a damaged {ctype} part ({type(exc).__name__})")

    def leaf(self, part: Message, ctype: str) -> None:
        name = decoded(part.get_filename() or "")
        disposition = part.get_content_disposition()
        if ctype in ("text/plain", "text/html") and not name and disposition != "attachment":
            key = "plain" if ctype == "text/plain" else "html"
            if key not in self.bodies:
                self.bodies[key] = part_text(part)
                return
        inline = disposition != "attachment" and header_text(part, "Content-ID")
        if ctype.startswith("image/") and inline:
            self.record.skipped.append(f"{name or ctype} (an inline image in the message body)")
            return
        data = part_bytes(part)
        number = len(self.record.attachments) + 1
        self.record.attachments.append(
            Part(clean(name, 255) or f"attachment-{number}", ctype, data)
        )

    def forwarded(self, part: Message, depth: int) -> None:
        inner = inner_message(part)
        if inner is None:
            return
        self.record.forwarded.append(
            {name: _addresses(inner, name) for name in ("From", "To", "Cc")}
        )
        subject = clean(decoded(header_text(inner, "Subject")), 200).strip()
        name = decoded(part.get_filename() or "") or f"{subject or 'forwarded message'}.eml"
        self.record.attachments.append(Part(clean(name, 255), "message/rfc822", inner.as_bytes()))
        nested = _Walker(self.record, self.parts)
        nested.walk(inner, depth + 1)
        self.parts = nested.parts
        html = nested.bodies.get("html", "")
        self.forwarded_text += [nested.bodies.get("plain") or (html_text(html) if html else "")]
        self.forwarded_text += nested.forwarded_text


def _inline_forwards(text: str) -> list[dict[str, tuple[str, ...]]]:
    blocks = []
    for mark in _FORWARD_MARK.finditer(text):
        fields: dict[str, tuple[str, ...]] = {}
        for line in text[mark.end() : mark.end() + 3000].splitlines()[1:15]:
            found = _FORWARD_FIELD.match(line)
            if not found:
                if fields and not line.strip():
                    break
                continue
            name = found.group(1).capitalize()
            if name in ("From", "To", "Cc"):
                addresses = [a.lower() for _, a in getaddresses([found.group(2)]) if "@" in a]
                fields[name] = tuple(addresses)
        if fields:
            blocks.append(fields)
    return blocks


def html_text(html: str) -> str:
    lines, tables = html_to_lines_and_tables(html[:MAX_TEXT], 2000, 50)
    rows = [" ".join(str(v) for v in row if v) for table in tables for row in table.rows]
    return "\n".join([*lines, *rows])


def parse_message(raw: bytes) -> MailRecord:
    """One email as a MailRecord; never raises on a malformed message."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    senders = getaddresses([header_text(message, "From")])
    from_name, from_address = senders[0] if senders else ("", "")
    subject = clean(" ".join(decoded(header_text(message, "Subject")).split()), 500)
    sender = clean(from_address, 320).strip().lower()
    kind, why = message_kind(message, sender=sender, subject=subject)
    record = MailRecord(
        message_id=normalise_id(header_text(message, "Message-ID")),
        from_address=sender,
        from_name=clean(decoded(from_name), 300).strip(),
        subject=subject,
        date=_date(message),
        headers={name: _addresses(message, name) for name in TOKEN_HEADERS},
        in_reply_to=id_list(header_text(message, "In-Reply-To")),
        references=id_list(header_text(message, "References")),
        kind=kind,
        kind_reason=why,
    )
    walker = _Walker(record)
    try:
        walker.walk(message, 0)
    except Exception as exc:  # noqa: BLE001 - a damaged structure keeps what was read
        record.skipped.append(f"the rest of the message (its structure is damaged: {exc!r:.80})")
    plain, html = walker.bodies.get("plain", ""), walker.bodies.get("html", "")
    record.html = clean(html, 2_000_000)
    body = plain if plain.strip() else (html_text(html) if html else "")
    record.text = clean("\n".join([body, *walker.forwarded_text]), MAX_TEXT)
    record.forwarded += _inline_forwards(record.text)
    if kind == BOUNCE:
        record.bounce = bounce_details(message, record.text, subject)
    return record


def reply_tokens(
    record: MailRecord, token_of: Callable[[str], str | None]
) -> list[tuple[str, str]]:
    """(where, token) for every reply token found, in matching order (To, Cc, Delivered-To...)."""
    found = []
    for where, address in record.addresses():
        token = token_of(address)
        if token:
            found.append((where, token))
    return found


def reference_pattern(reference: str) -> re.Pattern[str] | None:
    """A reference found whatever the spacing or case: `FOI 1547/21` matches `foi1547/21`."""
    chars = [re.escape(ch) for ch in reference if not ch.isspace()]
    if len(chars) < 4:
        return None
    return re.compile(r"(?<![A-Za-z0-9])" + r"\s*".join(chars) + r"(?![A-Za-z0-9])", re.I)


def mentions(text: str, reference: str) -> bool:
    pattern = reference_pattern(reference)
    return bool(pattern and pattern.search(text))


def candidate_references(text: str, limit: int = 200) -> list[str]:
    """Words that look like references (they hold a digit or a slash), and adjacent pairs."""
    words = _REFERENCE_WORD.findall(text[:50_000])
    out: list[str] = []
    for index, word in enumerate(words):
        if any(ch.isdigit() for ch in word) or "/" in word:
            out.append(word)
            if index:
                out.append(f"{words[index - 1]} {word}")
        if len(out) >= limit:
            break
    return list(dict.fromkeys(out))


SAFE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "div",
    "dl", "dt", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p",
    "pre", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}  # fmt: skip
SAFE_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}


def safe_html(html: str) -> str:
    """An email's HTML with scripts, styles, event handlers, forms and all images removed.

    No ``img`` at all (remote images track the reader; inline ones are kept as
    attachments), no ``style`` attribute (CSS can load remote content), links
    only to http(s) and mailto, opened with rel="noopener noreferrer nofollow".
    """
    return nh3.clean(
        html[:2_000_000],
        tags=SAFE_TAGS,
        clean_content_tags={"script", "style", "title", "head", "template", "noscript"},
        attributes=SAFE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
