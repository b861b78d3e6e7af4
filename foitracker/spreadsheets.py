"""The one writer of cells a spreadsheet may open: formulas neutralised, numbers untouched.

Every CSV and XLSX the application writes (dataset exports, the data package's
CSVs, the campaign board's CSV) passes its text cells through ``neutralise``, so
a value a force or a user wrote as ``=HYPERLINK(...)``, ``@SUM(1)`` or
``+cmd|' /C calc'!A0`` cannot run as a formula when the file is opened. It lives
in the project package because both apps write spreadsheets and the requests
app does not import the replies app.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from datetime import date
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?")


def neutralise(value: Any) -> Any:
    """A text cell that would start a formula, prefixed with an apostrophe; the rest unchanged.

    Numbers are not formulas: only text is touched, and text that is just a
    number (`-5`, `+3`) is left as it is.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        if not _PLAIN_NUMBER.fullmatch(value):
            return "'" + value
    return value


def neutralise_all(data: Any) -> Any:
    """``neutralise`` applied to every string in nested lists and dicts (values, not keys)."""
    if isinstance(data, dict):
        return {k: neutralise_all(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [neutralise_all(v) for v in data]
    return neutralise(data)


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
    """A header of ``columns``, then one line per row (its values by column); returns the count."""
    columns = list(columns)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([cell(row.get(name)) for name in columns])
        count += 1
    return count
