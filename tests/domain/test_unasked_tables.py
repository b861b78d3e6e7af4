"""A table by a measure the campaign does not ask (crime outcomes): left out, sums checked."""

from __future__ import annotations

import io

import openpyxl
import pytest

from questions.schema import parse_schema
from responses_app.domain.extraction import extract
from responses_app.domain.readers import read
from tests.domain.test_real_layouts import HOSPITAL_CRIME_SCHEMA

YEARS = ["2019/20", "2020/21"]
CRIMES = [["Theft", 10, 12], ["Criminal damage", 5, 8], ["Total", 15, 20]]


def reply(outcomes: list[list]) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Crime category / Financial year", *YEARS])
    for row in CRIMES:
        ws.append(row)
    ws.append([])
    ws.append(["Crime Outcome / Financial year", *YEARS])
    for row in outcomes:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def spec(with_place: bool = True):
    data = dict(HOSPITAL_CRIME_SCHEMA)
    if not with_place:
        data["dimensions"] = [d for d in data["dimensions"] if d["name"] != "hospital"]
    return parse_schema(data).spec()


@pytest.mark.parametrize("with_place", [True, False], ids=["two open lists", "one open list"])
def test_outcome_rows_are_never_figures_and_one_finding_names_the_table(with_place):
    outcomes = [["Charged or summonsed", 4, 6], ["Investigation complete", 11, 14]]
    extraction = extract(read(reply(outcomes), "reply.xlsx"), spec(with_place))
    categories = {f.category for f in extraction.figures}
    assert categories == {"all", "Theft", "Criminal damage"}
    codes = [f.code for f in extraction.findings]
    assert codes.count("table_not_asked") == 1
    assert "unknown_category" not in codes
    assert "table_sum_differs" not in codes  # 15 and 20 both ways


def test_a_column_that_adds_up_to_another_number_than_the_total_is_a_finding():
    outcomes = [["Charged or summonsed", 4, 6], ["Investigation complete", 11, 10]]
    extraction = extract(read(reply(outcomes), "reply.xlsx"), spec())
    (finding,) = [f for f in extraction.findings if f.code == "table_sum_differs"]
    assert finding.severity == "warning"
    assert "'Crime Outcome' table adds up to 16 for 2020-21" in finding.message
    assert "the reply's total is 20" in finding.message
    assert finding.locator.endswith("Sheet!rows 6-8") or "rows 6-8" in finding.locator


def test_its_own_total_row_is_checked_and_never_becomes_the_total():
    outcomes = [
        ["Charged or summonsed", 4, 6],
        ["Investigation complete", 11, 14],
        ["Total", 15, 21],
    ]
    extraction = extract(read(reply(outcomes), "reply.xlsx"), spec())
    totals = {f.period: f.value for f in extraction.figures if f.dimension == "total"}
    assert totals == {"2019-20": 15, "2020-21": 20}
    messages = [f.message for f in extraction.findings if f.code == "table_sum_differs"]
    assert messages == [
        "the 'Crime Outcome' table adds up to 20 for 2020-21, but its total row is 21: "
        "a row may be missing from one of them"
    ]
