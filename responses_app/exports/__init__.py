"""Exports of the consolidated dataset: CSV, XLSX, JSON and a Frictionless Data Package.

Every writer takes an ``ExportData`` (``responses_app.exports.data``) and
passes each text cell through ``neutralise``, so a category or a source that
a force wrote as ``=HYPERLINK(...)`` cannot run as a formula when the file is
opened in a spreadsheet.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?")
FORMATS = ("csv", "xlsx", "json", "datapackage")
COLUMNS = (
    "campaign", "force_id", "force_name", "ons_code", "period", "period_start", "period_end",
    "dimension", "category", "value", "suppressed", "lower", "upper", "status", "source",
)  # fmt: skip


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
