"""Rules about what a figure is: its period, its category, and whether it is there twice."""

from __future__ import annotations

import re
from collections.abc import Iterable

from questions.periods import Period, parse_period_label
from questions.vocab import NOT_RECORDED, AgeVocabulary, Constraint

from ..findings import ERROR, WARNING
from .base import FigureFacts, Issue, Rule, ValidationContext, by_key, show_value

AGE = "age"
_SINGLE_AGE = re.compile(r"(\d{1,3})")
_AGE_BAND = re.compile(r"(\d{1,3})-(\d{1,3})")
_AGE_UP = re.compile(r"(\d{1,3})\+")


def parse_age(category: str) -> tuple[int, int | None] | None:
    """(youngest, oldest) of an age category: `11` -> (11, 11), `0-10`, `18+` -> (18, None)."""
    text = str(category).strip()
    if match := _SINGLE_AGE.fullmatch(text):
        return int(match[1]), int(match[1])
    if match := _AGE_BAND.fullmatch(text):
        return int(match[1]), int(match[2])
    if match := _AGE_UP.fullmatch(text):
        return int(match[1]), None
    return None


def _period_of(figure: FigureFacts) -> Period | None:
    if figure.period_start and figure.period_end and figure.period_start <= figure.period_end:
        return Period(figure.period_start, figure.period_end)
    return parse_period_label(figure.period)


class PeriodRule(Rule):
    """Figures are for the periods the campaign asked for, and every asked period is answered."""

    code = "period.not_asked"
    codes = ("period.not_asked", "period.missing")
    severity = ERROR
    description = (
        "A figure's period is one the campaign asked for (an error otherwise); a force "
        "that sent figures sent some for every period asked (a warning otherwise)."
    )

    def check(self, context: ValidationContext) -> Iterable[Issue]:
        if context.spec is None or not context.spec.periods:
            return
        asked = context.spec.periods
        labels = ", ".join(p.label for p in asked)
        seen: dict[str, set[Period]] = {}
        for figure in context.figures:
            period = _period_of(figure)
            if period is not None and period in asked:
                seen.setdefault(figure.force, set()).add(period)
                continue
            seen.setdefault(figure.force, set())
            near = [p.label for p in asked if period is not None and p.overlaps(period)]
            kind = f" ({period.kind.replace('_', ' ')})" if period is not None else ""
            yield self.issue(
                figure,
                f"{figure.name}: the period {figure.period}{kind} is not one the campaign "
                f"asked for ({labels}). Keep it as it is or reject it; it is not added to "
                "an asked period.",
                suggestions=near,
            )
        for force, periods in sorted(seen.items()):
            for period in asked:
                if period not in periods:
                    yield self.issue(
                        None,
                        f"{force} sent no figures for {period.label}, which the campaign "
                        f"asked for.",
                        code="period.missing",
                        severity=WARNING,
                        force=force,
                        locator=f"{force} {period.label}",
                    )


class DuplicateRule(Rule):
    """One force, period, dimension and category has one figure."""

    code = "figure.duplicate"
    severity = ERROR
    description = "The same force, period, dimension and category appear only once."

    def check(self, context: ValidationContext) -> Iterable[Issue]:
        for group in by_key(context.figures).values():
            if len(group) < 2:
                continue
            values = ", ".join(show_value(f.value, f.suppressed, f.lower, f.upper) for f in group)
            for figure in group:
                others = "; ".join(f.locator for f in group if f is not figure)
                yield self.issue(
                    figure,
                    f"{figure.name} appears {len(group)} times (values {values}); the other "
                    f"at {others}. Reject all but one.",
                )


