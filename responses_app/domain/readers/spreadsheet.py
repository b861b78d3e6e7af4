"""XLSX, XLS and ODS workbooks through python-calamine: cached values, visible sheets only.

Calamine reads the values Excel cached (never the formulas), reports which
sheets are hidden or very hidden, gives the exact origin of each used range
and the merged cell ranges, so locators such as `Sheet1!C7` are exact. Rows
are streamed to the extractor from calamine's own copy of the sheet.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import python_calamine as calamine

from ..findings import INFO, Finding
from .base import Document, ReadLimits, SheetLocator, Table, read_error
from .detect import check_zip, refuse_doctype

KINDS = ("xlsx", "xls", "ods")
_LABELS = {
    "xlsx": "Excel workbook",
    "xls": "Excel 97-2003 workbook",
    "ods": "OpenDocument spreadsheet",
}


def _open(data: bytes, filename: str, kind: str) -> calamine.CalamineWorkbook:
    try:
        return calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError as exc:
        raise read_error(filename, "the workbook is password-protected") from exc
    except Exception as exc:  # noqa: BLE001 - calamine raises several error types
        raise read_error(
            filename, f"the file is damaged or is not a valid {_LABELS[kind]}"
        ) from exc


def _visibility(meta: object) -> str:
    text = str(getattr(meta, "visible", "Visible"))
    if "VeryHidden" in text:
        return "very hidden"
    if "Hidden" in text:
        return "hidden"
    return "visible"


def read(data: bytes, filename: str, limits: ReadLimits) -> Document:
    kind = "xlsx"
    if data[:4] != b"PK\x03\x04":
        kind = "xls"
    else:
        archive = check_zip(data, filename, limits)
        refuse_doctype(archive, filename)
        if "mimetype" in archive.namelist():
            kind = "ods"
    workbook = _open(data, filename, kind)
    document = Document(filename, kind)
    metadata = list(workbook.sheets_metadata)
    if len(metadata) > limits.max_sheets:
        raise read_error(filename, f"it has more than {limits.max_sheets} sheets")
    for meta in metadata:
        visibility = _visibility(meta)
        if visibility != "visible":
            document.notices.append(
                Finding(
                    "hidden_sheet_skipped",
                    INFO,
                    f"skipped {visibility} sheet {meta.name!r}: only visible sheets are read",
                    locator=meta.name,
                )
            )
            continue
        if "WorkSheet" not in str(getattr(meta, "typ", "WorkSheet")):
            continue
        table = _sheet_table(workbook, meta.name, filename, limits)
        if table is not None:
            document.tables.append(table)
    return document


def _sheet_table(
    workbook: calamine.CalamineWorkbook, name: str, filename: str, limits: ReadLimits
) -> Table | None:
    try:
        sheet = workbook.get_sheet_by_name(name)
    except Exception as exc:  # noqa: BLE001
        raise read_error(filename, f"sheet {name!r} is damaged") from exc
    if not sheet.height or not sheet.width or sheet.start is None:
        return None
    if sheet.height > limits.max_rows:
        raise read_error(filename, f"sheet {name!r} has more than {limits.max_rows:,} rows")
    first_row, first_col = sheet.start
    width = min(sheet.width, limits.max_columns)
    merged = []
    for (r0, c0), (r1, c1) in getattr(sheet, "merged_cell_ranges", None) or ():
        if r1 >= first_row and c1 >= first_col:
            merged.append(
                (max(r0 - first_row, 0), max(c0 - first_col, 0), r1 - first_row, c1 - first_col)
            )

    def rows() -> Iterator[list]:
        # python-calamine 0.9 pads the rows above the used range (not the columns to its
        # left); rows before `first_row` are blank by definition, so skip up to that many.
        padding = first_row
        for row in sheet.iter_rows():
            if padding and not any(value not in ("", None) for value in row):
                padding -= 1
                continue
            padding = 0
            yield row[:width] if len(row) > width else row

    return Table(
        SheetLocator(name, first_row, first_col),
        rows,
        source=filename,
        title=name,
        merged=tuple(merged),
    )
