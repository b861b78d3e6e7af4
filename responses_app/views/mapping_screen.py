"""What the mapping screen shows: a document's tables, and one table with a control per line.

Presentation only: the controls are plain HTML form fields (selects, radios,
checkboxes) so the screen works with no JavaScript. ``mapping_from_post``
turns the posted form back into the mapping JSON of ``domain/extraction/mapped.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice

from questions.vocab import CampaignSpec
from responses_app.domain.extraction.grid import text_of
from responses_app.domain.extraction.mapped import table_rows
from responses_app.domain.extraction.mapping import AUTO, COLUMNS, IGNORE, ROWS, SKIP
from responses_app.domain.extraction.suggest import (
    category_choices,
    data_rows,
    period_choices,
)
from responses_app.domain.readers import Document, Table

SHOWN_ROWS = 200
SHOWN_COLUMNS = 30
PREVIEW_ROWS = 5
PREVIEW_COLUMNS = 8
TABLES_SCANNED = 50
_LINE = re.compile(r"(row|col)-(\d{1,6})")


@dataclass
class Choice:
    value: str
    label: str
    selected: bool = False


@dataclass
class Control:
    """A select naming what one line is (a period or a category), and a free-text fallback."""

    name: str
    label: str
    kind: str  # "period" or "category"
    groups: list[tuple[str, list[Choice]]]
    other: str = ""


@dataclass
class Line:
    index: int
    control: Control
    marked: bool = False  # a header row, or the label column
    cells: list[tuple[str, str]] = field(default_factory=list)  # (text, locator)

    @property
    def number(self) -> int:
        return self.index + 1


@dataclass
class TableSummary:
    index: int
    name: str
    rows: list[list[tuple[str, str]]]
    size: str

    @property
    def number(self) -> int:
        return self.index + 1


def table_name(table: Table, index: int) -> str:
    """`Table 2: Sheet1 (from Sheet1!A4)`: its title, and where its first cell is."""
    title = f": {table.title}" if table.title else ""
    return f"Table {index + 1}{title} (from {table.locator.cell(0, 0)})"


def summaries(document: Document, indexes: list[int]) -> list[TableSummary]:
    """A few rows of each table listed, to recognise it by."""
    out = []
    for index in indexes:
        table = document.tables[index]
        rows, more = table_rows(table, PREVIEW_ROWS)
        width = max((len(r) for r in rows), default=0)
        shown = [
            [(text_of(v), table.locator.cell(r, c)) for c, v in enumerate(row[:PREVIEW_COLUMNS])]
            for r, row in enumerate(rows)
        ]
        size = f"{width} column(s); {'more than ' if more else ''}{len(rows)} row(s)"
        out.append(TableSummary(index, table_name(table, index), shown, size))
    return out


def first_table_with_numbers(document: Document) -> int:
    for index, table in enumerate(islice(document.tables, TABLES_SCANNED)):
        rows, _ = table_rows(table, SHOWN_ROWS)
        if data_rows(rows):
            return index
    return 0


def with_reader_choices(
    mapping: dict, table: Table, source: str, figures: list[tuple[str, str, str]]
) -> dict:
    """The guessed mapping, each line the reader read set to the category it chose.

    `figures` are the reply's (source, dimension, category): a figure read from a
    cell of this table names that cell in its source (`kent.xlsx Sheet1!B5`, or
    `... .. ... (sum)` for months summed), so its line starts on its category,
    even one an open list kept as printed, which the guess cannot name.
    """
    chosen: dict[str, tuple[str, str]] = {}
    for where, dimension, category in figures:
        first = where.removesuffix(" (sum)").split(" .. ")[0].removeprefix(f"{source} ")
        chosen.setdefault(first, (dimension, category))
    if not chosen:
        return mapping
    rows, _ = table_rows(table, SHOWN_ROWS)
    by_row = mapping.get("period_axis", COLUMNS) == COLUMNS
    categories = dict(mapping.get("categories") or {})
    for r, row in enumerate(rows):
        for c in range(min(len(row), SHOWN_COLUMNS)):
            hit = chosen.get(table.locator.cell(r, c))
            line = str(r if by_row else c)
            if hit and categories.get(line, SKIP) == SKIP:
                categories[line] = {"dimension": hit[0], "category": hit[1]}
    return {**mapping, "categories": categories}


def _with_chosen(options: list[tuple[str, list[str]]], categories: dict):
    """The select's options, plus any category the mapping chose that they lack."""
    extra: dict[str, list[str]] = {}
    for value in categories.values():
        if isinstance(value, dict):
            extra.setdefault(str(value.get("dimension", "")), []).append(
                str(value.get("category", ""))
            )
    out = []
    for dimension, names in options:
        more = [n for n in dict.fromkeys(extra.get(dimension, [])) if n not in names]
        out.append((dimension, [*names, *more]))
    return out


