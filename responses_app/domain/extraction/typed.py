"""Figures a person types into the data-entry grid, for replies only a human can read.

A reply that is prose, or a scan with no text layer, is read by a researcher
who types each number into a grid (periods by categories) with a locator
saying where it is (`letter page 2`). Each cell accepts the spellings of
docs/dataset.md (`1,234`, `Nil`, `-`, `<5`, `*`, `1-4`, `n/a`); anything else is an
error on that cell, and no figure is kept until every cell reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from questions.periods import Period, parse_period_label
from questions.vocab import CampaignSpec

from ..values import Value, ValueProblem, parse_value
from .model import Figure

FORM = "__all__"
NO_SOURCE = "say where these figures are (for example: letter page 2)"


@dataclass(frozen=True)
class TypedCell:
    """One grid cell: where it sits, what was typed, and the fields errors are shown on."""

    key: str
    period: str
    dimension: str
    category: str
    text: str
    source: str
    category_key: str = ""
    source_key: str = "source"


def _period(label: str, spec: CampaignSpec) -> Period | None:
    period = parse_period_label(label)
    if period is None:
        return None
    if spec.periods and period not in spec.periods:
        return None
    return period


def read_typed(
    cells: Iterable[TypedCell], spec: CampaignSpec
) -> tuple[list[Figure], dict[str, str]]:
    """The figures typed, and errors by field (empty when every cell reads).

    A blank cell is no figure. Errors name the problem in words a person can
    act on: `'about 12' is not a number: text around the number ...`.
    """
    figures: list[Figure] = []
    errors: dict[str, str] = {}
    seen: dict[tuple[str, str, str], str] = {}
    for cell in cells:
        value = parse_value(cell.text)
        if value is None:
            continue
        if not cell.source.strip():
            errors.setdefault(
                cell.source_key, "say where these figures are (for example: letter page 2)"
            )
        if isinstance(value, ValueProblem):
            errors.setdefault(cell.key, f"{value.message}; type a whole number, <5, * or n/a")
            continue
        period = _period(cell.period, spec)
        if period is None:
            errors.setdefault(cell.key, f"{cell.period!r} is not a period this campaign asked")
            continue
        vocabulary = spec.dimensions.get(cell.dimension)
        if vocabulary is None:
            errors.setdefault(cell.key, f"{cell.dimension!r} is not a dimension of this campaign")
            continue
        category = vocabulary.match(cell.category) if cell.category.strip() else None
        if category is None:
            where = cell.category_key or cell.key
            if not cell.category.strip():
                errors.setdefault(where, "name the category of these numbers")
            else:
                close = vocabulary.suggest(cell.category)
                hint = f" (closest: {', '.join(close)})" if close else ""
                errors.setdefault(
                    where, f"{cell.category!r} is not a {cell.dimension} category{hint}"
                )
            continue
        key = (period.label, cell.dimension, category)
        if key in seen and seen[key] != cell.key:
            where = cell.category_key or cell.key
            errors.setdefault(where, f"{category} for {period.label} is already typed above")
            continue
        seen[key] = cell.key
        figures.append(_figure(period, cell.dimension, category, value, cell.source.strip()))
    if not figures and not errors:
        errors[FORM] = "no figures were typed: type at least one number"
    return (figures if not errors else []), errors


def _figure(period: Period, dimension: str, category: str, value: Value, source: str) -> Figure:
    return Figure(
        period.label,
        dimension,
        category,
        value.value,
        value.suppressed,
        value.lower,
        value.upper,
        source,
    )
