"""Word .docx letters: paragraphs as text lines and Word tables, in document order.

A merged Word cell appears once, at its top-left position; the span is kept in
`Table.merged` so a two-row header can be filled across it.
"""

from __future__ import annotations

import io

import docx
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph

from .base import Document, GridLocator, ReadLimits, Table, TextLine, read_error
from .detect import check_zip, refuse_doctype

KINDS = ("docx",)


def _table_grid(table: WordTable, limits: ReadLimits) -> tuple[list[list[str]], list]:
    grid: list[list[str]] = []
    merged: list[tuple[int, int, int, int]] = []
    owners: dict[int, tuple[int, int]] = {}
    alive = []  # keep each cell element referenced so its id() stays unique
    for r, row in enumerate(table.rows):
        if r >= limits.max_rows:
            break
        values: list[str] = []
        for c, cell in enumerate(row.cells[: limits.max_columns]):
            alive.append(cell._tc)
            key = id(cell._tc)
            if key in owners:
                values.append("")
                r0, c0 = owners[key]
                merged.append((r0, c0, r, c))
                continue
            owners[key] = (r, c)
            values.append(" ".join(cell.text.split()))
        grid.append(values)
    return grid, _merge_spans(merged)


def _merge_spans(pairs: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, c0, r, c in pairs:
        er, ec = spans.get((r0, c0), (r0, c0))
        spans[(r0, c0)] = (max(er, r), max(ec, c))
    return [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in spans.items()]


def read(data: bytes, filename: str, limits: ReadLimits) -> Document:
    refuse_doctype(check_zip(data, filename, limits), filename)
    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types
        raise read_error(filename, "the file is damaged or is not a valid Word document") from exc
    document = Document(filename, "docx")
    paragraph_number = 0
    recent: list[str] = []
    for block in word.iter_inner_content():
        if isinstance(block, Paragraph):
            paragraph_number += 1
            text = " ".join(block.text.split())
            if text:
                document.lines.append(TextLine(text, f"paragraph {paragraph_number}"))
                recent = (recent + [text])[-3:]
            continue
        if isinstance(block, WordTable):
            number = len(document.tables) + 1
            grid, merged = _table_grid(block, limits)
            document.tables.append(
                Table(
                    GridLocator(f"table {number}"),
                    grid,
                    source=filename,
                    title=recent[-1] if recent else "",
                    context=tuple(recent),
                    merged=tuple(merged),
                )
            )
            recent = []
    return document
