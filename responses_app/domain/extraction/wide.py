"""Reading wide tables (periods across) and transposed ones (periods down) into observations."""

from __future__ import annotations

from collections.abc import Sequence

from questions.periods import CALENDAR_YEAR, FINANCIAL_YEAR, Period
from questions.vocab import ALL, TOTAL

from ..findings import INFO, WARNING
from ..readers.base import RawValue
from ..values import Value, ValueProblem
from .context import Context
from .crosstab import CrossTable, named_dimension
from .grid import Block, is_blank, text_of
from .labels import Mapped
from .layout import TransposedPlan, WidePlan, header_period
from .model import UnaskedTable

MAX_PENDING_LABEL = 60
YEAR_KINDS = (FINANCIAL_YEAR, CALENDAR_YEAR)


def _cell(row: Sequence[RawValue], col: int) -> RawValue:
    return row[col] if col < len(row) else None


def _numeric_text(value: object) -> bool:
    return isinstance(value, ValueProblem) and any(ch.isdigit() for ch in value.text)


class _Sums:
    """Column sums of a wide table's category rows, checked against its printed total rows,
    and each row's sum against a printed row-total column: the checks a journalist makes."""

    def __init__(self, block: Block, plan: WidePlan, ctx: Context) -> None:
        self.block, self.plan, self.ctx = block, plan, ctx
        self.sums: dict[tuple[str, int], int] = {}
        self.inexact: set[tuple[str, int]] = set()
        self.total_col = next(
            (
                c
                for c, h in plan.other_cols.items()
                if ctx.labels.resolve(h, None) == (TOTAL, "all")
            ),
            None,
        )

    def add(self, mapped: Mapped, parsed: dict, row, offset: int) -> None:
        if mapped[0] == TOTAL:
            self._check_columns(parsed, offset)
            return
        exact = True
        row_sum = 0
        for c, value in parsed.items():
            key = (mapped[0], c)
            if value is None:
                continue
            if isinstance(value, Value) and value.value is not None and not value.suppressed:
                self.sums[key] = self.sums.get(key, 0) + value.value
                row_sum += value.value
            else:
                self.inexact.add(key)
                exact = False
        if self.total_col is not None and exact:
            printed = self.ctx.parse(_cell(row, self.total_col))
            if isinstance(printed, Value) and printed.value is not None and not printed.suppressed:
                if printed.value != row_sum:
                    self.ctx.find(
                        "row_sum_differs",
                        WARNING,
                        f"the row adds up to {row_sum}, but its printed total is {printed.value}",
                        self.block.locate(offset, self.total_col),
                    )

    def _check_columns(self, parsed: dict, offset: int) -> None:
        for (dimension, c), total in sorted(self.sums.items()):
            printed = parsed.get(c)
            if (dimension, c) in self.inexact or not isinstance(printed, Value):
                continue
            if printed.value is None or printed.suppressed or printed.value == total:
                continue
            period = self.plan.period_cols[c].label
            self.ctx.find(
                "column_sum_differs",
                WARNING,
                f"the {dimension} rows for {period} add up to {total}, but the printed total "
                f"is {printed.value}",
                self.block.locate(offset, c),
            )
        self.sums.clear()
        self.inexact.clear()


