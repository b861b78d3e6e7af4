"""How a block holds its figures: which row is the header and what each column means.

Four layouts are recognised, from the header and the first data rows:

- wide: periods across the columns, categories down the rows (two-row and
  merged headers allowed; month columns are summed later);
- transposed: periods down the first column, categories across;
- long: one row per (period, category) with a count column, optionally with
  a breakdown column naming the dimension;
- record: one row per offence, with a date (or period) and no count column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from questions.periods import Period, excel_serial_to_date, parse_date, parse_period_label
from questions.vocab import TOTAL, AgeVocabulary, CampaignSpec, Vocabulary

from ..readers.base import RawValue
from ..values import Value, parse_value
from .crosstab import CrossColumns, cross_columns
from .grid import is_blank, non_blank, text_of
from .labels import Labels

MAX_HEADER_ROW = 10
_VALUE_WORDS = {
    "number",
    "count",
    "no",
    "total",
    "offences",
    "offence",
    "crimes",
    "figure",
    "figures",
    "volume",
    "frequency",
    "sum",
    "n",
}
_PERIOD_WORDS = {"year", "period", "fy", "month", "quarter", "financial", "date"}
_ROW_NUMBER_HEADING = re.compile(
    r"(?:no|n[o\u00b0]|#|row|ref|reference|serial|item|id|line|record|urn|"
    r"(?:crime|occurrence|incident|record|row)\s*(?:no|number|ref|reference|id))\.?",
    re.IGNORECASE,
)


def is_row_number_column(heading: str, values: Sequence[RawValue]) -> bool:
    """A row-number or reference column (`No.`, `Ref`, or 1, 2, 3 ... counting up by one).

    Such a column is never a year, an age or a value.
    """
    if _ROW_NUMBER_HEADING.fullmatch(heading.strip()):
        return True
    if _words(heading) & _PERIOD_WORDS:
        return False  # `Year`: 2019, 2020, 2021 count up by one too
    values = [v for v in values if not is_blank(v)]
    numbers = []
    for value in values[:50]:
        text = text_of(value).replace(",", "")
        if not text.isdigit():
            return False
        numbers.append(int(text))
    return len(numbers) >= 3 and all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))


@dataclass
class WidePlan:
    header: int
    label_col: int
    period_cols: dict[int, Period]
    section_cols: tuple[int, ...] = ()
    dimension: str | None = None
    other_cols: dict[int, str] = field(default_factory=dict)
    #: A cross-table: each period column's category of a second dimension (or the total).
    cross: CrossColumns | None = None
    #: Rows grouped by a second dimension (`General Hospital` over its crime types' rows).
    group_col: int | None = None
    group_dimension: str | None = None
    #: The label column is about a measure the campaign does not ask (`Crime Outcome`).
    other_measure: str = ""
    kind: str = "wide"


@dataclass
class TransposedPlan:
    header: int
    period_col: int
    category_cols: dict[int, str]
    kind: str = "transposed"


@dataclass
class ListingPlan:
    header: int
    time_col: int
    value_col: int | None
    category_col: int | None = None
    breakdown_col: int | None = None
    dimension: str | None = None
    dimension_cols: dict[str, int] = field(default_factory=dict)
    numeric_cols: tuple[int, ...] = ()
    header_texts: tuple[str, ...] = ()
    row_number_col: int | None = None
    #: A long cross-table: a second category column and its dimension.
    cross_col: int | None = None
    cross_dimension: str | None = None

    @property
    def kind(self) -> str:
        return "long" if self.value_col is not None else "record"


Plan = WidePlan | TransposedPlan | ListingPlan


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def _cell(row: Sequence[RawValue], col: int) -> RawValue:
    return row[col] if col < len(row) else None


def _is_value(raw: RawValue) -> bool:
    return isinstance(parse_value(raw), Value)


_PLAIN_NUMBER = re.compile(r"\s*[\d,]+(?:\.0+)?\s*")


def _is_count(raw: RawValue, labels: Labels) -> bool:
    """A value that is not better read as a label (`11-15` and `Under 11` are age bands)."""
    if not _is_value(raw):
        return False
    if isinstance(raw, str) and not _PLAIN_NUMBER.fullmatch(raw):
        return not labels.candidates(raw)
    return True


def time_key(raw: RawValue, heading: str = "") -> Period | date | None:
    """A period or a date from a time cell; Excel serial numbers only under a date heading."""
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        if "date" in heading.lower():
            return excel_serial_to_date(float(raw))
        return parse_period_label(raw) if "year" in heading.lower() else None
    day = parse_date(raw)
    if day is not None:
        return day
    return parse_period_label(raw)


def detect_layout(rows: list[list[RawValue]], spec: CampaignSpec, labels: Labels) -> Plan | None:
    """The layout of a block, trying each candidate header row from the top."""
    for header in range(min(len(rows) - 1, MAX_HEADER_ROW)):
        filled = len(non_blank(rows[header]))
        if not filled:
            continue
        plan: Plan | None = _wide(rows, header, labels)
        if plan is None and filled > 1:
            plan = _transposed(rows, header, labels) or _listing(rows, header, spec, labels)
        if plan is not None:
            return plan
    return None


def _wide(rows: list[list[RawValue]], header: int, labels: Labels) -> WidePlan | None:
    head = rows[header]
    found = {c: p for c, v in enumerate(head) if (p := header_period(v)) is not None}
    periods = _banded_out(head, found, labels)
    if not periods:
        return None
    periods = _spanned(rows, header, periods)
    first = min(periods)
    data = rows[header + 1 : header + 21]
    filled = [c for c in range(first) if any(not is_blank(_cell(r, c)) for r in data)]
    if not filled:
        return None
    wordy = [
        c
        for c in filled
        if any(not is_blank(_cell(r, c)) and not _is_count(_cell(r, c), labels) for r in data)
    ]
    label_col = (wordy or filled)[-1]
    column = [_cell(r, label_col) for r in [head, *data]]
    if is_row_number_column(text_of(column[0]), column[0 if _is_value(column[0]) else 1 :]):
        return None  # a row-number column is never the labels
    text_cols = [c for c in filled if c <= label_col]
    every_period = periods
    subs, sub_row = _period_subheadings(rows, header, periods)
    periods, header, skipped = _one_column_per_period(rows, header, periods)
    data = rows[header + 1 : header + 21]
    if not any(_is_value(_cell(r, c)) for r in data for c in periods):
        return None
    label_texts = [text_of(_cell(r, label_col)) for r in data]
    if _ambiguous_periods(head, periods, labels) and any(
        parse_period_label(t) for t in label_texts if t
    ):
        return None
    headings = [
        text_of(_cell(rows[h], label_col))
        for h in range(max(header - 1, 0), header + 1)
        if h != sub_row
    ]
    others = {
        c: text_of(v)
        for c, v in enumerate(head)
        if c > label_col and c not in periods and not is_blank(v)
    } | skipped
    dimension = labels.dimension_hint(label_texts, headings)
    cross = None
    if subs:
        counted = {c: t for c, t in subs.items() if not _SHARE_WORDS.search(t)}
        above = [text_of(_cell(rows[h], label_col)) for h in range(header + 1)]
        cross = cross_columns(counted, dimension, labels, above)
    if cross is not None:
        periods = {c: every_period[c] for c in cross.mapped}
        others = {c: t for c, t in others.items() if c not in periods}
    group = _group_column(rows, header, text_cols[:-1], dimension, labels)
    measure = next((m for h in headings if (m := labels.other_measure(h))), "")
    if measure and dimension and labels.spec.dimensions[dimension].open:
        dimension = None  # an open list takes any word: outcomes are not crime types
    return WidePlan(
        header=header,
        label_col=label_col,
        period_cols=periods,
        section_cols=tuple(c for c in text_cols[:-1] if group is None or c != group[0]),
        dimension=dimension,
        other_cols=others,
        cross=cross,
        group_col=group[0] if group else None,
        group_dimension=group[1] if group else None,
        other_measure=measure,
    )


def _group_column(
    rows: list[list[RawValue]], header: int, cols: list[int], dimension: str | None, labels: Labels
) -> tuple[int, str] | None:
    """A column left of the labels whose heading names another dimension and whose cells are
    its categories (`Hospital | Crime type | 2019/20`), not dimension names."""
    for c in cols:
        named = labels.dimension_named(text_of(_cell(rows[header], c)))
        if not named or named in (TOTAL, dimension):
            continue
        values = [text_of(_cell(r, c)) for r in rows[header + 1 :] if not is_blank(_cell(r, c))]
        if values and not any(
            labels.dimension_named(v) not in (None, TOTAL, named) for v in values
        ):
            return c, named
    return None


_SHARE_WORDS = re.compile(r"%|percent|per cent|rate|proportion|share|change|per \d", re.IGNORECASE)


def _one_column_per_period(
    rows: list[list[RawValue]], header: int, periods: dict[int, Period]
) -> tuple[dict[int, Period], int, dict[int, str]]:
    """A period heading merged over sub-columns (`Number`, `%`): keep the count column.

    Returns the period columns kept, the header row (the sub-header when there
    is one) and the columns set aside with their sub-headings.
    """
    if len(set(periods.values())) == len(periods) or header + 1 >= len(rows):
        return periods, header, {}
    below = rows[header + 1]
    texts = {c: text_of(_cell(below, c)) for c in periods}
    is_sub = any(texts.values()) and not any(_is_value(_cell(below, c)) for c in periods)
    kept: dict[int, Period] = {}
    skipped: dict[int, str] = {}
    for c, period in sorted(periods.items()):
        heading = texts[c] if is_sub else ""
        if _SHARE_WORDS.search(heading) or period in kept.values():
            skipped[c] = f"{period.label} {heading}".strip()
        else:
            kept[c] = period
    return kept, header + 1 if is_sub else header, skipped


def _banded_out(head: list[RawValue], periods: dict[int, Period], labels: Labels) -> dict:
    """Period-like headings among a dimension's categories are categories too: `16-17` beside
    `Under 11` and `11-15` is an age band, not the financial year 2016-17."""
    others = [text_of(v) for c, v in enumerate(head) if c not in periods and not is_blank(v)]
    kinds = {n for t in others for n in labels.closed_candidates(t)}
    return {
        c: p
        for c, p in periods.items()
        if not kinds & set(labels.closed_candidates(text_of(head[c])))
    }


def _spanned(
    rows: list[list[RawValue]], header: int, periods: dict[int, Period]
) -> dict[int, Period]:
    """A period heading printed once over several sub-columns (a merged cell in a PDF or CSV
    leaves the others blank): the blank header cells to its right take its period while
    the row below has a sub-heading there."""
    if header + 1 >= len(rows):
        return periods
    head, below = rows[header], rows[header + 1]
    out = dict(periods)
    current = None
    for c in range(min(periods), max(len(head), len(below))):
        if c in periods:
            current = periods[c]
        elif not is_blank(_cell(head, c)):
            current = None
        elif current is not None:
            text = _cell(below, c)
            if is_blank(text) or _is_value(text):
                current = None
            else:
                out[c] = current
    return out


def _period_subheadings(
    rows: list[list[RawValue]], header: int, periods: dict[int, Period]
) -> tuple[dict[int, str], int]:
    """The texts under (or over) each period column when periods repeat across the header:
    `2019/20` merged over `Male | Female | Total`, or a hospital's name over its years."""
    if len(set(periods.values())) == len(periods):
        return {}, -1
    for other in (header + 1, header - 1):
        if not 0 <= other < len(rows):
            continue
        texts = {c: text_of(_cell(rows[other], c)) for c in periods}
        if all(texts.values()) and not any(_is_value(_cell(rows[other], c)) for c in periods):
            if any(header_period(t) for t in texts.values()):
                continue
            return texts, other
    return {}, -1


