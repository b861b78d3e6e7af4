"""Harmonised national age bands: ages as the forces reported them, rolled into one band set.

Forces answer in single ages (``9``, ``10``, ``11``), in bands (``0-10``, ``11-15``) or in
both, so summing categories verbatim mixes them. A single age, or a band, that lies wholly
inside one band of the set is added to it; one that crosses two bands (``10-12``) or lies
outside them all (``18+``) cannot be placed without guessing, so it is counted as
"Other bands" and named in the note. "Not recorded" stays apart, and shares are taken
over the figures where age was recorded (Other bands included).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from questions.ages import AGE, AGE_VOCABULARY, AgeBand, parse_age
from questions.periods import year_before
from questions.vocab import NOT_RECORDED

from . import consolidation as calc
from .consolidation import Range
from .summary import Cell, GroupShare, Unplaced

log = logging.getLogger(__name__)

OTHER_BANDS = "Other bands"
#: How the youngest band's headline counts people (docs/dataset.md: "one victim in five").
HEADLINE_NOUN = "victims"


def place(category: str, bands: Sequence[AgeBand]) -> str:
    """The harmonised category of a reported one: a band's label, Not recorded or Other bands."""
    if category == NOT_RECORDED or AGE_VOCABULARY.match(category) == NOT_RECORDED:
        return NOT_RECORDED
    age = parse_age(category)
    if age is not None:
        for band in bands:
            if band.contains(age):
                return band.label
    return OTHER_BANDS


@dataclass
class ReportedAge:
    """One age category as the forces reported it in one period, summed nationally."""

    period: str
    category: str
    value: Range | None
    #: What each force (by name) reported in this category; None where not available.
    forces: Mapping[str, Range | None] = field(default_factory=dict)
    suppressed: int = 0
    unknown: int = 0


@dataclass
class AgeRollup:
    """The national age table in harmonised bands, and what could not be placed."""

    bands: tuple[AgeBand, ...]
    cells: list[Cell]
    unplaced: list[Unplaced]
    headlines: list[GroupShare]

    @property
    def note(self) -> str:
        """How the ages were rolled up and who sent what did not fit ("" with no age figures)."""
        if not self.cells:
            return ""
        return roll_up_note([b.label for b in self.bands], self.unplaced)


def roll_up_note(
    bands: Sequence[str], unplaced: Sequence[Unplaced], period: str | None = None
) -> str:
    """The methodology/coverage note on the national age bands, for one period or all."""
    if not bands:
        return ""
    named = ", ".join(bands[:-1]) + f" and {bands[-1]}" if len(bands) > 1 else bands[0]
    text = (
        f"National ages are shown in the bands {named}: a single age or a band that a force "
        f'reported is added to the band that holds it wholly; "{NOT_RECORDED}" stays separate '
        "and shares are taken over the figures where age was recorded. "
    )
    mine = [u for u in unplaced if period is None or u.period == period]
    if not mine:
        return text + "Every recorded age fitted one band."
    listed = "; ".join(
        f"{u.force}{'' if period else f', {u.period}'}: {u.category} ({_amount(u.value)})"
        for u in mine
    )
    return text + (
        "Figures in a band that crosses these bands, or lies outside them, cannot be placed "
        f'without guessing and are counted as "{OTHER_BANDS}": {listed}.'
    )


def category_order(category: str) -> tuple:
    """Sort key for reported age categories: by age (9 before 10, 0-10 before 11), words last."""
    if category == NOT_RECORDED:
        return (2, 0, 0, category)
    age = parse_age(category)
    if age is None:
        return (1, 0, 0, category)
    return (0, age.lower, age.upper if age.upper is not None else 10**6, category)


