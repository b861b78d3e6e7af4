"""What both email parsers share: the text of a part, a forwarded message, and the limits.

``readers.email_reader`` reads an email as a reply document; ``domain.mail``
reads it as mail to file (addresses, kind, attachments). Both walk the same
MIME tree, with the same bounds on parts and nesting.
"""

from __future__ import annotations

from email.message import Message, MIMEPart

#: The most parts one message may have, and the deepest nesting, before the rest is skipped.
MAX_PARTS = 200
MAX_DEPTH = 5


def part_text(part: Message) -> str:
    """A text part's content as a string, whatever its charset says (bad bytes replaced)."""
    if isinstance(part, MIMEPart):  # parsed with a modern policy: it knows its content
        try:
            content = part.get_content()
            if isinstance(content, str):
                return content
        except (LookupError, UnicodeError, AttributeError, ValueError):
            pass
    payload = part_bytes(part)
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:
        return payload.decode("utf-8", errors="replace")


def part_bytes(part: Message) -> bytes:
    """A leaf part's content, its transfer encoding undone (empty for a multipart)."""
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def child_parts(part: Message) -> list[Message]:
    """The parts a multipart holds (none for a leaf)."""
    payload = part.get_payload()
    return [p for p in payload if isinstance(p, Message)] if isinstance(payload, list) else []


def inner_message(part: Message) -> Message | None:
    """The message a message/rfc822 part carries, or None."""
    inner = part.get_payload()
    inner = inner[0] if isinstance(inner, list) and inner else inner
    return inner if isinstance(inner, Message) else None