def header_period(value: RawValue) -> Period | None:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return None
    return parse_period_label(value)


def _ambiguous_periods(head: list[RawValue], periods: dict[int, Period], labels: Labels) -> bool:
    """True when every period heading could also be a category (`11-15` is an age band)."""
    return all(labels.candidates(text_of(head[c])) for c in periods)


def titled_layout(
    rows: list[list[RawValue]], period: Period, labels: Labels, titles: Sequence[str] = ()
) -> WidePlan | None:
    """Labels and one count column, the period given in a title (`Offences in 2019/20`)."""
    for header in range(min(len(rows) - 1, MAX_HEADER_ROW)):
        head = rows[header]
        if len(non_blank(head)) < 2:
            continue
        data = [r for r in rows[header + 1 : header + 21] if non_blank(r)]
        width = max(len(r) for r in [head, *data]) if data else 0
        counts, words = [], []
        for c in range(width):
            values = [_cell(r, c) for r in data if not is_blank(_cell(r, c))]
            if not values:
                continue
            if sum(_is_count(v, labels) for v in values) >= 0.6 * len(values):
                counts.append(c)
            if any(not _is_count(v, labels) for v in values):
                words.append(c)
        counts = [c for c in counts if not _SHARE_WORDS.search(text_of(_cell(head, c)))]
        crossed = _titled_cross(rows, header, counts, words, labels, titles, period)
        if crossed is not None:
            return crossed
        preferred = [c for c in counts if _words(text_of(_cell(head, c))) & _VALUE_WORDS]
        chosen = preferred or counts
        if len(chosen) != 1 or not any(c < chosen[0] for c in words):
            return None
        label_col = max(c for c in words if c < chosen[0])
        label_texts = [text_of(_cell(r, label_col)) for r in data]
        return WidePlan(
            header=header,
            label_col=label_col,
            period_cols={chosen[0]: period},
            dimension=labels.dimension_hint(label_texts, [text_of(_cell(head, label_col))]),
        )
    return None


