"""HTML bodies (emails, saved web pages) as text lines and tables, with the stdlib html.parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "pre",
    "hr",
    "dt",
    "dd",
    "address",
    "caption",
}
_SKIP = {"script", "style", "head", "title", "template", "noscript"}


@dataclass
class HtmlTable:
    rows: list[list[str]] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    title: str = ""
    _pending: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    _row: list[tuple[str, int, int]] | None = None
    _cell: list[str] | None = None
    _span: tuple[int, int] = (1, 1)

    def finish_row(self, max_columns: int) -> None:
        if self._row is None:
            return
        r = len(self.rows)
        values: list[str] = []
        cells = iter(self._row)
        col = 0
        while True:
            if col in self._pending:
                origin_r, origin_c, left = self._pending.pop(col)
                values.append("")
                if left > 1:
                    self._pending[col] = (origin_r, origin_c, left - 1)
                col += 1
                continue
            cell = next(cells, None)
            if cell is None:
                if not any(c >= col for c in self._pending):
                    break
                values.append("")
                col += 1
                continue
            text, colspan, rowspan = cell
            values.append(text)
            if colspan > 1 or rowspan > 1:
                self.merged.append((r, col, r + rowspan - 1, col + colspan - 1))
            for extra in range(colspan):
                if extra:
                    values.append("")
                if rowspan > 1:
                    self._pending[col + extra] = (r, col, rowspan - 1)
            col += colspan
        self.rows.append(values[:max_columns])
        self._row = None


class _Scanner(HTMLParser):
    def __init__(self, max_rows: int, max_columns: int) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.tables: list[HtmlTable] = []
        self._buffer: list[str] = []
        self._stack: list[HtmlTable] = []
        self._skip = 0
        self._max_rows, self._max_columns = max_rows, max_columns

    def _flush(self) -> None:
        text = " ".join("".join(self._buffer).split())
        if text:
            self.lines.append(text)
        self._buffer = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
            return
        if tag == "table":
            self._flush()
            self._stack.append(HtmlTable(title=self.lines[-1] if self.lines else ""))
            return
        table = self._stack[-1] if self._stack else None
        if table is not None and tag == "tr":
            table.finish_row(self._max_columns)
            table._row = []
        elif table is not None and tag in ("td", "th"):
            if table._row is None:
                table._row = []
            table._cell = []
            table._span = (_span(attrs, "colspan"), _span(attrs, "rowspan"))
        elif tag in _BLOCKS and table is None:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(self._skip - 1, 0)
            return
        table = self._stack[-1] if self._stack else None
        if table is None:
            if tag in _BLOCKS:
                self._flush()
            return
        if tag in ("td", "th") and table._cell is not None and table._row is not None:
            text = " ".join("".join(table._cell).split())
            table._row.append((text, *table._span))
            table._cell = None
        elif tag == "tr":
            self._close_cell(table)
            table.finish_row(self._max_columns)
        elif tag == "table":
            self._close_cell(table)
            table.finish_row(self._max_columns)
            self._stack.pop()
            if len(table.rows) <= self._max_rows:
                self.tables.append(table)

    def _close_cell(self, table: HtmlTable) -> None:
        if table._cell is not None and table._row is not None:
            table._row.append((" ".join("".join(table._cell).split()), *table._span))
            table._cell = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        table = self._stack[-1] if self._stack else None
        if table is not None:
            if table._cell is not None:
                table._cell.append(data)
            return
        self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()
        while self._stack:
            table = self._stack.pop()
            self._close_cell(table)
            table.finish_row(self._max_columns)
            self.tables.append(table)


def _span(attrs: list[tuple[str, str | None]], name: str) -> int:
    for key, value in attrs:
        if key == name and value:
            try:
                return max(1, min(int(value.strip()), 100))
            except ValueError:
                return 1
    return 1


def html_to_lines_and_tables(
    html: str, max_rows: int = 100_000, max_columns: int = 1_000
) -> tuple[list[str], list[HtmlTable]]:
    """Text outside tables as lines, and every table as a grid (merged spans recorded)."""
    scanner = _Scanner(max_rows, max_columns)
    scanner.feed(html)
    scanner.close()
    return scanner.lines, [t for t in scanner.tables if t.rows]
