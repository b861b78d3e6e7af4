"""Periods: every spelling of a year, months, ranges, dates, shifting."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from questions.periods import (
    CALENDAR_YEAR,
    FINANCIAL_YEAR,
    MONTH,
    QUARTER,
    RANGE,
    Period,
    financial_year_of,
    parse_date,
    parse_period_label,
)


@pytest.mark.parametrize(
    "text",
    [
        "2017/18",
        "2017-18",
        "2017 - 18",
        "FY 2017/18",
        "FY17/18",
        "fy 2017-18",
        "17/18",
        "17-18",
        "2017-2018",
        "2017/2018",
        "April 2017 - March 2018",
        "April 2017 to March 2018",
        "Apr 17 to Mar 18",
        "Apr 2017 \u2013 Mar 2018",
        "1 April 2017 - 31 March 2018",
        "01/04/2017 - 31/03/2018",
        "2017-04-01/2018-03-31",
        "Financial Year 2017/18",
        "Financial year Apr 17 to Mar 18",
        "2017/18 (FY)",
        "2017/18*",
        "  2017/18  ",
    ],
)
def test_financial_year_spellings(text):
    period = parse_period_label(text)
    assert period is not None
    assert period.label == "2017-18"
    assert period.kind == FINANCIAL_YEAR
    assert (period.start, period.end) == (date(2017, 4, 1), date(2018, 3, 31))


@pytest.mark.parametrize(
    "text", ["2019", "Calendar year 2019", "Jan-Dec 2019", "January to December 2019", 2019, 2019.0]
)
def test_calendar_year_spellings(text):
    period = parse_period_label(text)
    assert period.label == "2019"
    assert period.kind == CALENDAR_YEAR


@pytest.mark.parametrize(
    "value",
    [
        "Apr-18",
        "Apr 18",
        "April 2018",
        "apr-2018",
        "2018-04",
        "04/2018",
        date(2018, 4, 1),
        datetime(2018, 4, 17),
    ],
)
def test_month_spellings(value):
    period = parse_period_label(value)
    assert period.kind == MONTH
    assert (period.start, period.end) == (date(2018, 4, 1), date(2018, 4, 30))
    assert period.label == "2018-04-01/2018-04-30"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2023 Q1", date(2023, 1, 1), date(2023, 3, 31)),
        ("Q1 2023", date(2023, 1, 1), date(2023, 3, 31)),
        ("2023-Q4", date(2023, 10, 1), date(2023, 12, 31)),
        ("2023q2", date(2023, 4, 1), date(2023, 6, 30)),
        ("Quarter 3 2023", date(2023, 7, 1), date(2023, 9, 30)),
        ("Qtr 2, 2023", date(2023, 4, 1), date(2023, 6, 30)),
        # a financial year's quarters start in April
        ("Q1 2023-24", date(2023, 4, 1), date(2023, 6, 30)),
        ("Q4 2023/24", date(2024, 1, 1), date(2024, 3, 31)),
        ("2023/24 Q3", date(2023, 10, 1), date(2023, 12, 31)),
        ("FY 2023-24 Q2", date(2023, 7, 1), date(2023, 9, 30)),
        ("Apr 2023 - Jun 2023", date(2023, 4, 1), date(2023, 6, 30)),
    ],
)
def test_quarter_spellings(text, start, end):
    period = parse_period_label(text)
    assert period == Period(start, end)
    assert period.kind == QUARTER
    assert period.label == f"{start.year} Q{(start.month + 2) // 3}"
    assert Period.from_label(period.label) == period


def test_quarters_and_months_keep_their_own_kind_and_label():
    assert Period.from_label("2023-01").kind == MONTH
    assert Period.from_label("Jan 2023") == Period.month(2023, 1)
    assert Period.quarter(2023, 1).kind == QUARTER
    assert Period.financial_quarter(2023, 4) == Period.quarter(2024, 1)
    assert Period.from_label("2023 Q2").shifted(-1).label == "2022 Q2"
    assert Period(date(2023, 2, 1), date(2023, 4, 30)).kind == RANGE  # three months, not a quarter
    assert Period.financial_year(2023).kind == FINANCIAL_YEAR
    assert parse_period_label("Q5 2023") is None
    assert parse_period_label("Q1 2023-25") is None


def test_explicit_range():
    period = parse_period_label("01/04/2019 - 30/09/2019")
    assert period.kind == RANGE
    assert period.label == "2019-04-01/2019-09-30"
    assert parse_period_label(period.label) == period


@pytest.mark.parametrize(
    "text",
    [
        "Instagram",
        "0-11",
        "2017/19",
        "29",
        "1,234",
        "",
        "GW/000009/19",
        "Not recorded",
        None,
        True,
        12.5,
    ],
)
def test_not_periods(text):
    assert parse_period_label(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24/03/2019", date(2019, 3, 24)),
        ("24/3/19", date(2019, 3, 24)),
        ("2019-03-24", date(2019, 3, 24)),
        ("2019-03-24 00:00:00", date(2019, 3, 24)),
        ("24 March 2019", date(2019, 3, 24)),
        ("24th March 2019", date(2019, 3, 24)),
        ("24-Mar-2019", date(2019, 3, 24)),
        ("March 24, 2019", date(2019, 3, 24)),
        (datetime(2019, 3, 24, 13, 5), date(2019, 3, 24)),
        ("31/02/2019", None),
        ("2019", None),
        ("soon", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_financial_year_of_edges():
    assert financial_year_of(date(2020, 3, 31)).label == "2019-20"
    assert financial_year_of(date(2020, 4, 1)).label == "2020-21"


def test_shifted_keeps_kind_and_month_ends():
    assert Period.from_label("2019-20").shifted(1).label == "2020-21"
    assert Period.from_label("2019").shifted(-2).label == "2017"
    feb = Period.month(2019, 2).shifted(1)  # 2020 is a leap year: the month end moves to the 29th
    assert feb.end == date(2020, 2, 29) and feb.kind == MONTH


def test_months_of_a_financial_year():
    months = Period.financial_year(2019).months()
    assert len(months) == 12
    assert months[0] == Period.month(2019, 4) and months[-1] == Period.month(2020, 3)


def test_period_rejects_reversed_span():
    with pytest.raises(ValueError):
        Period(date(2020, 1, 2), date(2020, 1, 1))


def test_from_label_rejects_nonsense():
    with pytest.raises(ValueError):
        Period.from_label("next year")


years = st.integers(min_value=1995, max_value=2090)


@given(years)
def test_every_financial_year_spelling_normalises(year):
    label = f"{year}-{(year + 1) % 100:02d}"
    spellings = [
        f"{year}/{(year + 1) % 100:02d}",
        f"FY {year}-{year + 1}",
        f"April {year} - March {year + 1}",
    ]
    if 1970 <= year < 2069:  # two-digit years read as 1970..2069
        spellings += [
            f"{year % 100:02d}/{(year + 1) % 100:02d}",
            f"Apr {year % 100:02d} to Mar {(year + 1) % 100:02d}",
        ]
    for text in spellings:
        assert parse_period_label(text).label == label, text
    assert Period.from_label(label) == Period.financial_year(year)


@given(years, st.integers(min_value=-20, max_value=20))
def test_shifting_there_and_back(year, shift):
    for period in (Period.financial_year(year), Period.calendar_year(year), Period.month(year, 2)):
        moved = period.shifted(shift)
        assert moved.kind == period.kind
        assert moved.shifted(-shift) == period


@given(st.dates(min_value=date(1991, 1, 1), max_value=date(2099, 12, 31)))
def test_financial_year_of_holds_the_day(day):
    period = financial_year_of(day)
    assert period.contains(day)
    assert period.kind == FINANCIAL_YEAR
    assert parse_period_label(period.label) == period
