"""The shape of a hand mapping, checked against what the campaign asked.

See ``mapped.py`` for the JSON a mapping is stored as and how it is read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from questions.periods import parse_period_label
from questions.vocab import CampaignSpec

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
    """A checked mapping: periods and categories by 0-based line, categories canonical."""

    table: int
    axis: str = COLUMNS
    header_rows: tuple[int, ...] = ()
    label_column: int | None = None
    periods: dict[int, str] = field(default_factory=dict)
    categories: dict[int, tuple[str, str]] = field(default_factory=dict)
    skipped: tuple[int, ...] = ()
    others: str = AUTO
    period_texts: dict[int, str] = field(default_factory=dict)

    def to_data(self) -> dict[str, Any]:
        """The JSON shape (string keys), as stored on the reply and the saved mapping."""
        categories: dict[str, Any] = {
            str(i): {"dimension": d, "category": c} for i, (d, c) in self.categories.items()
        }
        categories.update({str(i): SKIP for i in self.skipped})
        return {
            "table": self.table,
            "period_axis": self.axis,
            "header_rows": list(self.header_rows),
            "label_column": self.label_column,
            "periods": {str(i): label for i, label in self.periods.items()},
            "categories": categories,
            "others": self.others,
            "period_texts": {str(i): text for i, text in self.period_texts.items()},
        }

    def line(self, kind: str, index: int) -> str:
        """`column 3` / `row 5` (1-based, as the screen numbers them) for a period or category."""
        across = (self.axis == COLUMNS) == (kind == "period")
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


def parse_mapping(data: Mapping[str, Any] | TableMapping, spec: CampaignSpec) -> TableMapping:
    """Check a mapping against the campaign; raises MappingError listing every problem."""
    if isinstance(data, TableMapping):
        return data
    if not isinstance(data, Mapping):
        raise MappingError([f"a mapping is a JSON object, not {type(data).__name__}"])
    problems: list[str] = []
    shapes = (("header_rows", list | tuple, "list"), ("periods", Mapping, "JSON object"))
    for name, kind, called in (*shapes, ("categories", Mapping, "JSON object")):
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
    categories: dict[int, tuple[str, str]] = {}
    skipped: list[int] = []
    for key, value in (data.get("categories") or {}).items():
        index = _index(key, f"category {down}", problems)
        if index is None:
            continue
        found = _category(value, spec)
        if found is None:
            skipped.append(index)
        elif isinstance(found, str):
            problems.append(f"{down} {index + 1}: {found}")
        else:
            categories[index] = found
    _check_lines(periods, categories, headers, label_column, axis, problems)
    others = data.get("others", AUTO)
    texts = {}
    for key, text in (data.get("period_texts") or {}).items():
        index = _index(key, "period heading", problems)
        if index is not None:
            texts[index] = str(text)
    if problems:
        raise MappingError(problems)
    return TableMapping(
        table=table or 0,
        axis=axis,
        header_rows=tuple(sorted({h for h in headers if h is not None})),
        label_column=label_column,
        periods=dict(sorted(periods.items())),
        categories=dict(sorted(categories.items())),
        skipped=tuple(sorted(skipped)),
        others=IGNORE if others == IGNORE else AUTO,
        period_texts=texts,
    )


def _check_lines(periods, categories, headers, label_column, axis, problems: list[str]) -> None:
    across, down = ("column", "row") if axis == COLUMNS else ("row", "column")
    if not periods:
        problems.append(f"no {across} is given a period: choose the period of each {across}")
    if not categories:
        problems.append(f"no {down} is given a category: choose the category of each {down}")
    for label, lines in _twice(periods).items():
        problems.append(f"{label} is given to {across}s {_numbers(lines)}: choose one")
    for (dimension, category), lines in _twice(categories).items():
        problems.append(f"{category} ({dimension}) is given to {down}s {_numbers(lines)}")
    rows = set(categories if axis == COLUMNS else periods)
    for row in sorted(rows & {h for h in headers if h is not None}):
        problems.append(f"row {row + 1} is marked as a header and as holding figures")
    columns = set(periods if axis == COLUMNS else categories)
    if label_column is not None and label_column in columns:
        problems.append(f"column {label_column + 1} holds the labels and cannot hold figures")


def _twice(assigned: dict[int, Any]) -> dict[Any, list[int]]:
    lines: dict[Any, list[int]] = {}
    for index, value in assigned.items():
        lines.setdefault(value, []).append(index)
    return {value: found for value, found in lines.items() if len(found) > 1}


def _numbers(lines: list[int]) -> str:
    shown = [str(i + 1) for i in sorted(lines)]
    return ", ".join(shown[:-1]) + " and " + shown[-1]
