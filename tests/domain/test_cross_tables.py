"""Cross-tabulations: categories down, a second dimension across, read into marginal figures."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest

from questions.schema import parse_schema
from questions.vocab import CampaignSpec
from responses_app.domain.extraction import extract
from responses_app.domain.readers import read
from tests.domain.test_real_layouts import HOSPITAL_CRIME_SCHEMA
from tests.lookalikes import cross_table_pdf

HEADER = ["Crime category", "General Hospital", "Royal Infirmary", "Total"]
ROWS = [["Theft", 4, 6, 10], ["Criminal damage", 1, 2, 3], ["Arson", 0, 5, 5]]
TOTAL_ROW = ["Total", 5, 13, 18]

#: What a person reads from the table: each row's total, each hospital's total, the total.
BY_BOTH = {
    ("2022-23", "crime_category", "Theft"): 10,
    ("2022-23", "crime_category", "Criminal damage"): 3,
    ("2022-23", "crime_category", "Arson"): 5,
    ("2022-23", "hospital", "General Hospital"): 5,
    ("2022-23", "hospital", "Royal Infirmary"): 13,
    ("2022-23", "total", "all"): 18,
}


def sheet(rows: list[list], title: str = "Crimes recorded at each hospital in 2022/23") -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    if title:
        ws.append([title])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def spec(with_place: bool = True) -> CampaignSpec:
    data = dict(HOSPITAL_CRIME_SCHEMA)
    if not with_place:
        data["dimensions"] = [d for d in data["dimensions"] if d["name"] != "hospital"]
    return parse_schema(data).spec()


def figures(extraction) -> dict:
    return {(f.period, f.dimension, f.category): f.value for f in extraction.figures}


def codes(extraction) -> list[str]:
    return [f.code for f in extraction.findings]


@pytest.mark.parametrize(
    "rows",
    [
        [HEADER, *ROWS, TOTAL_ROW],
        [HEADER[:3], *[r[:3] for r in ROWS]],  # no printed totals: the sums
        [HEADER, *ROWS],  # a total column, no total row
        [HEADER[:3], *[r[:3] for r in ROWS], TOTAL_ROW[:3]],  # a total row, no total column
    ],
    ids=["both totals", "no totals", "total column", "total row"],
)
def test_a_titled_cross_table_gives_each_dimension_and_the_total(rows):
    extraction = extract(read(sheet(rows), "reply.xlsx"), spec())
    assert figures(extraction) == BY_BOTH
    assert not {"conflicting_figures", "row_sum_differs", "column_sum_differs"} & set(
        codes(extraction)
    )


def test_without_the_column_dimension_the_row_totals_are_kept_with_one_finding():
    extraction = extract(read(sheet([HEADER, *ROWS, TOTAL_ROW]), "reply.xlsx"), spec(False))
    assert figures(extraction) == {k: v for k, v in BY_BOTH.items() if k[1] != "hospital"}
    assert codes(extraction).count("breakdown_not_kept") == 1
    (finding,) = [f for f in extraction.findings if f.code == "breakdown_not_kept"]
    assert "'General Hospital'" in finding.message and "'Royal Infirmary'" in finding.message


def test_printed_totals_that_differ_from_their_cells_are_findings_and_are_kept():
    rows = [HEADER, ["Theft", 4, 6, 11], *ROWS[1:], ["Total", 5, 14, 19]]
    extraction = extract(read(sheet(rows), "reply.xlsx"), spec())
    got = figures(extraction)
    assert got[("2022-23", "crime_category", "Theft")] == 11
    assert got[("2022-23", "hospital", "Royal Infirmary")] == 14
    assert got[("2022-23", "total", "all")] == 19
    found = {f.code: f for f in extraction.findings}
    assert "Theft" in found["row_sum_differs"].message
    assert found["row_sum_differs"].locator.endswith("!D3")
    assert found["column_sum_differs"].locator.endswith("!C6")
    assert "grand_total_differs" not in found  # the row and column totals agree on 19


def test_a_grand_total_that_differs_from_the_row_and_column_totals_is_a_finding():
    rows = [HEADER, *ROWS, ["Total", 5, 13, 20]]
    extraction = extract(read(sheet(rows), "reply.xlsx"), spec())
    assert figures(extraction)[("2022-23", "total", "all")] == 20
    messages = [f.message for f in extraction.findings if f.code == "grand_total_differs"]
    assert len(messages) == 2
    assert "the rows add up to 18 for 2022-23" in messages[0]
    assert "the columns add up to 18 for 2022-23" in messages[1]


def test_periods_merged_over_hospitals_give_each_period_and_dimension():
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Crime category", "2019/20", None, "2020/21", None])
    ws.append([None, "General Hospital", "Royal Infirmary", "General Hospital", "Royal Infirmary"])
    ws.append(["Theft", 1, 2, 3, 4])
    ws.append(["Criminal damage", 5, 6, 7, 8])
    ws.merge_cells("B1:C1")
    ws.merge_cells("D1:E1")
    buffer = io.BytesIO()
    book.save(buffer)
    got = figures(extract(read(buffer.getvalue(), "reply.xlsx"), spec()))
    assert got == {
        ("2019-20", "crime_category", "Theft"): 3,
        ("2019-20", "crime_category", "Criminal damage"): 11,
        ("2019-20", "hospital", "General Hospital"): 6,
        ("2019-20", "hospital", "Royal Infirmary"): 8,
        ("2019-20", "total", "all"): 14,
        ("2020-21", "crime_category", "Theft"): 7,
        ("2020-21", "crime_category", "Criminal damage"): 15,
        ("2020-21", "hospital", "General Hospital"): 10,
        ("2020-21", "hospital", "Royal Infirmary"): 12,
        ("2020-21", "total", "all"): 22,
    }


def test_hospitals_over_their_periods_give_the_same():
    rows = [
        ["Hospital", "General Hospital", "General Hospital", "Royal Infirmary", "Royal Infirmary"],
        ["Crime category", "2019/20", "2020/21", "2019/20", "2020/21"],
        ["Theft", 1, 3, 2, 4],
        ["Criminal damage", 5, 7, 6, 8],
    ]
    got = figures(extract(read(sheet(rows, title=""), "reply.xlsx"), spec()))
    assert got[("2019-20", "hospital", "Royal Infirmary")] == 8
    assert got[("2020-21", "crime_category", "Criminal damage")] == 15
    assert got[("2020-21", "total", "all")] == 22


def test_a_long_table_with_two_category_columns_is_summed_per_dimension():
    rows = [["Financial year", "Hospital", "Crime category", "Number of crimes"]]
    for year, base in (("2019/20", 0), ("2020/21", 10)):
        rows += [
            [year, "General Hospital", "Theft", base + 1],
            [year, "General Hospital", "Arson", base + 2],
            [year, "Royal Infirmary", "Theft", base + 3],
        ]
    extraction = extract(read(sheet(rows, title=""), "reply.xlsx"), spec())
    assert figures(extraction) == {
        ("2019-20", "crime_category", "Theft"): 4,
        ("2019-20", "crime_category", "Arson"): 2,
        ("2019-20", "hospital", "General Hospital"): 3,
        ("2019-20", "hospital", "Royal Infirmary"): 3,
        ("2019-20", "total", "all"): 6,
        ("2020-21", "crime_category", "Theft"): 24,
        ("2020-21", "crime_category", "Arson"): 12,
        ("2020-21", "hospital", "General Hospital"): 23,
        ("2020-21", "hospital", "Royal Infirmary"): 13,
        ("2020-21", "total", "all"): 36,
    }
    assert "conflicting_figures" not in codes(extraction)


def test_a_closed_dimension_across_is_known_by_its_headings_alone():
    """Platforms down, age bands across, with no heading naming ages: the bands say so."""
    campaign = CampaignSpec.from_data(["2019-20", "2020-21"], ["total", "platform", "age"])
    rows = [
        ["Platform", "Under 11", "11-15", "16-17", "Total"],
        ["Instagram", 2, 10, 3, 15],
        ["Snapchat", 1, 8, 4, 13],
    ]
    got = figures(extract(read(sheet(rows, title="Offences in 2019/20"), "reply.xlsx"), campaign))
    assert got[("2019-20", "platform", "Instagram")] == 15
    assert got[("2019-20", "platform", "Snapchat")] == 13
    assert got[("2019-20", "age", "0-10")] == 3
    assert got[("2019-20", "age", "11-15")] == 18
    assert got[("2019-20", "age", "16-17")] == 7
    assert got[("2019-20", "total", "all")] == 28


def test_columns_of_another_measure_are_not_a_breakdown():
    """`Recorded | Solved` are measures, not hospitals, though the title names hospitals:
    nothing is summed across them, and the table is left for a person to map."""
    rows = [["Crime category", "Recorded", "Solved"], ["Theft", 10, 2], ["Arson", 5, 1]]
    title = "Crimes at each hospital in 2022/23"
    extraction = extract(read(sheet(rows, title=title), "reply.xlsx"), spec())
    assert figures(extraction) == {}
    assert "table_not_read" in codes(extraction)


def test_a_pdf_cross_table_titled_above_reads_as_the_workbook_does():
    rows = [[str(v) for v in r] for r in [*ROWS, TOTAL_ROW]]
    pdf = cross_table_pdf("Crimes recorded at each hospital, 2022/23", HEADER, rows)
    extraction = extract(read(pdf, "reply.pdf"), spec())
    assert figures(extraction) == BY_BOTH


def test_a_period_printed_once_over_its_hospitals_spans_them_in_a_pdf():
    """A PDF or CSV has no merged cells: the period sits over the first of its sub-columns."""
    header = ["Crime category", "2019/20", "", "2020/21", ""]
    sub = ["", "General Hospital", "Royal Infirmary", "General Hospital", "Royal Infirmary"]
    rows = [["Theft", "1", "2", "3", "4"], ["Criminal damage", "5", "6", "7", "8"]]
    pdf = cross_table_pdf("Crimes recorded on hospital grounds", header, [sub, *rows])
    csv = "\n".join(",".join(r) for r in [header, sub, *rows]).encode()
    for data, name in ((pdf, "reply.pdf"), (csv, "reply.csv")):
        got = figures(extract(read(data, name), spec()))
        assert got[("2019-20", "hospital", "Royal Infirmary")] == 8, name
        assert got[("2019-20", "crime_category", "Theft")] == 3, name
        assert got[("2020-21", "hospital", "General Hospital")] == 10, name
        assert got[("2020-21", "total", "all")] == 22, name


def test_years_down_and_hospitals_across_name_their_dimension_by_their_headings():
    """Two open lists both take any word: `General Hospital` says which one the columns are."""
    rows = [
        ["Financial year", "General Hospital", "Royal Infirmary", "Total"],
        ["2019/20", 1, 2, 3],
        ["2020/21", 4, 5, 9],
    ]
    extraction = extract(read(sheet(rows, title=""), "reply.xlsx"), spec())
    assert figures(extraction) == {
        ("2019-20", "hospital", "General Hospital"): 1,
        ("2019-20", "hospital", "Royal Infirmary"): 2,
        ("2019-20", "total", "all"): 3,
        ("2020-21", "hospital", "General Hospital"): 4,
        ("2020-21", "hospital", "Royal Infirmary"): 5,
        ("2020-21", "total", "all"): 9,
    }
    assert "unknown_category" not in codes(extraction)


GROUPED = [
    ["Hospital", "Crime category", "2019/20", "2020/21"],
    ["General Hospital", "Theft", 1, 2],
    ["", "Criminal damage", 3, 4],
    ["", "Total", 4, 6],
    ["Royal Infirmary", "Theft", 5, 6],
    ["", "Criminal damage", 7, 8],
]


@pytest.mark.parametrize("name", ["reply.xlsx", "reply.csv"])
def test_rows_grouped_by_hospital_give_each_hospital_and_each_category(name):
    if name.endswith(".xlsx"):
        data = sheet(GROUPED, title="")
    else:
        data = "\n".join(",".join(str(v) for v in r) for r in GROUPED).encode()
    extraction = extract(read(data, name), spec())
    assert figures(extraction) == {
        ("2019-20", "crime_category", "Theft"): 6,
        ("2019-20", "crime_category", "Criminal damage"): 10,
        ("2019-20", "hospital", "General Hospital"): 4,
        ("2019-20", "hospital", "Royal Infirmary"): 12,
        ("2019-20", "total", "all"): 16,
        ("2020-21", "crime_category", "Theft"): 8,
        ("2020-21", "crime_category", "Criminal damage"): 12,
        ("2020-21", "hospital", "General Hospital"): 6,
        ("2020-21", "hospital", "Royal Infirmary"): 14,
        ("2020-21", "total", "all"): 20,
    }
    assert "conflicting_figures" not in codes(extraction)


def test_a_sheet_for_each_year_is_a_cross_table_for_each_year():
    """Sheets named `2022-23` and `2023-24`, each with the same header: the second is a table
    of its own, not more rows of the first."""
    book = openpyxl.Workbook()
    for index, year in enumerate(["2022-23", "2023-24"]):
        ws = book.active if index == 0 else book.create_sheet()
        ws.title = year
        for row in [HEADER, *ROWS, TOTAL_ROW]:
            ws.append([v * (index + 1) if isinstance(v, int) else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    extraction = extract(read(buffer.getvalue(), "reply.xlsx"), spec())
    got = figures(extraction)
    expected = dict(BY_BOTH)
    expected.update({("2023-24", d, c): v * 2 for (_, d, c), v in BY_BOTH.items()})
    assert got == expected
    assert "not_a_number" not in codes(extraction)


def test_a_word_letter_with_the_period_in_the_paragraph_above_its_table():
    document = docx.Document()
    document.add_paragraph("Dear Applicant, please find the figures you asked for below.")
    document.add_paragraph("Crimes recorded at each hospital in 2022/23")
    rows = [HEADER, *ROWS, TOTAL_ROW]
    table = document.add_table(rows=len(rows), cols=len(HEADER))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    assert figures(extract(read(buffer.getvalue(), "reply.docx"), spec())) == BY_BOTH
