"""PDF letters: ruled tables through pdfplumber, the rest of each page as text lines.

Text outside the ruled tables is read in layout mode, so a table typed with
spaces (one a table finder does not see) is still found by its alignment.
A PDF with no text layer (a scan) is read by OCR (ocrmypdf): its Document
is marked `ocr`, so its figures are never approved in bulk.
"""

from __future__ import annotations

import bisect
import io
import logging

import pdfplumber

from ..findings import WARNING, Finding
from .base import Document, GridLocator, ReadLimits, Table, TextLine, read_error
from .external import ocr_pdf
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
    """A PDF's tables and lines; a scan (images, no text) is read by OCR first."""
    document, scanned = read_text_layer(data, filename, limits)
    if not scanned:
        return document
    document, scanned = read_text_layer(ocr_pdf(data, filename, limits), filename, limits)
    if scanned:
        raise read_error(
            filename, "it is a scan in which OCR found no text; enter the figures in the grid"
        )
    return as_ocr(document)


def as_ocr(document: Document) -> Document:
    """Mark a document read by OCR, with the finding that says so."""
    document.ocr = True
    document.notices.append(
        Finding(
            "read_by_ocr",
            WARNING,
            "the file is a scan read by OCR: check every figure against the page "
            "(figures read by OCR are never approved in bulk)",
            document.source,
        )
    )
    return document


def read_text_layer(data: bytes, filename: str, limits: ReadLimits) -> tuple[Document, bool]:
    """(the document, whether it is a scan: images and no text at all)."""
    document = Document(filename, "pdf")
    characters = images = 0
    carry: list[tuple[float, float]] | None = None
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
            carry = _read_page(document, page, number, filename, limits, carry)
            page.flush_cache()
    if characters == 0:
        if images:
            return document, True
        raise read_error(filename, "it contains no text to read; enter the figures in the grid")
    return document, False


def _read_page(
    document: Document,
    page,
    number: int,
    filename: str,
    limits: ReadLimits,
    carry: list[tuple[float, float]] | None,
) -> list[tuple[float, float]] | None:
    """Read one page; returns the columns of a table that runs to the page's foot (else None)."""
    found = page.find_tables()
    remaining = page
    words = page.extract_words() if found or carry else []
    top_of_tables = min((t.bbox[1] for t in found), default=page.height)
    if carry:
        spilled, bottom = _spilled_rows(words, carry, top_of_tables)
        if spilled:
            document.tables.append(
                Table(GridLocator(f"page {number}, rows continued"), spilled, source=filename)
            )
            remaining = remaining.outside_bbox((0, 0, page.width, bottom))
    for index, table in enumerate(found, start=1):
        rows = [
            [_clean(cell) for cell in row[: limits.max_columns]] for row in _extract(table, words)
        ]
        bbox = table.bbox
        first = _open_top_row(table, words)
        if first is not None:
            values, top, replace = first
            rows[0:1] = [values[: limits.max_columns]] if replace else [values, rows[0]]
            bbox = (bbox[0], top, bbox[2], bbox[3])
        title = _text_above(page, bbox)
        document.tables.append(
            Table(
                GridLocator(f"page {number}, table {index}"),
                rows,
                source=filename,
                title=title,
                context=(title,) if title else (),
            )
        )
        remaining = remaining.outside_bbox(bbox)
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
    return _columns_at_foot(found, page.height)


_FOOT = 0.2  # a table ending in the page's bottom fifth may run on to the next page


def _columns_at_foot(found, height: float) -> list[tuple[float, float]] | None:
    if not found:
        return None
    last = max(found, key=lambda t: t.bbox[3])
    if last.bbox[3] < height * (1 - _FOOT) or not last.rows:
        return None
    widest = max(last.rows, key=lambda r: sum(c is not None for c in r.cells)).cells
    if any(cell is None for cell in widest):
        return None
    return [(cell[0], cell[2]) for cell in widest]


def _spilled_rows(
    words: list[dict], columns: list[tuple[float, float]], limit: float
) -> tuple[list[list[str]], float]:
    """Rows of the previous page's table that spilled above this page's first table (a total
    row with no borders of its own): lines of words in that table's columns, a label in the
    first and a number in another. Lines that do not fit before them (a letterhead) are
    skipped; the first that does not fit after them ends them. Returns (rows, their bottom)."""
    lines: list[list[dict]] = []
    for word in sorted((w for w in words if w["bottom"] <= limit), key=lambda w: w["top"]):
        if lines and abs(word["top"] - lines[-1][0]["top"]) <= 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    rows: list[list[str]] = []
    bottom = 0.0
    left, right = columns[0][0], columns[-1][1]
    for line in lines:
        cells = [""] * len(columns)
        fits = all(left - 1 <= w["x0"] and w["x1"] <= right + 1 for w in line)
        for word in sorted(line, key=lambda w: w["x0"]):
            centre = (word["x0"] + word["x1"]) / 2
            column = next((i for i, (a, b) in enumerate(columns) if a <= centre < b), None)
            if column is None:
                fits = False
                break
            cells[column] = f"{cells[column]} {word['text']}".strip()
        numbers = any(c.replace(",", "").isdigit() for c in cells[1:])
        if fits and cells[0] and numbers:
            rows.append(cells)
            bottom = max(w["bottom"] for w in line)
        elif rows:
            break
    return rows, bottom


