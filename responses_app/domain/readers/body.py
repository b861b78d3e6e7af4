"""What an email and an Outlook message share: a plain-text body read as lines and text
tables, and the cap on how many attachments are kept."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from ..findings import INFO, Finding
from .base import Document, ReadLimits, TextLine
from .text_tables import as_table, find_text_tables

T = TypeVar("T")


def plain_body(document: Document, text: str, first_line: int = 1) -> None:
    """The body's lines (blank lines kept as paragraph breaks for the table finder) and the
    tables laid out in it with spaces."""
    raw = text.splitlines()
    numbers = list(range(first_line, first_line + len(raw)))
    found = find_text_tables(raw, numbers)
    used = {i for t in found for i in range(t.first, t.last + 1)}
    for index, line in enumerate(raw):
        if index not in used and line.strip():
            document.lines.append(TextLine(" ".join(line.split()), f"body line {numbers[index]}"))
    document.tables.extend(as_table(t, "body", document.source) for t in found)


def kept_attachments(
    document: Document, attachments: Sequence[T], limits: ReadLimits, where: str = ""
) -> list[T]:
    """The first `max_attachments`, with a finding when more were sent."""
    if len(attachments) > limits.max_attachments:
        document.notices.append(
            Finding(
                "attachments_skipped",
                INFO,
                f"only {limits.max_attachments} of {len(attachments)} attachments are kept",
                where,
            )
        )
    return list(attachments[: limits.max_attachments])
