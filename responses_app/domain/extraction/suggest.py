"""A first guess at a hand mapping, for the mapping screen to start from.

The guess is only a starting point a person corrects: the header rows are the
rows with text just above the first row of numbers, the label column is the
one with most text, periods are read from the headings, categories from the
vocabularies' best match (anything else starts as `skip`). A table whose columns
name no period but the categories of a second dimension is guessed as a
cross-table: each column's category as the automatic reader knows them, and the
period of the whole table its title names (`Crimes at each hospital in 2022/23`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from questions.periods import Period, find_financial_years, parse_period_label
from questions.vocab import ALL, TOTAL, AgeVocabulary, CampaignSpec

from ..readers.base import RawValue
from ..values import Value, parse_value
from .crosstab import cross_columns
from .grid import is_blank, non_blank, text_of
from .labels import Labels
from .mapping import AUTO, COLUMNS, ROWS, SKIP
from .titles import title_rows, titled_period

Rows = Sequence[Sequence[RawValue]]
MAX_HEADER_ROWS = 2


def _at(rows: Rows, row: int, col: int) -> RawValue:
    return rows[row][col] if row < len(rows) and col < len(rows[row]) else None


def _is_number(value: RawValue) -> bool:
    if is_blank(value) or parse_period_label(value) is not None:
        return False
    return isinstance(parse_value(value), Value)


def data_rows(rows: Rows) -> list[int]:
    """Rows with a label and at least one number: where figures are likely to be."""
    return [
        r
        for r, row in enumerate(rows)
        if len(non_blank(row)) >= 2 and any(_is_number(v) for v in row)
    ]


def _header_rows(rows: Rows, first: int) -> list[int]:
    found: list[int] = []
    r = first - 1
    while r >= 0 and len(found) < MAX_HEADER_ROWS and len(non_blank(rows[r])) >= 2:
        found.insert(0, r)
        r -= 1
    return found


def _label_column(rows: Rows, lines: list[int]) -> int:
    counts: dict[int, int] = {}
    for r in lines:
        for c, value in enumerate(rows[r]):
            if not is_blank(value) and not _is_number(value):
                counts[c] = counts.get(c, 0) + 1
    return max(counts, key=lambda c: (counts[c], -c)) if counts else 0


def period_in(text: object) -> Period | None:
    """The period a heading names: `2019/20`, or the one year of `Yr 2019/20 (prov.)`."""
    period = parse_period_label(text)
    if period is None and isinstance(text, str):
        found = {p for _, _, p in find_financial_years(text)}
        period = found.pop() if len(found) == 1 else None
    return period


def _column_text(rows: Rows, headers: list[int], col: int) -> str:
    return " ".join(t for t in (text_of(_at(rows, r, col)) for r in headers) if t)


def _category(labels: Labels, text: str) -> dict[str, str] | str:
    found = labels.resolve_loosely(text, None) if text else None
    return {"dimension": found[0], "category": found[1]} if found else SKIP


def suggest_mapping(
    rows: Rows,
    spec: CampaignSpec,
    *,
    table: int,
    axis: str | None = None,
    titles: Sequence[str] = (),
) -> dict[str, Any]:
    """A mapping (in the JSON shape of ``mapped.py``) guessed from a table's rows.

    ``titles`` are the table's own title and the text before it (a sheet's name, a caption).
    """
    labels = Labels(spec)
    lines = data_rows(rows)
    first = lines[0] if lines else 0
    headers = _header_rows(rows, first) if lines else []
    label_column = _label_column(rows, lines)
    width = max((len(row) for row in rows), default=0)
    columns = [c for c in range(width) if c != label_column]
    column_periods = {c: period_in(_column_text(rows, headers, c)) for c in columns}
    row_periods = {r: period_in(_at(rows, r, label_column)) for r in lines}
    if axis not in (COLUMNS, ROWS):
        down = any(row_periods.values()) and not any(column_periods.values())
        axis = ROWS if down else COLUMNS
    crossed = None
    if axis == COLUMNS and lines and not any(column_periods.values()):
        crossed = _crossed(rows, labels, headers, label_column, lines, [*title_rows(rows), *titles])
    if crossed is not None:
        return {"table": table, "header_rows": headers, "label_column": label_column, **crossed}
    if axis == COLUMNS:
        periods = {str(c): p.label for c, p in column_periods.items() if p}
        categories = {str(r): _category(labels, text_of(_at(rows, r, label_column))) for r in lines}
    else:
        periods = {str(r): p.label for r, p in row_periods.items() if p}
        filled = [c for c in columns if any(_is_number(_at(rows, r, c)) for r in lines)]
        categories = {str(c): _category(labels, _column_text(rows, headers, c)) for c in filled}
    return {
        "table": table,
        "period_axis": axis,
        "header_rows": headers,
        "label_column": label_column,
        "periods": periods,
        "categories": categories,
        "others": AUTO,
    }


def _crossed(
    rows: Rows,
    labels: Labels,
    headers: list[int],
    label_column: int,
    lines: list[int],
    titles: list[str],
) -> dict[str, Any] | None:
    """The cross-table guess (categories across, the period of the whole table when its title
    names one: else the person chooses it), or None when the columns are no dimension's."""
    period = titled_period(titles)
    width = max((len(row) for row in rows), default=0)
    counted = [
        c
        for c in range(width)
        if c != label_column and any(_is_number(_at(rows, r, c)) for r in lines)
    ]
    corner = _column_text(rows, headers, label_column)
    named = labels.dimension_named(corner) if corner else None
    row_dimension = named if named != TOTAL else None
    if row_dimension is None:
        row_dimension = labels.dimension_hint(text_of(_at(rows, r, label_column)) for r in lines)
    headings = {c: _column_text(rows, headers, c) for c in counted}
    found = cross_columns(headings, row_dimension, labels, [corner, *titles])
    if found is None or found.dimension is None:
        return None
    categories: dict[str, Any] = {}
    for r in lines:
        hit = labels.resolve_loosely(text_of(_at(rows, r, label_column)), row_dimension)
        categories[str(r)] = {"dimension": hit[0], "category": hit[1]} if hit else SKIP
    across: dict[str, Any] = {str(c): SKIP for c in counted}
    across.update({str(c): {"dimension": d, "category": k} for c, (d, k) in found.mapped.items()})
    return {
        "period_axis": COLUMNS,
        "periods": {},
        "categories": categories,
        "others": AUTO,
        "table_period": period.label if period else "",
        "cross_categories": across,
    }


def category_choices(spec: CampaignSpec, texts: Iterable[str]) -> list[tuple[str, list[str]]]:
    """Per dimension, the categories a select offers: the vocabulary's and those the labels name.

    Ages are open (`11`, `11-15`): the bands the table's labels name are offered.
    """
    texts = [t for t in texts if t]
    out = []
    for name, vocabulary in spec.dimensions.items():
        categories = [ALL] if name == TOTAL else list(vocabulary.categories)
        for text in texts:
            found = vocabulary.match(text)
            if found and found not in categories:
                categories.append(found)
        if isinstance(vocabulary, AgeVocabulary):
            categories.sort(key=_age_order)
        out.append((name, categories))
    return out


def _age_order(category: str) -> tuple[int, str]:
    low = category.split("-")[0].rstrip("+")
    return (int(low), category) if low.isdigit() else (999, category)


def period_choices(spec: CampaignSpec, texts: Iterable[str]) -> list[str]:
    """The campaign's periods, then any other period a heading names (a calendar year, a month)."""
    out = [p.label for p in spec.periods]
    for text in texts:
        period = period_in(text) if text else None
        if period is not None and period.label not in out:
            out.append(period.label)
    return out
