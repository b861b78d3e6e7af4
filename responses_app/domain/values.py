"""Numbers as forces write them: `1,234`, `Nil`, `-`, `<5`, `*`, `1-4`, `fewer than 5`.

`parse_value` turns one cell into a `Value` (exact, suppressed with bounds, or
not available), a `ValueProblem` (free text that is not a number: a finding,
never a guess) or None for a blank cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

DEFAULT_STAR_BOUNDS = (0, 4)
#: The largest count a figure holds (a positive 32-bit integer, the database column's range).
MAX_COUNT = 2_147_483_647
WITHHELD = "the figure is withheld"


@dataclass(frozen=True)
class Value:
    value: int | None
    suppressed: bool = False
    lower: int | None = None
    upper: int | None = None
    available: bool = True

    @classmethod
    def exact(cls, number: int) -> Value:
        return cls(number, False, number, number)

    @classmethod
    def between(cls, lower: int, upper: int) -> Value:
        return cls(None, True, lower, upper)

    @classmethod
    def not_available(cls) -> Value:
        return cls(None, False, None, None, available=False)

    @property
    def shown(self) -> str:
        """As a finding quotes it: `12`, `1-4` when suppressed, `n/a`."""
        if self.value is not None:
            return str(self.value)
        if self.suppressed:
            return f"{self.lower}-{self.upper}"
        return "n/a"

    def bounds(self) -> tuple[int, int] | None:
        """(lower, upper), equal when the value is exact; None when it is not available."""
        if not self.available or self.lower is None or self.upper is None:
            return None
        return self.lower, self.upper

    def __add__(self, other: Value) -> Value:
        mine, theirs = self.bounds(), other.bounds()
        if mine is None or theirs is None:
            return Value.not_available()
        lower, upper = mine[0] + theirs[0], mine[1] + theirs[1]
        if self.suppressed or other.suppressed:
            return Value.between(lower, upper)
        return Value.exact(lower)  # exact values' bounds are the value itself


def total_of(values: Iterable[Value]) -> Value | None:
    """The sum of some values (a range when any is suppressed), or None when there are none."""
    total: Value | None = None
    for value in values:
        total = value if total is None else total + value
    return total


@dataclass(frozen=True)
class ValueProblem:
    """A cell where a number was expected but text was found."""

    text: str
    reason: str

    @property
    def message(self) -> str:
        return f"{self.text!r} is not a number: {self.reason}"


_ZERO_WORDS = {"nil", "none", "zero", "0", "no offences", "no crimes", "no records"}
_DASHES = {"-", "--", "\u2013", "\u2014", "\u2012", "\u2212"}
_NOT_AVAILABLE = {
    "..",
    "...",
    "n/a",
    "na",
    "n.a.",
    "not available",
    "not applicable",
    "unavailable",
    "not held",
    "no data",
    "data not available",
}
_CATEGORY_WORDS = {"not recorded", "unknown", "not known", "not stated", "blank", "total"}
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+")
_INTEGER = re.compile(r"(" + _NUMBER.pattern + r")(?:\.0+)?")
_LESS = re.compile(
    r"(?:<|less than|fewer than|under|below)\s*(" + _NUMBER.pattern + ")", re.IGNORECASE
)
_AT_MOST = re.compile(
    r"(?:<=|\u2264|=<)\s*("
    + _NUMBER.pattern
    + r")|("
    + _NUMBER.pattern
    + r")\s+or\s+(?:fewer|less)",
    re.IGNORECASE,
)
_BETWEEN = re.compile(
    r"(?:between\s+)?(" + _NUMBER.pattern + r")\s*(?:-|\u2013|to|and)\s*(" + _NUMBER.pattern + ")",
    re.IGNORECASE,
)
_STARS = re.compile(r"\*{1,3}|x|c|supp\.?|suppressed", re.IGNORECASE)
_WITHHELD = re.compile(
    r"(?:withheld|redacted|exempt(?:ion)?|refused)(?:\W.*)?|(?:s|section)\.?\s*\d{2}\b.*",
    re.IGNORECASE,
)
_INCLUDED = re.compile(r"(?:see |included in |in )?cell\s+[a-z]{1,3}\d+", re.IGNORECASE)


def _to_int(text: str) -> int:
    return int(text.replace(",", "").replace(" ", ""))


def parse_value(
    raw: object,
    *,
    star_bounds: tuple[int, int] = DEFAULT_STAR_BOUNDS,
    dash_means_zero: bool = True,
) -> Value | ValueProblem | None:
    """Read one count. None means the cell is blank."""
    found = _parse_value(raw, star_bounds=star_bounds, dash_means_zero=dash_means_zero)
    if isinstance(found, Value) and max(found.lower or 0, found.upper or 0) > MAX_COUNT:
        return ValueProblem(str(raw), f"larger than {MAX_COUNT:,}, the largest count held")
    return found


def _parse_value(
    raw: object, *, star_bounds: tuple[int, int], dash_means_zero: bool
) -> Value | ValueProblem | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        return ValueProblem(str(raw), "a true/false value")
    if isinstance(raw, int):
        return Value.exact(raw) if raw >= 0 else ValueProblem(str(raw), "a negative number")
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            return ValueProblem(str(raw), "not a finite number")
        if not raw.is_integer():
            return ValueProblem(f"{raw:g}", "not a whole number")
        return _parse_value(int(raw), star_bounds=star_bounds, dash_means_zero=dash_means_zero)
    if isinstance(raw, date):
        return ValueProblem(raw.isoformat(), "a date")
    text = " ".join(str(raw).split())
    if not text:
        return None
    return _parse_text(text, star_bounds, dash_means_zero)


def _parse_text(
    text: str, star_bounds: tuple[int, int], dash_means_zero: bool
) -> Value | ValueProblem:
    lowered = text.lower().strip()
    match = _INTEGER.fullmatch(lowered)
    if match:
        return Value.exact(_to_int(match.group(1)))
    if lowered in _ZERO_WORDS:
        return Value.exact(0)
    if lowered in _DASHES:
        return Value.exact(0) if dash_means_zero else Value.not_available()
    if lowered in _NOT_AVAILABLE:
        return Value.not_available()
    if _STARS.fullmatch(lowered):
        return Value.between(*star_bounds)
    match = _LESS.fullmatch(lowered)
    if match:
        limit = _to_int(match.group(1))
        return Value.between(0, max(limit - 1, 0))
    match = _AT_MOST.fullmatch(lowered)
    if match:
        return Value.between(0, _to_int(match.group(1) or match.group(2)))
    match = _BETWEEN.fullmatch(lowered)
    if match:
        low, high = _to_int(match.group(1)), _to_int(match.group(2))
        if low <= high:
            return Value.between(low, high)
    if lowered.startswith("-") and _INTEGER.fullmatch(lowered[1:].strip()):
        return ValueProblem(text, "a negative number")
    if _WITHHELD.fullmatch(lowered):
        return ValueProblem(text, WITHHELD)
    if _INCLUDED.fullmatch(lowered):
        return ValueProblem(text, "the figure is included in another cell")
    if lowered in _CATEGORY_WORDS:
        return ValueProblem(text, "a category, not a value")
    if re.fullmatch(r"\d+\.\d+", lowered):
        return ValueProblem(text, "not a whole number")
    if re.search(r"\d", lowered):
        return ValueProblem(text, "text around the number (an estimate or a unit?)")
    return ValueProblem(text, "free text")


def suppression_bounds_from_note(text: str) -> tuple[int, int] | None:
    """The range a `*` stands for, from a note such as `* = fewer than 5`."""
    lowered = " ".join(text.lower().split())
    if "*" not in lowered and "suppress" not in lowered:
        return None
    match = re.search(r"(?:fewer|less) than\s*(\d+)|(?:<|under|below)\s*(\d+)", lowered)
    if match:
        return (0, max(int(match.group(1) or match.group(2)) - 1, 0))
    match = re.search(r"(\d+)\s+or\s+(?:fewer|less|under|below)|<=\s*(\d+)", lowered)
    if match:
        return (0, int(match.group(1) or match.group(2)))
    match = re.search(r"between\s+(\d+)\s+and\s+(\d+)|\b(\d+)\s*(?:-|to)\s*(\d+)\b", lowered)
    if match:
        low, high = (int(g) for g in match.groups() if g is not None)
        if low <= high:
            return (low, high)
    return None
