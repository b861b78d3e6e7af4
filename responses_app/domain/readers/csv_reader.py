"""CSV and plain text grids: encoding detection (BOM, UTF-16, UTF-8, cp1252) and delimiter sniffing.

Rows are streamed from the original bytes on every pass, so a listing of a
million offences is never held decoded in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from collections.abc import Iterator

import charset_normalizer

from ..findings import INFO, Finding
from .base import Document, GridLocator, ReadLimits, Table, TextLine, read_error
from .text_tables import as_table, find_text_tables

KINDS = ("csv",)
DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_BYTES = 64 * 1024
_CHUNK = 1024 * 1024
_PROSE_BYTES = 2 * 1024 * 1024
_ENCODING_NAMES = {"cp1252": "Windows-1252", "utf-16": "UTF-16", "utf-16-le": "UTF-16"}


def _decodes(data: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        for start in range(0, len(data), _CHUNK):
            decoder.decode(data[start : start + _CHUNK], final=False)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(data: bytes) -> str:
    """The text encoding of `data`: BOMs first, then UTF-16 without BOM, UTF-8, cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:4096]
    if len(sample) >= 4:
        even_zero = sample[0::2].count(0) / len(sample[0::2])
        odd_zero = sample[1::2].count(0) / len(sample[1::2])
        if odd_zero > 0.3 and even_zero < 0.05:
            return "utf-16-le"
        if even_zero > 0.3 and odd_zero < 0.05:
            return "utf-16-be"
    if _decodes(data, "utf-8"):
        return "utf-8"
    if _decodes(data, "cp1252"):
        return "cp1252"
    guess = charset_normalizer.from_bytes(data[: 4 * _CHUNK]).best()
    if guess is not None and _decodes(data, guess.encoding):
        return guess.encoding
    return "latin-1"


def _sample_text(data: bytes, encoding: str) -> str:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return decoder.decode(data[:_SAMPLE_BYTES], final=False)


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits most lines into the same number (> 1) of fields."""
    return _sniff(sample)[0]


def _sniff(sample: str) -> tuple[str, bool]:
    lines = sample.splitlines()[:200]
    if len(sample) >= _SAMPLE_BYTES - 4 and len(lines) > 1:
        lines = lines[:-1]
    filled = sum(1 for line in lines if line.strip())
    best, best_score, tabular = ",", 0, False
    for delimiter in DELIMITERS:
        try:
            rows = [r for r in csv.reader(lines, delimiter=delimiter) if any(c.strip() for c in r)]
        except csv.Error:
            continue
        wide = [len(row) for row in rows if sum(1 for cell in row if cell.strip()) > 1]
        if not wide:
            continue
        mode, hits = Counter(wide).most_common(1)[0]
        score = hits * 10 + mode
        if score > best_score:
            cells = [len(cell.strip()) for row in rows if len(row) == mode for cell in row]
            short = sum(cells) / len(cells) <= 30
            best, best_score = delimiter, score
            tabular = hits >= 2 and hits >= 0.3 * filled and (mode >= 3 or short)
    return best, tabular


def _prose(data: bytes, filename: str, encoding: str) -> Document:
    """A letter saved as plain text: its lines, and any tables typed with aligned columns."""
    raw = data.decode(encoding, errors="replace").splitlines()
    numbers = list(range(1, len(raw) + 1))
    found = find_text_tables(raw, numbers)
    used = {i for t in found for i in range(t.first, t.last + 1)}
    document = Document(filename, "text")
    for index, line in enumerate(raw):
        if index not in used and line.strip():
            document.lines.append(TextLine(" ".join(line.split()), f"line {numbers[index]}"))
    document.tables.extend(as_table(t, "", filename) for t in found)
    return document


def read(data: bytes, filename: str, limits: ReadLimits) -> Document:
    encoding = detect_encoding(data)
    sample = _sample_text(data, encoding)
    if sample and sum(1 for ch in sample if ch < " " and ch not in "\t\r\n\f") > len(sample) / 20:
        raise read_error(filename, "it is not a text file (it looks like binary data)")
    delimiter, tabular = _sniff(sample)
    if not tabular and len(data) <= _PROSE_BYTES:
        return _prose(data, filename, encoding)
    if encoding.startswith(("utf-8", "cp1252", "latin")) and data.count(b"\n") > limits.max_rows:
        raise read_error(filename, f"it has more than {limits.max_rows:,} rows")

    def rows() -> Iterator[list[str]]:
        stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="replace", newline="")
        for index, row in enumerate(csv.reader(stream, delimiter=delimiter)):
            if index >= limits.max_rows:
                raise read_error(filename, f"it has more than {limits.max_rows:,} rows")
            yield row[: limits.max_columns]

    notices = []
    if encoding not in ("utf-8", "utf-8-sig"):
        name = _ENCODING_NAMES.get(encoding, encoding)
        notices.append(Finding("text_encoding", INFO, f"{filename} was read as {name} text"))
    table = Table(GridLocator(""), rows, source=filename, title=filename)
    return Document(filename, "csv", tables=[table], notices=notices)