_LINE_GAP = 6.0


def _extract(table, words: list[dict]) -> list[list[str | None]]:
    """The table's cell texts, as `table.extract()` gives them, from the page's words.

    pdfplumber's own `extract` tests every character against every cell
    (quadratic: most of the time of a long listing); here each word is placed
    in its cell by binary search over the grid of cell edges.
    """
    cells = [cell for row in table.rows for cell in row.cells if cell is not None]
    xs = sorted({round(v, 1) for c in cells for v in (c[0], c[2])})
    ys = sorted({round(v, 1) for c in cells for v in (c[1], c[3])})
    slots: dict[tuple[int, int], int] = {}
    for index, (x0, top, x1, bottom) in enumerate(cells):
        for i in range(bisect.bisect_left(xs, round(x0, 1)), bisect.bisect_left(xs, round(x1, 1))):
            for j in range(
                bisect.bisect_left(ys, round(top, 1)), bisect.bisect_left(ys, round(bottom, 1))
            ):
                slots.setdefault((i, j), index)
    texts: dict[int, list[dict]] = {}
    for word in words:
        x = (word["x0"] + word["x1"]) / 2
        y = (word["top"] + word["bottom"]) / 2
        i, j = bisect.bisect_right(xs, x) - 1, bisect.bisect_right(ys, y) - 1
        found = slots.get((i, j))
        if found is not None:
            texts.setdefault(found, []).append(word)
    position = {id(cell): n for n, cell in enumerate(cells)}
    out: list[list[str | None]] = []
    for row in table.rows:
        values: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                values.append(None)
                continue
            placed = sorted(texts.get(position[id(cell)], ()), key=lambda w: (w["top"], w["x0"]))
            values.append(_joined(placed))
        out.append(values)
    return out


def _joined(words: list[dict]) -> str:
    """Words in reading order: lines top to bottom (a word within 3pt is on the same line)."""
    lines: list[list[dict]] = []
    for word in words:
        if lines and abs(word["top"] - lines[-1][0]["top"]) <= 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    return "\n".join(
        " ".join(w["text"] for w in sorted(line, key=lambda w: w["x0"])) for line in lines
    )


def _open_top_row(table, words: list[dict]) -> tuple[list[str], float, bool] | None:
    """The first row of a table continued from the page before, read from word positions.

    Such a row has no top border, so the table finder sees only the cells whose
    side lines reach it (or none), and its label sits above the table's box.
    The row is rebuilt from the words between its bottom border and the first
    clear gap above it, placed in the table's columns. Returns the values, the
    new top and whether they replace the first row found (else they go before
    it); None when the table starts with a whole row.
    """
    rows = table.rows
    if not rows:
        return None
    columns = max(rows, key=lambda r: sum(c is not None for c in r.cells)).cells
    if any(cell is None for cell in columns) or len(columns) < 2:
        return None
    partial = len(rows) > 1 and any(cell is None for cell in rows[0].cells)
    first_top, first_bottom = rows[0].bbox[1], rows[0].bbox[3]
    bottom = first_bottom if partial else first_top
    x0, x1 = columns[0][0], columns[-1][2]
    inside = [w for w in words if w["x0"] >= x0 - 1 and w["x1"] <= x1 + 1]
    top = first_top
    for word in sorted(inside, key=lambda w: -w["bottom"]):
        if word["bottom"] > bottom + 0.5 or word["top"] >= top:
            continue
        if word["bottom"] < top - _LINE_GAP:
            break
        top = min(top, word["top"])
    chosen = [w for w in inside if w["top"] >= top - 0.5 and w["bottom"] <= bottom + 0.5]
    if _crosses_columns(chosen, columns):
        return None  # a caption printed just above the table, not a row of it
    values = []
    for cx0, _, cx1, _ in columns:
        cell = [w for w in chosen if cx0 <= (w["x0"] + w["x1"]) / 2 < cx1]
        cell.sort(key=lambda w: (round(w["top"]), w["x0"]))
        values.append(" ".join(w["text"] for w in cell))
    filled = sum(1 for v in values if v)
    if not partial and (filled < 2 or not values[0]):
        return None
    return values, top, partial


def _crosses_columns(words: list[dict], columns) -> bool:
    """A word running over a column's border: prose, not a row of cells."""
    borders = [cell[2] for cell in columns[:-1]]
    return any(w["x0"] < x - 1 and w["x1"] > x + 1 for w in words for x in borders)


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
