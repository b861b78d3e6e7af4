"""Extraction across the layouts forces use: wide, two-row, transposed, long, months, listings."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from questions.vocab import CampaignSpec
from responses_app.domain.extraction import extract
from responses_app.domain.readers import read
from responses_app.domain.readers.base import Document, GridLocator, SheetLocator, Table, TextLine
from tests.domain.test_readers_office import text_pdf, typed_page

SPEC = CampaignSpec.from_data(["2019-20", "2020-21"], ["total", "platform", "age"])


def doc(*grids: list[list], name: str = "reply.xlsx", lines: tuple[str, ...] = ()) -> Document:
    tables = [
        Table(SheetLocator(f"Sheet{i}"), grid, source=name, title=f"Sheet{i}")
        for i, grid in enumerate(grids, start=1)
    ]
    text = [TextLine(line, f"body line {n}") for n, line in enumerate(lines, start=1)]
    return Document(name, "xlsx", lines=text, tables=tables)


def figures(extraction) -> dict[tuple[str, str, str], tuple]:
    return {f.key: (f.value, f.suppressed, f.lower, f.upper) for f in extraction.figures}


def codes(extraction) -> list[str]:
    return [finding.code for finding in extraction.findings]


def test_wide_table_among_titles_blank_rows_and_footnotes():
    grid = [
        ["FOI Request Ref No: 123/21", "", ""],
        ["Offences recorded", "", ""],
        ["", "", ""],
        ["Method of communication", "2019/20", "2020/21"],
        ["Insta", 5, "<5"],
        ["Not known", "Nil", "-"],
        ["Grand Total", 9, 12],
        ["", "", ""],
        ["Figures correct at 01/06/2021", "", ""],
    ]
    extraction = extract(doc(grid), SPEC)
    assert figures(extraction) == {
        ("2019-20", "platform", "Instagram"): (5, False, 5, 5),
        ("2020-21", "platform", "Instagram"): (None, True, 0, 4),
        ("2019-20", "platform", "Not recorded"): (0, False, 0, 0),
        ("2020-21", "platform", "Not recorded"): (0, False, 0, 0),
        ("2019-20", "total", "all"): (9, False, 9, 9),
        ("2020-21", "total", "all"): (12, False, 12, 12),
    }
    instagram = next(f for f in extraction.figures if f.key == ("2019-20", "platform", "Instagram"))
    assert instagram.source == "reply.xlsx Sheet1!B5"
    assert extraction.outcome == "full"  # a bare spreadsheet with no letter


def test_two_row_header_with_merged_financial_year():
    grid = [
        ["Victim age", "Financial Year", "Financial Year"],
        ["", "Apr 19 to Mar 20", "Apr 20 to Mar 21"],
        ["Under 12", "1,111", "12"],
        ["12-13", "3", "4"],
        ["Unknown", "5", "6"],
    ]
    got = figures(extract(doc(grid), SPEC))
    assert got[("2019-20", "age", "0-11")] == (1111, False, 1111, 1111)
    assert got[("2020-21", "age", "Not recorded")] == (6, False, 6, 6)
    assert len(got) == 6


def test_transposed_table_periods_down_the_first_column():
    grid = [
        ["Year", "Instagram", "Snapchat", "Not recorded", "Total"],
        ["2019/20", 1, 2, 3, 6],
        ["2020/21", 4, "*", 1, 9],
    ]
    extraction = extract(doc(grid), SPEC)
    got = figures(extraction)
    assert got[("2019-20", "platform", "Snapchat")] == (2, False, 2, 2)
    assert got[("2020-21", "platform", "Snapchat")] == (None, True, 0, 4)
    assert got[("2020-21", "total", "all")] == (9, False, 9, 9)
    assert "suppression_assumed" in codes(extraction)


def test_age_bands_are_not_mistaken_for_financial_years():
    grid = [["Age", "2019/20", "2020/21"], ["12-13", 1, 2], ["14-15", 3, 4], ["Not known", 0, 0]]
    got = figures(extract(doc(grid), SPEC))
    assert got[("2019-20", "age", "12-13")] == (1, False, 1, 1)
    assert ("2012-13", "age", "12-13") not in got


def test_long_table_with_breakdown_column():
    grid = [
        ["Financial Year", "Breakdown", "Category", "Number of offences"],
        ["FY 2019/20", "Total", "All offences", "10"],
        ["FY 2019/20", "Method of communication", "IG", "4"],
        ["FY 2019/20", "Victim age", "11 and under", "*"],
        ["FY 2020/21", "Method of communication", "Snap Chat", "1-4"],
    ]
    got = figures(extract(doc(grid, name="reply.csv"), SPEC))
    assert got == {
        ("2019-20", "total", "all"): (10, False, 10, 10),
        ("2019-20", "platform", "Instagram"): (4, False, 4, 4),
        ("2019-20", "age", "0-11"): (None, True, 0, 4),
        ("2020-21", "platform", "Snapchat"): (None, True, 1, 4),
    }


def test_two_long_blocks_in_one_file():
    grid = [
        ["Year", "Method", "Count"],
        ["2019-20", "IG", "1"],
        ["2019-20", "Total", "3"],
        [],
        ["Year", "Victim age", "Count"],
        ["2019-20", "12", "2"],
        ["2019-20", "Total", "3"],
    ]
    extraction = extract(doc(grid), SPEC)
    assert figures(extraction) == {
        ("2019-20", "platform", "Instagram"): (1, False, 1, 1),
        ("2019-20", "age", "12"): (2, False, 2, 2),
        ("2019-20", "total", "all"): (3, False, 3, 3),
    }
    assert "conflicting_figures" not in codes(extraction)


def _months_workbook() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    months = [dt.datetime(2019 + (m + 3) // 12, (m + 3) % 12 + 1, 1) for m in range(27)]
    sheet.append(["Platform", *months])
    sheet.append(["Instagram", *([1] * 27)])
    sheet.append(["Snapchat", *([2] * 23), "<5", 2, 2, 2])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_month_columns_are_summed_into_financial_years():
    extraction = extract(read(_months_workbook(), "months.xlsx"), SPEC)
    got = figures(extraction)
    assert got[("2019-20", "platform", "Instagram")] == (12, False, 12, 12)
    assert got[("2020-21", "platform", "Snapchat")] == (None, True, 22, 26)
    assert len(got) == 4  # April-June 2021 are outside the periods asked
    assert "periods_outside" in codes(extraction)
    source = next(f.source for f in extraction.figures if f.key[2] == "Instagram")
    assert source.startswith("months.xlsx Sheet!B2 .. Sheet!M2")


def test_months_covering_part_of_a_year_keep_their_range():
    grid = [["Platform", "Apr-19", "May-19", "Jun-19"], ["Instagram", 1, 2, 3]]
    extraction = extract(doc(grid), SPEC)
    assert figures(extraction) == {("2019 Q2", "platform", "Instagram"): (6, False, 6, 6)}
    assert "partial_period" in codes(extraction)


def test_quarter_columns_are_summed_into_the_financial_year():
    grid = [
        ["Platform", "Q1 2019-20", "Q2 2019-20", "Q3 2019-20", "Q4 2019-20"],
        ["Instagram", 1, 2, 3, 4],
    ]
    extraction = extract(doc(grid), SPEC)
    assert figures(extraction) == {("2019-20", "platform", "Instagram"): (10, False, 10, 10)}


def test_a_campaign_asking_quarters_keeps_each_quarter():
    spec = CampaignSpec.from_data(["2023 Q1", "2023 Q2"], ["total", "platform"])
    grid = [["Platform", "2023 Q1", "Q2 2023"], ["Instagram", 3, 4], ["Total", 5, 6]]
    extraction = extract(doc(grid), spec)
    assert figures(extraction) == {
        ("2023 Q1", "platform", "Instagram"): (3, False, 3, 3),
        ("2023 Q2", "platform", "Instagram"): (4, False, 4, 4),
        ("2023 Q1", "total", "all"): (5, False, 5, 5),
        ("2023 Q2", "total", "all"): (6, False, 6, 6),
    }
    assert "period_not_asked" not in codes(extraction)


def test_months_are_summed_into_the_quarters_a_campaign_asks():
    spec = CampaignSpec.from_data(["2023 Q1"], ["total", "platform"])
    grid = [["Platform", "Jan 2023", "2023-02", "March 2023"], ["Instagram", 1, 2, 3]]
    assert figures(extract(doc(grid), spec)) == {
        ("2023 Q1", "platform", "Instagram"): (6, False, 6, 6)
    }


def test_long_table_of_months():
    grid = [["Month", "Platform", "Offences"]]
    grid += [
        [f"{m}-19", "IG", 1]
        for m in ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    ]
    grid += [[f"{m}-20", "IG", 1] for m in ("Jan", "Feb", "Mar")]
    assert figures(extract(doc(grid), SPEC)) == {
        ("2019-20", "platform", "Instagram"): (12, False, 12, 12)
    }


def test_calendar_years_are_kept_with_a_finding():
    grid = [["Method", "2019", "2020"], ["IG", 1, 2], ["Total", 3, 4]]
    extraction = extract(doc(grid), SPEC)
    assert set(figures(extraction)) == {
        ("2019", "platform", "Instagram"),
        ("2020", "platform", "Instagram"),
        ("2019", "total", "all"),
        ("2020", "total", "all"),
    }
    (finding,) = [f for f in extraction.findings if f.code == "calendar_year"]
    assert "calendar year 2019, 2020; the campaign asked for financial years" in finding.message


def test_unknown_label_is_a_finding_with_suggestions_never_a_silent_drop():
    grid = [["Method", "2019/20"], ["Instgram", 5], ["Meta apps", 3]]
    extraction = extract(doc(grid), SPEC)
    assert extraction.figures == []
    unknown = [f for f in extraction.findings if f.code == "unknown_category"]
    assert [f.locator for f in unknown] == ["reply.xlsx Sheet1!A2", "reply.xlsx Sheet1!A3"]
    assert unknown[0].suggestions[0] == "Instagram"
    assert "Instgram" in unknown[0].message


def test_free_text_and_not_available_cells():
    grid = [
        ["Method", "2019/20", "2020/21"],
        ["IG", "Approx. 1,000", ".."],
        ["Snap", "45 litres", "3"],
    ]
    extraction = extract(doc(grid), SPEC)
    got = figures(extraction)
    assert got == {
        ("2020-21", "platform", "Instagram"): (None, False, None, None),
        ("2020-21", "platform", "Snapchat"): (3, False, 3, 3),
    }
    problems = [f for f in extraction.findings if f.code == "not_a_number"]
    assert [p.locator for p in problems] == ["reply.xlsx Sheet1!B2", "reply.xlsx Sheet1!B3"]
    assert "not_available" in codes(extraction)


def test_blank_cell_inside_a_filled_row_is_zero_with_a_finding():
    grid = [["Method", "2019/20", "2020/21"], ["IG", "", 3]]
    extraction = extract(doc(grid), SPEC)
    assert figures(extraction)[("2019-20", "platform", "Instagram")] == (0, False, 0, 0)
    assert "blank_as_zero" in codes(extraction)


def test_note_sets_what_a_star_stands_for_and_dash_meaning():
    grid = [
        ["Method", "2019/20"],
        ["IG", "*"],
        ["Snap", "-"],
        ["* = fewer than 10 offences", ""],
        ["- = data not available", ""],
    ]
    got = figures(extract(doc(grid), SPEC))
    assert got[("2019-20", "platform", "Instagram")] == (None, True, 0, 9)
    assert got[("2019-20", "platform", "Snapchat")] == (None, False, None, None)


def test_section_rows_switch_dimension_inside_one_table():
    grid = [
        ["", "2019/20"],
        ["Method of communication", ""],
        ["IG", 1],
        ["Age", ""],
        ["11", 2],
        ["Not recorded", 3],
        ["Total", 6],
    ]
    got = figures(extract(doc(grid), SPEC))
    assert got == {
        ("2019-20", "platform", "Instagram"): (1, False, 1, 1),
        ("2019-20", "age", "11"): (2, False, 2, 2),
        ("2019-20", "age", "Not recorded"): (3, False, 3, 3),
        ("2019-20", "total", "all"): (6, False, 6, 6),
    }


def test_table_split_over_two_pages_continues_its_header():
    page1 = Table(
        GridLocator("page 1, table 1"), [["Method", "2019-20"], ["IG", "1"]], source="r.pdf"
    )
    page2 = Table(GridLocator("page 2, table 1"), [["Snap", "2"], ["Total", "3"]], source="r.pdf")
    extraction = extract(Document("r.pdf", "pdf", tables=[page1, page2]), SPEC)
    got = figures(extraction)
    assert got[("2019-20", "platform", "Snapchat")] == (2, False, 2, 2)
    total = next(f for f in extraction.figures if f.key == ("2019-20", "total", "all"))
    assert total.source == "r.pdf page 2, table 1, row 2, col 2"


def test_wrapped_label_over_two_rows():
    grid = [["Method", "2019/20"], ["Facebook/Messenger", ""], ["chat", 4]]
    got = figures(extract(doc(grid), SPEC))
    assert got == {("2019-20", "platform", "Facebook Messenger"): (4, False, 4, 4)}


def test_conflicting_duplicates_keep_the_first_and_say_so():
    grid = [["Method", "2019/20"], ["Total", 10], [], ["Age", "2019/20"], ["12", 4], ["Total", 11]]
    extraction = extract(doc(grid), SPEC)
    assert figures(extraction)[("2019-20", "total", "all")] == (10, False, 10, 10)
    (conflict,) = [f for f in extraction.findings if f.code == "conflicting_figures"]
    assert "10" in conflict.message and "11" in conflict.message


def test_a_numeric_table_that_is_not_understood_is_reported():
    grid = [["Code", "Value", "Other"], ["A1", 5, 6], ["B2", 7, 8]]
    extraction = extract(doc(grid), SPEC)
    assert extraction.figures == []
    assert "table_not_read" in codes(extraction)


def test_records_with_dates_are_counted_into_financial_years():
    grid = [["Crime Ref", "Date Recorded", "Offence", "Method", "Victim Age", "Gender"]]
    rows = [
        ("31/03/2019", "IG", 14),
        ("01/04/2019", "Insta", ""),
        ("31/03/2020", "Snap", 15),
        (dt.date(2020, 4, 1), "Foo", 9),
        ("15/06/2020", "", "16"),
        ("01/04/2021", "IG", 12),
        ("", "IG", 12),
    ]
    for n, (day, method, age) in enumerate(rows):
        grid.append([f"AB/{n:05d}/19", day, "Sexual communication with a child", method, age, "F"])
    extraction = extract(doc(grid), SPEC)
    got = figures(extraction)
    assert got == {
        ("2019-20", "total", "all"): (2, False, 2, 2),
        ("2019-20", "platform", "Instagram"): (1, False, 1, 1),
        ("2019-20", "platform", "Snapchat"): (1, False, 1, 1),
        ("2019-20", "age", "Not recorded"): (1, False, 1, 1),
        ("2019-20", "age", "15"): (1, False, 1, 1),
        ("2020-21", "total", "all"): (2, False, 2, 2),
        ("2020-21", "platform", "Not recorded"): (1, False, 1, 1),
        ("2020-21", "age", "9"): (1, False, 1, 1),
        ("2020-21", "age", "16"): (1, False, 1, 1),
    }
    assert extraction.excluded_rows == 2
    found = codes(extraction)
    assert {"rows_outside_periods", "undated_rows", "unknown_category"} <= set(found)
    (unknown,) = [f for f in extraction.findings if f.code == "unknown_category"]
    assert "'Foo'" in unknown.message and unknown.locator == "reply.xlsx Sheet1!D5"


def test_records_with_a_period_column_instead_of_dates():
    grid = [["Ref", "Financial year", "Platform"]]
    grid += [[f"R{i}", "2019/20" if i % 2 else "2018/19", "Snapchat"] for i in range(10)]
    extraction = extract(doc(grid), SPEC)
    assert figures(extraction) == {
        ("2019-20", "total", "all"): (5, False, 5, 5),
        ("2019-20", "platform", "Snapchat"): (5, False, 5, 5),
    }
    assert extraction.excluded_rows == 5


def test_a_long_listing_is_streamed_not_held():
    def rows():
        yield ["Date", "Method"]
        for n in range(5000):
            yield [dt.date(2019, 4, 1) + dt.timedelta(days=n % 700), "IG"]

    table = Table(SheetLocator("Export"), rows, source="big.xlsx")
    extraction = extract(Document("big.xlsx", "xlsx", tables=[table]), SPEC)
    got = figures(extraction)
    assert got[("2019-20", "total", "all")][0] + got[("2020-21", "total", "all")][0] == 5000
    assert extraction.excluded_rows == 0


@pytest.mark.parametrize("hidden", ["hidden", "veryHidden"])
def test_hidden_sheets_are_not_read_but_named(hidden):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Method", "2019/20"])
    workbook.active.append(["IG", 1])
    other = workbook.create_sheet("All forces")
    other.append(["Method", "2019/20"])
    other.append(["Snapchat", 99])
    other.sheet_state = hidden
    buffer = io.BytesIO()
    workbook.save(buffer)
    extraction = extract(read(buffer.getvalue(), "reply.xlsx"), SPEC)
    assert set(figures(extraction)) == {("2019-20", "platform", "Instagram")}
    assert "hidden_sheet_skipped" in codes(extraction)


def test_record_listing_over_pages_with_repeated_headers_is_summed():
    def page(number: int, days: list[str]) -> Table:
        grid = [["Date recorded", "Method"], *[[day, "IG"] for day in days]]
        return Table(GridLocator(f"page {number}, table 1"), grid, source="list.pdf")

    document = Document(
        "list.pdf",
        "pdf",
        tables=[page(1, ["01/05/2019", "02/05/2019"]), page(2, ["03/05/2020", "01/01/2018"])],
    )
    extraction = extract(document, SPEC)
    assert figures(extraction) == {
        ("2019-20", "total", "all"): (2, False, 2, 2),
        ("2019-20", "platform", "Instagram"): (2, False, 2, 2),
        ("2020-21", "total", "all"): (1, False, 1, 1),
        ("2020-21", "platform", "Instagram"): (1, False, 1, 1),
    }
    assert extraction.excluded_rows == 1
    assert "conflicting_figures" not in codes(extraction)


def test_unruled_pdf_table_extracts_end_to_end():
    rows = [("Age", "2019/20", "2020/21"), ("Under 12", "1", "2"), ("Not known", "3", "4")]
    extraction = extract(read(text_pdf([typed_page(rows)]), "ages.pdf"), SPEC)
    assert figures(extraction)[("2020-21", "age", "0-11")] == (2, False, 2, 2)
    source = next(f.source for f in extraction.figures if f.key == ("2020-21", "age", "0-11"))
    assert source == "ages.pdf page 1, line 2, col 3"


def test_period_named_in_a_title_row_above_each_table():
    grid = [
        ["Offences recorded in 2019/20"],
        [],
        ["Method", "Number"],
        ["IG", 5],
        ["Total", 9],
        [],
        ["Offences recorded in 2020/21"],
        ["Method", "Number"],
        ["IG", 6],
    ]
    got = figures(extract(doc(grid), SPEC))
    assert got == {
        ("2019-20", "platform", "Instagram"): (5, False, 5, 5),
        ("2019-20", "total", "all"): (9, False, 9, 9),
        ("2020-21", "platform", "Instagram"): (6, False, 6, 6),
    }


def test_period_named_in_a_word_table_caption_or_sheet_name():
    tables = [
        Table(
            GridLocator("table 1"),
            [["Age", "Offences"], ["Under 12", "5"], ["12-13", "2"]],
            "r.docx",
            title="Table 1: financial year 2019/20",
        ),
        Table(
            SheetLocator("2020-21"), [["Platform", "Count"], ["Snap", 7]], "r.docx", title="2020-21"
        ),
    ]
    got = figures(extract(Document("r.docx", "docx", tables=tables), SPEC))
    assert got == {
        ("2019-20", "age", "0-11"): (5, False, 5, 5),
        ("2019-20", "age", "12-13"): (2, False, 2, 2),
        ("2020-21", "platform", "Snapchat"): (7, False, 7, 7),
    }


def test_a_title_naming_two_years_is_not_used_for_a_single_column():
    table = Table(
        GridLocator("table 1"),
        [["Method", "Number"], ["IG", "5"], ["Snap", "6"]],
        "r.docx",
        title="Offences in 2019/20 and 2020/21",
    )
    extraction = extract(Document("r.docx", "docx", tables=[table]), SPEC)
    assert extraction.figures == []
    assert "table_not_read" in codes(extraction)


def test_merged_period_over_number_and_percentage_columns():
    grid = [
        ["Method", "2019/20", "2019/20", "2020/21", "2020/21"],
        ["", "Number", "%", "Number", "% of total"],
        ["IG", 5, 50, 6, 60],
        ["Total", 10, 100, 10, 100],
    ]
    extraction = extract(doc(grid), SPEC)
    assert figures(extraction) == {
        ("2019-20", "platform", "Instagram"): (5, False, 5, 5),
        ("2019-20", "total", "all"): (10, False, 10, 10),
        ("2020-21", "platform", "Instagram"): (6, False, 6, 6),
        ("2020-21", "total", "all"): (10, False, 10, 10),
    }
    assert "column_not_a_period" in codes(extraction)


def test_footnote_markers_and_wordy_totals():
    grid = [
        ["Method (1)", "2019/20 (a)", "2020/21*"],
        ["Instagram (1)", 5, 6],
        ["Snapchat [2]", 1, 2],
        ["Total offences recorded", 9, 9],
    ]
    got = figures(extract(doc(grid), SPEC))
    assert got[("2019-20", "platform", "Instagram")] == (5, False, 5, 5)
    assert got[("2020-21", "platform", "Snapchat")] == (2, False, 2, 2)
    assert got[("2020-21", "total", "all")] == (9, False, 9, 9)


def test_withheld_cells_are_findings_and_their_sections_are_cited():
    grid = [["Age", "2019/20"], ["Under 12", "Withheld - s40(2)"], ["12-13", "s.40"], ["Total", 9]]
    extraction = extract(doc(grid), SPEC)
    assert figures(extraction) == {("2019-20", "total", "all"): (9, False, 9, 9)}
    assert codes(extraction).count("withheld") == 2
    assert extraction.exemptions == ["s40(2)"]


def test_age_bands_only_are_labels_not_ranges_of_values():
    grid = [["Age", "2019/20"], ["0-11", 4], ["12-13", 5], ["14-15", 6]]
    got = figures(extract(doc(grid), SPEC))
    assert got == {
        ("2019-20", "age", "0-11"): (4, False, 4, 4),
        ("2019-20", "age", "12-13"): (5, False, 5, 5),
        ("2019-20", "age", "14-15"): (6, False, 6, 6),
    }


def test_a_header_repeated_inside_a_listing_is_not_an_undated_row():
    header = ["Date recorded", "Method"]
    grid = [header, ["01/05/2019", "IG"], header, ["02/05/2019", "Snap"]]
    extraction = extract(doc(grid), SPEC)
    assert figures(extraction)[("2019-20", "total", "all")] == (2, False, 2, 2)
    assert "undated_rows" not in codes(extraction)


def test_a_second_heading_row_is_not_an_unknown_category():
    grid = [["Method", "2019/20", "2020/21"], ["Platform", "Number", "Number"], ["IG", 1, 2]]
    extraction = extract(doc(grid), SPEC)
    assert set(figures(extraction)) == {
        ("2019-20", "platform", "Instagram"),
        ("2020-21", "platform", "Instagram"),
    }
    assert "unknown_category" not in codes(extraction)
