"""Traits of real police replies, on look-alike files the tests generate."""

from __future__ import annotations

from questions.schema import parse_schema
from questions.vocab import CampaignSpec, normalise_label
from responses_app.domain.extraction import extract
from responses_app.domain.readers import read
from tests.lookalikes import continued_table_pdf

HOSPITAL_CRIME_SCHEMA = {
    "periods": ["2019-20", "2020-21", "2021-22", "2022-23", "2023-24"],
    "dimensions": [
        {"name": "total"},
        {
            "name": "crime_category",
            "kind": "list",
            "keywords": ["crime", "offence", "category", "classification"],
            "open": True,
        },
        {"name": "hospital", "kind": "place", "keywords": ["hospital", "location", "site"]},
    ],
}


def hospital_crime():
    """The campaign a researcher would define for crimes on hospital grounds (fresh each time:
    an open list learns the categories it reads)."""
    return parse_schema(HOSPITAL_CRIME_SCHEMA).spec()


YEARS = ["2019", "2020", "2021", "2022", "2023", "2024"]
OFFENCES = [
    ["ARSON", "2", "3", "", "", "1", "2"],
    ["CRIMINAL DAMAGE", "38", "51", "52", "32", "48", "17"],
    ["OTHER THEFT", "62", "44", "57", "46", "66", "17"],
    ["ROBBERY OF PERSONAL PROPERTY", "", "1", "3", "4", "1", ""],
    ["SHOPLIFTING", "2", "3", "2", "", "5", "2"],
    ["VIOLENCE WITH INJURY", "49", "42", "42", "80", "80", "12"],
]
LETTER = [
    "Northshire Police can confirm we do hold the information you requested.",
    "1. Offence types recorded at hospital locations are given below.",
]
AFTER = [
    "3. I am exempting the names of the hospitals pursuant to Section 40(2) of the Act.",
    "If you are dissatisfied with this response you may ask for an internal review.",
    "Section 12 - Supplementary Information",
]


def read_lookalike() -> bytes:
    return continued_table_pdf(["Offence types", *YEARS], OFFENCES, 3, LETTER, AFTER)


def test_a_table_continued_on_the_next_page_keeps_its_open_topped_first_row():
    document = read(read_lookalike(), "reply.pdf")
    extraction = extract(document, hospital_crime())
    got = {
        (p, d, normalise_label(c)): v
        for (p, d, c), v in ((f.key, f.value) for f in extraction.figures)
    }
    robbery = {y: got.get((y, "crime_category", "robberyofpersonalproperty")) for y in YEARS}
    assert robbery == {"2019": 0, "2020": 1, "2021": 3, "2022": 4, "2023": 1, "2024": 0}
    assert len(got) == len(OFFENCES) * len(YEARS)
    assert not any("northshire" in category or "tel" in category for _, _, category in got)


def test_calendar_years_are_kept_and_named_in_one_finding_and_names_withheld_is_partial():
    extraction = extract(read(read_lookalike(), "reply.pdf"), hospital_crime())
    assert {f.period for f in extraction.figures} == set(YEARS)
    (finding,) = [f for f in extraction.findings if f.code == "calendar_year"]
    assert "calendar year 2019-2024; the campaign asked for financial years" in finding.message
    assert (extraction.outcome, extraction.exemptions) == ("partial", ["s40(2)"])


def test_a_heading_about_outcomes_is_not_the_crime_category():
    rows = [
        ["Outcome A", "1", "2", "3", "4", "5", "6"],
        ["Outcome B", "1", "1", "1", "1", "1", "1"],
    ]
    pdf = continued_table_pdf(["Crime Outcome / Year", *YEARS], rows, 2, LETTER, [])
    extraction = extract(read(pdf, "reply.pdf"), hospital_crime())
    assert not [f for f in extraction.figures if f.dimension == "crime_category"]


def listing_extraction(**options):
    from tests.lookalikes import listing_pdf

    return extract(read(listing_pdf(4, 12, **options), "listing.pdf"), hospital_crime())


