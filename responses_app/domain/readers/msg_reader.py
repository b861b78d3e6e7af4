"""Outlook messages (.msg), through extract-msg: the body as lines, attachments handed back.

As with an .eml, attachments are not read here: the caller reads each in turn.
"""

from __future__ import annotations

import io

import extract_msg

from .base import Attachment, Document, ReadLimits, TextLine, read_error
from .text_tables import as_table, find_text_tables

KINDS = ("msg",)


def read(data: bytes, filename: str, limits: ReadLimits) -> Document:
    try:
        message = extract_msg.openMsg(io.BytesIO(data), delayAttachments=False)
    except Exception as exc:  # noqa: BLE001 - the library raises many types
        raise read_error(filename, "the file is damaged or is not a valid Outlook message") from exc
    try:
        document = Document(filename, "msg")
        subject = " ".join(str(getattr(message, "subject", "") or "").split())
        if subject:
            document.lines.append(TextLine(f"Subject: {subject}", "subject"))
        body = str(getattr(message, "body", "") or "")
        raw = [line.rstrip() for line in body.splitlines() if line.strip()]
        numbers = list(range(1, len(raw) + 1))
        tables = find_text_tables(raw, numbers)
        used = {i for t in tables for i in range(t.first, t.last + 1)}
        for index, line in enumerate(raw):
            if index not in used:
                document.lines.append(TextLine(" ".join(line.split()), f"body line {index + 1}"))
        for table in tables:
            document.tables.append(as_table(table, "body", filename))
        for attachment in list(getattr(message, "attachments", []))[: limits.max_attachments]:
            content = getattr(attachment, "data", None)
            if not isinstance(content, bytes | bytearray):
                continue
            name = (
                getattr(attachment, "longFilename", None)
                or getattr(attachment, "shortFilename", None)
                or "attachment"
            )
            mimetype = getattr(attachment, "mimetype", None) or "application/octet-stream"
            document.attachments.append(Attachment(str(name), str(mimetype), bytes(content)))
        return document
    finally:
        message.close()
