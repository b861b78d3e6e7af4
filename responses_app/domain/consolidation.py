"""Arithmetic of the consolidated dataset, on totals the database has already summed.

Suppression leaves some totals uncertain, so a total is a ``Range`` (the sum
of lower bounds to the sum of upper bounds) and everything computed from it —
changes, shares, headline sentences — carries the uncertainty through rather
than pretending to a single number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from questions.vocab import NOT_RECORDED

#: Categories left out of a share's denominator: the share of a platform is taken over
#: offences where the method was recorded, an age band's over those where age was.
NOT_IN_SHARE_BASE = (NOT_RECORDED,)
#: How a force answered a campaign, as its coverage counts them (besides ``asked``).
COVERAGE_CLASSES = (
    "contributed",
    "partial",
    "refused",
    "not_held",
    "awaiting_review",
    "not_yet_due",
    "overdue",
    "never_answered",  # coverage recorded by releases before not_yet_due/overdue existed
)
#: What the pages and exports say in place of "N of M forces answered" when M is 0.
NO_REQUESTS_SENT = "No requests sent yet"


@dataclass(frozen=True)
class Range:
    """A whole number known to lie in ``lower..upper`` (equal when exact)."""

    lower: int
    upper: int

    def __post_init__(self) -> None:
        if self.lower > self.upper:
            raise ValueError(f"range ends before it starts: {self.lower}..{self.upper}")

    @classmethod
    def exactly(cls, value: int) -> Range:
        return cls(value, value)

    @classmethod
    def of(cls, lower: int | None, upper: int | None) -> Range | None:
        if lower is None or upper is None:
            return None
        return cls(int(lower), int(upper))

    @property
    def exact(self) -> bool:
        return self.lower == self.upper

    def __add__(self, other: Range) -> Range:
        return Range(self.lower + other.lower, self.upper + other.upper)

    def __str__(self) -> str:
        return fmt(self.lower) if self.exact else f"{fmt(self.lower)} to {fmt(self.upper)}"


def fmt(n: int | float) -> str:
    """`4,373`."""
    return f"{int(n):,}"


def total(ranges: Iterable[Range]) -> Range:
    out = Range(0, 0)
    for item in ranges:
        out = out + item
    return out


@dataclass(frozen=True)
class Change:
    """Relative change between two ranges, in percent (a range when either side is)."""

    low: float | None
    high: float | None

    @property
    def exact(self) -> bool:
        return self.low == self.high

    def phrase(self) -> str:
        """`up 36%`, `down 5%`, `unchanged`, `up 30% to 40%`, `up from none`; `uncertain
        (suppressed figures)` when suppression leaves even the direction unknown."""
        if self.low is None or self.high is None:
            return "up from none"
        if self.exact:
            return _direction(self.low)
        if self.low >= 0 or self.high <= 0:
            word = "up" if self.low >= 0 else "down"
            a, b = sorted((abs(self.low), abs(self.high)))
            return f"{word} {_pct(a)} to {_pct(b)}"
        return "uncertain (suppressed figures)"


def _pct(value: float) -> str:
    rounded = round(value)
    if rounded == 0 and value:
        return f"{value:.1f}%"
    return f"{rounded}%"


def _direction(value: float) -> str:
    if value == 0:
        return "unchanged"
    return f"{'up' if value > 0 else 'down'} {_pct(abs(value))}"


def change(current: Range, previous: Range) -> Change:
    """Percent change from ``previous`` to ``current`` (both ends of the uncertainty)."""
    if previous.upper == 0:
        return Change(None, None) if current.upper else Change(0.0, 0.0)
    low = (current.lower - previous.upper) / previous.upper * 100
    high = (current.upper - max(previous.lower, 1)) / max(previous.lower, 1) * 100
    if current.exact and previous.exact:
        low = high = (current.lower - previous.lower) / previous.lower * 100
    return Change(low, high)


@dataclass(frozen=True)
class Share:
    """A part's share of a base in percent; a range when suppression leaves it uncertain."""

    low: float
    high: float

    @property
    def exact(self) -> bool:
        return round(self.low, 1) == round(self.high, 1)

    def __str__(self) -> str:
        low, high = _pct(self.low), _pct(self.high)
        return low if self.exact or low == high else f"{low} to {high}"


