"""Cross-tables mapped by hand: one period for the whole table, a second dimension across.

The cells go through the automatic reader's ``CrossTable``, so a table mapped by hand
gives exactly the figures and sum-check findings the reader gives when it reads it.
"""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from questions.periods import Period
from questions.vocab import CampaignSpec
from responses_app.domain.extraction import extract
from responses_app.domain.extraction.mapped import (
    MappingError,
    extract_mapped,
    layout_fingerprint,
    parse_mapping,
    with_period_texts,
)
from responses_app.domain.extraction.suggest import suggest_mapping
from responses_app.domain.extraction.titles import period_titled_now
from responses_app.domain.readers import read
from tests.domain.test_cross_tables import BY_BOTH, HEADER, ROWS, TOTAL_ROW, sheet, spec

SUM_CHECKS = {"row_sum_differs", "column_sum_differs", "grand_total_differs"}

#: The titled sheet of test_cross_tables: row 1 the title, row 2 the header, rows 3-5 the
#: crime types, row 6 the total row; column A the labels, B and C hospitals, D the total.
CROSS = {
    "table": 0,
    "period_axis": "columns",
    "header_rows": [1],
    "label_column": 0,
    "periods": {},
    "categories": {
        "2": "crime_category:Theft",
        "3": "crime_category:Criminal damage",
        "4": {"dimension": "crime_category", "category": "Arson"},
        "5": "total:all",
    },
    "table_period": "2022-23",
    "cross_categories": {
        "1": "hospital:General Hospital",
        "2": {"dimension": "hospital", "category": "Royal Infirmary"},
        "3": "total:all",
    },
}


def figures(extraction) -> dict:
    return {(f.period, f.dimension, f.category): f.value for f in extraction.figures}


def checks(extraction) -> list[tuple[str, str, str]]:
    return [(f.code, f.message, f.locator) for f in extraction.findings if f.code in SUM_CHECKS]


def without(mapping: dict, row: str | None = None, column: str | None = None) -> dict:
    """The mapping of a table printed without its total row, or its total column."""
    out = json.loads(json.dumps(mapping))
    out["categories"].pop(row or "", None)
    out["cross_categories"].pop(column or "", None)
    return out


@pytest.mark.parametrize(
    "rows, mapping",
    [
        ([HEADER, *ROWS, TOTAL_ROW], CROSS),
        ([HEADER[:3], *[r[:3] for r in ROWS]], without(CROSS, "5", "3")),
        ([HEADER, *ROWS], without(CROSS, "5")),
        ([HEADER[:3], *[r[:3] for r in ROWS], TOTAL_ROW[:3]], without(CROSS, column="3")),
        ([HEADER, ["Theft", 4, 6, 11], *ROWS[1:], ["Total", 5, 14, 19]], CROSS),
        ([HEADER, *ROWS, ["Total", 5, 13, 20]], CROSS),
        ([HEADER, ["Theft", 4, "", 10], ["Criminal damage", "*", 2, 3], ROWS[2], TOTAL_ROW], CROSS),
    ],
    ids=[
        "both totals",
        "no totals",
        "total column",
        "total row",
        "row and column totals that differ",
        "a grand total that differs",
        "a blank and a suppressed cell",
    ],
)
def test_a_cross_mapping_reads_what_the_automatic_reader_reads(rows, mapping):
    document = read(sheet(rows), "reply.xlsx")
    automatic = extract(document, spec())
    assert automatic.figures  # the reader knows this table: the hand mapping must agree

    by_hand = extract_mapped(document, spec(), mapping)

    assert set(by_hand.figures) == set(automatic.figures)  # values, ranges and locators
    assert checks(by_hand) == checks(automatic)


def test_the_sum_checks_are_findings_at_the_printed_totals():
    rows = [HEADER, ["Theft", 4, 6, 11], *ROWS[1:], ["Total", 5, 14, 20]]
    extraction = extract_mapped(read(sheet(rows), "reply.xlsx"), spec(), CROSS)
    assert figures(extraction)[("2022-23", "crime_category", "Theft")] == 11
    assert figures(extraction)[("2022-23", "hospital", "Royal Infirmary")] == 14
    assert figures(extraction)[("2022-23", "total", "all")] == 20
    found = {(code, locator.rsplit(" ", 1)[-1]) for code, _, locator in checks(extraction)}
    assert found == {
        ("row_sum_differs", "Sheet!D3"),
        ("column_sum_differs", "Sheet!C6"),
        ("grand_total_differs", "Sheet!D6"),
    }


