"""Working-day calendars for the two UK freedom of information regimes.

FOIA s.10(6) excludes weekends, Christmas Day, Good Friday and the bank
holidays of *any* part of the United Kingdom; FOISA s.73 excludes weekends,
Christmas Day and Scotland's bank holidays only. Bank holidays come from the
``holidays`` package, never hard-coded, and an administrator can add a
proclaimed day or remove one the package got wrong.

Deadline arithmetic is O(log n) per question, not a walk day by day: weekdays
are counted arithmetically from the ordinal of a date, and the non-working
weekdays are a sorted list counted with ``bisect``. Many deadlines at once
(recomputing every open request of a regime) are array look-ups in a table of
working days built with numpy's business-day calendar, the same non-working
weekdays as its ``holidays=`` (``add_working_days_many``); ``with_due_dates``
hands the answers to the state calculator, which asks one date at a time.
"""

from __future__ import annotations

import copy
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from enum import StrEnum
from functools import cached_property, lru_cache

import holidays
import numpy as np
from dateutil.easter import easter

__all__ = [
    "Regime",
    "WorkingCalendar",
    "add_months",
    "calendar_for",
]


class Regime(StrEnum):
    """Which Act governs the request: FOIA 2000 or FOISA 2002 (Police Scotland)."""

    FOIA = "FOIA"
    FOISA = "FOISA"


#: The nations whose bank holidays count, in the order a reason names them.
NATIONS: dict[Regime, tuple[str, ...]] = {
    Regime.FOIA: ("ENG", "WLS", "SCT", "NIR"),
    Regime.FOISA: ("SCT",),
}
NATION_NAMES = {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}

#: The package's names, rewritten the way people in the UK say them.
_RENAMES = {"New Year Holiday": "2 January"}


def _plain_name(name: str) -> str:
    """'Saint Patrick's Day (observed)' -> "St Patrick's Day (substitute day)"."""
    substitute = name.endswith(" (observed)")
    if substitute:
        name = name.removesuffix(" (observed)")
    name = _RENAMES.get(name, name)
    if name.startswith("Saint "):
        name = "St " + name.removeprefix("Saint ")
    return f"{name} (substitute day)" if substitute else name


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _statutory_days(regime: Regime, year: int) -> dict[date, str]:
    """Days the Act itself names, whatever the bank holiday list says."""
    days = {date(year, 12, 25): "Christmas Day"}
    if regime is Regime.FOIA:
        days[easter(year) - timedelta(days=2)] = "Good Friday"
    return days


@lru_cache(maxsize=16)
def _package_closures(
    regime: Regime, first_year: int, last_year: int
) -> tuple[dict[date, str], frozenset[date]]:
    """Each closed date with its reason, and the dates the Act itself names.

    Cached because building the union of four subdivisions over eighty years
    takes a noticeable fraction of a second, and every calendar of a regime
    (with or without an administrator's changes) starts from the same list.
    """
    years = range(first_year, last_year + 1)
    names: dict[date, dict[str, set[str]]] = {}
    for nation in NATIONS[regime]:
        table = holidays.country_holidays("GB", subdiv=nation, years=years)
        for day in table:
            for name in table.get_list(day):
                names.setdefault(day, {}).setdefault(_plain_name(name), set()).add(nation)
    statutory: set[date] = set()
    for year in years:
        for day, name in _statutory_days(regime, year).items():
            statutory.add(day)
            names.setdefault(day, {})[name] = set(NATIONS[regime])
    reasons = {day: _reason(regime, by_name) for day, by_name in names.items()}
    return reasons, frozenset(statutory)


def _reason(regime: Regime, by_name: Mapping[str, set[str]]) -> str:
    """ "St Patrick's Day (substitute day), Northern Ireland"; no nations when all observe it."""
    everyone = NATIONS[regime]
    parts = []
    for name, nations in sorted(by_name.items(), key=lambda item: -len(item[1])):
        if nations >= set(everyone):
            parts.append(name)
        else:
            parts.append(f"{name}, {_join([NATION_NAMES[n] for n in everyone if n in nations])}")
    return "; ".join(parts)


