"""The result of extraction: figures with their sources, the outcome, and findings."""

from __future__ import annotations

from dataclasses import dataclass, field

from questions.periods import Period

from ..findings import Finding
from ..values import Value


@dataclass(frozen=True)
class Figure:
    """One number of the consolidated dataset, as read from a reply."""

    period: str
    dimension: str
    category: str
    value: int | None
    suppressed: bool
    lower: int | None
    upper: int | None
    source: str
    ocr: bool = False  # read by OCR from a scan: never approved in bulk

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.period, self.dimension, self.category)

    @property
    def period_range(self) -> Period:
        return Period.from_label(self.period)

    def as_dict(self, with_source: bool = True) -> dict:
        out = {
            "period": self.period,
            "dimension": self.dimension,
            "category": self.category,
            "value": self.value,
            "suppressed": self.suppressed,
            "lower": self.lower,
            "upper": self.upper,
        }
        if with_source:
            out["source"] = self.source
        if self.ocr:
            out["ocr"] = True
        return out


@dataclass
class Extraction:
    source: str
    figures: list[Figure] = field(default_factory=list)
    outcome: str = "unknown"
    exemptions: list[str] = field(default_factory=list)
    excluded_rows: int = 0
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class Observation:
    """A number read from one cell (or counted from rows), before periods are settled."""

    period: Period
    dimension: str
    category: str
    value: Value
    locator: str
    group: int = 0


@dataclass
class UnaskedTable:
    """A table by a measure the campaign does not ask (`Crime Outcome`): its figures are left
    out, but its column sums are checked against the reply's totals."""

    measure: str
    locator: str
    rows: int = 0
    #: Per period, the sum of its rows (None once a row is not an exact number).
    sums: dict[Period, int | None] = field(default_factory=dict)
    #: Per period, its own printed total row.
    printed: dict[Period, int] = field(default_factory=dict)

    def add(self, period: Period, value: Value) -> None:
        """One row's value for `period` (a blank is 0; a suppressed or missing one ends the sum)."""
        if period in self.sums and self.sums[period] is None:
            return
        if value.value is None or value.suppressed:
            self.sums[period] = None
            return
        self.sums[period] = (self.sums.get(period) or 0) + value.value