def _titled_cross(
    rows: list[list[RawValue]],
    header: int,
    counts: list[int],
    words: list[int],
    labels: Labels,
    titles: Sequence[str],
    period: Period,
) -> WidePlan | None:
    """Labels down the side and a second dimension's categories across, for one period."""
    if len(counts) < 2 or not any(c < min(counts) for c in words):
        return None
    head = rows[header]
    label_col = max(c for c in words if c < min(counts))
    data = [r for r in rows[header + 1 : header + 21] if non_blank(r)]
    label_texts = [text_of(_cell(r, label_col)) for r in data]
    corner = text_of(_cell(head, label_col))
    dimension = labels.dimension_hint(label_texts, [corner.split("/")[0]])
    headings = {c: text_of(_cell(head, c)) for c in counts if c > label_col}
    above = [text_of(v) for r in rows[:header] for v in r if not is_blank(v)]
    cross = cross_columns(headings, dimension, labels, [corner, *above, *titles])
    if cross is None:
        return None
    return WidePlan(
        header=header,
        label_col=label_col,
        period_cols=dict.fromkeys(cross.mapped, period),
        dimension=dimension,
        cross=cross,
    )


def _may_be_category(heading: str, labels: Labels) -> bool:
    """A column heading that may be a category; an open list takes any word, so a heading
    naming a dimension (`Hospital`, `Crime category`) is a heading, not one of its categories."""
    if labels.resolve(heading, None) or labels.closed_candidates(heading):
        return True
    return bool(labels.candidates(heading)) and labels.dimension_named(heading) is None


