"""Traits of real police replies, on look-alike files the tests generate."""

from __future__ import annotations

from responses_app.domain.extraction import extract
from responses_app.domain.readers import read
from responses_app.domain.vocab import CampaignSpec
from tests.lookalikes import continued_table_pdf

HOSPITAL_CRIME = CampaignSpec.from_data(
    ["2019-20", "2020-21", "2021-22", "2022-23", "2023-24"],
    {
        "crime_category": {
            "kind": "list",
            "keywords": ["crime", "offence", "category", "classification"],
            "open": True,
        },
        "hospital": {"kind": "place", "keywords": ["hospital", "location", "site"], "open": True},
    },
)
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
    extraction = extract(document, HOSPITAL_CRIME)
    got = {f.key: f.value for f in extraction.figures}
    robbery = {y: got.get((y, "crime_category", "ROBBERY OF PERSONAL PROPERTY")) for y in YEARS}
    assert robbery == {"2019": 0, "2020": 1, "2021": 3, "2022": 4, "2023": 1, "2024": 0}
    assert len(got) == len(OFFENCES) * len(YEARS)
    assert not any("NORTHSHIRE" in category or "Tel" in category for _, _, category in got)


def test_calendar_years_are_kept_and_named_in_one_finding_and_names_withheld_is_partial():
    extraction = extract(read(read_lookalike(), "reply.pdf"), HOSPITAL_CRIME)
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
    extraction = extract(read(pdf, "reply.pdf"), HOSPITAL_CRIME)
    assert not [f for f in extraction.figures if f.dimension == "crime_category"]
