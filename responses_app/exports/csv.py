"""CSV, long format: one row per figure, the columns of ``COLUMNS`` exactly."""

from __future__ import annotations

import io
from typing import IO

from foitracker.spreadsheets import write_rows

from . import COLUMNS
from .data import ExportData


def write_csv(data: ExportData, out: IO[str]) -> int:
    """Write the figures to ``out``; returns how many rows."""
    return write_rows(out, COLUMNS, data.rows())


def render(data: ExportData) -> bytes:
    buffer = io.StringIO()
    write_csv(data, buffer)
    return buffer.getvalue().encode("utf-8")
