"""CSV, long format: one row per figure, the columns of ``COLUMNS`` exactly."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import IO, Any

from . import COLUMNS, neutralise
from .data import ExportData


def cell(value: Any) -> Any:
    """How a value is written in CSV: booleans as true/false, None empty, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value)


def write_rows(out: IO[str], columns: Iterable[str], rows: Iterable[dict]) -> int:
    columns = list(columns)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([cell(row.get(name)) for name in columns])
        count += 1
    return count


def write_csv(data: ExportData, out: IO[str]) -> int:
    """Write the figures to ``out``; returns how many rows."""
    return write_rows(out, COLUMNS, data.rows())


def render(data: ExportData) -> bytes:
    buffer = io.StringIO()
    write_csv(data, buffer)
    return buffer.getvalue().encode("utf-8")
