"""The shape of a hand mapping, checked against what the campaign asked.

A mapping puts periods along one axis of a table (``period_axis``) and one
dimension's categories along the other. A cross-table (one period; crime types
down, hospitals across) is mapped with ``table_period``, the one period of the whole
table: the lines of the period axis then name categories of a second dimension (or
the total, or are skipped) in ``cross_categories``, and the cells are read as
``crosstab.CrossTable`` reads them.

See ``mapped.py`` for the JSON a mapping is stored as and how it is read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from questions.periods import parse_period_label
from questions.vocab import TOTAL, CampaignSpec

COLUMNS, ROWS = "columns", "rows"
AUTO, IGNORE = "auto", "ignore"
SKIP = "skip"
_SPELLING = "write it as dimension: category, e.g. age: 0-10"


class MappingError(ValueError):
    """A mapping that cannot be applied; each problem is one sentence naming the line."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class TableMapping:
    """A checked mapping: periods and categories by 0-based line, categories canonical.

    With ``table_period`` set the whole table is that one period and the lines of the
    period axis are categories of a second dimension (``cross``) instead of periods.
    """

    table: int
    axis: str = COLUMNS
    header_rows: tuple[int, ...] = ()
    label_column: int | None = None
    periods: dict[int, str] = field(default_factory=dict)
    categories: dict[int, tuple[str, str]] = field(default_factory=dict)
    skipped: tuple[int, ...] = ()
    others: str = AUTO
    period_texts: dict[int, str] = field(default_factory=dict)
    table_period: str | None = None
    cross: dict[int, tuple[str, str]] = field(default_factory=dict)
    cross_skipped: tuple[int, ...] = ()
    #: The words naming the table's period (its title) when the mapping was saved.
    table_period_text: str | None = None

    @property
    def crossed(self) -> bool:
        """One period for the whole table, a second dimension along the period axis."""
        return self.table_period is not None

    def to_data(self) -> dict[str, Any]:
        """The JSON shape (string keys), as stored on the reply and the saved mapping."""
        categories: dict[str, Any] = {
            str(i): {"dimension": d, "category": c} for i, (d, c) in self.categories.items()
        }
        categories.update({str(i): SKIP for i in self.skipped})
        data: dict[str, Any] = {
            "table": self.table,
            "period_axis": self.axis,
            "header_rows": list(self.header_rows),
            "label_column": self.label_column,
            "periods": {str(i): label for i, label in self.periods.items()},
            "categories": categories,
            "others": self.others,
            "period_texts": {str(i): text for i, text in self.period_texts.items()},
        }
        if self.table_period is not None:  # a mapping of periods keeps the shape it always had
            cross: dict[str, Any] = {
                str(i): {"dimension": d, "category": c} for i, (d, c) in self.cross.items()
            }
            cross.update({str(i): SKIP for i in self.cross_skipped})
            data["table_period"] = self.table_period
            data["cross_categories"] = cross
            if self.table_period_text is not None:
                data["table_period_text"] = self.table_period_text
        return data

    def line(self, kind: str, index: int) -> str:
        """`column 3` / `row 5` (1-based, as the screen numbers them) for a period or category.

        ``kind`` "period" and "cross" are lines of the period axis, "category" of the other.
        """
        across = (self.axis == COLUMNS) == (kind in ("period", "cross"))
        return f"{'column' if across else 'row'} {index + 1}"


def _index(key: object, what: str, problems: list[str]) -> int | None:
    try:
        number = int(str(key))
    except ValueError:
        problems.append(f"{what} {key!r} is not a row or column number")
        return None
    if number < 0:
        problems.append(f"{what} {number} is not a row or column number")
        return None
    return number


def _category(value: object, spec: CampaignSpec) -> tuple[str, str] | str | None:
    """(dimension, canonical category), None for skip, or a problem sentence."""
    if value in (None, "", SKIP):
        return None
    if isinstance(value, str) and ":" in value:
        dimension, _, category = value.partition(":")
    elif isinstance(value, Mapping):
        dimension, category = str(value.get("dimension", "")), str(value.get("category", ""))
    elif isinstance(value, str):
        matches = [(name, v.match(value)) for name, v in spec.dimensions.items()]
        known = [(name, category) for name, category in matches if category]
        if len(known) == 1:
            return known[0]
        return f"say which dimension {value!r} belongs to ({_SPELLING})"
    else:
        return f"{value!r} is not a category ({_SPELLING})"
    dimension, category = dimension.strip(), category.strip()
    vocabulary = spec.dimensions.get(dimension)
    if vocabulary is None:
        return f"{dimension!r} is not a dimension of this campaign ({', '.join(spec.dimensions)})"
    canonical = vocabulary.match(category)
    if canonical is None:
        close = vocabulary.suggest(category)
        hint = f" (closest: {', '.join(close)})" if close else ""
        return f"{category!r} is not a {dimension} category{hint}"
    return (dimension, canonical)


