"""Tables typed as aligned text (email bodies, PDF text): columns split by tabs or 2+ spaces."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .base import LineLocator, Table

_SEPARATOR = re.compile(r"^[\s\-=_+|:~.]*[-=_~]{3,}[\s\-=_+|:~.]*$")
_NUMERIC = re.compile(r"^(?:[<>]?\s*\d[\d,.]*|nil|-|\*+|n/?a|\.\.)$", re.IGNORECASE)


@dataclass
class TextTable:
    first: int
    last: int
    rows: list[list[str]]
    line_numbers: list[int]
    title: str


def _fields(line: str) -> list[tuple[str, int, int]]:
    if "\t" in line:
        fields, pos = [], 0
        for part in re.split(r"(\t+)", line):
            if part and not part.startswith("\t") and part.strip():
                fields.append((part.strip(), pos, pos + len(part)))
            pos += len(part)
        return fields
    if line.count("|") >= 2:
        parts = [p.strip() for p in line.strip().strip("|").split("|")]
        return [(p, i, i + 1) for i, p in enumerate(parts)]
    spans = []
    for match in re.finditer(r"\S+(?: \S+)*", line):
        spans.append((match.group(0), match.start(), match.end()))
    return spans


def _align(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    width = max(len(row) for row in rows)
    if all(len(row) in (width, 1) for row in rows):
        return [[text for text, _, _ in row] for row in rows]
    reference = max(rows, key=len)
    out = []
    for row in rows:
        cells = [""] * width
        for text, start, end in row:
            best, best_score = 0, None
            for index, (_, ref_start, ref_end) in enumerate(reference):
                overlap = min(end, ref_end) - max(start, ref_start)
                distance = abs((start + end) / 2 - (ref_start + ref_end) / 2)
                score = (overlap, -distance)
                if best_score is None or score > best_score:
                    best, best_score = index, score
            cells[best] = f"{cells[best]} {text}".strip()
        out.append(cells)
    return out


def find_text_tables(lines: list[str], line_numbers: list[int]) -> list[TextTable]:
    """Runs of two or more lines that split into columns, with numbers beyond the first column."""
    found: list[TextTable] = []
    index = 0
    while index < len(lines):
        fields = _fields(lines[index])
        if len(fields) < 2:
            index += 1
            continue
        rows: list[list[tuple[str, int, int]]] = []  # each line's fields, with their columns
        numbers: list[int] = []
        first = last = index
        while index < len(lines):
            line = lines[index]
            if not line.strip():
                break
            if _SEPARATOR.match(line):
                index += 1
                continue
            fields = _fields(line)
            if len(fields) < 2:
                follows = index + 1 < len(lines) and len(_fields(lines[index + 1])) >= 2
                if not (rows and follows and len(line.strip()) <= 40):
                    break
            rows.append(fields)
            numbers.append(line_numbers[index])
            last = index
            index += 1
        if len(rows) >= 2 and any(
            _NUMERIC.match(text) for row in rows[1:] for text, _, _ in row[1:]
        ):
            found.append(TextTable(first, last, _align(rows), numbers, _title(lines, first)))
    return found


def _title(lines: list[str], first: int) -> str:
    for back in range(first - 1, max(first - 4, -1), -1):
        text = lines[back].strip()
        if text:
            return " ".join(text.split())
    return ""


def as_table(found: TextTable, prefix: str, source: str) -> Table:
    return Table(
        LineLocator(prefix, tuple(found.line_numbers)),
        found.rows,
        source=source,
        title=found.title,
        context=(found.title,) if found.title else (),
    )
