"""The shape of a consolidated summary: national cells, period totals, groups, forces.

Plain data (no Django) so pages, the API and every export read the same
thing; ``as_dict`` is what JSON carries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from requests_app.domain.explain import plural

from . import consolidation as calc
from .consolidation import Change, Range, Share

TOTAL = "total"


@dataclass
class Cell:
    """The national figure of one category in one period."""

    period: str
    dimension: str
    category: str
    value: Range | None
    forces: int
    suppressed: int = 0
    unknown: int = 0
    share: Share | None = None
    previous: Range | None = None
    change: Change | None = None


@dataclass
class PeriodTotal:
    period: str
    value: Range | None
    forces: int
    previous_period: str | None = None
    previous: Range | None = None
    change: Change | None = None
    headline: str = ""
    in_dataset: bool = True


@dataclass
class GroupShare:
    period: str
    dimension: str
    name: str
    value: Range
    base: Range
    share: Share | None
    sentence: str


@dataclass
class Unplaced:
    """An age figure whose band fits no single national band, as a force reported it."""

    period: str
    force: str
    category: str
    value: Range | None


@dataclass
class ForceRow:
    force_id: str
    name: str
    ons_code: str
    coverage: str
    totals: dict[str, Range | None] = field(default_factory=dict)
    #: Per group of the campaign (its schema), per period: the force's sum of its members.
    groups: dict[str, dict[str, Range | None]] = field(default_factory=dict)
    #: Per period, the age categories exactly as the force reported them (the evidence
    #: behind the harmonised national bands).
    ages: dict[str, dict[str, Range | None]] = field(default_factory=dict)


@dataclass
class DatasetSummary:
    kind: str  # campaign, release or series
    slug: str
    title: str
    periods: list[str]
    totals: list[PeriodTotal]
    trend: list[PeriodTotal]
    cells: list[Cell]
    groups: list[GroupShare]
    coverage: dict[str, int]
    forces: list[ForceRow]
    release: int | None = None
    methodology: str = ""
    #: The national age bands (labels, youngest first), the age figures that fit none of
    #: them (counted as "Other bands"), and the note that explains the roll-up.
    age_bands: list[str] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    age_note: str = ""
    #: The campaign's breakdowns (name -> label, in its order) and its groups' names.
    dimension_labels: dict[str, str] = field(default_factory=dict)
    group_names: list[str] = field(default_factory=list)
    #: The campaign's age dimension (its national table is in its bands), and what it counts.
    age_dimension: str | None = None
    noun: str = "offences"
    #: Offence figures rolled up the Home Office hierarchy: dimension -> level -> cells.
    rollups: dict[str, dict[str, list[Cell]]] = field(default_factory=dict)
    #: Figures for periods of a kind the campaign did not ask (calendar years when it asked
    #: financial years): listed apart, never in the totals, cells or force rows above.
    other_periods: list[Cell] = field(default_factory=list)

    def label_of(self, dimension: str) -> str:
        return self.dimension_labels.get(dimension) or dimension.replace("_", " ").capitalize()

    @property
    def asked(self) -> int | None:
        """How many requests the scope actually sent; None when it was never recorded."""
        value = self.coverage.get("asked")
        return None if value is None else int(value)

    @property
    def requests_sent(self) -> bool:
        return bool(self.asked)

    @property
    def answers_counted(self) -> bool:
        """Whether ``coverage`` says how the forces answered, not only how many were asked."""
        return any(key in self.coverage for key in calc.COVERAGE_CLASSES)

    @property
    def coverage_text(self) -> str:
        """Who was asked and how they answered, in a sentence ("" when not recorded)."""
        if self.asked is None:
            return ""
        if self.answers_counted or self.asked == 0:
            return calc.coverage_sentence(self.coverage)
        return f"{plural(self.asked, 'force')} asked"

    @property
    def other_periods_text(self) -> str:
        """What the coverage says of figures for periods not asked ("" when there are none)."""
        if not self.other_periods:
            return ""
        labels = sorted({c.period for c in self.other_periods})
        return (
            f"Figures for periods the campaign did not ask ({', '.join(labels)}) are listed "
            "apart and not counted in the totals"
        )

    @property
    def headlines(self) -> list[str]:
        lines = [t.headline for t in self.totals if t.headline]
        if self.coverage_text:
            lines.append(self.coverage_text)
        if self.other_periods_text:
            lines.append(self.other_periods_text)
        return lines + [g.sentence for g in self.groups if g.period == self.latest_period]

    @property
    def latest_period(self) -> str | None:
        return self.periods[-1] if self.periods else None

    def dimension(self, name: str, period: str | None = None) -> list[Cell]:
        period = period or self.latest_period
        return [c for c in self.cells if c.dimension == name and c.period == period]

    def dimensions(self) -> list[str]:
        """The breakdowns that hold figures: the campaign's order first, then any other."""
        held = {c.dimension for c in self.cells}
        seen: list[str] = [d for d in self.dimension_labels if d in held]
        for cell in self.cells:
            if cell.dimension != TOTAL and cell.dimension not in seen:
                seen.append(cell.dimension)
        return seen

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON: the API, the JSON export and the page's charts."""
        return {
            "kind": self.kind,
            "slug": self.slug,
            "title": self.title,
            "release": self.release,
            "periods": self.periods,
            "headlines": self.headlines,
            "totals": [_total_dict(t) for t in self.totals],
            "trend": [_total_dict(t) for t in self.trend],
            "national": [_cell_dict(c) for c in self.cells],
            "groups": [
                {
                    "period": g.period,
                    "dimension": g.dimension,
                    "group": g.name,
                    **_range_dict(g.value),
                    "base_lower": g.base.lower,
                    "base_upper": g.base.upper,
                    **_share_dict(g.share),
                }
                for g in self.groups
            ],
            "coverage": self.coverage,
            "forces": [
                {
                    "force_id": f.force_id,
                    "force_name": f.name,
                    "ons_code": f.ons_code,
                    "coverage": f.coverage,
                    "totals": {p: _range_dict(r) for p, r in f.totals.items()},
                    "groups": {
                        name: {p: _range_dict(r) for p, r in by_period.items()}
                        for name, by_period in f.groups.items()
                    },
                    "ages_reported": {
                        p: [{"category": c, **_range_dict(r)} for c, r in cats.items()]
                        for p, cats in f.ages.items()
                    },
                }
                for f in self.forces
            ],
            "age_bands": {
                "bands": self.age_bands,
                "other_bands": [
                    {
                        "period": u.period,
                        "force_name": u.force,
                        "category": u.category,
                        **_range_dict(u.value),
                    }
                    for u in self.unplaced
                ],
                "note": self.age_note,
            },
            "methodology": self.methodology,
            "other_periods": {
                "note": self.other_periods_text,
                "figures": [_cell_dict(c) for c in self.other_periods],
            },
            "rollups": {
                dimension: {level: [_cell_dict(c) for c in cells] for level, cells in by.items()}
                for dimension, by in self.rollups.items()
            },
        }


