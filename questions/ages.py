"""A campaign's age bands: the band set its question asks for, read and checked.

A band set is written as labels (``["0-10", "11-15", "16-17"]``); ``parse_bands``
turns it into ``AgeBand`` values, youngest first, or says why it cannot be used.
Rolling the forces' reported ages into the set is the replies' work
(``responses_app.domain.ages``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from .vocab import NOT_RECORDED, default_vocabulary

AGE = "age"

#: The spellings of ages forces use (one age, a band, "Under N"), read as labels.
AGE_VOCABULARY = default_vocabulary(AGE)
_LABEL = re.compile(r"(\d+)(?:-(\d+)|(\+))?")


class BandsRejected(ValueError):
    """A campaign's band set cannot be used; the message says why."""


@dataclass(frozen=True, order=True)
class AgeBand:
    """Whole years ``lower..upper`` inclusive; ``upper`` None for an open band (``18+``)."""

    lower: int
    upper: int | None

    def __post_init__(self) -> None:
        if self.lower < 0 or (self.upper is not None and self.upper < self.lower):
            raise ValueError(f"not an age band: {self.lower}..{self.upper}")

    @property
    def label(self) -> str:
        """``11``, ``0-10`` or ``18+``: the category spelling of docs/dataset.md."""
        if self.upper is None:
            return f"{self.lower}+"
        return str(self.lower) if self.lower == self.upper else f"{self.lower}-{self.upper}"

    def contains(self, other: AgeBand) -> bool:
        """Whether every age of ``other`` lies in this band."""
        if other.lower < self.lower:
            return False
        if self.upper is None:
            return True
        return other.upper is not None and other.upper <= self.upper

    def overlaps(self, other: AgeBand) -> bool:
        below = self.upper is not None and self.upper < other.lower
        above = other.upper is not None and other.upper < self.lower
        return not (below or above)


def parse_age(category: object) -> AgeBand | None:
    """The ages a category covers: ``11``, ``0-10``, ``Under 11`` (0-10), ``18+``.

    None for ``Not recorded`` and for words that name no ages.
    """
    canonical = AGE_VOCABULARY.match(category)
    if canonical is None or canonical == NOT_RECORDED:
        return None
    found = _LABEL.fullmatch(canonical)
    if found is None:
        return None
    lower = int(found[1])
    if found[3]:
        return AgeBand(lower, None)
    return AgeBand(lower, int(found[2]) if found[2] else lower)


def parse_bands(spec: object) -> tuple[AgeBand, ...]:
    """A band set from plain data: labels such as ``["0-10", "11-15"]``, youngest first.

    Raises ``BandsRejected`` with a message a person can act on.
    """
    example = 'a list of labels such as ["0-10", "11-15", "16-17"]'
    if isinstance(spec, str | bytes) or not isinstance(spec, Sequence) or not spec:
        raise BandsRejected(f"Age bands must be {example}.")
    bands = []
    for label in spec:
        band = parse_age(label) if isinstance(label, str | int) else None
        if band is None or isinstance(label, bool):
            raise BandsRejected(
                f"{label!r} is not an age band: write lo-hi (0-10), one age (12) or lo+ (18+)."
            )
        bands.append(band)
    bands.sort()
    for first, second in pairwise(bands):
        if first.overlaps(second):
            raise BandsRejected(
                f"The age bands {first.label} and {second.label} overlap: "
                "a figure would belong to both."
            )
    return tuple(bands)
