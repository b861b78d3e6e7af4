"""JSON: the summary (headlines, national totals, shares, coverage) and every figure."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from . import neutralise_all
from .data import ExportData


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def document(data: ExportData) -> dict[str, Any]:
    return neutralise_all(
        {
            "scope": data.scope,
            "title": data.title,
            "release": data.release,
            "generated_at": data.generated_at.isoformat(),
            "methodology": data.methodology_text,
            "summary": data.summary.as_dict(),
            "figures": list(data.rows()),
        }
    )


def render(data: ExportData) -> bytes:
    return json.dumps(document(data), default=_default, indent=1, ensure_ascii=False).encode()
