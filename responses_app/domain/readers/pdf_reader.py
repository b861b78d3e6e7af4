"""PDF letters: ruled tables through pdfplumber, the rest of each page as text lines.

Text outside the ruled tables is read in layout mode, so a table typed with
spaces (one a table finder does not see) is still found by its alignment.
A PDF with no text layer (a scan) cannot be read automatically: that is a
ReadError, never an empty result.
"""

from __future__ import annotations

import io
import logging

import pdfplumber

from .base import Document, GridLocator, ReadLimits, Table, TextLine, read_error
from .text_tables import as_table, find_text_tables

KINDS = ("pdf",)

for _name in ("pdfminer", "pdfplumber"):
    logging.getLogger(_name).setLevel(logging.ERROR)


def _open(data: bytes, filename: str):
    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types
        if "password" in type(exc).__name__.lower() or "encrypt" in str(exc).lower():
            raise read_error(filename, "the PDF is password-protected") from exc
        raise read_error(filename, "the file is damaged or is not a valid PDF") from exc


def _clean(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def read(data: bytes, filename: str, limits: ReadLimits) -> Document:
    document = Document(filename, "pdf")
    characters = images = 0
    with _open(data, filename) as pdf:
        try:
            pages = pdf.pages
        except Exception as exc:  # noqa: BLE001
            raise read_error(filename, "the file is damaged or is not a valid PDF") from exc
        if len(pages) > limits.max_pages:
            raise read_error(filename, f"it has more than {limits.max_pages} pages")
        for number, page in enumerate(pages, start=1):
            characters += len(page.chars)
            images += len(page.images)
            _read_page(document, page, number, filename, limits)
            page.flush_cache()
    if characters == 0:
        if images:
            raise read_error(
                filename,
                "it is a scanned image with no text layer, so it cannot be read automatically; "
                "enter the figures in the grid",
            )
        raise read_error(filename, "it contains no text to read; enter the figures in the grid")
    return document


def _read_page(document: Document, page, number: int, filename: str, limits: ReadLimits) -> None:
    found = page.find_tables()
    remaining = page
    for index, table in enumerate(found, start=1):
        rows = [[_clean(cell) for cell in row[: limits.max_columns]] for row in table.extract()]
        title = _text_above(page, table.bbox)
        document.tables.append(
            Table(
                GridLocator(f"page {number}, table {index}"),
                rows,
                source=filename,
                title=title,
                context=(title,) if title else (),
            )
        )
        remaining = remaining.outside_bbox(table.bbox)
    text = remaining.extract_text(layout=True) or ""
    raw = [line.rstrip() for line in text.splitlines() if line.strip()]
    numbers = list(range(1, len(raw) + 1))
    text_tables = find_text_tables(raw, numbers)
    used = {i for t in text_tables for i in range(t.first, t.last + 1)}
    for index, line in enumerate(raw):
        if index not in used:
            document.lines.append(
                TextLine(" ".join(line.split()), f"page {number}, line {index + 1}")
            )
    offset = len(found)
    for index, text_table in enumerate(text_tables, start=1):
        table = as_table(text_table, f"page {number},", filename)
        table.title = table.title or f"page {number}, table {offset + index}"
        document.tables.append(table)


def _text_above(page, bbox: tuple[float, float, float, float]) -> str:
    x0, top, x1, _ = bbox
    if top <= 1:
        return ""
    try:
        above = page.crop((0, max(0, top - 60), page.width, top)).extract_text() or ""
    except ValueError:
        return ""
    lines = [line.strip() for line in above.splitlines() if line.strip()]
    return " ".join(lines[-1].split()) if lines else ""
