"""From observations to figures: months summed into the asked periods, duplicates merged.

Months (and days) are summed into the asked period holding them; a period
only partly covered keeps its explicit range and a finding. Calendar years
sent for financial years are kept as calendar-year figures, with a finding.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from questions.periods import CALENDAR_YEAR, FINANCIAL_YEAR, MONTH, Period, financial_year_of
from questions.vocab import ALL, TOTAL, AgeVocabulary

from ..findings import INFO, WARNING
from ..values import Value
from .context import Context
from .model import Figure, Observation

Settled = tuple[Period, str, str, Value, str]


def _target(period: Period, ctx: Context) -> Period | None:
    if ctx.spec.periods:
        return next((p for p in ctx.spec.periods if p.covers(period)), None)
    fy = financial_year_of(period.start)
    return fy if fy.covers(period) else None


def _covered(target: Period, parts: set[Period]) -> bool:
    cursor = target.start
    for part in sorted(parts):
        if part.start > cursor:
            return False
        cursor = max(cursor, part.end + timedelta(days=1))
    return cursor > target.end


def settle(ctx: Context) -> list[Settled]:
    """Observations -> (period, dimension, category, value, locator), periods settled."""
    settled: list[Settled] = []
    fine: dict[int, list[Observation]] = defaultdict(list)
    direct_periods: dict[int, set[Period]] = defaultdict(set)
    for obs in ctx.observations:
        asked = obs.period in ctx.spec.periods
        if asked or obs.period.kind in (FINANCIAL_YEAR, CALENDAR_YEAR):
            settled.append((obs.period, obs.dimension, obs.category, obs.value, obs.locator))
            direct_periods[obs.group].add(obs.period)
        else:
            fine[obs.group].append(obs)
    for group, items in fine.items():
        settled.extend(_sum_fine(items, direct_periods[group], ctx))
    _period_findings(settled, ctx)
    return settled


def _sum_fine(items: list[Observation], direct: set[Period], ctx: Context) -> list[Settled]:
    by_target: dict[Period, list[Observation]] = defaultdict(list)
    outside: set[Period] = set()
    out: list[Settled] = []
    for obs in items:
        target = _target(obs.period, ctx)
        if target is None:
            if obs.period.kind == MONTH or obs.period.start == obs.period.end:
                outside.add(obs.period)
            else:
                out.append((obs.period, obs.dimension, obs.category, obs.value, obs.locator))
        elif target in direct:
            ctx.find(
                "months_ignored",
                INFO,
                f"{obs.period.label} is also given within {target.label}: the year column was used",
                obs.locator,
            )
        else:
            by_target[target].append(obs)
    if outside:
        spans = sorted(outside)
        ctx.find(
            "periods_outside",
            INFO,
            f"{len(spans)} month(s) or day(s) outside the periods asked were left out "
            f"({spans[0].start.isoformat()} to {spans[-1].end.isoformat()})",
        )
    for target, observations in by_target.items():
        parts = {o.period for o in observations}
        period = target
        if not _covered(target, parts):
            period = Period(min(p.start for p in parts), max(p.end for p in parts))
            ctx.find(
                "partial_period",
                WARNING,
                f"the months given cover only part of {target.label} ({period.label}): "
                "kept as a figure for that range",
                observations[0].locator,
            )
        sums: dict[tuple[str, str], tuple[Value, str, str]] = {}
        for obs in sorted(observations, key=lambda o: o.period):
            key = (obs.dimension, obs.category)
            if key in sums:
                value, first, _ = sums[key]
                sums[key] = (value + obs.value, first, obs.locator)
            else:
                sums[key] = (obs.value, obs.locator, obs.locator)
        for (dimension, category), (value, first, last) in sums.items():
            where = first if first == last else f"{first} .. {last}"
            out.append((period, dimension, category, value, f"{where} (sum)"))
    return out


def _period_findings(settled: list[Settled], ctx: Context) -> None:
    """One finding per kind of period given that was not asked, naming the periods."""
    asked = set(ctx.spec.periods)
    if not asked:
        return
    asked_kinds = {p.kind for p in asked}
    others = sorted({s[0] for s in settled} - asked)
    calendar = [p for p in others if p.kind == CALENDAR_YEAR and CALENDAR_YEAR not in asked_kinds]
    if calendar:
        names = "financial years" if FINANCIAL_YEAR in asked_kinds else "other periods"
        ctx.find(
            "calendar_year",
            WARNING,
            f"figures are by calendar year {_span(calendar)}; the campaign asked for {names}: "
            "kept as calendar-year figures, not converted",
        )
    rest = [p for p in others if p not in calendar and p.kind in (FINANCIAL_YEAR, CALENDAR_YEAR)]
    if rest:
        ctx.find(
            "period_not_asked",
            WARNING,
            f"figures are given for {_span(rest)}, which was not asked: kept as given",
        )


def _span(periods: list[Period]) -> str:
    """`2019-2024` for consecutive years, else the labels listed."""
    labels = [p.label for p in periods]
    years = [p.start.year for p in periods]
    if len(periods) > 2 and years == list(range(years[0], years[0] + len(years))):
        return (
            f"{labels[0]}-{labels[-1]}"
            if periods[0].kind == CALENDAR_YEAR
            else (f"{labels[0]} to {labels[-1]}")
        )
    return ", ".join(labels)


def to_figures(settled: list[Settled], ctx: Context) -> list[Figure]:
    """One figure per (period, dimension, category); conflicting duplicates become findings."""
    chosen: dict[tuple[str, str, str], Figure] = {}
    for period, dimension, category, value, locator in settled:
        figure = Figure(
            period.label,
            dimension,
            category,
            value.value,
            value.suppressed,
            value.lower,
            value.upper,
            f"{ctx.source} {locator}".strip(),
        )
        earlier = chosen.get(figure.key)
        if earlier is None:
            chosen[figure.key] = figure
        elif (earlier.value, earlier.lower, earlier.upper) != (
            figure.value,
            figure.lower,
            figure.upper,
        ):
            ctx.find(
                "conflicting_figures",
                WARNING,
                f"{dimension} {category!r} for {period.label} is given twice with different values "
                f"({_show(earlier)} at {earlier.source}; {_show(figure)}): the first was kept",
                locator,
            )
    return sorted(chosen.values(), key=lambda f: _order(f, ctx))


def _show(figure: Figure) -> str:
    return Value(figure.value, figure.suppressed, figure.lower, figure.upper).shown


def _order(figure: Figure, ctx: Context) -> tuple:
    labels = [p.label for p in ctx.spec.periods]
    dimensions = list(ctx.spec.dimensions)
    vocabulary = ctx.spec.dimensions.get(figure.dimension)
    categories = list(vocabulary.categories) if vocabulary else []
    rank: tuple = (len(categories) + 1, figure.category)
    if figure.category in categories:
        rank = (categories.index(figure.category), "")
    elif isinstance(vocabulary, AgeVocabulary):
        low = figure.category.split("-")[0].rstrip("+")
        rank = (-1, f"{int(low):04d}" if low.isdigit() else figure.category)
    if figure.dimension == TOTAL and figure.category == ALL:
        rank = (-1, "")
    return (
        labels.index(figure.period) if figure.period in labels else len(labels),
        figure.period,
        dimensions.index(figure.dimension) if figure.dimension in dimensions else len(dimensions),
        rank,
    )
