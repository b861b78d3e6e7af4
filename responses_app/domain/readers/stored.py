"""A read Document as plain JSON data and back: the tables kept when a reply is read.

The mapping screen shows these instead of parsing the file again inside a web
request. Cell values are kept as JSON can hold them (a date as ISO text with a
marker, so it comes back a date); a document too large to keep (a record-level
listing) is not kept, and is read again within the limits when mapped.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .base import (
    Document,
    GridLocator,
    LineLocator,
    Locator,
    MemberLocator,
    RawValue,
    SheetLocator,
    Table,
    TextLine,
)

MAX_STORED_CELLS = 50_000
VERSION = 1


def _locator_data(locator: Locator) -> dict[str, Any]:
    if isinstance(locator, SheetLocator):
        return {"sheet": locator.sheet, "row": locator.first_row, "col": locator.first_col}
    if isinstance(locator, LineLocator):
        return {"lines": locator.prefix, "numbers": list(locator.line_numbers)}
    if isinstance(locator, MemberLocator):
        return {"member": locator.member, "inner": _locator_data(locator.inner)}
    if isinstance(locator, GridLocator):
        return {"grid": locator.prefix}
    raise TypeError(f"cannot keep a locator of type {type(locator).__name__}")


def _locator(data: dict[str, Any]) -> Locator:
    if "sheet" in data:
        return SheetLocator(data["sheet"], data["row"], data["col"])
    if "lines" in data:
        return LineLocator(data["lines"], tuple(data["numbers"]))
    if "member" in data:
        return MemberLocator(data["member"], _locator(data["inner"]))
    return GridLocator(data["grid"])


def _value(value: RawValue) -> Any:
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _raw(value: Any) -> RawValue:
    if isinstance(value, dict):
        if "datetime" in value:
            return datetime.fromisoformat(value["datetime"])
        return date.fromisoformat(value["date"])
    return value


def document_to_data(document: Document, max_cells: int = MAX_STORED_CELLS) -> dict | None:
    """The document's tables and lines as JSON data, or None when it holds too many cells."""
    tables, cells = [], 0
    for table in document.tables:
        rows = []
        for row in table.iter_rows():
            cells += len(row)
            if cells > max_cells:
                return None
            rows.append([_value(v) for v in row])
        tables.append(
            {
                "locator": _locator_data(table.locator),
                "rows": rows,
                "source": table.source,
                "title": table.title,
                "context": list(table.context),
                "merged": [list(m) for m in table.merged],
            }
        )
    return {
        "version": VERSION,
        "source": document.source,
        "kind": document.kind,
        "ocr": document.ocr,
        "lines": [[line.text, line.locator] for line in document.lines],
        "tables": tables,
    }


def document_from_data(data: dict) -> Document:
    """The Document kept by `document_to_data` (notices and attachments are not kept)."""
    document = Document(data["source"], data["kind"], ocr=bool(data.get("ocr")))
    document.lines = [TextLine(text, locator) for text, locator in data["lines"]]
    for table in data["tables"]:
        document.tables.append(
            Table(
                _locator(table["locator"]),
                [[_raw(v) for v in row] for row in table["rows"]],
                source=table["source"],
                title=table["title"],
                context=tuple(table["context"]),
                merged=tuple(tuple(m) for m in table["merged"]),
            )
        )
    return document
