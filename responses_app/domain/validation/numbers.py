"""Rules about the numbers themselves: whole numbers, sums, suppressed bounds."""

from __future__ import annotations

from collections.abc import Iterable

from ..findings import ERROR, WARNING
from .base import FigureFacts, Issue, Rule, ValidationContext, is_whole, number

TOTAL = "total"


def _totals(figures: Iterable[FigureFacts]) -> dict[tuple[str, str], FigureFacts]:
    """The (first) total figure of each force and period."""
    out: dict[tuple[str, str], FigureFacts] = {}
    for figure in figures:
        if figure.dimension == TOTAL:
            out.setdefault((figure.force, figure.period), figure)
    return out


def _breakdowns(figures: Iterable[FigureFacts]) -> dict[tuple[str, str, str], list[FigureFacts]]:
    out: dict[tuple[str, str, str], list[FigureFacts]] = {}
    for figure in figures:
        if figure.dimension != TOTAL:
            out.setdefault((figure.force, figure.period, figure.dimension), []).append(figure)
    return out


def _span(low: float, high: float) -> str:
    if low == high:
        return number(low)
    if high == float("inf"):
        return f"at least {number(low)}"
    return f"between {number(low)} and {number(high)}"


class WholeNumberRule(Rule):
    """A value (and its bounds) is a whole number >= 0."""

    code = "value.not_whole_number"
    codes = ("value.not_whole_number", "value.missing")
    severity = ERROR
    description = "Every value, lower and upper bound is a whole number of 0 or more."

    def check(self, context: ValidationContext) -> Iterable[Issue]:
        for figure in context.figures:
            for name in ("value", "lower", "upper"):
                raw = getattr(figure, name)
                if raw is None or is_whole(raw):
                    continue
                what = "value" if name == "value" else f"{name} bound"
                yield self.issue(
                    figure,
                    f"The {what} of {figure.name} is {raw!r}, not a whole number of 0 or more.",
                )
            if figure.value is None and not figure.suppressed:
                yield self.issue(
                    figure,
                    f"{figure.name} has no value and is not marked as suppressed: "
                    "enter the number, mark it suppressed with its bounds, or reject it.",
                    code="value.missing",
                    severity=WARNING,
                )


class BreakdownSumRule(Rule):
    """A breakdown (platform, age, ...) adds up to the force's total for the period."""

    code = "breakdown.sum"
    severity = ERROR
    description = (
        "Each breakdown sums to the force's total for the period; with suppressed "
        "figures, the total lies between the sums of their lower and upper bounds."
    )

    def check(self, context: ValidationContext) -> Iterable[Issue]:
        totals = _totals(context.figures)
        for (force, period, dimension), parts in sorted(_breakdowns(context.figures).items()):
            total = totals.get((force, period))
            total_bounds = total.bounds() if total is not None else None
            if total is None or total_bounds is None:
                continue
            t_low, t_high = total_bounds
            known = [b for b in (p.bounds() for p in parts) if b is not None]
            s_low = sum(low for low, _ in known)
            s_high = sum(high for _, high in known) if len(known) == len(parts) else float("inf")
            if s_high < t_low:
                gap, word = t_low - s_high, "short"
            elif s_low > t_high:
                gap, word = s_low - t_high, "over"
            else:
                continue
            hidden = sum(1 for p in parts if p.suppressed)
            note = f" ({hidden} suppressed)" if hidden else ""
            exact = s_low == s_high and t_low == t_high
            by = number(gap) if exact else f"at least {number(gap)}"
            yield self.issue(
                total,
                f"The {dimension} breakdown of {force} for {period} sums to "
                f"{_span(s_low, s_high)}{note}, but the total is {_span(t_low, t_high)}: "
                f"the breakdown is {by} {word}.",
            )


class SuppressedBoundsRule(Rule):
    """Suppressed bounds are consistent in themselves and with the force's total."""

    code = "suppressed.bounds"
    severity = ERROR
    description = (
        "A suppressed figure's bounds are ordered, do not exceed the total, and leave "
        "room for what the total and the other figures imply."
    )

    def check(self, context: ValidationContext) -> Iterable[Issue]:
        for figure in context.figures:
            yield from self._own_bounds(figure)
        totals = _totals(context.figures)
        for (force, period, dimension), parts in sorted(_breakdowns(context.figures).items()):
            total = totals.get((force, period))
            if total is None or not total.known:
                continue
            yield from self._against_total(total, dimension, parts)

    def _own_bounds(self, figure: FigureFacts) -> Iterable[Issue]:
        low, high, value = figure.lower, figure.upper, figure.value
        if not figure.suppressed:
            if value is not None and (
                (low is not None and low != value) or (high is not None and high != value)
            ):
                yield self.issue(
                    figure,
                    f"{figure.name} is not suppressed, so its bounds should equal its value "
                    f"{number(value)}, but they are {number(low)} to {number(high)}.",
                )
            return
        if not (is_whole(low) and is_whole(high)):
            yield self.issue(
                figure,
                f"{figure.name} is suppressed but its bounds are missing "
                f"(lower {number(low)}, upper {number(high)}): give the range it lies in, "
                "e.g. 0 to 4 for '<5'.",
            )
        elif low > high:
            yield self.issue(
                figure,
                f"{figure.name} is suppressed with its lower bound {number(low)} above its "
                f"upper bound {number(high)}.",
            )
        elif value is not None and not low <= value <= high:
            yield self.issue(
                figure,
                f"{figure.name} is suppressed between {number(low)} and {number(high)} but "
                f"also carries the value {number(value)}, outside that range.",
            )

    def _against_total(
        self, total: FigureFacts, dimension: str, parts: list[FigureFacts]
    ) -> Iterable[Issue]:
        t = int(total.value)
        hidden = [p for p in parts if p.suppressed and is_whole(p.lower) and is_whole(p.upper)]
        reported = set()
        for figure in hidden:
            if figure.lower > t:
                reported.add(figure.id)
                yield self.issue(
                    figure,
                    f"{figure.name} is suppressed as {number(figure.lower)} to "
                    f"{number(figure.upper)}, but the force's total for {figure.period} "
                    f"is only {number(t)}.",
                )
        others_known = all(p.known for p in parts if p.suppressed is False)
        if len(hidden) == 1 and len([p for p in parts if p.suppressed]) == 1 and others_known:
            figure = hidden[0]
            if figure.id in reported:
                return
            rest = sum(int(p.value) for p in parts if p is not figure)
            implied = t - rest
            if not figure.lower <= implied <= figure.upper:
                yield self.issue(
                    figure,
                    f"{figure.name} is suppressed as {number(figure.lower)} to "
                    f"{number(figure.upper)}, but the total ({number(t)}) minus the other "
                    f"{dimension} figures ({number(rest)}) leaves {number(implied)}.",
                )
