"""Due dates in bulk (numpy's busday_offset) agree with the one-date-at-a-time calendar."""

import random
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from requests_app.domain.calendar import Regime, WorkingCalendar, calendar_for

FIRST, LAST = date(1995, 1, 1), date(2074, 6, 30)


def one_by_one(calendar: WorkingCalendar, starts: list[date], n: int) -> list[date]:
    return [calendar.add_working_days(start, n) for start in starts]


@pytest.mark.parametrize("regime", list(Regime))
@pytest.mark.parametrize("n", [0, 1, 2, 5, 20, 40, 60])
def test_bulk_agrees_on_twenty_thousand_random_dates(regime, n):
    rng = random.Random(f"{regime}-{n}")
    lo, hi = FIRST.toordinal(), LAST.toordinal()
    starts = [date.fromordinal(rng.randint(lo, hi)) for _ in range(20_000)]
    calendar = calendar_for(regime)
    assert calendar.add_working_days_many(starts, n).tolist() == one_by_one(calendar, starts, n)


def test_every_day_of_a_decade_with_an_administrators_closures():
    calendar = WorkingCalendar(
        Regime.FOIA,
        added={date(2020, 6, 1): "flood", date(2023, 12, 27): "office move"},
        removed=[date(2022, 6, 3)],
        first_year=2015,
        last_year=2030,
    )
    first = date(2018, 1, 1).toordinal()
    starts = [date.fromordinal(o) for o in range(first, first + 3653)]
    assert len(starts) == 3653
    for n in (1, 20):
        assert calendar.add_working_days_many(starts, n).tolist() == one_by_one(calendar, starts, n)


@settings(max_examples=300, deadline=None)
@given(
    regime=st.sampled_from(list(Regime)),
    starts=st.lists(st.dates(min_value=FIRST, max_value=LAST), min_size=1, max_size=30),
    counts=st.lists(st.integers(min_value=0, max_value=80), min_size=1, max_size=30),
)
def test_one_count_per_date(regime, starts, counts):
    counts = (counts * len(starts))[: len(starts)]
    calendar = calendar_for(regime)
    expected = [calendar.add_working_days(s, n) for s, n in zip(starts, counts, strict=True)]
    assert calendar.add_working_days_many(starts, counts).tolist() == expected


def test_the_worked_example_of_the_law():
    # Received Friday 15 March 2019: due Monday 15 April (18 March was a holiday in NI).
    due = calendar_for(Regime.FOIA).add_working_days_many([date(2019, 3, 15)], 20)
    assert due.tolist() == [date(2019, 4, 15)]


def test_refuses_what_the_scalar_method_refuses():
    calendar = calendar_for(Regime.FOIA)
    with pytest.raises(ValueError, match="negative number of working days"):
        calendar.add_working_days_many([date(2020, 1, 1)], -1)
    with pytest.raises(ValueError, match="outside the FOIA calendar"):
        calendar.add_working_days_many([date(2020, 1, 1), date(1990, 1, 1)], 20)
    with pytest.raises(ValueError, match="falls after the end of the FOIA calendar"):
        calendar.add_working_days_many([date(2075, 12, 20)], 20)
    assert calendar.add_working_days_many([], 20).size == 0
    assert calendar.add_working_days_many(np.array([], dtype="datetime64[D]"), 5).size == 0


def test_with_due_dates_answers_from_the_table_and_leaves_the_shared_calendar_alone():
    calendar = calendar_for(Regime.FOISA)
    starts = [date(2024, 3, 29), date(2024, 12, 24), date(2075, 12, 30)]
    primed = calendar.with_due_dates(starts, [20, 40])
    for start in starts[:2]:
        for n in (20, 40, 3):
            assert primed.add_working_days(start, n) == calendar.add_working_days(start, n)
    assert primed._known and not calendar._known
    with pytest.raises(ValueError, match="falls after the end"):
        primed.add_working_days(date(2075, 12, 30), 20)
