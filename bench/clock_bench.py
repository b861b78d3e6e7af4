"""How much faster is the bisect calendar than counting day by day?

Computes the FOIA due date (20 working days after receipt) for N receipt
dates spread over 2000-2040, once with ``WorkingCalendar.add_working_days``
and once with a loop that steps a day at a time over the same non-working
days (the way WhatDoTheyKnow and Froide count), checks that both agree on
every date, and prints the two times.

    .venv/bin/python bench/clock_bench.py [--n 1000000] [--days 20] [--json]

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


def run(n: int, seed: int, working_days: int = 20) -> dict:
    calendar: WorkingCalendar = calendar_for(Regime.FOIA)
    closed = frozenset(
        d for d, _ in calendar.non_working_weekdays(calendar.first_day, calendar.last_day)
    )
    starts = receipt_dates(n, seed)
    add = calendar.add_working_days

    t0 = time.perf_counter()
    fast = [add(start, working_days) for start in starts]
    t1 = time.perf_counter()
    slow = [day_by_day(start, working_days, closed) for start in starts]
    t2 = time.perf_counter()

    disagreements = [(s, f, w) for s, f, w in zip(starts, fast, slow, strict=True) if f != w]
    assert not disagreements, f"{len(disagreements)} dates disagree, first: {disagreements[0]}"
    fast_s, slow_s = t1 - t0, t2 - t1
    return {
        "n": n,
        "regime": "FOIA",
        "working_days": working_days,
        "non_working_weekdays": len(closed),
        "bisect_seconds": round(fast_s, 4),
        "day_by_day_seconds": round(slow_s, 4),
        "bisect_ns_per_date": round(fast_s / n * 1e9, 1),
        "day_by_day_ns_per_date": round(slow_s / n * 1e9, 1),
        "ratio": round(slow_s / fast_s, 2),
        "agree": True,
        "python": platform.python_version(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="receipt dates (1000000)")
    parser.add_argument("--days", type=int, default=20, help="working days to add (20)")
    parser.add_argument("--seed", type=int, default=2000, help="random seed (2000)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")
    result = run(args.n, args.seed, args.days)
    if args.json:
        print(json.dumps(result))
        return 0
    print(
        f"dates: {result['n']} FOIA receipts, 2000-2040, "
        f"due {result['working_days']} working days later"
    )
    print(
        f"both methods agree on every date "
        f"({result['non_working_weekdays']} non-working weekdays, 1995-2075)"
    )
    print(
        f"bisect calendar: {result['bisect_seconds']:.3f} s, "
        f"{result['bisect_ns_per_date']:.0f} ns per date"
    )
    print(
        f"day by day:      {result['day_by_day_seconds']:.3f} s, "
        f"{result['day_by_day_ns_per_date']:.0f} ns per date"
    )
    print(f"ratio: day by day takes {result['ratio']:.2f} times as long")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