def test_a_listing_with_its_header_on_page_1_only_is_counted_per_period_and_category():
    from tests.lookalikes import listing_rows

    extraction = listing_extraction()
    got = {f.key: f.value for f in extraction.figures}
    expected: dict[tuple[str, str, str], int] = {}
    for _, day, category, place in listing_rows(48):
        _, month, year = (int(part) for part in day.split("/"))
        start = year if month >= 4 else year - 1
        period = f"{start}-{str(start + 1)[2:]}"
        for key in ((period, "total", "all"), (period, "crime_category", category)):
            expected[key] = expected.get(key, 0) + 1
        expected[(period, "hospital", place)] = expected.get((period, "hospital", place), 0) + 1
    assert got == expected
    assert sum(v for (_, d, _), v in got.items() if d == "total") == 48
    assert "grand_total_checked" in [f.code for f in extraction.findings]


def test_a_row_number_column_is_never_a_value_or_a_period():
    extraction = listing_extraction()
    assert {f.period for f in extraction.figures} <= {p.label for p in hospital_crime().periods}
    assert "partial_period" not in [f.code for f in extraction.findings]


def test_a_row_lost_from_a_listing_is_found_by_its_row_numbers_and_the_grand_total():
    extraction = listing_extraction(drop=13)
    found = {f.code: f for f in extraction.findings}
    assert "skip row 13" in found["rows_missing"].message
    assert found["rows_missing"].locator.startswith("listing.pdf page 2")
    assert "47 rows were counted but the reply prints a total of 48" in (
        found["grand_total_differs"].message
    )


def grid_document(rows, name="reply.xlsx"):
    from responses_app.domain.readers.base import Document, SheetLocator, Table

    return Document(name, "xlsx", tables=[Table(SheetLocator("Sheet1"), rows, name)])


def test_a_period_column_with_one_total_column():
    rows = [["Financial Year", "Total"], ["2019/20", 141], ["2020/21", 213], ["2021/22", "289"]]
    got = {f.key: f.value for f in extract(grid_document(rows), hospital_crime()).figures}
    assert got == {
        ("2019-20", "total", "all"): 141,
        ("2020-21", "total", "all"): 213,
        ("2021-22", "total", "all"): 289,
    }


def test_a_category_column_with_one_value_column_for_one_period():
    rows = [["Crime type", "2019/20"], ["Burglary", 2], ["Robbery", 5], ["Total", 7]]
    got = {f.key: f.value for f in extract(grid_document(rows), hospital_crime()).figures}
    assert got == {
        ("2019-20", "crime_category", "Burglary"): 2,
        ("2019-20", "crime_category", "Robbery"): 5,
        ("2019-20", "total", "all"): 7,
    }


def test_twelve_to_thirteen_under_an_age_heading_is_an_age_band_not_a_period():
    spec = CampaignSpec.from_data(["2019-20"], ["total", "age"])
    rows = [["Age", "Offences"], ["12-13", 4], ["14-15", 6]]
    extraction = extract(grid_document(rows), spec)
    assert "2012-13" not in {f.period for f in extraction.figures}


def test_the_home_office_offence_list_given_as_a_reply_gives_no_ages_and_no_periods():
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "fixtures" / "domain" / "home_office_offences.csv"
    scwc = CampaignSpec.from_data(["2019-20", "2020-21"], ["total", "platform", "age"])
    for spec in (scwc, hospital_crime()):
        extraction = extract(read(path.read_bytes(), "offences.csv"), spec)
        assert not [f for f in extraction.figures if f.dimension == "age"]
        assert extraction.figures == []
        assert extraction.outcome == "unknown"


def test_the_self_check_compares_column_sums_and_row_sums_with_printed_totals():
    rows = [
        ["Crime type", "2019/20", "2020/21", "Total"],
        ["Burglary", 2, 3, 5],
        ["Robbery", 5, 1, 7],  # adds up to 6
        ["Total", 7, 5, 12],  # 2020/21 adds up to 4
    ]
    extraction = extract(grid_document(rows), hospital_crime())
    found = {f.code: f for f in extraction.findings}
    assert found["row_sum_differs"].message == "the row adds up to 6, but its printed total is 7"
    assert found["row_sum_differs"].locator == "reply.xlsx Sheet1!D3"
    assert found["column_sum_differs"].message == (
        "the crime_category rows for 2020-21 add up to 4, but the printed total is 5"
    )
    assert found["column_sum_differs"].locator == "reply.xlsx Sheet1!C4"
    assert [f.code for f in extraction.findings].count("column_sum_differs") == 1