def _selected_category(value: object) -> str:
    if isinstance(value, dict):
        return f"{value.get('dimension', '')}:{value.get('category', '')}"
    return str(value) if value else SKIP


def _category_control(name, label, chosen, options) -> Control:
    groups: list[tuple[str, list[Choice]]] = [("", [Choice(SKIP, "skip", chosen == SKIP)])]
    for dimension, categories in options:
        groups.append(
            (
                dimension,
                [Choice(f"{dimension}:{c}", c, chosen == f"{dimension}:{c}") for c in categories],
            )
        )
    known = any(c.selected for _, choices in groups for c in choices)
    other = "" if known else chosen  # typed (`age: 0-10`): shown back in the free-text field
    return Control(name, label, "category", groups, other)


def _period_control(name, label, chosen, options) -> Control:
    values = options if not chosen or chosen in options else [*options, chosen]
    choices = [Choice("", "ignore", not chosen)]
    choices += [Choice(v, v, v == chosen) for v in values]
    return Control(name, label, "period", [("", choices)])


@dataclass
class Screen:
    """One table laid out for mapping: rows with their cells, columns with their controls."""

    table: int
    axis: str
    rows: list[Line]
    columns: list[Line]
    hidden_columns: int
    truncated: bool
    others: bool
    label_column: int | None = None


def _heading(rows, headers: list[int], col: int) -> str:
    texts = (text_of(rows[h][col]) if col < len(rows[h]) else "" for h in headers)
    return " ".join(t for t in texts if t)


def screen(document: Document, index: int, spec: CampaignSpec, mapping: dict) -> Screen:
    """The table `index` with a control per row and column, set from `mapping`."""
    table = document.tables[index]
    rows, more = table_rows(table, SHOWN_ROWS)
    axis = mapping.get("period_axis") if mapping.get("period_axis") in (COLUMNS, ROWS) else COLUMNS
    width = max((len(r) for r in rows), default=0)
    shown_width = min(width, SHOWN_COLUMNS)
    headers = {str(h) for h in mapping.get("header_rows") or []}
    header_rows = sorted(int(h) for h in headers if h.isdigit() and int(h) < len(rows))
    label = str(mapping.get("label_column", ""))
    periods = {str(k): v for k, v in (mapping.get("periods") or {}).items()}
    categories = {str(k): v for k, v in (mapping.get("categories") or {}).items()}
    label_col = int(label) if label.isdigit() else 0
    row_texts = [text_of(r[label_col]) if label_col < len(r) else "" for r in rows]
    column_texts = [_heading(rows, header_rows, c) for c in range(shown_width)]
    category_options = _with_chosen(category_choices(spec, [*row_texts, *column_texts]), categories)
    period_options = period_choices(spec, column_texts if axis == COLUMNS else row_texts)

    def control(kind: str, index: int) -> Control:
        name = f"{kind}-{index}"
        where = f"{'Row' if kind == 'row' else 'Column'} {index + 1}"
        if (kind == "col") == (axis == COLUMNS):
            chosen = periods.get(str(index), "")
            return _period_control(name, f"{where}: period", chosen, period_options)
        chosen = _selected_category(categories.get(str(index)))
        return _category_control(name, f"{where}: category", chosen, category_options)

    lines = []
    for r, row in enumerate(rows):
        cells = [
            (text_of(row[c]) if c < len(row) else "", table.locator.cell(r, c))
            for c in range(shown_width)
        ]
        lines.append(Line(r, control("row", r), str(r) in headers, cells))
    columns = [Line(c, control("col", c), str(c) == label) for c in range(shown_width)]
    return Screen(
        table=index,
        axis=axis,
        rows=lines,
        columns=columns,
        hidden_columns=width - shown_width,
        truncated=more,
        others=mapping.get("others", AUTO) != IGNORE,
        label_column=int(label) if label.isdigit() else None,
    )


def mapping_from_post(post) -> dict:
    """The mapping JSON from the posted mapping form (the screen's field names)."""
    axis = post.get("period_axis") if post.get("period_axis") in (COLUMNS, ROWS) else COLUMNS
    period_kind = "col" if axis == COLUMNS else "row"
    periods, categories = {}, {}
    for key in post:
        match = _LINE.fullmatch(key)
        if not match:
            continue
        kind, index = match.groups()
        value = (post.get(key) or "").strip()
        if kind == period_kind:
            if value:
                periods[index] = value
        else:
            other = (post.get(f"{key}-other") or "").strip()
            categories[index] = other or value or SKIP
    return {
        "table": post.get("table", "0"),
        "period_axis": axis,
        "header_rows": post.getlist("header_row"),
        "label_column": post.get("label_column") or None,
        "periods": periods,
        "categories": categories,
        "others": AUTO if post.get("others") else IGNORE,
    }
