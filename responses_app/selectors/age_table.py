"""The national age table in harmonised bands, from the rows the dataset summary reads.

``responses_app.selectors.summary`` sums figures per category in the database; here the
age categories (and what each force reported in them) become the pure domain's
``ReportedAge`` and are rolled into the campaign's bands by
``responses_app.domain.ages.harmonise``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from questions.ages import AGE, AgeBand
from responses_app.domain.ages import (
    AgeRollup,
    ReportedAge,
    category_order,
    harmonise,
)
from responses_app.domain.consolidation import Range
from responses_app.domain.summary import Cell, ForceRow
from responses_app.selectors import ages as selectors


def categories(rows: Iterable[dict], dimension: str | None = AGE) -> list[str]:
    """The age categories the national rows hold, each once (none without an age dimension)."""
    found = {r["category"] for r in rows if dimension and r["dimension"] == dimension}
    return sorted(found, key=category_order)


def force_ages(row: dict, names: Sequence[str]) -> dict[str, Range | None]:
    """What one per-force row says the force reported in each age category it used."""
    return {c: Range.of(*bounds) for c, bounds in selectors.categories_of(row, names).items()}


def rollup(
    rows: Iterable[dict],
    forces: Iterable[ForceRow],
    bands: Sequence[AgeBand],
    *,
    dimension: str | None = AGE,
    at_most: Sequence[int] = (),
    basis: str = "",
) -> AgeRollup:
    """The national rows' age categories, with who reported them, in the campaign's bands."""
    forces = list(forces)
    reported = [
        ReportedAge(
            period=r["period"],
            category=r["category"],
            value=Range.of(r["n_lower"], r["n_upper"]),
            forces={
                f.name: f.ages[r["period"]][r["category"]]
                for f in forces
                if r["category"] in f.ages.get(r["period"], {})
            },
            suppressed=r["suppressed_count"],
            unknown=r["unknown_count"],
        )
        for r in rows
        if dimension and r["dimension"] == dimension
    ]
    return harmonise(reported, bands, at_most=at_most, basis=basis, dimension=dimension or AGE)


def with_harmonised_ages(
    cells: list[Cell], ages: AgeRollup, periods: Sequence[str], dimension: str | None = AGE
) -> list[Cell]:
    """``cells`` with their age cells replaced by the harmonised ones, in period order."""
    order = {p: i for i, p in enumerate(periods)}
    out = [c for c in cells if c.dimension != dimension] + ages.cells
    return sorted(out, key=lambda c: (order.get(c.period, len(order)), c.dimension))
