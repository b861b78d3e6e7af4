"""Blocks: the runs of non-blank rows of a table, where figure tables are looked for.

A sheet holds title rows, blank rows, one or more tables and footnotes. The
block scan streams the rows once, keeping only the first rows of each block;
a long block (a record-level listing) is streamed again when it is processed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice

from ..readers.base import RawValue, Table

HEAD_ROWS = 60
MAX_BLOCKS = 5_000


def text_of(value: RawValue) -> str:
    """A cell as display text: whitespace collapsed, 12.0 shown as 12, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return " ".join(str(value).split())


def is_blank(value: RawValue) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return False


def row_is_blank(row: Sequence[RawValue]) -> bool:
    for value in row:
        if value is None or value == "":
            continue
        if isinstance(value, str) and not value.strip():
            continue
        return False
    return True


def non_blank(row: Sequence[RawValue]) -> list[int]:
    return [index for index, value in enumerate(row) if not is_blank(value)]


@dataclass
class Block:
    """Rows `start`..`start + length - 1` of a table, with no blank row between them."""

    table: Table
    start: int
    head: list[list[RawValue]] = field(default_factory=list)
    length: int = 0

    @property
    def complete(self) -> bool:
        return self.length == len(self.head)

    @property
    def width(self) -> int:
        return max((len(row) for row in self.head), default=0)

    def rows(self, skip: int = 0) -> Iterator[tuple[int, Sequence[RawValue]]]:
        """(table row index, row) for every row of the block from `skip` on."""
        if self.complete:
            for offset in range(skip, self.length):
                yield self.start + offset, self.head[offset]
            return
        stream = islice(self.table.iter_rows(), self.start + skip, self.start + self.length)
        for offset, row in enumerate(stream, start=self.start + skip):
            yield offset, row

    def locate(self, offset: int, col: int) -> str:
        return self.table.locator.cell(self.start + offset, col)


def split_blocks(table: Table) -> tuple[list[Block], bool]:
    """The blocks of a table, and whether the block cap was reached."""
    blocks: list[Block] = []
    current: Block | None = None
    for index, row in enumerate(table.iter_rows()):
        if row_is_blank(row):
            current = None
            continue
        if current is None:
            if len(blocks) >= MAX_BLOCKS:
                return blocks, True
            current = Block(table, index)
            blocks.append(current)
        if len(current.head) < HEAD_ROWS:
            current.head.append(list(row))
        current.length += 1
    _fill_merged_text(table, blocks)
    return blocks, False


def _fill_merged_text(table: Table, blocks: list[Block]) -> None:
    """Copy the text of a merged header cell across its span (numbers are never copied)."""
    if not table.merged:
        return
    by_row = {
        block.start + offset: (block, offset)
        for block in blocks
        for offset in range(len(block.head))
    }
    for r0, c0, r1, c1 in table.merged:
        origin = by_row.get(r0)
        if origin is None:
            continue
        block, offset = origin
        row = block.head[offset]
        value = row[c0] if c0 < len(row) else None
        if not isinstance(value, str) or not value.strip() or _looks_numeric(value):
            continue
        for r in range(r0, r1 + 1):
            target = by_row.get(r)
            if target is None or target[0] is not block:
                continue
            cells = block.head[target[1]]
            for c in range(c0, c1 + 1):
                while len(cells) <= c:
                    cells.append("")
                if is_blank(cells[c]):
                    cells[c] = value


def _looks_numeric(text: str) -> bool:
    stripped = text.replace(",", "").strip()
    return stripped.isdigit()
