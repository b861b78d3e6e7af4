"""How long forces took to respond, in working days, grouped for a histogram.

Pure arithmetic over a list of working-day counts (receipt to first
response, counted by the regime's calendar before they get here): equal bins
up to a last bound and one open bin beyond it, the median, and how many came
within the statutory limit (20 working days, s.10(1) FOIA and s.10(1) FOISA).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median

__all__ = ["Bin", "ResponseTimes", "response_times"]


@dataclass(frozen=True)
class Bin:
    """Responses that took ``low`` to ``high`` working days (``high`` None: or more)."""

    low: int
    high: int | None
    count: int
    within_limit: bool

    @property
    def label(self) -> str:
        """Short, for an axis: "0–5", "41+"."""
        return f"{self.low}+" if self.high is None else f"{self.low}–{self.high}"

    @property
    def long_label(self) -> str:
        """For a table: "0 to 5 working days", "41 working days or more"."""
        if self.high is None:
            return f"{self.low} working days or more"
        return f"{self.low} to {self.high} working days"


@dataclass(frozen=True)
class ResponseTimes:
    bins: tuple[Bin, ...]
    answered: int
    within_limit: int
    median: float | None
    limit: int

    @property
    def late(self) -> int:
        return self.answered - self.within_limit

    @property
    def share_within_limit(self) -> float | None:
        """Percentage answered within the limit (None when nothing was answered)."""
        return 100 * self.within_limit / self.answered if self.answered else None

    @property
    def bins_within_limit(self) -> int:
        """How many bins lie within the limit (the limit falls just after them)."""
        return sum(1 for b in self.bins if b.within_limit)


def response_times(
    days: Iterable[int], *, limit: int = 20, width: int = 5, last: int = 40
) -> ResponseTimes:
    """Group working-day counts into bins of ``width`` up to ``last``, then one open bin.

    ``limit`` must fall on a bin boundary (a multiple of ``width`` up to ``last``)
    so that every bin is wholly within it or wholly beyond it.
    """
    if width < 1 or last < width or last % width or limit % width or not 0 < limit <= last:
        raise ValueError(
            f"Bins of {width} up to {last} cannot mark a limit of {limit} working days."
        )
    values = [max(0, int(d)) for d in days]
    edges = [(0, width)] + [(start + 1, start + width) for start in range(width, last, width)]
    counts = [0] * (len(edges) + 1)
    for value in values:
        index = len(edges) if value > last else max(0, (value - 1) // width)
        counts[index] += 1
    bins = [
        Bin(low=low, high=high, count=counts[i], within_limit=high <= limit)
        for i, (low, high) in enumerate(edges)
    ]
    bins.append(Bin(low=last + 1, high=None, count=counts[-1], within_limit=False))
    return ResponseTimes(
        bins=tuple(bins),
        answered=len(values),
        within_limit=sum(1 for v in values if v <= limit),
        median=median(values) if values else None,
        limit=limit,
    )
