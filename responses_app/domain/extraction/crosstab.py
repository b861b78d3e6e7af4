"""Cross-tabulations: a figure for each (row category, column category) of one period.

A force answering "crimes by type at each hospital" may send one table with crime
types down the side and hospitals across, with a total column, a total row or
both. The dataset holds marginal figures, one dimension at a time, so a cross-table
gives the campaign:

- each row category's figure: its printed row total, or the sum of its cells;
- each column category's figure: its printed column total, or the sum of its cells,
  when the campaign has the column's dimension (otherwise one finding says the
  breakdown was not kept);
- the period's total: the printed grand total, or the sum of the cells.

Every printed total that differs from the sum of its cells is a finding with its
locator, and the printed total is kept: the journalist's check against the PDF.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from questions.periods import Period
from questions.vocab import ALL, TOTAL

from ..findings import INFO, WARNING
from ..values import Value, total_of
from .context import Context
from .labels import Labels, Mapped

_GRAND = (TOTAL, ALL)


@dataclass
class CrossTable:
    """The cells of one cross-table, by period; `emit` turns them into marginal observations."""

    ctx: Context
    group: int
    #: The column categories' dimension when the campaign has it; None when it does not.
    kept: str | None
    #: What the columns break the figures down by, as printed (for the finding).
    columns_named: str = ""
    cells: dict[Period, dict[tuple[Mapped, Mapped], tuple[Value, str]]] = field(
        default_factory=dict
    )

    def add(self, period: Period, row: Mapped, column: Mapped, value: Value, locator: str) -> None:
        """One cell; a row or column of (total, all) is a printed total."""
        cells = self.cells.setdefault(period, {})
        key = (row, column)
        if key in cells:
            earlier, where = cells[key]
            if earlier != value:
                self.ctx.find(
                    "conflicting_figures",
                    WARNING,
                    f"{row[1]!r} by {column[1]!r} for {period.label} is given twice with "
                    f"different values ({earlier.shown} at {where}; {value.shown}): "
                    "the first was kept",
                    locator,
                )
            return
        cells[key] = (value, locator)

    def emit(self) -> None:
        """Marginal observations for every period read, with the sum checks."""
        for period, cells in self.cells.items():
            self._emit_period(period, cells)
        if self.cells and self.kept is None and self.columns_named:
            self.ctx.find(
                "breakdown_not_kept",
                INFO,
                f"the table also breaks the figures down by {self.columns_named}; the campaign "
                "asks for no such dimension, so only the rows' totals were kept",
            )
        self.cells = {}

    def _emit_period(
        self, period: Period, cells: dict[tuple[Mapped, Mapped], tuple[Value, str]]
    ) -> None:
        inner = {k: v for k, v in cells.items() if k[0] != _GRAND and k[1] != _GRAND}
        rows = _ordered(k[0] for k in cells if k[0] != _GRAND)
        columns = _ordered(k[1] for k in cells if k[1] != _GRAND)
        row_values = {
            row: self._marginal(
                period,
                [inner[(row, c)] for c in columns if (row, c) in inner],
                cells.get((row, _GRAND)),
                f"the {row[1]!r} row adds up",
                "row_sum_differs",
            )
            for row in rows
        }
        column_values = {
            column: self._marginal(
                period,
                [inner[(r, column)] for r in rows if (r, column) in inner],
                cells.get((_GRAND, column)),
                f"the {column[1]!r} column adds up",
                "column_sum_differs",
            )
            for column in columns
        }
        for row, (value, locator) in row_values.items():
            if value is not None:
                self.ctx.observe(period, row, value, locator, self.group)
        if self.kept is not None:
            for column, (value, locator) in column_values.items():
                if value is not None:
                    self.ctx.observe(period, column, value, locator, self.group)
        row_parts = [(v, loc) for v, loc in row_values.values() if v is not None]
        column_parts = [(v, loc) for v, loc in column_values.values() if v is not None]
        printed = cells.get((_GRAND, _GRAND))
        grand = self._marginal(period, row_parts, printed, "the rows add up", "grand_total_differs")
        if printed is not None and column_parts:
            self._marginal(
                period, column_parts, printed, "the columns add up", "grand_total_differs"
            )
        if grand[0] is not None and row_parts:
            self.ctx.observe(period, _GRAND, grand[0], grand[1], self.group)

    def _marginal(
        self,
        period: Period,
        parts: list[tuple[Value, str]],
        printed: tuple[Value, str] | None,
        what: str,
        code: str,
    ) -> tuple[Value | None, str]:
        """The printed total when there is one (checked against the sum), else the sum."""
        summed = total_of(v for v, _ in parts)
        if printed is None:
            if summed is None:
                return None, ""
            where = "; ".join(loc for _, loc in parts[:3]) + (" .." if len(parts) > 3 else "")
            return summed, f"{where} (sum)"
        value, locator = printed
        if (
            summed is not None
            and summed.value is not None
            and value.value is not None
            and summed.value != value.value
        ):
            self.ctx.find(
                code,
                WARNING,
                f"{what} to {summed.value} for {period.label}, but its printed total "
                f"is {value.value}: the printed total was kept",
                locator,
            )
        return value, locator


def _ordered(keys: Iterable[Mapped]) -> list[Mapped]:
    """Distinct keys in the order first seen."""
    return list(dict.fromkeys(keys))


# Recognising a cross-table's columns ------------------------------------------------------


@dataclass(frozen=True)
class CrossColumns:
    """The columns of a cross-table: each column's category (or the total), and their dimension."""

    mapped: dict[int, Mapped]
    dimension: str | None
    named: str = ""