def untitled(rows: list[list]) -> bytes:
    """A table with no period anywhere (no title, a plain sheet name): the reader misses it."""
    return sheet(rows, title="")


def test_a_cross_table_the_reader_misses_is_read_by_hand():
    document = read(untitled([HEADER, *ROWS, TOTAL_ROW]), "reply.xlsx")
    assert extract(document, spec()).figures == []
    mapping = {**CROSS, "header_rows": [0]}
    mapping["categories"] = {str(int(k) - 1): v for k, v in CROSS["categories"].items()}
    assert figures(extract_mapped(document, spec(), mapping)) == BY_BOTH


def test_a_cross_table_with_its_second_dimension_down_the_rows():
    """Hospitals down, crime types across: the lines of the period axis are the rows."""
    transposed = [
        ["Hospital", "Theft", "Criminal damage", "Arson", "Total"],
        ["General Hospital", 4, 1, 0, 5],
        ["Royal Infirmary", 6, 2, 5, 13],
        ["Total", 10, 3, 5, 18],
    ]
    mapping = {
        "period_axis": "rows",
        "header_rows": [0],
        "label_column": 0,
        "categories": {
            "1": "crime_category:Theft",
            "2": "crime_category:Criminal damage",
            "3": "crime_category:Arson",
            "4": "total:all",
        },
        "table_period": "2022-23",
        "cross_categories": {
            "1": "hospital:General Hospital",
            "2": "hospital:Royal Infirmary",
            "3": "total:all",
        },
    }
    extraction = extract_mapped(read(untitled(transposed), "reply.xlsx"), spec(), mapping)
    assert figures(extraction) == BY_BOTH
    sources = {(f.dimension, f.category): f.source for f in extraction.figures}
    assert sources[("crime_category", "Theft")] == "reply.xlsx Sheet!B4"  # its printed total
    assert sources[("hospital", "Royal Infirmary")] == "reply.xlsx Sheet!E3"


@pytest.mark.parametrize(
    "change, words",
    [
        (
            {"table_period": "2018-19"},
            "the whole table is given the period 2018-19, which the campaign did not ask "
            "(it asks 2019-20, 2020-21, 2021-22, 2022-23, 2023-24)",
        ),
        ({"table_period": "someday"}, "the whole table's period 'someday' is not a period"),
        ({"table_period": 2022}, "table_period must be a period such as 2022-23"),
        (
            {"cross_categories": {**CROSS["cross_categories"], "1": "crime_category:Theft"}},
            "column 2: Theft is a crime_category category, as the rows are: the columns must "
            "break the figures down by another dimension",
        ),
        (
            {"periods": {"1": "2019/20"}, "cross_categories": {"2": "hospital:Royal Infirmary"}},
            "column 2 is given the period 2019-20, but the whole table is given 2022-23: give "
            "the column a category, the total, or skip it",
        ),
        (
            {"table_period": None},
            "column 2 is given a category (General Hospital, hospital) but the table has no "
            "period of its own: choose one period for the whole table, or give the column a "
            "period",
        ),
        (
            {"cross_categories": {"1": "hospital:General", "2": "hospital:General", "3": "skip"}},
            "General (hospital) is given to columns 2 and 3",
        ),
        (
            {"cross_categories": {"1": "skip", "2": "skip"}},
            "no column is given a category or the total",
        ),
        (
            {"categories": {**CROSS["categories"], "3": "hospital:Criminal damage"}},
            "row 4 is a hospital category (Criminal damage) but row 3 is crime_category: with "
            "one period for the whole table the rows are one dimension (and the total)",
        ),
        ({"cross_categories": {"1": "ward:General"}}, "'ward' is not a dimension"),
        ({"label_column": 1}, "column 2 holds the labels and cannot hold figures"),
        ({"header_rows": [1, 2]}, "row 3 is marked as a header and as holding figures"),
    ],
)
def test_a_cross_mapping_that_does_not_fit_says_what_is_wrong_and_where(change, words):
    document = read(sheet([HEADER, *ROWS, TOTAL_ROW]), "reply.xlsx")
    with pytest.raises(MappingError) as error:
        extract_mapped(document, spec(), {**CROSS, **change})
    assert any(words in problem for problem in error.value.problems), error.value.problems