def test_a_table_that_adds_up_gives_no_sum_finding():
    rows = [["Crime type", "2019/20"], ["Burglary", 2], ["Robbery", "*"], ["Total", 9]]
    extraction = extract(grid_document(rows), hospital_crime())
    assert not {"row_sum_differs", "column_sum_differs"} & {f.code for f in extraction.findings}


def test_a_new_header_row_naming_another_dimension_starts_the_next_stacked_table():
    spec = CampaignSpec.from_data(["2019-20", "2020-21"], ["total", "platform", "age"])
    rows = [
        ["Platform", "2019/20", "2020/21"],
        ["Instagram", 3, 4],
        ["Total", 3, 4],
        ["Age of victim", "2019/20", "2020/21"],
        ["12-13", 2, 3],
        ["14-15", 1, 1],
        ["Total", 3, 4],
    ]
    extraction = extract(grid_document(rows), spec)
    got = {f.key: f.value for f in extraction.figures}
    assert got[("2019-20", "age", "12-13")] == 2 and got[("2020-21", "age", "14-15")] == 1
    assert got[("2019-20", "platform", "Instagram")] == 3
    assert not [f for f in extraction.findings if f.severity == "warning"]


def test_a_total_row_that_spills_on_to_the_next_page_still_counts():
    rows = [["Burglary", "2", "3"], ["Robbery", "5", "1"], ["Total", "7", "4"]]
    letter = ["We hold the information you asked for: it is given below for each year."]
    pdf = continued_table_pdf(["Crime type", "2019/20", "2020/21"], rows, 2, letter, [])
    extraction = extract(read(pdf, "reply.pdf"), hospital_crime())
    got = {f.key: f.value for f in extraction.figures}
    assert got[("2019-20", "total", "all")] == 7 and got[("2020-21", "total", "all")] == 4
    totals = [f for f in extraction.figures if f.dimension == "total"]
    assert all(f.source.startswith("reply.pdf page 2, rows continued") for f in totals)


def test_row_numbers_that_look_like_years_are_still_row_numbers():
    extraction = listing_extraction(first=1990)  # rows 1990 to 2037 on pages 1-4
    assert sum(f.value for f in extraction.figures if f.dimension == "total") == 48
    assert {f.period for f in extraction.figures} <= {p.label for p in hospital_crime().periods}
    assert "grand_total_checked" in [f.code for f in extraction.findings]


def test_the_self_check_compares_each_row_with_the_shape_of_the_table():
    rows = [
        ["Crime type", "2019/20", "2020/21", "2021/22"],
        ["Burglary", 2, 3, 4],
        ["Robbery", 5, 1],  # one value short
        ["Theft", 6, 7, 8, 9],  # a value with no heading
    ]
    extraction = extract(grid_document(rows), hospital_crime())
    found = {f.code: f for f in extraction.findings}
    short = found["row_shorter_than_header"]
    assert short.message == (
        "the row has 3 cells where the header has 4: it has no value for 2021-22 "
        "(read as 0; its values may have moved)"
    )
    assert short.locator == "reply.xlsx Sheet1!D3"
    extra = found["values_past_header"]
    assert "1 value(s) past the header's last column" in extra.message
    assert extra.locator == "reply.xlsx Sheet1!E4"
    assert "blank_as_zero" not in found
    assert 9 not in {f.value for f in extraction.figures}


def test_a_year_missing_between_the_period_columns_is_a_finding():
    rows = [["Crime type", "2019/20", "2020/21", "2022/23"], ["Burglary", 2, 3, 4]]
    extraction = extract(grid_document(rows), hospital_crime())
    found = {f.code: f for f in extraction.findings}
    assert found["period_column_missing"].message == (
        "the table has columns for 2020-21 and 2022-23 but none for 2021-22: "
        "a column may have been lost"
    )
    assert found["period_column_missing"].locator == "reply.xlsx Sheet1 row 1"


def test_a_table_of_the_right_shape_gives_no_shape_finding():
    rows = [["Crime type", "2019/20", "2020/21"], ["Burglary", 2, ""], ["Robbery", 5, 1]]
    codes = {f.code for f in extract(grid_document(rows), hospital_crime()).findings}
    assert not {"row_shorter_than_header", "values_past_header", "period_column_missing"} & codes