def cross_columns(
    headings: dict[int, str],
    row_dimension: str | None,
    labels: Labels,
    naming: Iterable[str] = (),
) -> CrossColumns | None:
    """Whether count columns headed `headings` are categories of a second dimension.

    They are when every heading that is not a total is a category of one dimension
    other than the rows': known by the headings alone for a dimension with fixed
    categories, or named by a heading over them, the corner cell or the title
    (`Hospital`, `Crime type / Hospital`, `Crimes by hospital, 2022/23`) for an open one.
    With neither but a total column, the columns break the figures down by something
    the campaign does not ask: the total is read and the breakdown named as not kept.
    """
    totals = {c for c, h in headings.items() if labels.resolve(h, None) == _GRAND}
    others = {c: h for c, h in headings.items() if c not in totals}
    if len(others) < 2:
        return None
    dimension = _closed_dimension(others.values(), row_dimension, labels)
    if dimension is None and all(re.search(r"[A-Za-z]", h) for h in others.values()):
        dimension = named_dimension(others.values(), row_dimension, labels, naming)
    elif dimension is None:
        return None  # numbers across that no dimension knows: not a breakdown
    mapped: dict[int, Mapped] = {c: _GRAND for c in totals}
    if dimension is not None:
        vocabulary = labels.spec.dimensions[dimension]
        for c, heading in others.items():
            category = vocabulary.match(heading)
            if category is None:
                return None
            mapped[c] = (dimension, category)
        return CrossColumns(mapped, dimension)
    if len(totals) != 1:
        return None
    for c, heading in others.items():
        mapped[c] = ("", heading)
    return CrossColumns(mapped, None, ", ".join(repr(h) for h in others.values()))


def _closed_dimension(
    headings: Iterable[str], row_dimension: str | None, labels: Labels
) -> str | None:
    found: set[str] | None = None
    for heading in headings:
        names = set(labels.closed_candidates(heading)) - {row_dimension}
        found = names if found is None else found & names
    return found.pop() if found and len(found) == 1 else None


#: Words of a heading about a measure (`Recorded | Solved`), not a category of an open list.
_MEASURE_WORDS = {
    "recorded",
    "reported",
    "solved",
    "detected",
    "charged",
    "cleared",
    "arrests",
    "arrested",
    "outcome",
    "outcomes",
    "rate",
    "percent",
    "percentage",
    "change",
    "number",
    "count",
    "no",
    "offences",
    "crimes",
    "incidents",
    "victims",
    "suspects",
    "value",
    "average",
    "mean",
}


def _measure(heading: str) -> bool:
    return bool(set(re.findall(r"[a-z]+", heading.lower())) & _MEASURE_WORDS)


def named_dimension(
    headings: Iterable[str], row_dimension: str | None, labels: Labels, naming: Iterable[str]
) -> str | None:
    """The one dimension, besides the rows', that a heading over the columns, the corner cell,
    the title (`Crimes by type at each hospital, 2022/23` names both) or the column headings
    themselves (`General Hospital`) name."""
    headings = list(headings)
    texts = [t for t in (*naming, *headings) if t]
    named = {
        name
        for name, vocabulary in labels.spec.breakdowns.items()
        if name != row_dimension and any(vocabulary.names_this_dimension(t) for t in texts)
    }
    if len(named) != 1 or any(_measure(h) for h in headings):
        return None
    dimension = named.pop()
    vocabulary = labels.spec.dimensions[dimension]
    return dimension if all(vocabulary.match(h) for h in headings) else None