def _categories(
    values: Mapping[Any, Any], line: str, spec: CampaignSpec, problems: list[str]
) -> tuple[dict[int, tuple[str, str]], list[int]]:
    """Lines named by category (by `_category`), and the lines skipped."""
    categories: dict[int, tuple[str, str]] = {}
    skipped: list[int] = []
    for key, value in values.items():
        index = _index(key, f"category {line}", problems)
        if index is None:
            continue
        found = _category(value, spec)
        if found is None:
            skipped.append(index)
        elif isinstance(found, str):
            problems.append(f"{line} {index + 1}: {found}")
        else:
            categories[index] = found
    return categories, skipped


def asked_period(label: str, spec: CampaignSpec) -> str | None:
    """The sentence refusing a whole-table period the campaign did not ask, else None."""
    asked = [p.label for p in spec.periods]
    if not asked or label in asked:
        return None
    return (
        f"the whole table is given the period {label}, which the campaign did not ask "
        f"(it asks {', '.join(asked)})"
    )


def _table_period(data: Mapping[str, Any], spec: CampaignSpec, problems: list[str]) -> str | None:
    value = data.get("table_period")
    if value in (None, ""):
        return None
    period = parse_period_label(str(value))
    if period is None:
        problems.append(f"the whole table's period {value!r} is not a period")
        return None
    refused = asked_period(period.label, spec)
    # A saved mapping follows its table's title along the years: the period it reads
    # is checked when the table is read (``mapped.extract_mapped``).
    if refused and data.get("table_period_text") is None:
        problems.append(refused)
    return period.label


def parse_mapping(data: Mapping[str, Any] | TableMapping, spec: CampaignSpec) -> TableMapping:
    """Check a mapping against the campaign; raises MappingError listing every problem."""
    if isinstance(data, TableMapping):
        return data
    if not isinstance(data, Mapping):
        raise MappingError([f"a mapping is a JSON object, not {type(data).__name__}"])
    problems: list[str] = []
    shapes = (
        ("header_rows", list | tuple, "list"),
        ("periods", Mapping, "JSON object"),
        ("categories", Mapping, "JSON object"),
        ("cross_categories", Mapping, "JSON object"),
        ("table_period", str, "period such as 2022-23"),
    )
    for name, kind, called in shapes:
        if data.get(name) is not None and not isinstance(data.get(name), kind):
            raise MappingError([f"{name} must be a {called}"])
    table = _index(data.get("table", 0), "table", problems)
    axis = data.get("period_axis", COLUMNS)
    if axis not in (COLUMNS, ROWS):
        problems.append(f"periods run across {COLUMNS!r} or down {ROWS!r}, not {axis!r}")
        axis = COLUMNS
    across, down = ("column", "row") if axis == COLUMNS else ("row", "column")
    headers = [_index(k, "header row", problems) for k in data.get("header_rows") or []]
    label = data.get("label_column")
    label_column = None if label in (None, "") else _index(label, "label column", problems)
    periods: dict[int, str] = {}
    for key, value in (data.get("periods") or {}).items():
        index = _index(key, f"period {across}", problems)
        if index is None or value in (None, ""):
            continue
        period = parse_period_label(str(value))
        if period is None:
            problems.append(f"{across} {index + 1}: {value!r} is not a period")
            continue
        periods[index] = period.label
    categories, skipped = _categories(data.get("categories") or {}, down, spec, problems)
    table_period = _table_period(data, spec, problems)
    cross, cross_skipped = _categories(data.get("cross_categories") or {}, across, spec, problems)
    periods = dict(sorted(periods.items()))
    categories, cross = dict(sorted(categories.items())), dict(sorted(cross.items()))
    lines = _Lines(periods, categories, cross, headers, label_column, axis)
    if table_period is None:
        lines.check(problems)
    else:
        lines.check_crossed(table_period, problems)
    others = data.get("others", AUTO)
    texts = {}
    for key, text in (data.get("period_texts") or {}).items():
        index = _index(key, "period heading", problems)
        if index is not None:
            texts[index] = str(text)
    if problems:
        raise MappingError(problems)
    title = data.get("table_period_text")
    return TableMapping(
        table=table or 0,
        axis=axis,
        header_rows=tuple(sorted({h for h in headers if h is not None})),
        label_column=label_column,
        periods=periods,
        categories=categories,
        skipped=tuple(sorted(skipped)),
        others=IGNORE if others == IGNORE else AUTO,
        period_texts=texts,
        table_period=table_period,
        cross=cross if table_period else {},
        cross_skipped=tuple(sorted(cross_skipped)) if table_period else (),
        table_period_text=None if table_period is None or title is None else str(title),
    )


