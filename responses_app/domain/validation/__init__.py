"""Validation rules, chosen by settings like Django's password validators.

Each rule is a small class with a ``code``, a ``severity`` and one method,
``check(context)``, returning ``Issue``s. The active list is named by dotted
paths (``VALIDATION_RULES`` in settings), each a string or a mapping with
``NAME`` and ``OPTIONS``, so a deployment can switch a rule off or tune it
without touching the others::

    VALIDATION_RULES = [
        "responses_app.domain.validation.numbers.WholeNumberRule",
        {"NAME": "responses_app.domain.validation.history.ImplausibleChangeRule",
         "OPTIONS": {"factor": 3, "min_count": 20}},
    ]
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .base import (
    SEVERITY_ORDER,
    FigureFacts,
    Issue,
    Reference,
    Rule,
    ValidationContext,
)
from .history import ImplausibleChangeRule, RevisionRule
from .numbers import BreakdownSumRule, SuppressedBoundsRule, WholeNumberRule
from .shape import AgeRule, CategoryRule, DuplicateRule, PeriodRule

BUILTIN_RULES: tuple[type[Rule], ...] = (
    WholeNumberRule,
    BreakdownSumRule,
    SuppressedBoundsRule,
    PeriodRule,
    DuplicateRule,
    CategoryRule,
    AgeRule,
    ImplausibleChangeRule,
    RevisionRule,
)
DEFAULT_RULES: tuple[str, ...] = tuple(f"{r.__module__}.{r.__qualname__}" for r in BUILTIN_RULES)


class RuleConfigError(ValueError):
    """A VALIDATION_RULES entry that does not name a usable rule."""


def _import(path: str) -> Any:
    module_name, _, name = path.rpartition(".")
    if not module_name:
        raise RuleConfigError(f"{path!r} is not a dotted path to a rule class")
    try:
        return getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError) as exc:
        raise RuleConfigError(f"cannot load validation rule {path!r}: {exc}") from exc


def load_rules(entries: Iterable[str | Mapping[str, Any]] | None = None) -> list[Rule]:
    """The rule instances an entries list (as in settings) names; the built-ins by default."""
    rules = []
    for entry in DEFAULT_RULES if entries is None else entries:
        if isinstance(entry, str):
            path, options = entry, {}
        elif isinstance(entry, Mapping) and "NAME" in entry:
            path, options = entry["NAME"], dict(entry.get("OPTIONS") or {})
        else:
            raise RuleConfigError(
                f"a rule entry is a dotted path or {{'NAME': ...}}, not {entry!r}"
            )
        cls = _import(path)
        if not (isinstance(cls, type) and issubclass(cls, Rule)):
            raise RuleConfigError(f"{path!r} is not a validation rule class")
        try:
            rules.append(cls(**options))
        except (TypeError, ValueError) as exc:
            raise RuleConfigError(f"bad options for {path}: {exc}") from exc
    return rules


def known_codes(rules: Sequence[Rule] = ()) -> frozenset[str]:
    """Every code the built-in rules and ``rules`` can produce (to clear stale findings)."""
    classes = {*BUILTIN_RULES, *(type(r) for r in rules)}
    return frozenset(code for cls in classes for code in cls.all_codes())


def run_rules(rules: Sequence[Rule], context: ValidationContext) -> list[Issue]:
    """All issues the rules find, the most severe first (stable within a severity)."""
    issues = [issue for rule in rules for issue in rule.check(context)]
    return sorted(issues, key=lambda i: SEVERITY_ORDER.get(i.severity, 9))


__all__ = [
    "BUILTIN_RULES",
    "DEFAULT_RULES",
    "AgeRule",
    "BreakdownSumRule",
    "CategoryRule",
    "DuplicateRule",
    "FigureFacts",
    "ImplausibleChangeRule",
    "Issue",
    "PeriodRule",
    "Reference",
    "RevisionRule",
    "Rule",
    "RuleConfigError",
    "SuppressedBoundsRule",
    "ValidationContext",
    "WholeNumberRule",
    "known_codes",
    "load_rules",
    "run_rules",
]
