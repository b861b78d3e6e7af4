"""Reads behind the harmonised age bands: each force's age categories as it reported them.

No query of its own for a campaign: ``reported_by_force`` adds conditional sums to the
per-force query of ``responses_app.selectors.dataset``, so the summary keeps its fixed
number of queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Aggregate, Count, Q, QuerySet, Sum

from questions.ages import AGE

from .dataset import LOWER, UPPER


def category_sums(categories: Sequence[str], dimension: str = AGE) -> dict[str, Aggregate]:
    """Per force and period, each age category's sum and figure count (``age3_lower``...)."""
    sums: dict[str, Aggregate] = {}
    for index, category in enumerate(categories):
        where = Q(dimension=dimension, category=category)
        sums[f"age{index}_lower"] = Sum(LOWER, filter=where)
        sums[f"age{index}_upper"] = Sum(UPPER, filter=where)
        sums[f"age{index}_n"] = Count("pk", filter=where)
    return sums


def reported_by_force(
    per_force: QuerySet, categories: Sequence[str], dimension: str = AGE
) -> QuerySet:
    """``dataset.per_force(qs)`` with the sums of ``category_sums`` added to each row."""
    if not categories:
        return per_force
    return per_force.annotate(**category_sums(categories, dimension))


def categories_of(row: dict[str, Any], categories: Sequence[str]) -> dict[str, tuple]:
    """The age categories a ``reported_by_force`` row holds: category -> (lower, upper)."""
    return {
        category: (row[f"age{index}_lower"], row[f"age{index}_upper"])
        for index, category in enumerate(categories)
        if row.get(f"age{index}_n")
    }