def test_every_problem_is_named_at_once():
    bad = {
        **CROSS,
        "table_period": "2018-19",
        "periods": {"3": "2019-20"},
        "cross_categories": {"1": "crime_category:Arson", "2": "hospital:Royal Infirmary"},
    }
    with pytest.raises(MappingError) as error:
        parse_mapping(bad, spec())
    assert len(error.value.problems) == 3
    assert error.value.problems[0].startswith("the whole table is given the period 2018-19")
    assert error.value.problems[1].startswith("column 4 is given the period 2019-20")
    assert error.value.problems[2].startswith("column 2: Arson is a crime_category category")


def test_a_column_beyond_the_table_is_refused():
    document = read(sheet([HEADER, *ROWS]), "reply.xlsx")
    mapping = {**CROSS, "cross_categories": {"8": "hospital:General Hospital"}}
    with pytest.raises(MappingError, match="column 9 is beyond the table's 4 columns"):
        extract_mapped(document, spec(), mapping)


def test_a_cross_mapping_survives_a_round_trip_through_json():
    checked = parse_mapping(
        {**CROSS, "cross_categories": {**CROSS["cross_categories"], "4": ""}}, spec()
    )
    data = json.loads(json.dumps(checked.to_data()))
    assert data["table_period"] == "2022-23"
    assert data["cross_categories"] == {
        "1": {"dimension": "hospital", "category": "General Hospital"},
        "2": {"dimension": "hospital", "category": "Royal Infirmary"},
        "3": {"dimension": "total", "category": "all"},
        "4": "skip",
    }
    assert data["periods"] == {}
    assert parse_mapping(data, spec()) == checked


# -- mappings stored before cross-tables could be mapped ------------------------------

SPEC = CampaignSpec.from_data(["2019-20", "2020-21"], ["total", "platform", "age"])
ODD = [
    ["Route", "Twelve months to March 2020", "Twelve months to March 2021"],
    ["Gram", 12, "<5"],
    ["Snap", 3, "*"],
    ["All routes", 15, 7],
]
#: A mapping as ``apply_mapping`` stored it on a reply and a saved layout before cross
#: mappings existed (written by that code, keys and all).
STORED_BEFORE = {
    "table": 0,
    "period_axis": "columns",
    "header_rows": [0],
    "label_column": 0,
    "periods": {"1": "2019-20", "2": "2020-21"},
    "categories": {
        "1": {"dimension": "platform", "category": "Instagram"},
        "2": {"dimension": "platform", "category": "Snapchat"},
        "3": {"dimension": "total", "category": "all"},
    },
    "others": "auto",
    "period_texts": {"1": "Twelve months to March 2020", "2": "Twelve months to March 2021"},
    "layout": "2d850966885693eaca3c71456c834db59aee71cc47f9bff0108ba01effc701c2",
    "saved_mapping": 7,
}


def odd_sheet() -> bytes:
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    for row in ODD:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_mapping_stored_before_reads_as_it_did_and_keeps_its_shape():
    document = read(odd_sheet(), "reply.xlsx")
    assert layout_fingerprint(document.tables[0]) == STORED_BEFORE["layout"]
    extraction = extract_mapped(document, SPEC, STORED_BEFORE)
    assert {f.key: (f.value, f.lower, f.upper) for f in extraction.figures} == {
        ("2019-20", "platform", "Instagram"): (12, 12, 12),
        ("2020-21", "platform", "Instagram"): (None, 0, 4),
        ("2019-20", "platform", "Snapchat"): (3, 3, 3),
        ("2020-21", "platform", "Snapchat"): (None, 0, 4),
        ("2019-20", "total", "all"): (15, 15, 15),
        ("2020-21", "total", "all"): (7, 7, 7),
    }
    checked = parse_mapping(STORED_BEFORE, SPEC)
    assert checked.table_period is None and not checked.crossed
    again = with_period_texts(checked, document.tables[0]).to_data()
    stored = {k: v for k, v in STORED_BEFORE.items() if k not in ("layout", "saved_mapping")}
    assert again == stored  # the same keys as before: nothing about cross-tables


