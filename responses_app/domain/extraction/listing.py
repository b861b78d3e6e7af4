"""Reading long tables (one row per period and category) and record-level listings.

A listing is streamed row by row: each offence is counted into the asked
period holding its date, once for the total and once per dimension column;
rows dated outside the periods asked are left out and counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from questions.periods import FINANCIAL_YEAR, Period, financial_year_of
from questions.vocab import ALL, NOT_RECORDED, TOTAL

from ..findings import INFO, WARNING
from ..readers.base import RawValue
from ..values import Value, ValueProblem
from .context import Context
from .crosstab import CrossTable
from .grid import Block, is_blank, non_blank, text_of
from .layout import ListingPlan, time_key

MAX_CACHE = 50_000


def _cell(row: Sequence[RawValue], col: int | None) -> RawValue:
    return row[col] if col is not None and col < len(row) else None


def _as_period(key: Period | date) -> Period:
    return key if isinstance(key, Period) else Period(key, key)


class _Across(NamedTuple):
    """A long cross-table's second category column, that column's dimension, and its cells."""

    col: int
    dimension: str
    table: CrossTable


def read_listing(block: Block, plan: ListingPlan, ctx: Context, group: int) -> None:
    """A long table (a count in each row) or, without a count column, a record listing."""
    if plan.value_col is None:
        read_records(block, plan, ctx)
    else:
        _read_long(block, plan, plan.value_col, ctx, group)


def _read_long(block: Block, plan: ListingPlan, value_col: int, ctx: Context, group: int) -> None:
    heading = plan.header_texts[plan.time_col] if plan.header_texts else ""
    cross = None
    if plan.cross_col is not None and plan.cross_dimension is not None:
        table = CrossTable(ctx, group, plan.cross_dimension)
        cross = _Across(plan.cross_col, plan.cross_dimension, table)
    for index, row in block.rows(skip=plan.header + 1):
        offset = index - block.start
        key = time_key(_cell(row, plan.time_col), heading)
        value = ctx.parse(_cell(row, value_col))
        if key is None:
            if isinstance(value, Value) and len(non_blank(row)) > 1:
                ctx.find(
                    "unknown_period",
                    WARNING,
                    f"{text_of(_cell(row, plan.time_col))!r} is not a period: the row was left out",
                    block.locate(offset, plan.time_col),
                )
            continue
        dimension = plan.dimension
        if plan.breakdown_col is not None:
            dimension = ctx.labels.dimension_named(text_of(_cell(row, plan.breakdown_col)))
        if dimension == TOTAL:
            mapped = (TOTAL, ALL)
        else:
            category_col = plan.category_col
            raw_label = _cell(row, category_col)
            if category_col is None or is_blank(raw_label):
                continue
            found = ctx.labels.resolve_loosely(raw_label, dimension)
            if found is None:
                ctx.unknown(raw_label, dimension, block.locate(offset, category_col))
                continue
            mapped = found
        locator = block.locate(offset, value_col)
        if value is None:
            ctx.find("blank_as_zero", INFO, "a blank count was read as 0", locator)
            value = Value.exact(0)
        elif isinstance(value, ValueProblem):
            ctx.problem(value, locator)
            continue
        if cross is not None:
            raw_column = _cell(row, cross.col)
            column = ctx.labels.resolve(raw_column, cross.dimension)
            if column is None:
                ctx.unknown(raw_column, cross.dimension, block.locate(offset, cross.col))
                continue
            cross.table.add(_as_period(key), mapped, column, value, locator)
            continue
        ctx.observe(_as_period(key), mapped, value, locator, group)
    if cross is not None:
        cross.table.emit()


class _Bucketer:
    """Which asked period holds a date or a period (the financial year when none were asked)."""

    def __init__(self, ctx: Context) -> None:
        self.periods = ctx.spec.periods

    def __call__(self, key: Period | date) -> Period | None:
        if isinstance(key, Period):
            if self.periods:
                return next((p for p in self.periods if p.covers(key)), None)
            return key if key.kind == FINANCIAL_YEAR else financial_year_of(key.start)
        if self.periods:
            return next((p for p in self.periods if p.contains(key)), None)
        return financial_year_of(key)


_UNDATED, _OUTSIDE = -1, -2


def _slot(
    key: Period | date | None, bucket: _Bucketer, targets: list, totals: list, counts: list
) -> int:
    if key is None:
        return _UNDATED
    period = bucket(key)
    if period is None:
        return _OUTSIDE
    if period not in targets:
        targets.append(period)
        totals.append(0)
        counts.append({})
    return targets.index(period)


def _repeats_header(row: Sequence[RawValue], plan: ListingPlan) -> bool:
    """A header row repeated inside a listing (concatenated exports, a new PDF page)."""
    texts = [text_of(value) for value in row]
    return texts[: len(plan.header_texts)] == list(plan.header_texts)[: len(texts)]


def _category(ctx: Context, dimension: str, label: RawValue) -> str | None:
    mapped = ctx.labels.resolve(NOT_RECORDED if is_blank(label) else label, dimension)
    return mapped[1] if mapped is not None and mapped[0] == dimension else None


def read_records(block: Block, plan: ListingPlan, ctx: Context) -> None:
    """Count each row (one offence) into the asked period holding its date."""
    tally = ctx.tally
    heading = plan.header_texts[plan.time_col] if plan.header_texts else ""
    bucket = _Bucketer(ctx)
    targets: list[Period] = []
    slots: dict[object, int] = {}
    totals: list[int] = []
    counts: list[dict[tuple[str, str], int]] = []
    columns = sorted(plan.dimension_cols.items(), key=lambda item: item[1])
    resolved: dict[tuple[str, object], tuple[str | None, bool]] = {}
    time_col = plan.time_col
    number_col = plan.row_number_col
    span: tuple[int, int] | None = None  # the first and last rows counted
    for index, row in block.rows(skip=plan.header + 1):
        if number_col is not None and number_col < len(row):
            _check_row_number(row[number_col], tally, block.table.locator.row(index))
        raw = row[time_col] if time_col < len(row) else None
        slot = slots.get(raw) if isinstance(raw, str | date) else None
        if slot is None:
            slot = _slot(time_key(raw, heading), bucket, targets, totals, counts)
            if isinstance(raw, str | date) and len(slots) < MAX_CACHE:
                slots[raw] = slot
        if slot < 0:
            if slot == _OUTSIDE:
                tally.excluded += 1
                tally.rows += 1
            elif len(non_blank(row)) > 1 and not _repeats_header(row, plan):
                tally.undated += 1
                tally.undated_at = tally.undated_at or block.table.locator.row(index)
            continue
        span = (index, index) if span is None else (span[0], index)
        tally.rows += 1
        totals[slot] += 1
        tallied = counts[slot]
        for dimension, col in columns:
            label = row[col] if col < len(row) else None
            key = (dimension, label)
            known = resolved.get(key)
            if known is None:
                known = (_category(ctx, dimension, label), is_blank(label))
                if len(resolved) < MAX_CACHE:
                    resolved[key] = known
            category, blank = known
            if blank:
                tally.blanks[dimension] += 1
            if category is None:
                ctx.unknown(label, dimension, block.table.locator.cell(index, col))
                continue
            tallied[(dimension, category)] = tallied.get((dimension, category), 0) + 1
    for slot, period in enumerate(targets):
        if totals[slot]:
            tally.counts[(period, TOTAL, ALL)] += totals[slot]
        for (dimension, category), count in counts[slot].items():
            tally.counts[(period, dimension, category)] += count
    if span is not None:
        tally.spans.append(block.table.locator.rows(*span))
    for col in plan.numeric_cols:
        ctx.find(
            "numbers_in_listing",
            INFO,
            f"column {plan.header_texts[col]!r} holds numbers, but the table lists one offence "
            "per row: each row was counted once",
            block.locate(plan.header, col),
        )


MAX_GAPS = 50


def _check_row_number(raw: RawValue, tally, locator: str) -> None:
    """Note where a row-number column skips (rows lost at a page break, or left out)."""
    text = text_of(raw).replace(",", "")
    if not text.isdigit():
        return
    number = int(text)
    previous = tally.last_number
    if previous is not None and number > previous + 1 and len(tally.gaps) < MAX_GAPS:
        tally.gaps.append((previous + 1, number - 1, locator))
    tally.last_number = number
