"""The state one extraction run accumulates: observations, record counts, findings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from questions.periods import Period
from questions.vocab import CampaignSpec

from ..findings import INFO, WARNING, Finding
from ..readers.base import RawValue
from ..values import DEFAULT_STAR_BOUNDS, WITHHELD, Value, ValueProblem, parse_value
from .grid import text_of
from .labels import Labels, Mapped
from .model import Observation, UnaskedTable

MAX_PROBLEMS = 200


@dataclass
class RecordTally:
    """Counts of record-level rows (one per offence) by (period, dimension, category)."""

    counts: Counter = field(default_factory=Counter)
    excluded: int = 0
    undated: int = 0
    undated_at: str = ""
    blanks: Counter = field(default_factory=Counter)
    spans: list[str] = field(default_factory=list)
    rows: int = 0
    last_number: int | None = None
    gaps: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass
class Context:
    spec: CampaignSpec
    labels: Labels
    source: str
    star_bounds: tuple[int, int] = DEFAULT_STAR_BOUNDS
    star_bounds_noted: bool = False
    dash_means_zero: bool = True
    observations: list[Observation] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    tally: RecordTally = field(default_factory=RecordTally)
    notes: list[tuple[str, str]] = field(default_factory=list)
    unknown_labels: dict[tuple[str | None, str], list] = field(default_factory=dict)
    unasked: list[UnaskedTable] = field(default_factory=list)
    stars_used: bool = False
    _problems: int = 0

    def parse(self, raw: RawValue) -> Value | ValueProblem | None:
        value = parse_value(raw, star_bounds=self.star_bounds, dash_means_zero=self.dash_means_zero)
        if isinstance(value, Value) and value.suppressed and "*" in text_of(raw):
            self.stars_used = True
        return value

    def observe(
        self, period: Period, mapped: Mapped, value: Value, locator: str, group: int
    ) -> None:
        self.observations.append(Observation(period, mapped[0], mapped[1], value, locator, group))
        if not value.available:
            self.find(
                "not_available", INFO, "the reply gives this figure as not available", locator
            )

    def find(
        self,
        code: str,
        severity: str,
        message: str,
        locator: str = "",
        suggestions: tuple[str, ...] = (),
    ) -> None:
        if self._problems >= MAX_PROBLEMS:
            return
        self._problems += 1
        self.findings.append(Finding(code, severity, message, self._where(locator), suggestions))

    def _where(self, locator: str) -> str:
        return f"{self.source} {locator}".strip() if locator else self.source

    def problem(self, problem: ValueProblem, locator: str) -> None:
        if problem.reason == WITHHELD:
            self.notes.append((problem.text, locator))
            self.find("withheld", WARNING, f"{problem.text!r}: the figure is withheld", locator)
            return
        self.find("not_a_number", WARNING, f"{problem.message}: no figure was taken", locator)

    def unknown(self, label: RawValue, dimension: str | None, locator: str) -> None:
        """Remember an unmapped label; one finding per label is emitted at the end."""
        key = (dimension, text_of(label))
        entry = self.unknown_labels.get(key)
        if entry is None:
            if len(self.unknown_labels) < MAX_PROBLEMS:
                self.unknown_labels[key] = [label, locator, 1]
        else:
            entry[2] += 1

    def unknown_findings(self) -> list[Finding]:
        out = []
        for (dimension, _), (label, locator, count) in self.unknown_labels.items():
            out.append(self.labels.unknown(label, dimension, self._where(locator), count))
        return out
