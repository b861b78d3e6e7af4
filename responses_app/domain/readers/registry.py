"""Choose a reader by the type detected from a file's content, and read it.

A new format is a new module with `KINDS` and `read(data, filename, limits)`,
listed in READER_MODULES (or added at run time with `register`).
"""

from __future__ import annotations

from collections.abc import Callable

from ..findings import INFO, WARNING, Finding
from . import (
    csv_reader,
    docx_reader,
    email_reader,
    image_reader,
    msg_reader,
    office_legacy,
    pdf_reader,
    spreadsheet,
    zip_reader,
)
from .base import (
    Attachment,
    Document,
    MemberLocator,
    ReadError,
    ReadLimits,
    TextLine,
    describe_exception,
    human_size,
    read_error,
)
from .detect import detect_type

ReaderFunction = Callable[[bytes, str, ReadLimits], Document]
READER_MODULES = (
    csv_reader,
    spreadsheet,
    docx_reader,
    pdf_reader,
    email_reader,
    msg_reader,
    zip_reader,
    image_reader,
)

_READERS: dict[str, ReaderFunction] = {
    kind: module.read for module in READER_MODULES for kind in module.KINDS
} | office_legacy.READERS

_GRID = "enter the figures in the grid"
_NOT_AUTO = "which cannot be read automatically"
UNREADABLE = {
    "empty": "the file is empty",
    "xls-damaged": "it is a damaged Excel 97-2003 workbook",
    "ppt": f"it is a legacy PowerPoint file, which cannot be read automatically; {_GRID}",
    "pptx": f"it is a PowerPoint presentation, which cannot be read automatically; {_GRID}",
    "odf-other": f"it is an OpenDocument presentation or drawing, {_NOT_AUTO}; {_GRID}",
    "encrypted-office": "the file is password-protected",
    "ole": f"it is an old Microsoft Office file of a kind {_NOT_AUTO}; {_GRID}",
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
    "doc": "Word 97-2003 document",
    "rtf": "RTF document",
    "odt": "OpenDocument text",
    "msg": "Outlook message",
    "zip": "zip archive",
    "image": "image",
}
#: The kinds a file name's extension promises (a name not listed promises nothing).
EXTENSION_KINDS = {
    "pdf": {"pdf"},
    "xlsx": {"xlsx"},
    "xlsm": {"xlsx"},
    "xls": {"xls", "xlsx", "csv", "html"},
    "ods": {"ods"},
    "docx": {"docx"},
    "doc": {"doc", "rtf", "html", "docx"},
    "rtf": {"rtf"},
    "odt": {"odt"},
    "csv": {"csv"},
    "eml": {"eml"},
    "msg": {"msg"},
    "zip": {"zip", "xlsx", "docx", "ods", "odt"},
    "png": {"image"},
    "jpg": {"image"},
    "jpeg": {"image"},
    "tif": {"image"},
    "tiff": {"image"},
}


def register(kind: str, reader: ReaderFunction) -> None:
    """Add or replace the reader for a detected kind."""
    _READERS[kind] = reader


#: Containers whose files are read into the one Document (an Outlook message, a zip).
CONTAINERS = ("zip", "msg")
MAX_DEPTH = 2


def read(
    data: bytes, filename: str, limits: ReadLimits | None = None, *, depth: int = 0
) -> Document:
    """Read a reply file into a Document, or raise ReadError with one clear sentence.

    The files inside a container (`.zip`, `.msg`) are read in turn and their
    tables and lines join the container's Document, each located by its name;
    a file inside that cannot be read is a finding, not a failure of the rest.
    """
    limits = limits or ReadLimits()
    if len(data) > limits.max_bytes:
        raise read_error(filename, f"it is larger than the {human_size(limits.max_bytes)} limit")
    kind = detect_type(data, filename, limits)
    reader = _READERS.get(kind)
    if reader is None:
        reason = UNREADABLE.get(kind, f"files of type {kind!r} cannot be read automatically")
        raise read_error(filename, _with_name_hint(reason, filename, kind))
    try:
        document = reader(data, filename, limits)
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
    mismatch = _name_mismatch(filename, kind)
    if mismatch:
        document.notices.append(Finding("name_mismatch", INFO, mismatch, filename))
    if kind in CONTAINERS:
        _read_members(document, limits, depth)
    return document


def _read_members(document: Document, limits: ReadLimits, depth: int) -> None:
    members, document.attachments = document.attachments, []
    for member in members:
        if depth >= MAX_DEPTH:
            document.notices.append(
                Finding(
                    "nested_too_deep", WARNING, f"{member.filename} was not read: nested too deeply"
                )
            )
            continue
        try:
            inner = read(member.data, member.filename, limits, depth=depth + 1)
        except ReadError as error:
            document.notices.append(
                Finding("attachment_unreadable", WARNING, error.message, member.filename)
            )
            continue
        name = member.filename
        document.lines.extend(
            TextLine(line.text, f"{name}: {line.locator}") for line in inner.lines
        )
        for table in inner.tables:
            table.locator = MemberLocator(name, table.locator)
            document.tables.append(table)
        document.notices.extend(inner.notices)
        document.ocr = document.ocr or inner.ocr


def _name_mismatch(filename: str, kind: str) -> str:
    """A sentence when the file's content is not what its name says (an HTML page saved as .pdf)."""
    if "." not in filename:
        return ""
    extension = filename.rsplit(".", 1)[1].lower()
    promised = EXTENSION_KINDS.get(extension)
    if promised is None or kind in promised:
        return ""
    label = KIND_LABELS.get(kind, kind)
    return f"the file is named .{extension} but is {_article(label)} {label}: it was read as one"


def _article(label: str) -> str:
    return "an" if label[:1].lower() in "aeiou" or label.startswith("HTML") else "a"


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
