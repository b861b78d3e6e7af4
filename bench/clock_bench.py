"""How much faster are the bisect calendar and the bulk calendar than counting day by day?

Computes the FOIA due date (20 working days after receipt) for N receipt
dates spread over 2000-2040 three ways in the same run: all at once with
``WorkingCalendar.add_working_days_many`` (a table of working days built with
numpy's business-day calendar, the calendar's non-working weekdays as its
``holidays=``: what recomputing a regime uses; timed with Python dates in and
out, and from and to ``datetime64`` arrays), one at a time with
``WorkingCalendar.add_working_days`` (bisect), and with a loop that steps a
day at a time over the same non-working days (the way WhatDoTheyKnow and
Froide count). It checks that all three agree on every date and prints the
times.

    .venv/bin/python bench/clock_bench.py [--n 1000000] [--days 20] [--repeat 3] [--json]

The bisect calendar costs the same for any number of days; the loop grows
with it (try --days 40, the very-overdue and review-request windows).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from requests_app.domain.calendar import Regime, WorkingCalendar, calendar_for  # noqa: E402

FIRST, LAST = date(2000, 1, 1), date(2040, 12, 31)


def receipt_dates(n: int, seed: int) -> list[date]:
    """N dates drawn uniformly (and reproducibly) from 2000-2040."""
    rng = random.Random(seed)
    lo, hi = FIRST.toordinal(), LAST.toordinal()
    return [date.fromordinal(rng.randint(lo, hi)) for _ in range(n)]


def day_by_day(start: date, n: int, closed: frozenset[date]) -> date:
    """The reference: step one calendar day at a time, counting working days."""
    day, one = start, timedelta(days=1)
    while n:
        day += one
        if day.weekday() < 5 and day not in closed:
            n -= 1
    return day


def best_of(repeat: int, method):
    """The answer and the shortest of ``repeat`` timings."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        answer = method()
        times.append(time.perf_counter() - t0)
    return answer, min(times)


def run(n: int, seed: int, working_days: int = 20, repeat: int = 3) -> dict:
    calendar: WorkingCalendar = calendar_for(Regime.FOIA)
    closed = frozenset(
        d for d, _ in calendar.non_working_weekdays(calendar.first_day, calendar.last_day)
    )
    starts = receipt_dates(n, seed)
    add = calendar.add_working_days
    calendar.add_working_days_many(starts[:1], working_days)  # numpy's table, built once
    as_array = np.array(starts, dtype="datetime64[D]")

    def bulk_dates():
        return calendar.add_working_days_many(starts, working_days).tolist()

    def bulk_arrays():
        return calendar.add_working_days_many(as_array, working_days)

    def bisect():
        return [add(start, working_days) for start in starts]

    def loop():
        return [day_by_day(start, working_days, closed) for start in starts]

    (bulk, bulk_s), (_, arrays_s), (fast, fast_s), (slow, slow_s) = (
        best_of(repeat, method) for method in (bulk_dates, bulk_arrays, bisect, loop)
    )

    rows = zip(starts, bulk, fast, slow, strict=True)
    disagreements = [row for row in rows if not row[1] == row[2] == row[3]]
    assert not disagreements, f"{len(disagreements)} dates disagree, first: {disagreements[0]}"
    return {
        "n": n,
        "regime": "FOIA",
        "working_days": working_days,
        "non_working_weekdays": len(closed),
        "bulk_seconds": round(bulk_s, 4),
        "bulk_arrays_seconds": round(arrays_s, 4),
        "best_of": repeat,
        "bisect_seconds": round(fast_s, 4),
        "day_by_day_seconds": round(slow_s, 4),
        "bulk_ns_per_date": round(bulk_s / n * 1e9, 1),
        "bisect_ns_per_date": round(fast_s / n * 1e9, 1),
        "day_by_day_ns_per_date": round(slow_s / n * 1e9, 1),
        "ratio": round(slow_s / fast_s, 2),
        "bulk_ratio": round(slow_s / bulk_s, 2),
        "numpy": np.__version__,
        "agree": True,
        "python": platform.python_version(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="receipt dates (1000000)")
    parser.add_argument("--days", type=int, default=20, help="working days to add (20)")
    parser.add_argument("--seed", type=int, default=2000, help="random seed (2000)")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs (3)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")
    result = run(args.n, args.seed, args.days, max(1, args.repeat))
    if args.json:
        print(json.dumps(result))
        return 0
    print(
        f"dates: {result['n']} FOIA receipts, 2000-2040, "
        f"due {result['working_days']} working days later, best of {result['best_of']}"
    )
    print(
        f"all three methods agree on every date "
        f"({result['non_working_weekdays']} non-working weekdays, 1995-2075)"
    )
    print(
        f"bulk (numpy):    {result['bulk_seconds']:.3f} s, "
        f"{result['bulk_ns_per_date']:.0f} ns per date, dates in and out "
        f"({result['bulk_arrays_seconds']:.3f} s from and to datetime64 arrays)"
    )
    print(
        f"bisect calendar: {result['bisect_seconds']:.3f} s, "
        f"{result['bisect_ns_per_date']:.0f} ns per date"
    )
    print(
        f"day by day:      {result['day_by_day_seconds']:.3f} s, "
        f"{result['day_by_day_ns_per_date']:.0f} ns per date"
    )
    print(f"ratio: day by day takes {result['bulk_ratio']:.1f} times as long as bulk")
    print(f"ratio: day by day takes {result['ratio']:.2f} times as long as bisect")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