def read_wide(block: Block, plan: WidePlan, ctx: Context, group: int) -> None:
    dimension = plan.dimension
    pending = ""
    noted_columns: set[int] = set()
    sums = _Sums(block, plan, ctx)
    cross = _cross_table(plan, ctx, group)
    unasked = None
    if plan.other_measure and dimension is None:
        unasked = UnaskedTable(
            plan.other_measure,
            block.table.locator.rows(block.start, block.start + block.length - 1),
        )
        ctx.unasked.append(unasked)
    width = _check_header_shape(block, plan, ctx)
    grouped: Mapped | None = None
    for index, row in block.rows(skip=plan.header + 1):
        offset = index - block.start
        raw_label = _cell(row, plan.label_col)
        label = text_of(raw_label)
        if plan.group_col is not None and not is_blank(_cell(row, plan.group_col)):
            grouped = _group_of(block, plan.group_col, plan, ctx, row, offset)
        parsed = {c: ctx.parse(_cell(row, c)) for c in plan.period_cols}
        has_value = any(isinstance(v, Value) for v in parsed.values())
        has_content = any(v is not None for v in parsed.values())
        for c in plan.section_cols:
            named = ctx.labels.dimension_named(text_of(_cell(row, c)))
            if named and named != TOTAL:
                dimension = named
        if not has_content:
            named = ctx.labels.dimension_named(label) if label else None
            if named and named != TOTAL and not ctx.labels.resolve(label, named):
                dimension, pending = named, ""
            else:
                pending = label if len(label) <= MAX_PENDING_LABEL else ""
            continue
        if _new_header(row, plan) and label:
            named = ctx.labels.dimension_named(label)
            if named and named != TOTAL:
                dimension, pending = named, ""  # a new header row starts the next table
                sums = _Sums(block, plan, ctx)
                if cross is not None:
                    cross.emit()
                continue
        if not label:
            if has_value:
                ctx.find(
                    "numbers_without_label",
                    WARNING,
                    "a row of numbers has no label: no figure was taken",
                    block.table.locator.row(index),
                )
            continue
        if unasked is not None and dimension is None:
            _tally_unasked(unasked, plan, ctx.labels.resolve(raw_label, None), parsed)
            continue
        mapped = ctx.labels.resolve_loosely(raw_label, dimension)
        if mapped is None and pending:
            mapped = ctx.labels.resolve_loosely(f"{pending} {label}", dimension)
        pending = ""
        if mapped is None:
            if has_value or any(_numeric_text(v) for v in parsed.values()):
                ctx.unknown(raw_label, dimension, block.locate(offset, plan.label_col))
            continue  # otherwise a second heading row (`Platform | Number | Number`)
        if cross is None:
            sums.add(mapped, parsed, row, offset)
        short = _check_row_shape(block, plan, ctx, row, offset, width)
        blanks = []
        for c, value in parsed.items():
            locator = block.locate(offset, c)
            if value is None and c in short:
                value = Value.exact(0)  # the shape finding says so
            elif value is None:
                value = Value.exact(0)
                blanks.append(locator)
            elif isinstance(value, ValueProblem):
                ctx.problem(value, locator)
                continue
            if cross is not None and plan.cross is not None:
                cross.add(plan.period_cols[c], mapped, plan.cross.mapped[c], value, locator)
            elif cross is not None:
                if grouped is not None:
                    cross.add(plan.period_cols[c], mapped, grouped, value, locator)
            else:
                ctx.observe(plan.period_cols[c], mapped, value, locator, group)
        for locator in blanks:
            ctx.find(
                "blank_as_zero", INFO, "a blank cell inside a filled row was read as 0", locator
            )
        _note_other_columns(block, plan, ctx, row, offset, noted_columns)
    if cross is not None:
        cross.emit()


def _tally_unasked(
    unasked: UnaskedTable, plan: WidePlan, mapped: Mapped | None, parsed: dict
) -> None:
    """A row of a table by a measure not asked: summed per period, or its printed total."""
    for c, value in parsed.items():
        period = plan.period_cols[c]
        number = value if isinstance(value, Value) else Value.not_available()
        if value is None:
            number = Value.exact(0)
        if mapped != (TOTAL, ALL):
            unasked.add(period, number)
        elif number.value is not None and not number.suppressed:
            unasked.printed[period] = number.value
    if mapped != (TOTAL, ALL):
        unasked.rows += 1


def _cross_table(plan: WidePlan, ctx: Context, group: int) -> CrossTable | None:
    if plan.cross is not None:
        return CrossTable(ctx, group, plan.cross.dimension, plan.cross.named)
    if plan.group_col is not None:
        return CrossTable(ctx, group, plan.group_dimension)
    return None


def _group_of(
    block: Block, col: int, plan: WidePlan, ctx: Context, row, offset: int
) -> Mapped | None:
    """The group a row starts (`General Hospital`), or None when its name is not known."""
    raw = _cell(row, col)
    found = ctx.labels.resolve(raw, plan.group_dimension)
    if found is None:
        ctx.unknown(raw, plan.group_dimension, block.locate(offset, col))
    return found