class WorkingCalendar:
    """Which days count as working days for one regime, between two years inclusive."""

    def __init__(
        self,
        regime: Regime,
        *,
        added: Mapping[date, str] | None = None,
        removed: Iterable[date] = (),
        first_year: int = 1995,
        last_year: int = 2075,
    ) -> None:
        if first_year > last_year:
            raise ValueError(f"first_year {first_year} is after last_year {last_year}.")
        self.regime = Regime(regime)
        self.first_day = date(first_year, 1, 1)
        self.last_day = date(last_year, 12, 31)
        self._lo, self._hi = self.first_day.toordinal(), self.last_day.toordinal()
        package, statutory = _package_closures(self.regime, first_year, last_year)
        reasons = dict(package)
        for day in removed:
            self._check(day)
            # Christmas Day and (FOIA) Good Friday are in the Act, not only in a
            # bank holiday list, so removing them cannot make them working days.
            if day not in statutory:
                reasons.pop(day, None)
        for day, why in (added or {}).items():
            self._check(day)
            why = why.strip() or "closure day added by an administrator"
            reasons[day] = f"{reasons[day]}; {why}" if day in reasons else why
        self._reasons = reasons
        self._statutory = statutory
        self._closed = sorted(day.toordinal() for day in reasons if day.weekday() < 5)
        self._closed_set = frozenset(self._closed)
        #: Answers of ``add_working_days`` worked out in bulk (``with_due_dates``).
        self._known: dict[tuple[date, int], date] = {}

    def __repr__(self) -> str:
        return (
            f"<WorkingCalendar {self.regime} {self.first_day.year}-{self.last_day.year}, "
            f"{len(self._closed)} non-working weekdays>"
        )

    def _check(self, day: date) -> int:
        ordinal = day.toordinal()
        if ordinal < self._lo or ordinal > self._hi:
            raise self._outside(day)
        return ordinal

    def _outside(self, day: date) -> ValueError:
        return ValueError(
            f"{day.isoformat()} is outside the {self.regime} calendar, which covers "
            f"{self.first_day.year} to {self.last_day.year}."
        )

    def is_working_day(self, d: date) -> bool:
        """True for a Monday to Friday that is no holiday or closure."""
        ordinal = self._check(d)
        return d.weekday() < 5 and ordinal not in self._closed_set

    def is_statutory(self, d: date) -> bool:
        """True for days the Act itself names (an administrator cannot remove them)."""
        return d in self._statutory

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; 0 when b <= a: weekdays counted, holidays bisected."""
        first, last = self._check(a), self._check(b)
        if last <= first:
            return 0
        rest_a, rest_b = first % 7, last % 7  # ordinal 1 (1 January AD 1) was a Monday
        weekdays = (last // 7 - first // 7) * 5
        weekdays += (rest_b if rest_b < 5 else 5) - (rest_a if rest_a < 5 else 5)
        closed = self._closed
        holidays_between = bisect_right(closed, last) - bisect_right(closed, first)
        return weekdays - holidays_between

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start``; ``start`` is day 0 whatever it is.

        The answer is the weekday whose weekday count is the target plus the
        holidays up to it; the holidays up to it depend on the answer, so
        repeat until that count stops changing (it only grows: a few rounds).
        The arithmetic is inlined because deadlines are computed in bulk.
        """
        known = self._known.get((start, n))
        if known is not None:
            return known
        if n < 0:
            raise ValueError(f"Cannot add a negative number of working days ({n}).")
        origin = self._check(start)
        if n == 0:
            return start
        closed = self._closed
        skipped = bisect_right(closed, origin)
        rest = origin % 7  # ordinal 1 (1 January AD 1) was a Monday
        weekdays = origin // 7 * 5 + (rest if rest < 5 else 5)  # weekdays through origin
        target = weekdays - skipped + n  # working days through the answer
        while True:
            count = target + skipped - 1  # the answer is the (count + 1)-th weekday
            ordinal = count // 5 * 7 + count % 5 + 1
            now_skipped = bisect_right(closed, ordinal, skipped)
            if now_skipped == skipped:
                break
            skipped = now_skipped
        if ordinal > self._hi:
            raise ValueError(
                f"{n} working days after {start.isoformat()} falls after the end of the "
                f"{self.regime} calendar ({self.last_day.year})."
            )
        return date.fromordinal(ordinal)

    @cached_property
    def _table(self) -> tuple[np.ndarray, np.ndarray]:
        """For every day of the calendar, the working days up to it; and every working day.

        Built once with numpy's business-day calendar (weekends and this
        calendar's non-working weekdays as ``holidays=``), so that each of many
        due dates is two array look-ups, the same answers as ``np.busday_offset``.
        """
        closed = np.array(self._closed, dtype=np.int64) - _EPOCH_ORDINAL
        cal = np.busdaycalendar(weekmask="1111100", holidays=closed.astype("datetime64[D]"))
        days = np.arange(self._lo, self._hi + 1, dtype=np.int64) - _EPOCH_ORDINAL
        working = np.is_busday(days.astype("datetime64[D]"), busdaycal=cal)
        return np.cumsum(working), np.flatnonzero(working) + self._lo

    def add_working_days_many(
        self, starts: Iterable[date] | np.ndarray, n: int | Sequence[int] | np.ndarray
    ) -> np.ndarray:
        """``add_working_days`` for many dates at once, as numpy ``datetime64[D]``.

        ``starts`` are dates or a ``datetime64`` array, ``n`` one number or one
        per date. The n-th working day after a start is the working day whose
        rank is the start's (the working days up to it) plus n; n = 0 is the
        start itself, whatever it is, as in the scalar method.
        """
        ordinals = _ordinals(starts)
        counts = np.broadcast_to(np.asarray(n, dtype=np.int64), ordinals.shape)
        if ordinals.size == 0:
            return (ordinals - _EPOCH_ORDINAL).astype("datetime64[D]")
        if (counts < 0).any():
            raise ValueError(f"Cannot add a negative number of working days ({counts.min()}).")
        outside = (ordinals < self._lo) | (ordinals > self._hi)
        if outside.any():
            raise self._outside(date.fromordinal(int(ordinals[outside][0])))
        due, late = self._offset(ordinals, counts)
        if late.any():
            first = int(np.argmax(late))
            raise ValueError(
                f"{int(counts[first])} working days after "
                f"{date.fromordinal(int(ordinals[first])).isoformat()} falls after the end of "
                f"the {self.regime} calendar ({self.last_day.year})."
            )
        return (due - _EPOCH_ORDINAL).astype("datetime64[D]")

    def _offset(self, ordinals: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The answers' ordinals (for starts inside the calendar), and which fall past its end."""
        through, working = self._table
        rank = through[ordinals - self._lo] + counts - 1  # the answer's index in ``working``
        late = (counts > 0) & (rank >= len(working))
        due = np.where(counts > 0, working[np.minimum(rank, len(working) - 1)], ordinals)
        return due, late

    def with_due_dates(self, starts: Iterable[date], counts: Iterable[int]) -> WorkingCalendar:
        """This calendar, knowing ``add_working_days(start, n)`` for every pair, computed in bulk.

        For recomputing many requests: the state calculator asks one date at a
        time and finds these answers ready; anything else it asks is worked out
        as usual. The shared calendar itself is left as it was.
        """
        unique = sorted({d for d in starts if self.first_day <= d <= self.last_day})
        primed = copy.copy(self)
        primed._known = dict(self._known)
        ordinals = _ordinals(unique)
        for n in sorted({n for n in counts if n >= 0}):
            due, late = self._offset(ordinals, np.full(ordinals.shape, n, dtype=np.int64))
            # An answer past the calendar's end is left to the scalar method, which says so.
            found = zip(ordinals[~late].tolist(), due[~late].tolist(), strict=True)
            primed._known.update(((date.fromordinal(d), n), date.fromordinal(o)) for d, o in found)
        return primed

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.add_working_days(d, 1)

    def non_working_weekdays(self, a: date, b: date) -> list[tuple[date, str]]:
        """Holidays and closures falling Monday to Friday in (a, b], with their reasons."""
        lo, hi = (
            bisect_right(self._closed, self._check(a)),
            bisect_right(self._closed, self._check(b)),
        )
        days = [date.fromordinal(o) for o in self._closed[lo:hi]]
        return [(day, self._reasons[day]) for day in days]

    def holiday_reason(self, d: date) -> str | None:
        """Why ``d`` is a holiday or closure (even at a weekend), or None if it is not one."""
        self._check(d)
        return self._reasons.get(d)


#: ``date(1970, 1, 1).toordinal()``: numpy counts days from 1970, ``date`` from year 1.
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _ordinals(days: Iterable[date] | np.ndarray) -> np.ndarray:
    """Day ordinals (as ``date.toordinal``) of dates or of a ``datetime64`` array."""
    if isinstance(days, np.ndarray):
        return days.astype("datetime64[D]").astype(np.int64) + _EPOCH_ORDINAL
    days = days if isinstance(days, Sequence) else list(days)
    return np.fromiter(map(date.toordinal, days), dtype=np.int64, count=len(days))


def add_months(d: date, months: int) -> date:
    """The same day ``months`` calendar months later, or the month's last day if it is shorter."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last = (next_month - timedelta(days=1)).day
    return date(year, month, min(d.day, last))


@lru_cache(maxsize=64)
def _cached(
    regime: Regime, added: tuple[tuple[date, str], ...], removed: tuple[date, ...]
) -> WorkingCalendar:
    return WorkingCalendar(regime, added=dict(added), removed=removed)


def calendar_for(
    regime: Regime | str,
    added: Mapping[date, str] | None = None,
    removed: Iterable[date] = (),
) -> WorkingCalendar:
    """The shared calendar of ``regime`` with an administrator's changes (built once, cached)."""
    key_added = tuple(sorted((added or {}).items()))
    key_removed = tuple(sorted(set(removed)))
    return _cached(Regime(regime), key_added, key_removed)
