"""What a validation rule sees and what it returns.

A rule looks at plain facts (no Django): the figures of the forces being
checked, what the campaign asked for, earlier periods and earlier releases.
It returns ``Issue``s: a ``Finding`` and the figure it is about (or the force,
for something the reply lacks).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from questions.vocab import CampaignSpec

from ..findings import ERROR, INFO, WARNING, Finding

SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}

Key = tuple[str, str, str, str]  # force, period, dimension, category


@dataclass(frozen=True)
class FigureFacts:
    """One figure as the rules see it. ``id`` is whatever the caller uses to find it again."""

    id: Hashable
    force: str
    period: str
    dimension: str
    category: str
    value: Any = None
    suppressed: bool = False
    lower: Any = None
    upper: Any = None
    period_start: date | None = None
    period_end: date | None = None
    source: str = ""
    reply: Hashable = None

    @property
    def key(self) -> Key:
        return (self.force, self.period, self.dimension, self.category)

    @property
    def name(self) -> str:
        """`kent 2019-20 weapon Knife`: how messages name the figure."""
        if self.dimension == "total":
            return f"{self.force} {self.period} total"
        return f"{self.force} {self.period} {self.dimension} {self.category}"

    @property
    def locator(self) -> str:
        return self.source or self.name

    @property
    def known(self) -> bool:
        """True when the exact value is known (a whole number, not suppressed)."""
        return not self.suppressed and is_whole(self.value)

    def bounds(self) -> tuple[int, float] | None:
        """(lower, upper) the figure is known to lie in; upper is inf when unknown."""
        if self.known:
            return int(self.value), int(self.value)
        if self.suppressed:
            low = int(self.lower) if is_whole(self.lower) else 0
            high = int(self.upper) if is_whole(self.upper) else float("inf")
            return low, high
        return None  # not available: nothing is known


@dataclass(frozen=True)
class Reference:
    """A value to compare against: an earlier period's figure, or a published one."""

    force: str
    period: str
    dimension: str
    category: str
    value: Any = None
    suppressed: bool = False
    lower: Any = None
    upper: Any = None
    period_start: date | None = None
    period_end: date | None = None
    label: str = ""  # where it comes from: `release 2 of csc-2019`, `campaign csc-2018`

    @property
    def key(self) -> Key:
        return (self.force, self.period, self.dimension, self.category)

    def shown(self) -> str:
        return show_value(self.value, self.suppressed, self.lower, self.upper)


@dataclass
class ValidationContext:
    """Everything the rules may look at for one campaign and some of its forces.

    ``figures`` holds every live (not rejected) figure of the forces being
    checked, so sums and duplicates see the whole reply; ``history`` the same
    forces' figures for other periods and campaigns; ``released`` the value
    each figure had in the latest release that holds it.
    """

    spec: CampaignSpec | None
    figures: Sequence[FigureFacts]
    history: Sequence[Reference] = ()
    released: Sequence[Reference] = ()


@dataclass(frozen=True)
class Issue:
    """A finding and what it is about: a figure (by id) or, when ``figure`` is None, a force."""

    finding: Finding
    figure: Hashable = None
    force: str = ""

    @property
    def severity(self) -> str:
        return self.finding.severity

    @property
    def code(self) -> str:
        return self.finding.code


class Rule:
    """A validation rule: a code, a severity, and one method returning issues.

    Subclass it, set ``code`` and ``severity``, implement ``check``; options
    come as keyword arguments from the settings entry (``OPTIONS``), like
    Django's password validators.
    """

    code: ClassVar[str] = ""
    severity: ClassVar[str] = ERROR
    #: Every code this rule can produce (for clearing stale findings); defaults to (code,).
    codes: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = ""

    def __init__(self, **options: Any) -> None:
        if options:
            raise TypeError(f"{type(self).__name__} takes no options, got {sorted(options)}")

    @classmethod
    def all_codes(cls) -> tuple[str, ...]:
        return cls.codes or (cls.code,)

    def check(self, context: ValidationContext) -> Iterable[Issue]:
        raise NotImplementedError

    def issue(
        self,
        figure: FigureFacts | None,
        message: str,
        *,
        code: str = "",
        severity: str = "",
        suggestions: Iterable[str] = (),
        force: str = "",
        locator: str = "",
    ) -> Issue:
        finding = Finding(
            code=code or self.code,
            severity=severity or self.severity,
            message=message,
            locator=locator or (figure.locator if figure is not None else ""),
            suggestions=tuple(suggestions),
        )
        return Issue(
            finding=finding,
            figure=figure.id if figure is not None else None,
            force=force or (figure.force if figure is not None else ""),
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code}>"


def is_whole(value: Any) -> bool:
    """A whole number >= 0 (an int, or a float with nothing after the point)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value >= 0
    if isinstance(value, float):
        return value.is_integer() and value >= 0
    return False


def number(value: Any) -> str:
    """`4,373`; anything that is not a number is shown as written."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int | float) and float(value).is_integer():
        return f"{int(value):,}"
    return str(value)


def show_value(value: Any, suppressed: bool, lower: Any, upper: Any) -> str:
    if suppressed:
        return f"suppressed ({number(lower)} to {number(upper)})"
    if value is None:
        return "not available"
    return number(value)


def by_key(items: Iterable[Any], attr: str = "key") -> dict[Any, list[Any]]:
    out: dict[Any, list[Any]] = {}
    for item in items:
        out.setdefault(getattr(item, attr), []).append(item)
    return out


__all__ = [
    "ERROR",
    "INFO",
    "SEVERITY_ORDER",
    "WARNING",
    "FigureFacts",
    "Issue",
    "Reference",
    "Rule",
    "ValidationContext",
    "by_key",
    "is_whole",
    "number",
    "show_value",
]
