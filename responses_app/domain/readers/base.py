"""What every reader returns: a Document of text lines and tables, each cell with a locator.

Readers differ in how they find text and tables; the extractor sees only this
shape. Tables may be streamed (`rows_source` a callable) so a record-level
sheet of a million rows is never held as Python objects all at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from ..findings import Finding

RawValue = str | int | float | date | datetime | bool | None
Rows = Sequence[Sequence[RawValue]] | Callable[[], Iterable[Sequence[RawValue]]]

MB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """Caps that keep a hostile or broken file from exhausting the worker."""

    max_bytes: int = 100 * MB
    max_unpacked_bytes: int = 600 * MB
    max_zip_entries: int = 10_000
    max_zip_ratio: int = 1_000
    max_sheets: int = 100
    max_rows: int = 2_000_000
    max_columns: int = 1_000
    max_pages: int = 1_000
    max_attachments: int = 50
    max_seconds: float = 120.0


class ReadError(Exception):
    """A reply that cannot be read automatically; the message is one human sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_error(filename: str, reason: str) -> ReadError:
    return ReadError(f"could not read {filename}: {reason}")


def human_size(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.0f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class Locator:
    """Where a cell lives in its document; row and column are table-relative and 0-based."""

    def cell(self, row: int, col: int) -> str:
        raise NotImplementedError

    def row(self, row: int) -> str:
        raise NotImplementedError

    def rows(self, first: int, last: int) -> str:
        return self.row(first) if first == last else f"{self.row(first)} to {self.row(last)}"


@dataclass(frozen=True)
class SheetLocator(Locator):
    """`Sheet1!C7`: spreadsheet coordinates, offset by where the used range starts."""

    sheet: str
    first_row: int = 0
    first_col: int = 0

    def cell(self, row: int, col: int) -> str:
        return f"{self.sheet}!{column_letters(col + self.first_col)}{row + self.first_row + 1}"

    def row(self, row: int) -> str:
        return f"{self.sheet} row {row + self.first_row + 1}"

    def rows(self, first: int, last: int) -> str:
        a, b = first + self.first_row + 1, last + self.first_row + 1
        return f"{self.sheet} rows {a}-{b}" if a != b else f"{self.sheet} row {a}"


@dataclass(frozen=True)
class GridLocator(Locator):
    """`page 2, table 1, row 4, col 3` (1-based), or `row 4, col 3` with no prefix."""

    prefix: str = ""

    def _lead(self) -> str:
        return f"{self.prefix}, " if self.prefix else ""

    def cell(self, row: int, col: int) -> str:
        return f"{self._lead()}row {row + 1}, col {col + 1}"

    def row(self, row: int) -> str:
        return f"{self._lead()}row {row + 1}"

    def rows(self, first: int, last: int) -> str:
        if first == last:
            return self.row(first)
        return f"{self._lead()}rows {first + 1}-{last + 1}"


@dataclass(frozen=True)
class LineLocator(Locator):
    """`body line 12, col 2`: a table found in aligned text, one row per text line."""

    prefix: str
    line_numbers: tuple[int, ...]

    def cell(self, row: int, col: int) -> str:
        return f"{self.row(row)}, col {col + 1}"

    def row(self, row: int) -> str:
        return f"{self.prefix} line {self.line_numbers[row]}".strip()

    def rows(self, first: int, last: int) -> str:
        a, b = self.line_numbers[first], self.line_numbers[last]
        return (f"{self.prefix} lines {a}-{b}" if a != b else f"{self.prefix} line {a}").strip()


@dataclass(frozen=True)
class MemberLocator(Locator):
    """A locator inside one file of a container (`reply.doc: page 2, table 1, row 4`)."""

    member: str
    inner: Locator

    def cell(self, row: int, col: int) -> str:
        return f"{self.member}: {self.inner.cell(row, col)}"

    def row(self, row: int) -> str:
        return f"{self.member}: {self.inner.row(row)}"

    def rows(self, first: int, last: int) -> str:
        return f"{self.member}: {self.inner.rows(first, last)}"


@dataclass(frozen=True)
class Cell:
    value: RawValue
    locator: str


@dataclass(frozen=True)
class TextLine:
    text: str
    locator: str


@dataclass(frozen=True)
class Attachment:
    """A file carried inside another (an email attachment), for the caller to read in turn."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class Table:
    """A grid of raw cell values (str, int, float, date, bool or None)."""

    locator: Locator
    rows_source: Rows
    source: str = ""
    title: str = ""
    context: tuple[str, ...] = ()
    merged: tuple[tuple[int, int, int, int], ...] = ()

    @property
    def streamed(self) -> bool:
        return callable(self.rows_source)

    def iter_rows(self) -> Iterator[Sequence[RawValue]]:
        """Every row, top to bottom; a damaged file raises ReadError, never a library error."""
        if not callable(self.rows_source):
            yield from self.rows_source
            return
        try:
            yield from self.rows_source()
        except ReadError:
            raise
        except Exception as exc:  # noqa: BLE001 - any library failure becomes one sentence
            raise read_error(
                self.source, f"the file is damaged ({describe_exception(exc)})"
            ) from exc

    def cells(self) -> Iterator[list[Cell]]:
        for r, row in enumerate(self.iter_rows()):
            yield [Cell(value, self.locator.cell(r, c)) for c, value in enumerate(row)]

    def cell(self, row: int, col: int) -> Cell:
        for r, values in enumerate(self.iter_rows()):
            if r == row:
                value = values[col] if col < len(values) else None
                return Cell(value, self.locator.cell(row, col))
        raise IndexError(f"no row {row} in {self.locator.row(0)}")


@dataclass
class Document:
    """One reply file as text lines and tables, plus what the reader noticed."""

    source: str
    kind: str
    lines: list[TextLine] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notices: list[Finding] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    ocr: bool = False

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def describe_exception(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    name = type(exc).__name__
    return f"{name}: {text[:120]}" if text else name
