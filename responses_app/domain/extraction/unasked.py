"""Tables by a measure the campaign does not ask: left out, but checked against the totals.

A force answering "crimes on hospital grounds" may add a table by crime outcome.
Its rows are not the campaign's categories, so none of them becomes a figure, but
each year's column is the same crimes counted another way: a journalist adds it up
and compares it with the reply's total. A column that adds up to another number
than the total (a row missing from one of the tables) is a finding.
"""

from __future__ import annotations

from questions.periods import Period
from questions.vocab import ALL, TOTAL

from ..findings import INFO, WARNING
from .context import Context
from .model import Figure


def check_unasked(figures: list[Figure], ctx: Context) -> None:
    """One finding per table left out, and one per period whose sum differs from the total."""
    totals = {
        f.period: f.value
        for f in figures
        if (f.dimension, f.category) == (TOTAL, ALL) and f.value is not None and not f.suppressed
    }
    for table in ctx.unasked:
        if not table.rows:
            continue
        ctx.find(
            "table_not_asked",
            INFO,
            f"a table by {table.measure!r} ({table.rows} rows) answers something the campaign "
            "does not ask: its figures were left out, and its sums checked against the totals",
            table.locator,
        )
        for period, summed in sorted(table.sums.items(), key=lambda item: item[0].start):
            if summed is None:
                continue
            _check(
                table.measure,
                period,
                summed,
                table.printed.get(period),
                "its total row",
                ctx,
                table.locator,
            )
            _check(
                table.measure,
                period,
                summed,
                totals.get(period.label),
                "the reply's total",
                ctx,
                table.locator,
            )


def _check(
    measure: str,
    period: Period,
    summed: int,
    total: int | None,
    what: str,
    ctx: Context,
    locator: str,
) -> None:
    if total is None or total == summed:
        return
    ctx.find(
        "table_sum_differs",
        WARNING,
        f"the {measure!r} table adds up to {summed} for {period.label}, but {what} is "
        f"{total}: a row may be missing from one of them",
        locator,
    )
