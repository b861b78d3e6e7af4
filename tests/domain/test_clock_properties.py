"""Properties of the clock that must hold for every date, checked with hypothesis.

The day-by-day reference below is how WhatDoTheyKnow and Froide count; it is
kept here, in the tests, to check the arithmetic against, never in the code.
"""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from requests_app.domain.calendar import Regime, WorkingCalendar, calendar_for
from requests_app.domain.lifecycle import (
    Channel,
    Event,
    EventKind,
    EventRejected,
    Outcome,
    check_new_event,
    compute_state,
)

CALENDARS = {regime: calendar_for(regime) for regime in Regime}
FAST = settings(max_examples=200, deadline=None)

regimes = st.sampled_from(list(Regime))
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
counts = st.integers(min_value=0, max_value=80)


def naive_is_working(calendar: WorkingCalendar, d: date) -> bool:
    return d.weekday() < 5 and calendar.holiday_reason(d) is None


def naive_add(calendar: WorkingCalendar, start: date, n: int) -> date:
    d = start
    while n:
        d += timedelta(days=1)
        if naive_is_working(calendar, d):
            n -= 1
    return d


def naive_between(calendar: WorkingCalendar, a: date, b: date) -> int:
    count, d = 0, a
    while d < b:
        d += timedelta(days=1)
        count += naive_is_working(calendar, d)
    return count


@FAST
@given(regimes, days, counts)
def test_add_working_days_agrees_with_counting_day_by_day(regime, start, n):
    calendar = CALENDARS[regime]
    assert calendar.add_working_days(start, n) == naive_add(calendar, start, n)


@FAST
@given(regimes, days, st.integers(min_value=-30, max_value=200))
def test_working_days_between_agrees_with_counting_day_by_day(regime, a, offset):
    calendar = CALENDARS[regime]
    b = a + timedelta(days=offset)
    assert calendar.working_days_between(a, b) == naive_between(calendar, a, b)


@FAST
@given(regimes, days, counts)
def test_adding_then_counting_gives_back_the_days(regime, start, n):
    calendar = CALENDARS[regime]
    assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


@FAST
@given(regimes, days, st.integers(min_value=1, max_value=80))
def test_a_due_date_is_always_a_working_day(regime, start, n):
    calendar = CALENDARS[regime]
    due = calendar.add_working_days(start, n)
    assert calendar.is_working_day(due)
    assert due > start


@FAST
@given(regimes, days, st.integers(min_value=0, max_value=60), st.integers(1, 60))
def test_a_later_receipt_never_gives_an_earlier_due_date(regime, start, later_by, n):
    calendar = CALENDARS[regime]
    later = start + timedelta(days=later_by)
    assert calendar.add_working_days(later, n) >= calendar.add_working_days(start, n)


@FAST
@given(regimes, days, st.integers(0, 40), st.integers(1, 40))
def test_adding_a_closure_day_never_makes_a_due_date_earlier(regime, start, closed_after, n):
    closed = start + timedelta(days=closed_after)
    plain = WorkingCalendar(regime, first_year=1999, last_year=2041)
    closing = WorkingCalendar(regime, added={closed: "Proclaimed"}, first_year=1999, last_year=2041)
    before, after = plain.add_working_days(start, n), closing.add_working_days(start, n)
    assert after >= before
    if plain.is_working_day(closed) and start < closed <= before:
        assert after == plain.add_working_days(before, 1)


@FAST
@given(
    regimes,
    st.dates(min_value=date(2000, 1, 1), max_value=date(2039, 12, 31)),
    st.integers(0, 27),  # notice this many days after receipt: on or before the due date
    st.integers(0, 60),  # paid this many days after the notice
)
def test_pausing_for_fees_adds_exactly_the_paused_working_days(regime, received, notice_in, pay_in):
    calendar = CALENDARS[regime]
    notice = received + timedelta(days=notice_in)
    paid = notice + timedelta(days=pay_in)
    sent = Event(EventKind.SENT, received, channel=Channel.EMAIL)
    fees = [Event(EventKind.FEES_NOTICE, notice), Event(EventKind.FEE_PAID, paid)]
    today = paid + timedelta(days=1)
    unpaused = compute_state([sent], regime=regime, calendar=calendar, today=today)
    paused = compute_state([sent, *fees], regime=regime, calendar=calendar, today=today)
    disregarded = naive_between(calendar, notice - timedelta(days=1), paid)
    assert paused.problems == ()
    assert paused.paused_working_days == disregarded
    assert calendar.working_days_between(unpaused.due_on, paused.due_on) == disregarded


def _event(kind: EventKind, on: date, outcome: Outcome | None, extra: int) -> Event:
    return Event(
        kind,
        on,
        channel=Channel.EMAIL if kind is EventKind.SENT else None,
        outcome=outcome,
        extension_days=extra if kind is EventKind.EXTENSION else None,
    )


events = st.builds(
    _event,
    st.sampled_from(list(EventKind)),
    st.dates(min_value=date(2019, 1, 1), max_value=date(2019, 12, 31)),
    st.one_of(st.none(), st.sampled_from(list(Outcome))),
    st.integers(1, 25),
)


@settings(max_examples=150, deadline=None)
@given(regimes, st.lists(events, max_size=10), st.dates(date(2019, 1, 1), date(2020, 12, 31)))
def test_a_log_built_through_check_new_event_replays_without_problems(regime, proposed, today):
    calendar = CALENDARS[regime]
    log: list[Event] = []
    for event in proposed:
        try:
            check_new_event(log, event, regime=regime, calendar=calendar)
        except EventRejected:
            continue
        log.append(event)
    s = compute_state(log, regime=regime, calendar=calendar, today=today)
    assert s.problems == ()
    if s.working_days_left is not None:  # the clock is running
        assert calendar.is_working_day(s.due_on)
        assert s.overdue == (today > s.due_on)
        assert s.working_days_left <= 0 if s.overdue else s.working_days_left >= 0
    else:
        assert not s.overdue


@settings(max_examples=150, deadline=None)
@given(regimes, st.lists(events, max_size=10), st.dates(date(2019, 1, 1), date(2020, 12, 31)))
def test_any_log_at_all_gives_a_state_without_raising(regime, log, today):
    s = compute_state(log, regime=regime, calendar=CALENDARS[regime], today=today)
    assert len(s.explanation) >= 1
    assert (s.due_on is None) or (s.received_on is not None)