def _transposed(rows: list[list[RawValue]], header: int, labels: Labels) -> TransposedPlan | None:
    head = rows[header]
    cells = {c: text_of(v) for c, v in enumerate(head) if c > 0 and not is_blank(v)}
    mapped = [c for c, t in cells.items() if _may_be_category(t, labels)]
    if len(mapped) < 2 or len(mapped) < 0.6 * len(cells):
        return None
    data = [r for r in rows[header + 1 : header + 21] if not is_blank(_cell(r, 0))]
    if is_row_number_column(text_of(_cell(head, 0)), [_cell(r, 0) for r in [head, *data]]):
        return None  # row numbers 2001, 2002 ... are not years
    periods = [header_period(_cell(r, 0)) for r in data]
    if not data or sum(p is not None for p in periods) < 0.6 * len(data):
        return None
    return TransposedPlan(header=header, period_col=0, category_cols=cells)


def _listing(
    rows: list[list[RawValue]], header: int, spec: CampaignSpec, labels: Labels
) -> ListingPlan | None:
    head = rows[header]
    repeat = [text_of(v) for v in head]
    data = [r for r in rows[header + 1 : header + 51] if [text_of(v) for v in r] != repeat]
    if not data:
        return None
    width = max(len(r) for r in [head, *data])
    headings = [text_of(_cell(head, c)) for c in range(width)]
    columns = {c: [_cell(r, c) for r in data if not is_blank(_cell(r, c))] for c in range(width)}
    row_numbers = [c for c in range(width) if is_row_number_column(headings[c], columns[c])]
    for c in row_numbers:
        columns[c] = []
    timed = {c: v for c, v in columns.items() if _may_be_time(headings[c], labels)}
    time_col = _time_column(timed, headings, len(data))
    if time_col is None or time_key(head[time_col] if time_col < len(head) else None) is not None:
        return None
    plan = ListingPlan(
        header=header,
        time_col=time_col,
        value_col=None,
        header_texts=tuple(headings),
        row_number_col=row_numbers[0] if row_numbers else None,
    )
    numeric: list[int] = []
    named: dict[int, str] = {}
    counting: set[int] = set()
    for c in range(width):
        if c == time_col or not columns[c]:
            continue
        dimension = labels.dimension_named(headings[c])
        values = columns[c]
        value_share = sum(_is_value(v) for v in values) / len(values)
        counts_words = bool(_words(headings[c]) & _VALUE_WORDS)
        if counts_words and value_share >= 0.5 and plan.value_col is None:
            plan.value_col = c  # `Number of crimes` counts, though it says `crimes`
        elif dimension and dimension != TOTAL:
            named[c] = dimension
        elif value_share >= 0.9:
            numeric.append(c)
        if counts_words:
            counting.add(c)
    plan.numeric_cols = tuple(numeric)
    if plan.value_col is None and numeric and not named and len(numeric) == 1:
        distinct = {text_of(v) for v in columns[numeric[0]]}
        if len(distinct) > 1 or len(columns[numeric[0]]) == 1:
            plan.value_col = numeric[0]
    if plan.value_col is not None:
        return _long(plan, columns, named, spec, labels)
    usable = {c: v for c, v in columns.items() if c not in counting}
    return _record(plan, usable, named, spec)


