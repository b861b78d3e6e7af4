"""Emails (.eml): the letter body as lines and tables; attachments handed back as bytes.

For a multipart/alternative message the HTML part is read when it holds
tables (they are exact), otherwise the plain text part, whose aligned text
tables are found by position. Attachments are not read here: the caller reads
each in turn with `read()`, as its own document.
"""

from __future__ import annotations

import email
import email.policy
from email.message import Message

from ..findings import INFO, Finding
from .base import Attachment, Document, GridLocator, ReadLimits, Table, TextLine, read_error
from .body import kept_attachments, plain_body
from .html_text import html_to_lines_and_tables
from .mime import MAX_DEPTH, child_parts, inner_message, part_bytes, part_text

KINDS = ("eml", "html")


def _collect(
    part: Message, bodies: dict[str, str], attachments: list[Attachment], depth: int
) -> None:
    if depth > MAX_DEPTH:
        return
    ctype = part.get_content_type()
    if part.is_multipart():
        for child in child_parts(part):
            _collect(child, bodies, attachments, depth + 1)
        return
    disposition = part.get_content_disposition()
    name = part.get_filename()
    if ctype in ("text/plain", "text/html") and disposition != "attachment" and not name:
        key = "plain" if ctype == "text/plain" else "html"
        if key not in bodies:
            bodies[key] = part_text(part)
            return
    if ctype == "message/rfc822":
        message = inner_message(part)
        data = message.as_bytes() if message is not None else b""
        attachments.append(
            Attachment(name or f"attachment-{len(attachments) + 1}.eml", ctype, data)
        )
        return
    data = part_bytes(part)
    attachments.append(Attachment(name or f"attachment-{len(attachments) + 1}", ctype, data))


def _html_document(document: Document, html: str, limits: ReadLimits) -> None:
    lines, tables = html_to_lines_and_tables(html, limits.max_rows, limits.max_columns)
    for number, line in enumerate(lines, start=1):
        document.lines.append(TextLine(line, f"body line {number}"))
    for number, table in enumerate(tables, start=1):
        document.tables.append(
            Table(
                GridLocator(f"body table {number}"),
                table.rows,
                source=document.source,
                title=table.title,
                context=(table.title,) if table.title else (),
                merged=tuple(table.merged),
            )
        )


def read(data: bytes, filename: str, limits: ReadLimits) -> Document:
    if data.lstrip()[:1] == b"<":
        document = Document(filename, "html")
        _html_document(document, data.decode("utf-8", errors="replace"), limits)
        return document
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
    except Exception as exc:  # noqa: BLE001
        raise read_error(filename, "the email is damaged and cannot be parsed") from exc
    document = Document(filename, "eml")
    subject = str(message.get("subject", "") or "").strip()
    if subject:
        document.lines.append(TextLine(f"Subject: {' '.join(subject.split())}", "subject"))
    bodies: dict[str, str] = {}
    attachments: list[Attachment] = []
    try:
        _collect(message, bodies, attachments, 0)
    except Exception as exc:  # noqa: BLE001
        raise read_error(filename, "the email's parts are damaged") from exc
    html = bodies.get("html")
    if html is not None and ("<table" in html.lower() or "plain" not in bodies):
        _html_document(document, html, limits)
    elif "plain" in bodies:
        plain_body(document, bodies["plain"])
    attachments = kept_attachments(document, attachments, limits)
    document.attachments = attachments
    for attachment in attachments:
        document.notices.append(
            Finding(
                "attachment",
                INFO,
                f"attachment {attachment.filename!r} ({attachment.content_type}) "
                "is read as a document of its own",
                locator=attachment.filename,
            )
        )
    return document
