"""Which kind of file a reply is, from its bytes (the file name is never trusted)."""

from __future__ import annotations

import io
import re
import zipfile

from .base import ReadLimits, human_size, read_error

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EMAIL_HEADERS = {
    "from",
    "to",
    "cc",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
    "received",
    "return-path",
    "delivered-to",
    "reply-to",
    "sender",
    "in-reply-to",
    "references",
}
_HEADER_LINE = re.compile(rb"^([A-Za-z][A-Za-z0-9-]*):[ \t]?")
_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
    (b"BM", None),
)


def _utf16_text(head: bytes) -> bool:
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    sample = head[:4096]
    if len(sample) < 4:
        return False
    even_zero = sample[0::2].count(0) / max(len(sample[0::2]), 1)
    odd_zero = sample[1::2].count(0) / max(len(sample[1::2]), 1)
    return (odd_zero > 0.3 and even_zero < 0.05) or (even_zero > 0.3 and odd_zero < 0.05)


def check_zip(data: bytes, filename: str, limits: ReadLimits) -> zipfile.ZipFile:
    """Open a zip container, refusing damaged archives and decompression bombs."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
        raise read_error(
            filename, "the file is damaged (it is a truncated or corrupt zip archive)"
        ) from exc
    if len(infos) > limits.max_zip_entries:
        raise read_error(filename, f"the archive holds more than {limits.max_zip_entries} files")
    total = sum(info.file_size for info in infos)
    if total > limits.max_unpacked_bytes:
        raise read_error(
            filename, f"it would unpack to more than {human_size(limits.max_unpacked_bytes)}"
        )
    for info in infos:
        if info.file_size > 2**20 and info.file_size > limits.max_zip_ratio * max(
            info.compress_size, 1
        ):
            raise read_error(filename, f"it is compressed suspiciously well ({info.filename})")
    return archive


def refuse_doctype(archive: zipfile.ZipFile, filename: str) -> None:
    """Office XML never declares a DTD; one that does is refused (entity expansion attacks)."""
    for info in archive.infolist():
        if not info.filename.endswith((".xml", ".rels")):
            continue
        with archive.open(info) as member:
            head = member.read(4096)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise read_error(
                filename, f"it declares XML entities ({info.filename}), which is refused"
            )


def _zip_kind(data: bytes, filename: str, limits: ReadLimits) -> str:
    archive = check_zip(data, filename, limits)
    names = set(archive.namelist())
    if "mimetype" in names:
        try:
            mimetype = archive.read("mimetype")[:100].decode("ascii", "ignore").strip()
        except Exception as exc:  # noqa: BLE001
            raise read_error(filename, "the file is damaged (corrupt zip member)") from exc
        if mimetype == "application/vnd.oasis.opendocument.spreadsheet":
            return "ods"
        if mimetype == "application/vnd.oasis.opendocument.text":
            return "odt"
        if mimetype.startswith("application/vnd.oasis.opendocument"):
            return "odf-other"
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    if any(n.startswith("ppt/") for n in names):
        return "pptx"
    return "zip"


def _ole_kind(data: bytes) -> str:
    def has(name: str) -> bool:
        return name.encode("utf-16-le") in data

    if has("EncryptedPackage"):
        return "encrypted-office"
    if has("__substg1.0_"):
        return "msg"
    if has("WordDocument"):
        return "doc"
    if has("Workbook") or has("Book"):
        return "xls"
    if has("PowerPoint Document"):
        return "ppt"
    return "ole"


def _looks_like_email(data: bytes) -> bool:
    lines = data[:16384].splitlines()
    if lines and lines[0].startswith(b"From "):
        lines = lines[1:]
    known, seen = 0, 0
    for line in lines:
        if not line.strip():
            break
        if line[:1] in (b" ", b"\t"):
            continue
        match = _HEADER_LINE.match(line)
        if not match:
            return False
        seen += 1
        if match.group(1).decode("ascii").lower() in _EMAIL_HEADERS:
            known += 1
    return seen > 0 and known >= 2


def detect_type(data: bytes, filename: str = "file", limits: ReadLimits | None = None) -> str:
    """A kind such as `csv`, `xlsx`, `xls`, `ods`, `docx`, `pdf`, `eml`, `html`, `doc`."""
    limits = limits or ReadLimits()
    blank = b" \t\r\n\x00"
    if not data or (not data[:4096].strip(blank) and not data.strip(blank)):
        return "empty"
    head = data[:4096]
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(data, filename, limits)
    if head.startswith(OLE2_MAGIC):
        return _ole_kind(data)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    for magic, kind in _IMAGE_MAGIC:
        if kind and head.startswith(magic):
            return kind
    if _utf16_text(head) or head[:3] == b"\xef\xbb\xbf":
        return "csv"
    if b"\x00" in head:
        return "binary"
    if _looks_like_email(data):
        return "eml"
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or (
        lowered.startswith(b"<") and b"<table" in data[:65536].lower()
    ):
        return "html"
    if _binary_share(head) > 0.1:
        return "binary"
    return "csv"


def _binary_share(head: bytes) -> float:
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return control / max(len(head), 1)
