"""Rules that compare a figure with the past: earlier periods and earlier releases."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ..findings import WARNING
from .base import FigureFacts, Issue, Reference, Rule, ValidationContext, number, show_value


def _days(start: date | None, end: date | None) -> int | None:
    return (end - start).days if start and end else None


def _comparable_end(figure: FigureFacts, ref: Reference) -> date | None:
    """The end of ``ref``'s period, when it is an earlier period of about the same length
    as the figure's (a year against a year); None when it is not comparable."""
    end = ref.period_end
    if end is None or figure.period_start is None or end >= figure.period_start:
        return None
    mine, theirs = (
        _days(figure.period_start, figure.period_end),
        _days(ref.period_start, end),
    )
    return end if mine is not None and theirs is not None and abs(mine - theirs) <= 5 else None


class ImplausibleChangeRule(Rule):
    """More than `factor` times up or down on the force's previous period, on enough offences."""

    code = "change.implausible"
    severity = WARNING
    description = (
        "A figure is not more than FACTOR times up or down on the same force's previous "
        "period (this campaign or an earlier one), when either side has at least MIN_COUNT."
    )

    def __init__(self, factor: float = 3, min_count: int = 20) -> None:
        if factor <= 1:
            raise ValueError(f"the change factor must be above 1, not {factor}")
        self.factor = float(factor)
        self.min_count = int(min_count)

    def check(self, context: ValidationContext) -> Iterable[Issue]:
        earlier: dict[tuple[str, str, str], list[Reference]] = {}
        current = [
            Reference(
                f.force,
                f.period,
                f.dimension,
                f.category,
                f.value,
                f.suppressed,
                f.lower,
                f.upper,
                f.period_start,
                f.period_end,
                "this campaign",
            )
            for f in context.figures
            if f.known
        ]
        for ref in (*context.history, *current):
            if not ref.suppressed and ref.value is not None:
                earlier.setdefault((ref.force, ref.dimension, ref.category), []).append(ref)
        for figure in context.figures:
            if not figure.known:
                continue
            candidates = [
                (end, r)
                for r in earlier.get((figure.force, figure.dimension, figure.category), [])
                if (end := _comparable_end(figure, r)) is not None
            ]
            if not candidates:
                continue
            _, previous = max(candidates, key=lambda pair: pair[0])
            now, before = int(figure.value), int(previous.value)
            if max(now, before) < self.min_count:
                continue
            if now > before * self.factor:
                change = f"{now / before:.1f} times up" if before else "up from 0"
            elif before > now * self.factor:
                change = f"{before / now:.1f} times down" if now else "down to 0"
            else:
                continue
            yield self.issue(
                figure,
                f"{figure.name} is {number(now)}, against {number(before)} for "
                f"{previous.period} ({previous.label}): {change}. Check the figure was "
                "read from the right row and column.",
            )


class RevisionRule(Rule):
    """A figure that differs from what an earlier release published for the same cell."""

    code = "figure.revised"
    severity = WARNING
    description = (
        "A figure equals the value the latest release holding the same force, period, "
        "dimension and category published; a difference is a revision, shown with both values."
    )

    def check(self, context: ValidationContext) -> Iterable[Issue]:
        published = {ref.key: ref for ref in context.released}
        for figure in context.figures:
            ref = published.get(figure.key)
            if ref is None:
                continue
            same = (
                bool(ref.suppressed) == bool(figure.suppressed)
                and ref.value == figure.value
                and (
                    not figure.suppressed or (ref.lower, ref.upper) == (figure.lower, figure.upper)
                )
            )
            if same:
                continue
            now = show_value(figure.value, figure.suppressed, figure.lower, figure.upper)
            delta = ""
            if ref.value is not None and figure.value is not None:
                diff = int(figure.value) - int(ref.value)
                delta = f" ({diff:+,})"
            yield self.issue(
                figure,
                f"{figure.name} was published as {ref.shown()} in {ref.label}; it is now "
                f"{now}{delta}. Publishing it is a revision.",
            )
