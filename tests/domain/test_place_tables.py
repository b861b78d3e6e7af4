"""Per-place tables: a hospital's name above each table, read into the campaign's dimensions."""

from __future__ import annotations

import io

import openpyxl
import pytest

from questions.schema import parse_schema
from responses_app.domain.extraction import extract
from responses_app.domain.readers import read
from tests.domain.test_real_layouts import HOSPITAL_CRIME_SCHEMA
from tests.lookalikes import place_tables_pdf

PLACES = {
    "General Hospital": [["Theft", 1, 2], ["Criminal damage", 3, 4]],
    "Royal Infirmary": [["Theft", 5, 6], ["Criminal damage", 7, 8]],
    "Community Hospital": [["Theft", 10, 20], ["Criminal damage", 30, 40]],
}


def place_sheet(total_rows: bool = True, wrong_total: bool = False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for index, (place, rows) in enumerate(PLACES.items()):
        sheet.append([place])
        sheet.append(["Crime category", "2019/20", "2020/21"])
        for row in rows:
            sheet.append(row)
        if total_rows:
            first = sum(r[1] for r in rows) + (1 if wrong_total and index == 0 else 0)
            sheet.append(["Total", first, sum(r[2] for r in rows)])
        sheet.append([])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def spec(with_place: bool):
    data = dict(HOSPITAL_CRIME_SCHEMA)
    if not with_place:
        data["dimensions"] = [d for d in data["dimensions"] if d["name"] != "hospital"]
    return parse_schema(data).spec()


def figures(extraction) -> dict:
    return {(f.period, f.dimension, f.category): f.value for f in extraction.figures}


@pytest.mark.parametrize("total_rows", [True, False])
def test_each_place_gives_its_total_and_categories_are_summed_over_places(total_rows):
    got = figures(extract(read(place_sheet(total_rows), "reply.xlsx"), spec(with_place=True)))
    assert got == {
        ("2019-20", "hospital", "General Hospital"): 4,
        ("2019-20", "hospital", "Royal Infirmary"): 12,
        ("2019-20", "hospital", "Community Hospital"): 40,
        ("2020-21", "hospital", "General Hospital"): 6,
        ("2020-21", "hospital", "Royal Infirmary"): 14,
        ("2020-21", "hospital", "Community Hospital"): 60,
        ("2019-20", "crime_category", "Theft"): 16,
        ("2019-20", "crime_category", "Criminal damage"): 40,
        ("2020-21", "crime_category", "Theft"): 28,
        ("2020-21", "crime_category", "Criminal damage"): 52,
        ("2019-20", "total", "all"): 56,
        ("2020-21", "total", "all"): 80,
    }


def test_without_a_place_dimension_the_sums_are_kept_with_one_finding():
    extraction = extract(read(place_sheet(), "reply.xlsx"), spec(with_place=False))
    got = figures(extraction)
    assert got[("2019-20", "crime_category", "Theft")] == 16
    assert got[("2020-21", "total", "all")] == 80
    assert not any(d == "hospital" for _, d, _ in got)
    codes = [f.code for f in extraction.findings]
    assert codes.count("place_breakdown_not_kept") == 1
    assert "conflicting_figures" not in codes


def test_a_place_total_row_that_differs_from_its_rows_is_a_finding():
    extraction = extract(read(place_sheet(wrong_total=True), "reply.xlsx"), spec(with_place=True))
    differs = [f for f in extraction.findings if f.code == "place_total_differs"]
    assert len(differs) == 1
    assert "General Hospital" in differs[0].message
    assert figures(extraction)[("2019-20", "hospital", "General Hospital")] == 5


def place_pdf() -> bytes:
    places = {
        place: [[r[0], str(r[1]), str(r[2])] for r in rows]
        + [["Total", str(sum(r[1] for r in rows)), str(sum(r[2] for r in rows))]]
        for place, rows in PLACES.items()
    }
    return place_tables_pdf(["Crime category", "2019/20", "2020/21"], places)


def test_a_pdf_with_a_hospital_name_above_each_table_gives_the_place_dimension():
    extraction = extract(read(place_pdf(), "reply.pdf"), spec(with_place=True))
    got = figures(extraction)
    assert got[("2019-20", "hospital", "Royal Infirmary")] == 12
    assert got[("2020-21", "hospital", "Community Hospital")] == 60
    assert got[("2019-20", "crime_category", "Criminal damage")] == 40
    assert got[("2020-21", "total", "all")] == 80
    assert "conflicting_figures" not in [f.code for f in extraction.findings]


def test_a_pdf_of_place_tables_without_a_place_dimension_keeps_the_sums():
    extraction = extract(read(place_pdf(), "reply.pdf"), spec(with_place=False))
    got = figures(extraction)
    assert got[("2019-20", "crime_category", "Theft")] == 16
    assert got[("2019-20", "total", "all")] == 56
    assert [f.code for f in extraction.findings] == ["place_breakdown_not_kept"]