# -- saved layouts ---------------------------------------------------------------------


def titled(year: str, scale: int = 1) -> bytes:
    rows = [HEADER, *ROWS, TOTAL_ROW]
    scaled = [[v * scale if isinstance(v, int) else v for v in row] for row in rows]
    return sheet(scaled, title=f"Crimes recorded at each hospital in {year}")


def test_a_saved_cross_mapping_follows_its_title_a_year_on():
    last_year = read(titled("2022/23"), "reply.xlsx").tables[0]
    saved = with_period_texts(parse_mapping(CROSS, spec()), last_year).to_data()
    assert saved["table_period_text"] == "Crimes recorded at each hospital in 2022/23 | Sheet"

    this_year = read(titled("2023/24", scale=2), "reply.xlsx")
    assert layout_fingerprint(this_year.tables[0]) == layout_fingerprint(last_year)
    extraction = extract_mapped(this_year, spec(), saved)
    assert figures(extraction) == {("2023-24", d, c): v * 2 for (_, d, c), v in BY_BOTH.items()}
    moved = next(f for f in extraction.findings if f.code == "period_moved")
    assert "read as 2023-24, not 2022-23" in moved.message
    as_read = with_period_texts(parse_mapping(saved, spec()), this_year.tables[0])
    assert as_read.table_period == "2023-24" and "2023/24" in (as_read.table_period_text or "")


def test_a_saved_cross_mapping_titled_with_a_period_not_asked_is_refused():
    last_year = read(titled("2022/23"), "reply.xlsx").tables[0]
    saved = with_period_texts(parse_mapping(CROSS, spec()), last_year).to_data()
    later = read(titled("2025/26"), "reply.xlsx")
    with pytest.raises(MappingError) as error:
        extract_mapped(later, spec(), saved)
    assert error.value.problems == [
        "the whole table is given the period 2025-26, which the campaign did not ask "
        "(it asks 2019-20, 2020-21, 2021-22, 2022-23, 2023-24)"
    ]


# -- the screen's first guess ----------------------------------------------------------


def test_the_first_guess_of_a_titled_cross_table_is_a_cross_mapping():
    document = read(sheet([HEADER, *ROWS, TOTAL_ROW]), "reply.xlsx")
    rows = list(document.tables[0].iter_rows())
    guess = suggest_mapping(rows, spec(), table=0, titles=[document.tables[0].title])
    assert guess["table_period"] == "2022-23"
    assert guess["periods"] == {}
    assert guess["cross_categories"] == {
        "1": {"dimension": "hospital", "category": "General Hospital"},
        "2": {"dimension": "hospital", "category": "Royal Infirmary"},
        "3": {"dimension": "total", "category": "all"},
    }
    assert figures(extract_mapped(document, spec(), guess)) == BY_BOTH


def test_a_cross_table_named_by_no_period_is_guessed_without_one():
    """The columns are known; the period is for the person to choose."""
    rows = [HEADER, *ROWS, TOTAL_ROW]
    guess = suggest_mapping(rows, spec(), table=0, titles=["Sheet"])
    assert guess["table_period"] == ""
    assert guess["cross_categories"]["2"] == {
        "dimension": "hospital",
        "category": "Royal Infirmary",
    }
    with pytest.raises(MappingError, match="choose one period for the whole table"):
        parse_mapping(guess, spec())


def test_a_table_with_periods_across_is_guessed_as_before():
    rows = [["Platform", "2019/20", "2020/21"], ["Insta", 3, 4], ["Snap", 1, 2]]
    guess = suggest_mapping(rows, SPEC, table=0, titles=["Offences in 2019/20"])
    assert "table_period" not in guess
    assert guess["periods"] == {"1": "2019-20", "2": "2020-21"}


def test_only_a_title_naming_a_period_moves_a_saved_period():
    saved = Period.from_label("2022-23")
    assert period_titled_now(saved, "Crimes in 2022/23", "Crimes in 2024/25").label == "2024-25"
    assert period_titled_now(saved, "Crimes in 2022/23 | Sheet1", "crimes in 2022/23 | sheet1") == (
        saved
    )
    assert period_titled_now(saved, "FOI 2024-0456.csv", "FOI 2025-0789.csv") == saved
    assert period_titled_now(saved, "Crimes in 2022/23", "Crimes by hospital") == saved