def harmonise(
    reported: Iterable[ReportedAge],
    bands: Sequence[AgeBand] = (),
    *,
    noun: str = HEADLINE_NOUN,
    at_most: Sequence[int] = (),
    basis: str = "",
    dimension: str = AGE,
) -> AgeRollup:
    """Roll reported age categories into ``bands``, period by period (periods in given order).

    Each period's cells: the bands that received figures (youngest first), then
    Other bands, then Not recorded. The value of a harmonised cell is the sum of
    what was rolled into it, so the recorded total is preserved exactly. With no
    bands, the categories stay as reported. ``at_most`` are the campaign's headline
    ages: "the share aged N or under", for each N that ends one of the bands.
    """
    bands = tuple(sorted(bands))
    grouped: dict[str, dict[str, list[ReportedAge]]] = {}
    unplaced: list[Unplaced] = []
    for item in reported:
        slot = place(item.category, bands) if bands else _as_reported(item.category)
        grouped.setdefault(item.period, {}).setdefault(slot, []).append(item)
        if slot == OTHER_BANDS:
            unplaced += [
                Unplaced(period=item.period, force=name, category=item.category, value=value)
                for name, value in sorted(item.forces.items())
            ]
    cells: list[Cell] = []
    headlines: list[GroupShare] = []
    for period, by_slot in grouped.items():
        if bands:
            slots = [b.label for b in bands] + [OTHER_BANDS, NOT_RECORDED]
        else:
            slots = sorted(by_slot, key=category_order)
        mine = [_merge(period, slot, by_slot[slot], dimension) for slot in slots if slot in by_slot]
        base = _sum(c.value for c in mine if c.category != NOT_RECORDED) or Range(0, 0)
        for cell in mine:
            if cell.category != NOT_RECORDED and cell.value is not None:
                cell.share = calc.share(cell.value, base)
        cells += mine
        for age in at_most:
            headline = _at_most_headline(mine, bands, base, period, noun, age, basis, dimension)
            if headline is not None:
                headlines.append(headline)
    _changes(cells)
    return AgeRollup(bands=bands, cells=cells, unplaced=unplaced, headlines=headlines)


def _as_reported(category: str) -> str:
    if category == NOT_RECORDED or AGE_VOCABULARY.match(category) == NOT_RECORDED:
        return NOT_RECORDED
    return category


def _amount(value: Range | None) -> str:
    return "not available" if value is None else str(value)


def _sum(values: Iterable[Range | None]) -> Range | None:
    known = [v for v in values if v is not None]
    return calc.total(known) if known else None


def _merge(period: str, slot: str, items: list[ReportedAge], dimension: str = AGE) -> Cell:
    forces = {name for item in items for name in item.forces}
    return Cell(
        period=period,
        dimension=dimension,
        category=slot,
        value=_sum(i.value for i in items),
        forces=len(forces),
        suppressed=sum(i.suppressed for i in items),
        unknown=sum(i.unknown for i in items),
    )


def _at_most_headline(
    cells: list[Cell],
    bands: tuple[AgeBand, ...],
    base: Range,
    period: str,
    noun: str,
    age: int,
    basis: str,
    dimension: str,
) -> GroupShare | None:
    """`Aged 10 or under: N of M victims where age was recorded in 2022-23 (x%)`.

    Only when ``age`` ends a band: the bands up to it hold exactly those ages. A
    band a force reported that crosses the campaign's bands is named, not guessed.
    """
    inside = [b for b in bands if b.upper is not None and b.upper <= age]
    if not inside or inside[-1].upper != age or inside[0].lower != 0:
        return None
    if any(second.lower != (first.upper or 0) + 1 for first, second in pairwise(inside)):
        return None  # a gap: the ages in it are not in the bands
    labels = {b.label for b in inside}
    held = [c for c in cells if c.category in labels]
    if not held or any(c.value is None for c in held):
        return None
    part = _sum(c.value for c in held)
    if part is None:
        return None
    name = f"Aged {age} or under"
    sentence = calc.share_sentence(
        name=name,
        part=part,
        base=base,
        period=period,
        dimension=dimension,
        noun=noun,
        basis=basis,
    )
    if sentence is None:
        return None
    other = next((c for c in cells if c.category == OTHER_BANDS), None)
    if other is not None and other.value is not None and other.value.upper:
        sentence = sentence[:-1] + f"; {other.value} in other bands could not be placed)"
    return GroupShare(
        period=period,
        dimension=dimension,
        name=name,
        value=part,
        base=base,
        share=calc.share(part, base),
        sentence=sentence,
    )


def _changes(cells: list[Cell]) -> None:
    index = {(c.period, c.category): c for c in cells}
    for cell in cells:
        before = index.get((year_before(cell.period) or "", cell.category))
        if before is not None and before.value is not None and cell.value is not None:
            cell.previous = before.value
            cell.change = calc.change(cell.value, before.value)