def _range_dict(value: Range | None) -> dict[str, Any]:
    if value is None:
        return {"value": None, "lower": None, "upper": None}
    return {
        "value": value.lower if value.exact else None,
        "lower": value.lower,
        "upper": value.upper,
    }


def _share_dict(share: Share | None) -> dict[str, Any]:
    if share is None:
        return {"share_low": None, "share_high": None}
    return {"share_low": round(share.low, 2), "share_high": round(share.high, 2)}


def _change_dict(change: Change | None) -> dict[str, Any]:
    if change is None or change.low is None or change.high is None:  # up from none
        return {"change_low": None, "change_high": None}
    return {"change_low": round(change.low, 2), "change_high": round(change.high, 2)}


def _total_dict(t: PeriodTotal) -> dict[str, Any]:
    return {
        "period": t.period,
        **_range_dict(t.value),
        "forces": t.forces,
        "previous_period": t.previous_period,
        **_change_dict(t.change),
        "headline": t.headline,
        "in_dataset": t.in_dataset,
    }


def _cell_dict(c: Cell) -> dict[str, Any]:
    return {
        "period": c.period,
        "dimension": c.dimension,
        "category": c.category,
        **_range_dict(c.value),
        "forces": c.forces,
        "suppressed": c.suppressed,
        "unknown": c.unknown,
        **_share_dict(c.share),
        **_change_dict(c.change),
    }
