"""One entry point for every format: render to bytes (downloads) or write to a path (CLI)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import FORMATS, datapackage, xlsx
from . import csv as csv_export
from . import json as json_export
from .data import ExportData


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    filename: str


_TYPES = {
    "csv": ("text/csv; charset=utf-8", "csv", csv_export.render),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        xlsx.render,
    ),
    "json": ("application/json", "json", json_export.render),
    "datapackage": ("application/zip", "datapackage.zip", datapackage.render),
}
assert set(_TYPES) == set(FORMATS)
#: Each format's Content-Type, for the API's schema and its listing of exports.
CONTENT_TYPES = {fmt: content_type for fmt, (content_type, _, _) in _TYPES.items()}


class UnknownFormat(ValueError):
    pass


def _check(fmt: str) -> None:
    if fmt not in _TYPES:
        raise UnknownFormat(f"Unknown format {fmt!r}: choose one of {', '.join(FORMATS)}.")


def render(fmt: str, data: ExportData) -> Rendered:
    _check(fmt)
    content_type, suffix, fn = _TYPES[fmt]
    return Rendered(fn(data), content_type, f"{data.basename}.{suffix}")


def write(fmt: str, data: ExportData, path: str | Path) -> Path:
    """Write to ``path``; a data package goes to a folder unless the path ends in .zip."""
    _check(fmt)
    path = Path(path)
    if fmt == "datapackage":
        return datapackage.write_datapackage(data, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_TYPES[fmt][2](data))
    return path