class CategoryRule(Rule):
    """Dimensions and categories are those of the campaign's vocabularies, canonically spelt."""

    code = "category.unknown"
    codes = ("category.unknown", "dimension.unknown")
    severity = ERROR
    description = (
        "A figure's dimension is one the campaign breaks down by and its category is a "
        "canonical one of that dimension (suggestions offered otherwise)."
    )

    def check(self, context: ValidationContext) -> Iterable[Issue]:
        if context.spec is None:
            return
        dimensions = context.spec.dimensions
        for figure in context.figures:
            vocabulary = dimensions.get(figure.dimension)
            if vocabulary is None:
                yield self.issue(
                    figure,
                    f"{figure.name}: the dimension {figure.dimension!r} is not one the "
                    f"campaign asked for ({', '.join(dimensions)}).",
                    code="dimension.unknown",
                    suggestions=[d for d in dimensions if d != figure.dimension][:3],
                )
                continue
            if figure.dimension == AGE and parse_age(figure.category) is not None:
                continue  # ages are the age rule's concern
            canonical = vocabulary.match(figure.category)
            if canonical == figure.category:
                continue
            if canonical is not None:
                message = (
                    f"{figure.name}: {figure.category!r} is written {canonical!r} in the "
                    f"{figure.dimension} vocabulary."
                )
                suggestions: tuple[str, ...] = (canonical,)
            else:
                suggestions = vocabulary.suggest(figure.category)
                hint = (
                    f" Did you mean {' or '.join(map(repr, suggestions))}?" if suggestions else ""
                )
                message = (
                    f"{figure.name}: {figure.category!r} is not a {figure.dimension} "
                    f"category the campaign knows.{hint}"
                )
            yield self.issue(figure, message, suggestions=suggestions)


class AgeRule(Rule):
    """Ages outside the limits the campaign's question sets (its schema's constraints).

    Nothing is assumed: a campaign whose schema sets no limit on an age dimension
    gets no finding from this rule. ``max_age`` (a deployment's setting) adds a
    limit on ``dimension`` for every campaign.
    """

    code = "age.impossible"
    severity = ERROR
    description = "Victims' ages lie within the limits the campaign's question sets."

    def __init__(self, max_age: int | None = None, dimension: str = AGE) -> None:
        self.max_age = None if max_age is None else int(max_age)
        self.dimension = dimension

    def _limits(self, context: ValidationContext) -> list[Constraint]:
        limits = []
        if self.max_age is not None:
            limits.append(Constraint(self.dimension, None, self.max_age))
        if context.spec is not None:
            limits += list(context.spec.constraints)
            for name, vocabulary in context.spec.dimensions.items():
                if isinstance(vocabulary, AgeVocabulary) and (
                    vocabulary.max_age is not None or vocabulary.min_age is not None
                ):
                    limits.append(Constraint(name, vocabulary.min_age, vocabulary.max_age))
        return limits

    def check(self, context: ValidationContext) -> Iterable[Issue]:
        limits = self._limits(context)
        if not limits:
            return
        for figure in context.figures:
            if figure.category == NOT_RECORDED:
                continue
            mine = [c for c in limits if c.dimension == figure.dimension]
            age = parse_age(figure.category) if mine else None
            if age is None:
                continue
            low, high = age
            if high is not None and high < low:
                yield self.issue(
                    figure,
                    f"{figure.name}: the age band {figure.category!r} ends before it starts.",
                )
                continue
            broken = next((c for c in mine if _outside(low, high, c)), None)
            if broken is not None:
                yield self.issue(
                    figure, _outside_message(figure, broken), suggestions=_inside(low, broken)
                )


def _outside(low: int, high: int | None, limit: Constraint) -> bool:
    if limit.max is not None and (high is None or high > limit.max):
        return True
    return limit.min is not None and low < limit.min


def _outside_message(figure: FigureFacts, limit: Constraint) -> str:
    lowest = 0 if limit.min is None else limit.min
    span = f"ages {lowest} to {limit.max}" if limit.max is not None else f"ages {lowest} and over"
    why = f": {limit.reason}" if limit.reason else ""
    return (
        f"{figure.name}: an age of {figure.category} is outside what the campaign asks "
        f"({span}){why}."
    )


def _inside(low: int, limit: Constraint) -> tuple[str, ...]:
    """The whole allowed span (a person may know the figure lies in it), and Not recorded."""
    lowest = 0 if limit.min is None else limit.min
    if limit.max is not None and lowest <= low <= limit.max:
        return (f"{lowest}-{limit.max}", NOT_RECORDED)
    return (NOT_RECORDED,)