def share(part: Range, base: Range) -> Share | None:
    """``part`` as a share of ``base``, where ``part`` is one of the things ``base`` sums.

    With suppression the rest of the base is itself a range: the smallest share
    is the part at its lowest over everything else at its highest, and the
    other way round.
    """
    rest_low = max(base.lower - part.lower, 0)
    rest_high = max(base.upper - part.upper, 0)
    lowest_base = part.lower + rest_high
    highest_base = part.upper + rest_low
    low = part.lower / lowest_base * 100 if lowest_base else None
    high = part.upper / highest_base * 100 if highest_base else None
    if low is None and high is None:
        return None
    return Share(low or 0.0, high if high is not None else 100.0)


def headline(
    *,
    period: str,
    value: Range,
    answered: int,
    asked: int | None,
    previous_period: str | None = None,
    previous: Range | None = None,
    noun: str = "offences",
) -> str:
    """`4,373 offences in 2018-19, up 36% on 2017-18 (3,217); 43 of 43 forces answered`.

    ``asked`` is the number of requests actually sent: never made up from
    ``answered``. None (not recorded) leaves the "of" out; 0 says no request
    was sent, and more forces answering than were asked says both numbers.
    """
    text = f"{value} {noun} in {period}"
    if previous_period and previous is not None:
        text += f", {change(value, previous).phrase()} on {previous_period} ({previous})"
    forces = "force" if answered == 1 else "forces"
    if asked is None:
        return f"{text}; {answered} {forces} answered"
    if asked == 0:
        return f"{text}; figures from {answered} {forces}, {NO_REQUESTS_SENT.lower()}"
    if answered > asked:
        return f"{text}; figures from {answered} {forces}, {asked} asked"
    return f"{text}; {answered} of {asked} forces answered"


def share_sentence(
    *,
    name: str,
    part: Range,
    base: Range,
    period: str,
    dimension: str,
    noun: str = "offences",
    basis: str = "",
) -> str | None:
    """`Group: 1,234 of 3,000 offences where the weapon was recorded in 2019-20 (41%)`.

    ``basis`` is how the schema words the share's base for the dimension.
    """
    value = share(part, base)
    if value is None:
        return None
    basis = basis or f"where {dimension.replace('_', ' ')} was recorded"
    return f"{name}: {part} of {base} {noun} {basis} in {period} ({value})"


def coverage_sentence(counts: Mapping[str, int]) -> str:
    """`12 of 43 forces contributed figures (2 partial); 1 refused; 31 not yet due`."""
    asked = counts.get("asked", 0)
    if not asked:
        return NO_REQUESTS_SENT
    given = counts.get("contributed", 0) + counts.get("partial", 0)
    text = f"{given} of {asked} forces contributed figures"
    if counts.get("partial"):
        text += f" ({counts['partial']} partial)"
    for key, words in (
        ("refused", "refused"),
        ("not_held", "said the information is not held"),
        ("awaiting_review", "answered, figures awaiting review"),
        ("not_yet_due", "not yet due"),
        ("overdue", "overdue"),
        ("never_answered", "never answered"),
    ):
        if counts.get(key):
            text += f"; {counts[key]} {words}"
    return text


def share_base_excludes(dimension: str) -> tuple[str, ...]:
    """Categories a dimension's share base leaves out (``Not recorded``; none for total)."""
    return () if dimension == "total" else NOT_IN_SHARE_BASE


#: Where a roll-up puts a category its list cannot place (a label kept as the force wrote it).
NOT_IN_LIST = "Not in the list"


def roll_up(
    cells: Iterable[tuple[str, str, Range | None]], parent_of
) -> list[tuple[str, str, Range | None]]:
    """(period, category, value) summed into parents: ``parent_of(category)`` or NOT_IN_LIST.

    A value not available (None) leaves its parent's value not available too, so a
    sum is never presented as complete when part of it is missing.
    """
    sums: dict[tuple[str, str], Range | None] = {}
    for period, category, value in cells:
        key = (period, parent_of(category) or NOT_IN_LIST)
        if key not in sums:
            sums[key] = value
            continue
        so_far = sums[key]
        sums[key] = None if so_far is None or value is None else total([so_far, value])
    return [(p, c, v) for (p, c), v in sums.items()]
