"""A researcher's hand mapping of one table: which lines are periods, which are categories.

When the extractor cannot read a layout, the mapping screen lets a person say
what each row and column of one table means. The mapping is plain JSON, stored
on the reply and saved per force and layout (``layout_fingerprint``), so the
same layout is read the same way when the force sends it again::

    {
      "table": 0,                      # index in document.tables
      "period_axis": "columns",        # periods run across columns, or down "rows"
      "header_rows": [2],              # rows holding headings: never read as figures
      "label_column": 0,               # the column holding the row labels
      "periods": {"1": "2019-20", "2": "2020-21"},    # column (or row) -> period
      "categories": {"3": {"dimension": "platform", "category": "Knife"},
                     "4": "skip"},     # row (or column) -> category, or skip
      "others": "auto",                # also read the other tables automatically ("ignore": not)
      "period_texts": {"1": "Yr to Mar 20"}   # the period headings when saved
    }

A cross-table (one period; crime types down, hospitals across) is mapped with the
period of the whole table, and the lines of the period axis name categories of a
second dimension, the total, or are skipped; its cells are read by ``CrossTable``,
as the automatic reader reads a cross-table it recognises (each row's printed total
or its sum, each column's, the grand total; a printed total that differs from its
cells is a finding). A mapping without ``table_period`` has exactly the shape above::

    {
      "table": 0, "period_axis": "columns", "header_rows": [1], "label_column": 0,
      "periods": {}, "categories": {"2": "crime_category:Theft", "5": "total:all"},
      "others": "auto", "period_texts": {},
      "table_period": "2022-23",       # the whole table's period, one the campaign asked
      "cross_categories": {"1": {"dimension": "hospital", "category": "General Hospital"},
                           "3": {"dimension": "total", "category": "all"}, "4": "skip"},
      "table_period_text": "Crimes at each hospital in 2022/23"   # its title when saved
    }

Rows and columns are 0-based positions in the table (JSON keys are strings).
``period_texts`` lets a saved mapping follow the years along: a column headed
``2019/20`` last year and ``2020/21`` this year is read as the later year;
``table_period_text`` does the same for the whole table's period by its title.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping
from itertools import islice
from typing import Any

from questions.periods import Period, parse_period_label
from questions.vocab import TOTAL, CampaignSpec

from ..findings import INFO
from ..readers.base import Document, RawValue, Table
from ..values import Value, ValueProblem, parse_value
from .context import Context
from .crosstab import CrossTable
from .extract import extract
from .grid import Block, is_blank, text_of
from .labels import Labels, Mapped
from .mapping import (
    AUTO,
    COLUMNS,
    ROWS,
    MappingError,
    TableMapping,
    asked_period,
    parse_mapping,
)
from .model import Extraction, Figure
from .notes import apply_notes, collect_notes
from .outcome import classify_outcome
from .settle import settle, to_figures
from .titles import period_titled_now, title_text

__all__ = [
    "MAX_ROWS",
    "MappingError",
    "TableMapping",
    "extract_mapped",
    "heading",
    "layout_fingerprint",
    "parse_mapping",
    "table_rows",
    "with_period_texts",
]

MAX_ROWS = 5_000  # a mapped table is a summary, not a listing: rows beyond are not read
FINGERPRINT_ROWS = 500
# Codes the automatic pass over the other tables raises about the outcome; the
# outcome is classified again over all the figures.
_OUTCOME_CODES = {"outcome_unclear", "no_sections_cited", "nothing_to_read"}


# -- reading ---------------------------------------------------------------


def table_rows(table: Table, limit: int = MAX_ROWS) -> tuple[list[list[RawValue]], bool]:
    """The first `limit` rows of a table, and whether there were more."""
    rows = [list(row) for row in islice(table.iter_rows(), limit + 1)]
    return rows[:limit], len(rows) > limit


def _at(rows: list[list[RawValue]], row: int, col: int) -> RawValue:
    return rows[row][col] if row < len(rows) and col < len(rows[row]) else None


def heading(rows: list[list[RawValue]], mapping: TableMapping, index: int) -> str:
    """The text that names a period line: its header cells, or its label cell."""
    if mapping.axis == COLUMNS:
        parts = [text_of(_at(rows, r, index)) for r in mapping.header_rows]
    else:
        parts = [text_of(_at(rows, index, mapping.label_column or 0))]
    return " ".join(p for p in parts if p)


def _bounds(mapping: TableMapping, rows: list[list[RawValue]], truncated: bool) -> None:
    height, width = len(rows), max((len(r) for r in rows), default=0)
    problems = []
    lines = [*mapping.header_rows]
    along = [*mapping.periods, *mapping.cross]  # the lines of the period axis
    if mapping.axis == COLUMNS:
        lines += list(mapping.categories)
        columns = along
    else:
        lines += along
        columns = list(mapping.categories)
    if mapping.label_column is not None:
        columns.append(mapping.label_column)
    more = f" (only the first {MAX_ROWS:,} rows can be mapped)" if truncated else ""
    for row in sorted({r for r in lines if r >= height}):
        problems.append(f"row {row + 1} is beyond the table's {height} rows{more}")
    for col in sorted({c for c in columns if c >= width}):
        problems.append(f"column {col + 1} is beyond the table's {width} columns")
    if problems:
        raise MappingError(problems)


def _year_in(text: str) -> int | None:
    match = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text)
    if match:
        return int(match.group(1))
    match = re.search(r"(?<!\d)(\d{2})\s*[/-]\s*\d{2}(?!\d)", text)
    return 2000 + int(match.group(1)) if match else None


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _period_now(saved: Period, before: str, now: str) -> Period:
    """The period a heading names now, for a line that was headed `before` when mapped."""
    if _norm(before) == _norm(now):
        return saved
    parsed = parse_period_label(now)
    if parsed is not None:
        return parsed
    first, second = _year_in(before), _year_in(now)
    if first is not None and second is not None:
        return saved.shifted(second - first)
    return saved


def _periods(mapping: TableMapping, rows, table: Table, ctx: Context) -> dict[int, Period]:
    out = {}
    for index, label in mapping.periods.items():
        saved = Period.from_label(label)
        before = mapping.period_texts.get(index)
        period = saved
        if before is not None:
            now = heading(rows, mapping, index)
            period = _period_now(saved, before, now)
            if period != saved:
                where = mapping.line("period", index)
                ctx.find(
                    "period_moved",
                    INFO,
                    f"{where} is headed {now!r} (it was {before!r} when mapped): "
                    f"read as {period.label}, not {saved.label}",
                    _heading_cell(mapping, table, index),
                )
        out[index] = period
    return out


def _heading_cell(mapping: TableMapping, table: Table, index: int) -> str:
    if mapping.axis == ROWS:
        return table.locator.cell(index, mapping.label_column or 0)
    return table.locator.cell(mapping.header_rows[-1] if mapping.header_rows else 0, index)


def _observe(mapping: TableMapping, rows, periods: dict[int, Period], table, ctx: Context) -> None:
    def put(index: int, key: Mapped, value: Value, locator: str) -> None:
        ctx.observe(periods[index], key, value, locator, 1)

    _read_lines(mapping, rows, list(periods), table, ctx, put)


def _read_lines(
    mapping: TableMapping,
    rows,
    indexes: list[int],
    table,
    ctx: Context,
    put: Callable[[int, Mapped, Value, str], None],
) -> None:
    """Each mapped category line's values at `indexes` of the other axis, handed to `put`
    (a blank read as 0, text a finding, a line with no values at all a finding)."""
    for line, key in mapping.categories.items():
        cells = []
        for index in indexes:
            r, c = (line, index) if mapping.axis == COLUMNS else (index, line)
            cells.append((index, table.locator.cell(r, c), ctx.parse(_at(rows, r, c))))
        if all(value is None for _, _, value in cells):
            where = mapping.line("category", line)
            ctx.find("no_values", INFO, f"{where} ({key[1]}) has no values: no figure taken")
            continue
        for index, locator, value in cells:
            if value is None:
                value = Value.exact(0)
                ctx.find(
                    "blank_as_zero", INFO, "a blank cell in a mapped line was read as 0", locator
                )
            elif isinstance(value, ValueProblem):
                ctx.problem(value, locator)
                continue
            put(index, key, value, locator)


def _table_period(mapping: TableMapping, rows, table: Table, ctx: Context) -> Period:
    """The whole table's period, moved on when its title moved on since the mapping was saved;
    refused (MappingError) when the campaign did not ask it."""
    saved = Period.from_label(mapping.table_period or "")
    period = saved
    before = mapping.table_period_text
    if before is not None:
        now = title_text(table, rows)
        period = period_titled_now(saved, before, now)
        if period != saved:
            ctx.find(
                "period_moved",
                INFO,
                f"the table is titled {now!r} (it was {before!r} when mapped): read as "
                f"{period.label}, not {saved.label}",
                table.locator.cell(0, 0),
            )
    refused = asked_period(period.label, ctx.spec)
    if refused:
        raise MappingError([refused])
    return period


def _observe_cross(mapping: TableMapping, rows, period: Period, table, ctx: Context) -> None:
    """A cross-table's cells through ``CrossTable``, as the automatic reader reads one: each
    row's and column's printed total or sum, the grand total, the sum checks."""
    kept = next((d for d, _ in mapping.cross.values() if d != TOTAL), None)
    cross = CrossTable(ctx, 1, kept)

    def put(index: int, key: Mapped, value: Value, locator: str) -> None:
        cross.add(period, key, mapping.cross[index], value, locator)

    _read_lines(mapping, rows, list(mapping.cross), table, ctx, put)
    cross.emit()


def extract_mapped(
    document: Document, spec: CampaignSpec, mapping: Mapping[str, Any] | TableMapping
) -> Extraction:
    """The figures of a document read through a hand mapping of one of its tables.

    With ``others`` = ``auto`` the other tables (and the letter's text) are read
    automatically too; a figure the mapped table gives wins over theirs.
    Raises MappingError when the mapping does not fit the document.
    """
    checked = parse_mapping(mapping, spec)
    if checked.table >= len(document.tables):
        count = len(document.tables)
        raise MappingError(
            [f"the document has {count} table(s): there is no table {checked.table + 1}"]
        )
    table = document.tables[checked.table]
    rows, truncated = table_rows(table)
    _bounds(checked, rows, truncated)
    ctx = Context(spec, Labels(spec), document.source)
    for notice in document.notices:
        ctx.find(notice.code, notice.severity, notice.message, notice.locator)
    block = Block(table, 0, head=rows, length=len(rows))
    collect_notes([block], ctx, [(line.text, line.locator) for line in document.lines])
    apply_notes(ctx)
    if checked.crossed:
        _observe_cross(checked, rows, _table_period(checked, rows, table, ctx), table, ctx)
    else:
        _observe(checked, rows, _periods(checked, rows, table, ctx), table, ctx)
    figures = to_figures(settle(ctx), ctx)
    if ctx.stars_used and not ctx.star_bounds_noted:
        low, high = ctx.star_bounds
        ctx.find(
            "suppression_assumed",
            INFO,
            f"no note says what '*' stands for: read as {low} to {high}",
        )
    others: list = []
    excluded = 0
    rest = [t for i, t in enumerate(document.tables) if i != checked.table]
    if checked.others == AUTO and (rest or document.lines):
        auto = extract(Document(document.source, document.kind, document.lines, rest), spec)
        figures = _merge(figures, auto.figures, ctx)
        others = [f for f in auto.findings if f.code not in _OUTCOME_CODES]
        excluded = auto.excluded_rows
    findings = [*ctx.findings, *others]
    text = "\n".join(note for note, _ in ctx.notes)
    outcome, exemptions, outcome_findings = classify_outcome(
        text, figures, spec, letter=bool(document.lines)
    )
    if document.ocr:
        figures = [dataclasses.replace(f, ocr=True) for f in figures]
    return Extraction(
        source=document.source,
        figures=_ordered(figures, spec),
        outcome=outcome,
        exemptions=exemptions,
        excluded_rows=excluded,
        findings=[*findings, *outcome_findings],
    )


def _merge(mapped: list[Figure], auto: list[Figure], ctx: Context) -> list[Figure]:
    ours = {f.key: f for f in mapped}
    out = list(mapped)
    for figure in auto:
        mine = ours.get(figure.key)
        if mine is None:
            out.append(figure)
        elif (mine.value, mine.lower, mine.upper) != (figure.value, figure.lower, figure.upper):
            ctx.find(
                "conflicting_figures",
                INFO,
                f"{figure.dimension} {figure.category!r} for {figure.period} is also given at "
                f"{figure.source} ({figure.value}): the mapped table's value was kept",
                mine.source.removeprefix(ctx.source).strip(),
            )
    return out


def _ordered(figures: list[Figure], spec: CampaignSpec) -> list[Figure]:
    periods = [p.label for p in spec.periods]
    dimensions = list(spec.dimensions)

    def rank(figure: Figure) -> tuple:
        vocabulary = spec.dimensions.get(figure.dimension)
        known = list(vocabulary.categories) if vocabulary else []
        low = figure.category.split("-")[0].rstrip("+")
        return (
            periods.index(figure.period) if figure.period in periods else len(periods),
            figure.period,
            dimensions.index(figure.dimension) if figure.dimension in dimensions else 99,
            known.index(figure.category) if figure.category in known else len(known),
            int(low) if low.isdigit() else 999,
            figure.category,
        )

    return sorted(figures, key=rank)


# -- layouts ---------------------------------------------------------------


def _shape(value: RawValue) -> str:
    """A cell's part in a layout: numbers and blanks alike, text without its digits."""
    if is_blank(value) or isinstance(parse_value(value), Value):
        return "#"
    folded = unicodedata.normalize("NFKD", text_of(value)).encode("ascii", "ignore").decode()
    folded = re.sub(r"\d+", "9", folded.lower())
    return re.sub(r"[^a-z9]", "", folded)


def layout_fingerprint(table: Table) -> str:
    """A stable hash of a table's shape and its texts, numbers and years left out.

    The same layout sent again (another year, other numbers) has the same
    fingerprint; another row, column or label makes another one.
    """
    rows, more = table_rows(table, FINGERPRINT_ROWS)
    while rows and all(is_blank(v) for v in rows[-1]):
        rows.pop()  # trailing blank rows
    width = max(
        (max((i + 1 for i, v in enumerate(row) if not is_blank(v)), default=0) for row in rows),
        default=0,
    )
    lines = [f"{len(rows)}{'+' if more else ''}x{width}"]
    lines += ["|".join(_shape(v) for v in (row + [None] * width)[:width]) for row in rows]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def with_period_texts(mapping: TableMapping, table: Table) -> TableMapping:
    """The mapping as it reads `table`, with the period headings recorded for reuse.

    A saved mapping reused on a later year's table comes back with its periods
    moved on (as ``extract_mapped`` read them) and that table's headings.
    """
    rows, _ = table_rows(table)
    periods, texts = {}, {}
    for index, label in mapping.periods.items():
        now = heading(rows, mapping, index)
        before = mapping.period_texts.get(index)
        period = Period.from_label(label)
        periods[index] = (period if before is None else _period_now(period, before, now)).label
        texts[index] = now
    moved = dataclasses.replace(mapping, periods=periods, period_texts=texts)
    if mapping.table_period is None:
        return moved
    title = title_text(table, rows)
    period = Period.from_label(mapping.table_period)
    if mapping.table_period_text is not None:
        period = period_titled_now(period, mapping.table_period_text, title)
    return dataclasses.replace(moved, table_period=period.label, table_period_text=title)