def _check_header_shape(block: Block, plan: WidePlan, ctx: Context) -> int:
    """The header's width; a year missing between its period columns is a finding."""
    head = block.head[plan.header]
    width = max((i for i, v in enumerate(head) if not is_blank(v)), default=0) + 1
    periods = sorted({p for p in plan.period_cols.values() if p.kind in YEAR_KINDS})
    by_kind: dict[str, list[Period]] = {}
    for period in periods:
        by_kind.setdefault(period.kind, []).append(period)
    for same in by_kind.values():
        for before, after in zip(same, same[1:], strict=False):
            missing: list[str] = []
            step = before.shifted(1)
            while step.start < after.start and len(missing) < 10:
                missing.append(step.label)
                step = step.shifted(1)
            if missing:
                ctx.find(
                    "period_column_missing",
                    WARNING,
                    f"the table has columns for {before.label} and {after.label} but none for "
                    f"{', '.join(missing)}: a column may have been lost",
                    block.table.locator.row(block.start + plan.header),
                )
    return width


def _check_row_shape(
    block: Block, plan: WidePlan, ctx: Context, row, offset: int, width: int
) -> set[int]:
    """The number of values against the table's shape: a row that stops before the header's
    last column (the period columns it lacks, read as 0), or values past the header's last
    column (no heading: left out). Each is a finding with its locator."""
    cut = len(row)
    short = {c for c in plan.period_cols if c >= cut}
    if short and cut < width:
        lacking = ", ".join(plan.period_cols[c].label for c in sorted(short))
        ctx.find(
            "row_shorter_than_header",
            WARNING,
            f"the row has {cut} cells where the header has {width}: it has no value for "
            f"{lacking} (read as 0; its values may have moved)",
            block.locate(offset, cut),
        )
    extra = [c for c in range(width, len(row)) if isinstance(ctx.parse(_cell(row, c)), Value)]
    if extra:
        ctx.find(
            "values_past_header",
            WARNING,
            f"the row has {len(extra)} value(s) past the header's last column: they have no "
            "heading and were left out",
            block.locate(offset, extra[0]),
        )
    return short


def _new_header(row, plan: WidePlan) -> bool:
    """A row repeating the period headings (the header of the next stacked table)."""
    return all(header_period(_cell(row, c)) == p for c, p in plan.period_cols.items())


def _note_other_columns(
    block: Block, plan: WidePlan, ctx: Context, row, offset: int, noted: set[int]
) -> None:
    for c, heading in plan.other_cols.items():
        if c in noted or not isinstance(ctx.parse(_cell(row, c)), Value):
            continue
        noted.add(c)
        ctx.find(
            "column_not_a_period",
            INFO,
            f"column {heading!r} is not a period: its numbers were left out",
            block.locate(offset, c),
        )


def read_transposed(block: Block, plan: TransposedPlan, ctx: Context, group: int) -> None:
    head = block.head[plan.header]
    headings = {c: text_of(_cell(head, c)) for c in plan.category_cols}
    dimension = ctx.labels.dimension_hint(headings.values())
    if dimension is None:  # open lists all take any word: the headings may name theirs
        categories = [h for h in headings.values() if ctx.labels.resolve(h, None) != (TOTAL, ALL)]
        corner = text_of(_cell(head, plan.period_col))
        dimension = named_dimension(categories, None, ctx.labels, [corner])
    mapped: dict[int, Mapped] = {}
    for c, heading in headings.items():
        found = ctx.labels.resolve_loosely(heading, dimension)
        if found is None:
            ctx.unknown(heading, dimension, block.locate(plan.header, c))
        else:
            mapped[c] = found
    for index, row in block.rows(skip=plan.header + 1):
        offset = index - block.start
        raw_period = _cell(row, plan.period_col)
        period = header_period(raw_period)
        values = {c: ctx.parse(_cell(row, c)) for c in mapped}
        if period is None:
            if any(isinstance(v, Value) for v in values.values()) and not is_blank(raw_period):
                ctx.find(
                    "unknown_period",
                    WARNING,
                    f"{text_of(raw_period)!r} is not a period: the row was left out",
                    block.locate(offset, plan.period_col),
                )
            continue
        for c, value in values.items():
            locator = block.locate(offset, c)
            if value is None:
                if any(v is not None for v in values.values()):
                    ctx.find(
                        "blank_as_zero",
                        INFO,
                        "a blank cell inside a filled row was read as 0",
                        locator,
                    )
                    ctx.observe(period, mapped[c], Value.exact(0), locator, group)
                continue
            if isinstance(value, ValueProblem):
                ctx.problem(value, locator)
                continue
            ctx.observe(period, mapped[c], value, locator, group)
