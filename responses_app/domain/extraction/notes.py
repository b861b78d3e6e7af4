"""Notes that change how numbers are read: `* = fewer than 5`, `- = not available`."""

from __future__ import annotations

import re

from ..values import suppression_bounds_from_note
from .context import Context
from .grid import Block, non_blank, text_of

MIN_NOTE_LENGTH = 12
_DASH_NOT_AVAILABLE = re.compile(
    r"(?:^|\s)['\"]?[-\u2013\u2014]['\"]?\s*(?:=|:|means|denotes|indicates|represents|shows)\s*"
    r"(?:that\s+)?(?:the\s+)?(?:data\s+|figures?\s+|information\s+)?(?:is\s+|are\s+)?"
    r"(?:not available|n/?a|no data|unavailable|not applicable|not held)",
    re.IGNORECASE,
)


def collect_notes(blocks: list[Block], ctx: Context, lines: list[tuple[str, str]]) -> None:
    """Gather free-text rows of every block (titles, notes, footnotes) and the letter's lines."""
    ctx.notes.extend(lines)
    for block in blocks:
        for offset, row in enumerate(block.head):
            filled = non_blank(row)
            if len(filled) != 1:
                continue
            text = text_of(row[filled[0]])
            if len(text) >= MIN_NOTE_LENGTH and not text.replace(",", "").isdigit():
                ctx.notes.append((text, block.locate(offset, filled[0])))


def apply_notes(ctx: Context) -> None:
    """Set how `*` and `-` are read from what the notes say."""
    for text, _ in ctx.notes:
        bounds = suppression_bounds_from_note(text)
        if bounds is not None and not ctx.star_bounds_noted:
            ctx.star_bounds = bounds
            ctx.star_bounds_noted = True
        if _DASH_NOT_AVAILABLE.search(text):
            ctx.dash_means_zero = False