@dataclass
class _Lines:
    """The lines a mapping names, checked against each other (one sentence per problem)."""

    periods: dict[int, str]
    categories: dict[int, tuple[str, str]]
    cross: dict[int, tuple[str, str]]
    headers: list[int | None]
    label_column: int | None
    axis: str

    @property
    def across(self) -> str:
        return "column" if self.axis == COLUMNS else "row"

    @property
    def down(self) -> str:
        return "row" if self.axis == COLUMNS else "column"

    def check(self, problems: list[str]) -> None:
        """A mapping of periods along one axis, categories along the other."""
        across, down = self.across, self.down
        for index, (dimension, category) in self.cross.items():
            problems.append(
                f"{across} {index + 1} is given a category ({category}, {dimension}) but the "
                f"table has no period of its own: choose one period for the whole table, "
                f"or give the {across} a period"
            )
        if not self.periods and not self.cross:
            problems.append(f"no {across} is given a period: choose the period of each {across}")
        if not self.categories:
            problems.append(f"no {down} is given a category: choose the category of each {down}")
        for label, lines in _twice(self.periods).items():
            problems.append(f"{label} is given to {across}s {_numbers(lines)}: choose one")
        self._twice_categories(problems)
        self._check_places(self.periods, problems)

    def check_crossed(self, period: str, problems: list[str]) -> None:
        """One period for the whole table: categories down, a second dimension across."""
        across, down = self.across, self.down
        for index, label in self.periods.items():
            problems.append(
                f"{across} {index + 1} is given the period {label}, but the whole table is "
                f"given {period}: give the {across} a category, the total, or skip it"
            )
        if not self.cross:
            problems.append(
                f"no {across} is given a category or the total: say what each {across} counts"
            )
        if not self.categories:
            problems.append(f"no {down} is given a category: choose the category of each {down}")
        for (dimension, category), lines in _twice(self.cross).items():
            problems.append(f"{category} ({dimension}) is given to {across}s {_numbers(lines)}")
        self._twice_categories(problems)
        rows = _first_of(self.categories, {TOTAL})
        for index, (dimension, category) in self.categories.items():
            if rows is not None and dimension not in (TOTAL, rows[1]):
                problems.append(
                    f"{down} {index + 1} is a {dimension} category ({category}) but {down} "
                    f"{rows[0] + 1} is {rows[1]}: with one period for the whole table the "
                    f"{down}s are one dimension (and the total)"
                )
        row_dimension = rows[1] if rows else None
        columns = _first_of(self.cross, {TOTAL, row_dimension})
        for index, (dimension, category) in self.cross.items():
            if dimension == TOTAL:
                continue
            if dimension == row_dimension:
                problems.append(
                    f"{across} {index + 1}: {category} is a {dimension} category, as the "
                    f"{down}s are: the {across}s must break the figures down by another dimension"
                )
            elif columns is not None and dimension != columns[1]:
                problems.append(
                    f"{across} {index + 1} is a {dimension} category ({category}) but {across} "
                    f"{columns[0] + 1} is {columns[1]}: the {across}s are one dimension "
                    "(and the total)"
                )
        self._check_places(self.cross, problems)

    def _twice_categories(self, problems: list[str]) -> None:
        for (dimension, category), lines in _twice(self.categories).items():
            problems.append(f"{category} ({dimension}) is given to {self.down}s {_numbers(lines)}")

    def _check_places(self, along: dict[int, Any], problems: list[str]) -> None:
        """Headers hold no figures, nor does the label column; `along` is the period axis."""
        across = set(along) | set(self.periods)
        rows = set(self.categories if self.axis == COLUMNS else across)
        for row in sorted(rows & {h for h in self.headers if h is not None}):
            problems.append(f"row {row + 1} is marked as a header and as holding figures")
        columns = set(across if self.axis == COLUMNS else self.categories)
        if self.label_column is not None and self.label_column in columns:
            problems.append(
                f"column {self.label_column + 1} holds the labels and cannot hold figures"
            )


def _first_of(lines: dict[int, tuple[str, str]], but: set[str | None]) -> tuple[int, str] | None:
    """The first line whose dimension is not one of `but`, and that dimension."""
    return next(((i, d) for i, (d, _) in lines.items() if d not in but), None)


def _twice(assigned: dict[int, Any]) -> dict[Any, list[int]]:
    lines: dict[Any, list[int]] = {}
    for index, value in assigned.items():
        lines.setdefault(value, []).append(index)
    return {value: found for value, found in lines.items() if len(found) > 1}


def _numbers(lines: list[int]) -> str:
    shown = [str(i + 1) for i in sorted(lines)]
    return ", ".join(shown[:-1]) + " and " + shown[-1]
