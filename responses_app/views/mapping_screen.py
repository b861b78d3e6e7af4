"""What the mapping screen shows: a document's tables, and one table with a control per line.

Presentation only: the controls are plain HTML form fields (selects, radios,
checkboxes) so the screen works with no JavaScript. ``mapping_from_post``
turns the posted form back into the mapping JSON of ``domain/extraction/mapped.py``.

Each line of the period axis offers the periods and every dimension's categories
(and the total, or skip): with one period chosen for the whole table (a cross-table)
its lines are the categories of a second dimension.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice

from questions.vocab import CampaignSpec
from responses_app.domain.extraction.grid import text_of
from responses_app.domain.extraction.labels import Labels
from responses_app.domain.extraction.mapped import table_rows
from responses_app.domain.extraction.mapping import AUTO, COLUMNS, IGNORE, ROWS, SKIP
from responses_app.domain.extraction.suggest import (
    category_choices,
    data_rows,
    period_choices,
)
from responses_app.domain.extraction.titles import title_texts, titled_period
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
    kind: str  # "period" (a period, or a category of a cross-table) or "category"
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
    mapping: dict,
    table: Table,
    source: str,
    figures: list[tuple[str, str, str, str]],
    spec: CampaignSpec,
) -> dict:
    """The guessed mapping, each line the reader read set to the category it chose.

    `figures` are the reply's (source, period, dimension, category): a figure read from a
    cell of this table names that cell in its source (`kent.xlsx Sheet1!B5`, or
    `... .. ... (sum)` for months summed, `...; ... (sum)` for a cross-table's sums), so
    its line starts on its category, even one an open list kept as printed, which the
    guess cannot name. A cell holding several figures (a cross-table's grand total) gives
    its line the one its label names. A cross-table's lines across are filled the same way,
    and its period, when the guess found none, is the one period this table's figures have.
    """
    chosen: dict[str, list[tuple[str, str]]] = {}
    read_in: dict[str, set[str]] = {}  # the periods of the figures read from each cell
    for where, period, dimension, category in figures:
        first = where.removeprefix(f"{source} ").split("; ")[0]
        first = first.removesuffix(" (sum)").split(" .. ")[0]
        hits = chosen.setdefault(first, [])
        if (dimension, category) not in hits:
            hits.append((dimension, category))
        read_in.setdefault(first, set()).add(period)
    if not chosen:
        return mapping
    rows, _ = table_rows(table, SHOWN_ROWS)
    by_row = mapping.get("period_axis", COLUMNS) == COLUMNS
    crossed = "table_period" in mapping
    label = _int(mapping.get("label_column"), 0)
    headers = [h for h in (_int(h) for h in mapping.get("header_rows") or []) if h is not None]
    labels = Labels(spec)
    categories = dict(mapping.get("categories") or {})
    across = dict(mapping.get("cross_categories") or {})
    found: dict[tuple[str, int], list[tuple[str, str]]] = {}
    periods: set[str] = set()
    for r, row in enumerate(rows):
        for c in range(min(len(row), SHOWN_COLUMNS)):
            cell = table.locator.cell(r, c)
            if cell in chosen:
                found.setdefault(("row", r), []).extend(chosen[cell])
                found.setdefault(("col", c), []).extend(chosen[cell])
                periods |= read_in[cell]
    down, along = ("row", "col") if by_row else ("col", "row")
    for (kind, index), hits in found.items():
        text = _line_text(rows, kind, index, label, headers)
        hit = _named_by(hits, text, labels)
        target = categories if kind == down else across if crossed and kind == along else None
        if target is not None and target.get(str(index), SKIP) == SKIP:
            target[str(index)] = {"dimension": hit[0], "category": hit[1]}
    out = {**mapping, "categories": categories}
    if crossed:
        out["cross_categories"] = across
        if not mapping.get("table_period") and len(periods) == 1:
            out["table_period"] = periods.pop()
    return out


def _int(value: object, default: int | None = None) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return default


def _line_text(rows, kind: str, index: int, label: int | None, headers: list[int]) -> str:
    if kind == "row":
        row = rows[index]
        return text_of(row[label]) if label is not None and label < len(row) else ""
    return _heading(rows, [h for h in headers if h < len(rows)], index)


def _named_by(hits: list[tuple[str, str]], text: str, labels: Labels) -> tuple[str, str]:
    """Of the categories read from a line's cells, the one its label names, else the first."""
    if len(hits) > 1 and text:
        for dimension in dict.fromkeys(d for d, _ in hits):
            named = labels.resolve(text, dimension)
            if named is not None and named in hits:
                return named
    return hits[0]


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


def _period_control(name, label, chosen, periods, categories) -> Control:
    """A line of the period axis: a period, or (in a cross-table) a category, the total, skip."""
    typed = ":" in chosen  # a category: `dimension:category`
    values = periods if typed or not chosen or chosen in periods else [*periods, chosen]
    groups: list[tuple[str, list[Choice]]] = [("", [Choice("", "skip", not chosen)])]
    groups.append(("periods", [Choice(v, v, v == chosen) for v in values]))
    for dimension, names in categories:
        choices = [Choice(f"{dimension}:{c}", c, f"{dimension}:{c}" == chosen) for c in names]
        groups.append((dimension, choices))
    known = any(c.selected for _, choices in groups for c in choices)
    other = "" if known or not typed else chosen
    return Control(name, label, "period", groups, other)


def _table_period_choices(spec: CampaignSpec, chosen: str) -> list[Choice]:
    """The select of the whole table's period: none (periods along an axis) or one asked."""
    asked = [p.label for p in spec.periods]
    values = asked if not chosen or chosen in asked else [*asked, chosen]
    choices = [Choice("", "none: the periods run along the table", not chosen)]
    return choices + [Choice(v, v, v == chosen) for v in values]


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
    #: The whole table's period (a cross-table), chosen among the campaign's.
    table_periods: list[Choice] = field(default_factory=list)
    #: The period the table's title names, if one: a hint beside the choice.
    titled: str = ""


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
    across = {str(k): v for k, v in (mapping.get("cross_categories") or {}).items()}
    table_period = str(mapping.get("table_period") or "")
    label_col = int(label) if label.isdigit() else 0
    row_texts = [text_of(r[label_col]) if label_col < len(r) else "" for r in rows]
    column_texts = [_heading(rows, header_rows, c) for c in range(shown_width)]
    category_options = _with_chosen(
        category_choices(spec, [*row_texts, *column_texts]), {**across, **categories}
    )
    period_options = period_choices(spec, column_texts if axis == COLUMNS else row_texts)

    def control(kind: str, index: int) -> Control:
        name = f"{kind}-{index}"
        where = f"{'Row' if kind == 'row' else 'Column'} {index + 1}"
        if (kind == "col") == (axis == COLUMNS):
            chosen = periods.get(str(index)) or _selected_category(across.get(str(index)))
            chosen = "" if chosen == SKIP else chosen
            label = f"{where}: period, or category of a cross-table"
            return _period_control(name, label, chosen, period_options, category_options)
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
        table_periods=_table_period_choices(spec, table_period),
        titled=getattr(titled_period(title_texts(table, rows)), "label", ""),
    )


def mapping_from_post(post) -> dict:
    """The mapping JSON from the posted mapping form (the screen's field names)."""
    axis = post.get("period_axis") if post.get("period_axis") in (COLUMNS, ROWS) else COLUMNS
    period_kind = "col" if axis == COLUMNS else "row"
    table_period = (post.get("table_period") or "").strip()
    periods, categories, across = {}, {}, {}
    for key in post:
        match = _LINE.fullmatch(key)
        if not match:
            continue
        kind, index = match.groups()
        value = (post.get(key) or "").strip()
        other = (post.get(f"{key}-other") or "").strip()
        if kind == period_kind:
            chosen = other or value
            if ":" in chosen:  # a category: the line of a cross-table
                across[index] = chosen
            elif chosen and chosen != SKIP:
                periods[index] = chosen
            elif table_period:
                across[index] = SKIP
        else:
            categories[index] = other or value or SKIP
    mapping = {
        "table": post.get("table", "0"),
        "period_axis": axis,
        "header_rows": post.getlist("header_row"),
        "label_column": post.get("label_column") or None,
        "periods": periods,
        "categories": categories,
        "others": AUTO if post.get("others") else IGNORE,
    }
    if table_period or across:
        mapping.update({"table_period": table_period or None, "cross_categories": across})
    return mapping