def _may_be_time(heading: str, labels: Labels) -> bool:
    """A column headed by a dimension (`Age`) or by one of its categories (the row is data,
    not a header) never holds periods: a band such as `10-11` under an age heading is
    an age band, not a financial year."""
    named = labels.dimension_named(heading)
    return (named is None or named == TOTAL) and not labels.closed_candidates(heading)


def _time_column(columns: dict[int, list[RawValue]], headings: list[str], rows: int) -> int | None:
    """The column of dates or periods, filled in most rows (a date in a few rows is a note)."""
    dated, periodic = [], []
    for c, values in columns.items():
        if not values or len(values) < 0.5 * rows:
            continue
        keys = [time_key(v, headings[c]) for v in values]
        share = sum(k is not None for k in keys) / len(values)
        if share < 0.8:
            continue
        if any(isinstance(k, Period) for k in keys):
            periodic.append(c)
        else:
            dated.append(c)
    for group in (dated, periodic):
        if group:
            named = [c for c in group if _words(headings[c]) & _PERIOD_WORDS]
            recorded = [c for c in group if "record" in headings[c].lower()]
            return (recorded or named or group)[0]
    return None


def _long(plan, columns, named, spec: CampaignSpec, labels: Labels) -> ListingPlan | None:
    candidates = [c for c in columns if c not in (plan.time_col, plan.value_col) and columns[c]]
    for c in candidates:
        distinct = {text_of(v) for v in columns[c]}
        if distinct and all(labels.dimension_named(t) for t in distinct) and len(distinct) > 1:
            plan.breakdown_col = c
            break
    rest = [c for c in candidates if c != plan.breakdown_col]
    if plan.breakdown_col is None and not rest:
        # `Financial Year | Total`: one count per period, the total.
        plan.dimension = TOTAL
        return plan
    if plan.breakdown_col is None and named:
        plan.category_col = min(named)
        plan.dimension = named[plan.category_col]
        return _long_cross(plan, rest, columns, named, labels)
    best, best_share = None, 0.0
    for c in rest:
        distinct = {text_of(v) for v in columns[c]}
        known = sum(1 for t in distinct if labels.resolve(t, None) or labels.candidates(t))
        share = known / max(len(distinct), 1)
        if share > best_share:
            best, best_share = c, share
    if best is None or best_share < 0.5:
        return None
    plan.category_col = best
    if plan.breakdown_col is None:
        plan.dimension = labels.dimension_hint(columns[best], [plan.header_texts[best]])
        return _long_cross(plan, rest, columns, named, labels)
    return plan


