"""Choose a reader by the type detected from a file's content, and read it.

A new format is a new module with `KINDS` and `read(data, filename, limits)`,
listed in READER_MODULES (or added at run time with `register`).
"""

from __future__ import annotations

from collections.abc import Callable

from . import csv_reader, docx_reader, email_reader, pdf_reader, spreadsheet
from .base import (
    Attachment,
    Document,
    ReadError,
    ReadLimits,
    describe_exception,
    human_size,
    read_error,
)
from .detect import detect_type

ReaderFunction = Callable[[bytes, str, ReadLimits], Document]
READER_MODULES = (csv_reader, spreadsheet, docx_reader, pdf_reader, email_reader)

_READERS: dict[str, ReaderFunction] = {
    kind: module.read for module in READER_MODULES for kind in module.KINDS
}

_GRID = "enter the figures in the grid"
_NOT_AUTO = "which cannot be read automatically"
UNREADABLE = {
    "empty": "the file is empty",
    "doc": "it is a legacy Word .doc file, which cannot be read automatically; "
    f"ask for .docx or PDF, or {_GRID}",
    "xls-damaged": "it is a damaged Excel 97-2003 workbook",
    "ppt": f"it is a legacy PowerPoint file, which cannot be read automatically; {_GRID}",
    "pptx": f"it is a PowerPoint presentation, which cannot be read automatically; {_GRID}",
    "rtf": f"it is an RTF document, which cannot be read automatically; {_GRID}",
    "odf-other": f"it is an OpenDocument text or presentation, {_NOT_AUTO}; {_GRID}",
    "image": f"it is an image (a scan?) with no text layer, {_NOT_AUTO}; {_GRID}",
    "encrypted-office": "the file is password-protected",
    "ole": f"it is an old Microsoft Office file of a kind {_NOT_AUTO}; {_GRID}",
    "zip": "it is a zip archive, not a single reply; unpack it and upload the files inside",
    "binary": "its content is not a spreadsheet, document, PDF, email or text file",
}
KIND_LABELS = {
    "csv": "CSV or text file",
    "xlsx": "Excel workbook",
    "xls": "Excel 97-2003 workbook",
    "ods": "OpenDocument spreadsheet",
    "docx": "Word document",
    "pdf": "PDF",
    "eml": "email",
    "html": "HTML page",
}


def register(kind: str, reader: ReaderFunction) -> None:
    """Add or replace the reader for a detected kind."""
    _READERS[kind] = reader


def read(data: bytes, filename: str, limits: ReadLimits | None = None) -> Document:
    """Read a reply file into a Document, or raise ReadError with one clear sentence."""
    limits = limits or ReadLimits()
    if len(data) > limits.max_bytes:
        raise read_error(filename, f"it is larger than the {human_size(limits.max_bytes)} limit")
    kind = detect_type(data, filename, limits)
    reader = _READERS.get(kind)
    if reader is None:
        reason = UNREADABLE.get(kind, f"files of type {kind!r} cannot be read automatically")
        raise read_error(filename, _with_name_hint(reason, filename, kind))
    try:
        return reader(data, filename, limits)
    except ReadError:
        raise
    except MemoryError as exc:
        raise read_error(filename, "it is too large to read") from exc
    except RecursionError as exc:
        raise read_error(filename, "it is nested too deeply to read") from exc
    except Exception as exc:  # noqa: BLE001 - no library error escapes unwrapped
        label = KIND_LABELS.get(kind, kind)
        raise read_error(
            filename, f"the file is damaged or is not a valid {label} ({describe_exception(exc)})"
        ) from exc


def _with_name_hint(reason: str, filename: str, kind: str) -> str:
    if kind != "binary" or "." not in filename:
        return reason
    extension = filename.rsplit(".", 1)[1].lower()
    return f"{reason} (the name ends in .{extension}, but the content is not a .{extension} file)"


def read_attachments(
    document: Document, limits: ReadLimits | None = None
) -> list[tuple[Attachment, Document | ReadError]]:
    """Read each attachment of an email in turn; a failure is returned, not raised."""
    out: list[tuple[Attachment, Document | ReadError]] = []
    for attachment in document.attachments:
        try:
            out.append((attachment, read(attachment.data, attachment.filename, limits)))
        except ReadError as error:
            out.append((attachment, error))
    return out
