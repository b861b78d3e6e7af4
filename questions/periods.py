"""Periods a figure counts: financial years, calendar years, quarters, months, ranges.

Replies spell the same year many ways (`2017/18`, `FY 2017/18`, `17/18`,
`April 2017 - March 2018`, `Apr 17 to Mar 18`); every spelling normalises to
one `Period` whose label is the dataset's (`2017-18`, `2017`,
`2017 Q2`, `2017-04-01/2017-04-30`). A quarter is a calendar quarter
(`2023 Q1` is January to March 2023); a financial-year quarter (`Q1 2023-24`)
is the same three months under its calendar label (`2023 Q2`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

FINANCIAL_YEAR = "financial_year"
CALENDAR_YEAR = "calendar_year"
QUARTER = "quarter"
MONTH = "month"
RANGE = "range"

MIN_YEAR, MAX_YEAR = 1990, 2100
TWO_DIGIT_PIVOT = 70  # `19/20` is 2019-20; `95/96` is 1995-96

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in {
        calendar.month_name[number].lower(),
        calendar.month_abbr[number].lower(),
        calendar.month_name[number].lower()[:4],
    }
}
_MONTH_RE = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_TO = r"\s*(?:-|to|until|till|through|/)\s*"


@dataclass(frozen=True, order=True)
class Period:
    """An inclusive span of days; `label` is the dataset's spelling."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends before it starts: {self.start}..{self.end}")

    @classmethod
    def financial_year(cls, first_year: int) -> Period:
        return cls(date(first_year, 4, 1), date(first_year + 1, 3, 31))

    @classmethod
    def calendar_year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def quarter(cls, year: int, number: int) -> Period:
        """Calendar quarter `number` (1-4) of `year`: Q1 is January to March."""
        first = 3 * number - 2
        return cls(date(year, first, 1), _month_end(date(year, first + 2, 1)))

    @classmethod
    def financial_quarter(cls, first_year: int, number: int) -> Period:
        """Quarter `number` of financial year `first_year`-`+1`: Q1 is April to June."""
        calendar_number = number + 1 if number < 4 else 1
        return cls.quarter(first_year + (number == 4), calendar_number)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def from_label(cls, label: str) -> Period:
        period = parse_period_label(label)
        if period is None:
            raise ValueError(f"not a period: {label!r}")
        return period

    @property
    def kind(self) -> str:
        s, e = self.start, self.end
        if (s.month, s.day, e.month, e.day) == (4, 1, 3, 31) and e.year == s.year + 1:
            return FINANCIAL_YEAR
        if (s.month, s.day, e.month, e.day) == (1, 1, 12, 31) and e.year == s.year:
            return CALENDAR_YEAR
        if s.day == 1 and (s.year, s.month) == (e.year, e.month) and e == _month_end(e):
            return MONTH
        if s.day == 1 and s.month % 3 == 1 and e.year == s.year and e.month == s.month + 2:
            if e == _month_end(e):
                return QUARTER
        return RANGE

    @property
    def label(self) -> str:
        kind = self.kind
        if kind == FINANCIAL_YEAR:
            return f"{self.start.year}-{(self.start.year + 1) % 100:02d}"
        if kind == CALENDAR_YEAR:
            return str(self.start.year)
        if kind == QUARTER:
            return f"{self.start.year} Q{(self.start.month + 2) // 3}"
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def __str__(self) -> str:
        return self.label

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def covers(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def shifted(self, years: int) -> Period:
        """The same span `years` later (or earlier); month ends stay month ends."""
        start = _shift_day(self.start, years)
        end = _shift_day(self.end, years)
        if self.end == _month_end(self.end):
            end = _month_end(end)
        return Period(start, end)

    def months(self) -> list[Period]:
        out, year, month = [], self.start.year, self.start.month
        while date(year, month, 1) <= self.end:
            out.append(Period.month(year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


def _month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def _shift_day(day: date, years: int) -> date:
    year = day.year + years
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def financial_year_of(day: date) -> Period:
    """The financial year (1 April to 31 March) holding `day`."""
    return Period.financial_year(day.year if day.month >= 4 else day.year - 1)


def year_before(label: str) -> str | None:
    """`2017-18` for `2018-19` (None for a label that is not a period)."""
    try:
        return Period.from_label(label).shifted(-1).label
    except ValueError:
        return None


# -- parsing ---------------------------------------------------------------

_NOISE = re.compile(
    r"\b(?:financial|fin\.?|fiscal|calendar|years?|yr|fy|cy|period|total|totals|"
    r"offences|crimes|number|of|the|in|for|data|ending|figures?)\b",
)
_FY_LONG = re.compile(r"(\d{4})\s*[-/]\s*(\d{2}|\d{4})")
_FY_SHORT = re.compile(r"(\d{2})\s*[-/]\s*(\d{2})")
_ISO_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\s*/\s*(\d{4}-\d{2}-\d{2})")
_YEAR = re.compile(r"(\d{4})")
_MONTH_YEAR = re.compile(_MONTH_RE + r"[\s\-'/,]*(\d{4}|\d{2})")
_YEAR_MONTH = re.compile(r"(\d{4})\s*[-/]\s*(\d{1,2})")
_MONTH_NUM_YEAR = re.compile(r"(\d{1,2})\s*/\s*(\d{4})")
_Q = r"(?:q|qtr|quarter)\s*([1-4])"
_QUARTER_PATTERNS = (
    (re.compile(r"(\d{4})\s*[-/]?\s*" + _Q), "calendar"),
    (re.compile(_Q + r"\s*[-/,]?\s*(\d{4})"), "calendar_reversed"),
    (re.compile(r"(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*[-,]?\s*" + _Q), "financial"),
    (re.compile(_Q + r"\s*[-,]?\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})"), "financial_reversed"),
)
_MONTH_RANGE = re.compile(
    _MONTH_RE + r"(?:[\s\-'/,]*(\d{4}|\d{2}))?" + _TO + _MONTH_RE + r"[\s\-'/,]*(\d{4}|\d{2})"
)


_FOOTNOTE = re.compile(r"(?:\s*(?:\(\s*[a-z0-9]\s*\)|\[\s*[a-z0-9]{1,2}\s*\]|[*\u2020\u2021]+))+$")


def _clean(text: str) -> str:
    text = _FOOTNOTE.sub("", text.strip().lower())
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    return re.sub(r"\s+", " ", text)


def _year(text: str) -> int | None:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < TWO_DIGIT_PIVOT else 1900
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _consecutive(first: str, second: str) -> Period | None:
    start = _year(first)
    if start is None:
        return None
    if len(second) == 4:
        ok = int(second) == start + 1
    else:
        ok = int(second) == (start + 1) % 100
    return Period.financial_year(start) if ok else None


def parse_period_label(value: object) -> Period | None:
    """A period from a header, a cell or a label, or None if it is not one.

    Accepts financial years (`2017/18`, `2017-2018`, `FY17/18`, `17/18`,
    `April 2017 - March 2018`, `Apr 17 to Mar 18`), calendar years (`2019`,
    `Jan-Dec 2019`), calendar quarters (`2023 Q1`, `Q1 2023`, `2023-Q1`),
    financial-year quarters (`Q1 2023-24`, `2023/24 Q1`), months (`Apr-18`,
    `April 2018`, `2018-04`, a date) and explicit ranges (`2019-04-01/2019-09-30`,
    `01/04/2019 - 30/09/2019`).
    """
    if isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        return Period.month(day.year, day.month)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if float(value).is_integer() and MIN_YEAR <= value <= MAX_YEAR:
            return Period.calendar_year(int(value))
        return None
    if not isinstance(value, str) or len(value) > 80:
        return None
    text = _clean(value)
    if not text:
        return None
    return _parse_range(text) or _parse_compact(text)


def _parse_range(text: str) -> Period | None:
    match = _ISO_RANGE.fullmatch(text)
    if match:
        start, end = parse_date(match.group(1)), parse_date(match.group(2))
        if start and end and start <= end:
            return Period(start, end)
        return None
    parts = re.split(r"\s+(?:-|to|until|till|through)\s+|\s*-\s*(?=\d{1,2}[/.]\d)", text)
    if len(parts) == 2:
        start, end = parse_date(parts[0]), parse_date(parts[1])
        if start and end and start <= end:
            return Period(start, end)
    stripped = _NOISE.sub(" ", text).strip(" :-()*")
    stripped = re.sub(r"\s+", " ", stripped)
    match = _MONTH_RANGE.fullmatch(stripped)
    if match:
        m1, y1, m2, y2 = match.groups()
        end_year = _year(y2)
        if end_year is None:
            return None
        first, last = _MONTHS[m1], _MONTHS[m2]
        start_year = _year(y1) if y1 else (end_year if first <= last else end_year - 1)
        if start_year is None:
            return None
        start = date(start_year, first, 1)
        end = _month_end(date(end_year, last, 1))
        return Period(start, end) if start <= end else None
    return None


def _parse_compact(text: str) -> Period | None:
    stripped = re.sub(r"\s+", " ", _NOISE.sub(" ", text)).strip(" :-()*")
    if not stripped:
        return None
    stripped = re.sub(r"^(fy|cy)\s*", "", stripped)
    quarter = _parse_quarter(stripped)
    if quarter is not None:
        return quarter
    for pattern, builder in (
        (_FY_LONG, lambda m: _consecutive(m.group(1), m.group(2))),
        (_FY_SHORT, lambda m: _consecutive(m.group(1), m.group(2))),
        (_MONTH_YEAR, _month_from_name),
        (_YEAR_MONTH, lambda m: _month_from_numbers(m.group(1), m.group(2))),
        (_MONTH_NUM_YEAR, lambda m: _month_from_numbers(m.group(2), m.group(1))),
    ):
        match = pattern.fullmatch(stripped)
        if match:
            period = builder(match)
            if period is not None:
                return period
    match = _YEAR.fullmatch(stripped)
    if match and _year(match.group(1)):
        return Period.calendar_year(int(match.group(1)))
    day = parse_date(stripped)
    if day is not None and not stripped.isdigit():
        return Period.month(day.year, day.month)
    return None


def _parse_quarter(text: str) -> Period | None:
    for pattern, shape in _QUARTER_PATTERNS:
        match = pattern.fullmatch(text)
        if not match:
            continue
        groups = match.groups()
        if shape == "calendar":
            year, number = _year(groups[0]), int(groups[1])
            return Period.quarter(year, number) if year else None
        if shape == "calendar_reversed":
            year, number = _year(groups[1]), int(groups[0])
            return Period.quarter(year, number) if year else None
        first, second, quarter = (
            (groups[0], groups[1], groups[2])
            if shape == "financial"
            else (groups[1], groups[2], groups[0])
        )
        financial_year = _consecutive(first, second)
        if financial_year is None:
            return None
        return Period.financial_quarter(financial_year.start.year, int(quarter))
    return None


def _month_from_name(match: re.Match) -> Period | None:
    year = _year(match.group(2))
    return Period.month(year, _MONTHS[match.group(1)]) if year else None


def _month_from_numbers(year_text: str, month_text: str) -> Period | None:
    year, month = _year(year_text), int(month_text)
    if year is None or not 1 <= month <= 12 or len(year_text) != 4:
        return None
    return Period.month(year, month)


_PROSE_PERIOD = re.compile(
    r"(?:\b(?:FY|financial\s+year)\s*)?\b\d{4}\s*[/-]\s*(?:\d{4}|\d{2})\b"
    r"|\b\d{2}/\d{2}\b"
    r"|\b(?:april|apr)\.?\s+\d{4}\s*(?:-|to|\u2013)\s*(?:march|mar)\.?\s+\d{4}\b",
    re.IGNORECASE,
)


def find_financial_years(text: str) -> list[tuple[int, int, Period]]:
    """Financial years written in prose or a title, with their spans: `In 2019/20 we ...`."""
    found = []
    for match in _PROSE_PERIOD.finditer(text):
        period = parse_period_label(match.group(0))
        if period is not None and period.kind == FINANCIAL_YEAR:
            found.append((match.start(), match.end(), period))
    return found


# -- dates -----------------------------------------------------------------

_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_D_MON_Y = re.compile(r"(\d{1,2})[\s\-/]*" + _MONTH_RE + r"[\s\-/,]*(\d{4}|\d{2})")
_MON_D_Y = re.compile(_MONTH_RE + r"\s+(\d{1,2}),?\s+(\d{4})")
_TIME_TAIL = re.compile(r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)$")
EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value: object) -> date | None:
    """A calendar day from a date cell or UK-style text (`24/03/2019`, `1 April 2019`)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or len(value) > 40:
        return None
    text = _TIME_TAIL.sub("", _clean(value)).strip()
    for pattern, order in ((_YMD, "ymd"), (_DMY, "dmy"), (_D_MON_Y, "dMy"), (_MON_D_Y, "Mdy")):
        match = pattern.fullmatch(text)
        if not match:
            continue
        a, b, c = match.groups()
        try:
            if order == "ymd":
                return _checked(date(int(a), int(b), int(c)))
            if order == "dmy":
                year = _year(c)
                return _checked(date(year, int(b), int(a))) if year else None
            if order == "dMy":
                year = _year(c)
                return _checked(date(year, _MONTHS[b], int(a))) if year else None
            return _checked(date(int(c), _MONTHS[a], int(b)))
        except ValueError:
            return None
    return None


def _checked(day: date) -> date | None:
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None


def excel_serial_to_date(serial: float) -> date | None:
    """A day from an Excel serial number (1900 date system), if plausible."""
    if not 20000 <= serial <= 80000:
        return None
    return EXCEL_EPOCH + timedelta(days=int(serial))