def _long_cross(plan: ListingPlan, rest, columns, named, labels: Labels) -> ListingPlan:
    """`Year | Hospital | Crime type | Count`: a second category column makes a cross-table.

    The second column counts only when its heading names another dimension of the
    campaign, or its values are categories of another dimension with fixed categories.
    """
    for c in rest:
        if c == plan.category_col or not columns[c]:
            continue
        dimension = named.get(c)
        if dimension is None:
            distinct = {text_of(v) for v in columns[c]}
            hits = [set(labels.closed_candidates(t)) for t in distinct]
            common = set.intersection(*hits) if hits else set()
            dimension = common.pop() if len(common) == 1 and len(distinct) > 1 else None
        if dimension and dimension not in (TOTAL, plan.dimension):
            plan.cross_col, plan.cross_dimension = c, dimension
            break
    return plan


def _known_by_values(vocabulary: Vocabulary) -> bool:
    """A column's values alone may tie it to a dimension with fixed, worded categories only:
    an open dimension takes any word, and numbers in a column about something else
    (a maximum sentence) are not ages."""
    return not vocabulary.open and not isinstance(vocabulary, AgeVocabulary)


def _record(plan, columns, named, spec: CampaignSpec) -> ListingPlan:
    for c, dimension in sorted(named.items()):
        plan.dimension_cols.setdefault(dimension, c)
    for dimension, vocabulary in spec.breakdowns.items():
        if dimension in plan.dimension_cols or not _known_by_values(vocabulary):
            continue
        for c, values in columns.items():
            if c == plan.time_col or c in plan.dimension_cols.values() or not values:
                continue
            distinct = {text_of(v) for v in values}
            share = sum(1 for t in distinct if vocabulary.match(t)) / len(distinct)
            if share >= 0.6 and len(distinct) > 1:
                plan.dimension_cols[dimension] = c
                break
    return plan
