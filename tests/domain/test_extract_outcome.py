"""The outcome of a reply from its letter, exemptions cited, and totals given in sentences."""

from __future__ import annotations

import pytest

from questions.vocab import CampaignSpec
from responses_app.domain.extraction import cited_sections, classify_outcome, extract
from responses_app.domain.extraction.model import Figure
from responses_app.domain.readers.base import Document, GridLocator, Table, TextLine

SPEC = CampaignSpec.from_data(["2019-20", "2020-21"], ["total", "platform", "age"])
REQUEST = (
    'Your request was: "How many offences of sexual communication with a child (s.15A Sexual '
    'Offences Act 2003) did you record in each of the financial years 2019/20 and 2020/21?"'
)


def letter(*paragraphs: str) -> Document:
    lines = []
    for paragraph in paragraphs:
        for line in paragraph.splitlines():
            lines.append(TextLine(line, f"body line {len(lines) + 1}"))
    return Document("reply.eml", "eml", lines=lines)


def figure(period: str, dimension: str, category: str = "all") -> Figure:
    return Figure(period, dimension, category, 1, False, 1, 1, "x")


@pytest.mark.parametrize(
    ("text", "sections"),
    [
        ("refused under section 12(1) of the Act", ["s12(1)"]),
        ("exempt under s.40(2) and s.30(1)(a)", ["s30(1)(a)", "s40(2)"]),
        (
            "We rely on sections 30, 31 and 40 of the Freedom of Information Act",
            ["s30", "s31", "s40"],
        ),
        ("s14 applies: the request is vexatious", ["s14"]),
        ("Section 17 requires us to issue a refusal notice", []),
        ("an offence under s.15A of the Sexual Offences Act 2003", []),
        ("disclosure would breach section 40 of the Data Protection Act 2018", []),
        ("you may complain under section 50", []),
        ("Section 1(1)(a) of the Act: we do not hold the information", []),
    ],
)
def test_cited_sections(text, sections):
    assert cited_sections(text) == sections


def test_full_and_partial_from_the_figures():
    every = [figure(p, d) for p in ("2019-20", "2020-21") for d in ("total", "platform", "age")]
    assert classify_outcome("", every, SPEC)[0] == "full"
    assert classify_outcome("", [f for f in every if f.dimension != "age"], SPEC)[0] == "partial"
    assert classify_outcome("", [f for f in every if f.period == "2019-20"], SPEC)[0] == "partial"


def test_partial_refusal_lists_the_sections():
    outcome, exemptions, _ = classify_outcome(
        "The age breakdown is withheld under section 40(2) of the Act.",
        [figure("2019-20", "total")],
        SPEC,
    )
    assert (outcome, exemptions) == ("partial", ["s40(2)"])


@pytest.mark.parametrize(
    ("paragraph", "outcome", "exemptions"),
    [
        ("The cost of compliance exceeds the limit: section 12 applies.", "refused", ["s12"]),
        ("We consider this request vexatious under s.14(1).", "refused", ["s14(1)"]),
        ("The force holds no information within the scope of your request.", "not_held", []),
        ("The information you asked for is not held by the force.", "not_held", []),
        ("Could you please clarify which offences you mean?", "clarification", []),
        ("We must refuse your request.", "refused", []),
        ("Thank you for your email.", "unknown", []),
    ],
)
def test_outcomes_without_figures(paragraph, outcome, exemptions):
    extraction = extract(letter(REQUEST, paragraph), SPEC)
    assert (extraction.outcome, extraction.exemptions) == (outcome, exemptions)
    assert extraction.figures == []


def test_refusal_beats_not_held_wording():
    text = "Section 12 applies. The fields are not held in a searchable form."
    assert extract(letter(text), SPEC).outcome == "refused"


def test_quoted_request_is_not_read_as_the_letter():
    extraction = extract(letter(REQUEST, "Please find attached."), SPEC)
    assert extraction.exemptions == []
    assert extraction.figures == []


@pytest.mark.parametrize(
    "sentence",
    [
        "In 2019/20 we recorded 69 offences and in 2020/21, 68.",
        "We recorded 69 offences in 2019/20 and 68 in 2020/21.",
        "The totals were 69 (2019/20) and 68 (2020/21).",
        "FY 2019/20: 69 offences; FY 2020/21: 68 offences.",
    ],
)
def test_totals_in_sentences(sentence):
    extraction = extract(letter(REQUEST, "Dear Sir,", sentence, "Yours, Disclosure Unit"), SPEC)
    got = {f.key: f.value for f in extraction.figures}
    assert got == {("2019-20", "total", "all"): 69, ("2020-21", "total", "all"): 68}
    assert extraction.outcome == "partial"
    assert all(f.source.startswith("reply.eml body line") for f in extraction.figures)
    assert "figure_from_text" in [f.code for f in extraction.findings]


@pytest.mark.parametrize(
    "sentence",
    [
        "Your request of 9 May 2021 about 2019/20 was received on 10 May 2021.",
        "Within 40 working days of 2019/20.",
        "In 2019/20 the cost would be £450 and 18 hours.",
        "In 2019/20 and 2020/21 we recorded 12 offences.",
    ],
)
def test_sentences_that_do_not_pair_periods_with_counts_give_nothing(sentence):
    assert extract(letter(sentence), SPEC).figures == []


def test_sentence_naming_a_category_is_left_for_a_human():
    extraction = extract(letter("In 2019/20, 12 offences involved Instagram."), SPEC)
    assert extraction.figures == []
    assert "figures_in_text" in [f.code for f in extraction.findings]


def test_sentences_are_ignored_when_tables_gave_figures():
    document = letter("In 2019/20 we recorded 70 offences.")
    document.tables.append(
        Table(GridLocator("table 1"), [["Method", "2019/20"], ["Total", "69"]], "x")
    )
    assert {f.key: f.value for f in extract(document, SPEC).figures} == {
        ("2019-20", "total", "all"): 69
    }


def test_empty_document_says_so():
    extraction = extract(Document("empty.eml", "eml"), SPEC)
    assert extraction.outcome == "unknown"
    assert {"nothing_to_read", "outcome_unclear"} <= {f.code for f in extraction.findings}


@pytest.mark.parametrize(
    "sentence",
    [
        "A preliminary assessment identified approximately 300 offences in 2019/20.",
        "There were more than 60 offences recorded in 2019/20.",
    ],
)
def test_estimates_in_sentences_are_not_counts(sentence):
    extraction = extract(letter("Section 12 applies.", sentence), SPEC)
    assert extraction.figures == []
    assert extraction.outcome == "refused"
    assert "figures_in_text" in [f.code for f in extraction.findings]


TOTALS = [figure("2019-20", "total"), figure("2020-21", "total")]


@pytest.mark.parametrize(
    "boilerplate",
    [
        "Section 12 - Supplementary Financial Information",
        "Please do not hesitate to contact us for clarification.",
        "If you are dissatisfied you may ask for an internal review under section 50.",
        "If you have any further questions, please contact the Disclosure Unit.",
        "Pursuant to Section 17(1) of the Act this letter acts as a refusal notice.",
    ],
)
def test_boilerplate_is_not_a_decision(boilerplate):
    letter_text = f"Please find the figures below for each year.\n{boilerplate}"
    assert classify_outcome(letter_text, TOTALS, SPEC_TOTAL)[:2] == ("full", [])
    extraction = extract(letter(boilerplate), SPEC)
    assert (extraction.outcome, extraction.exemptions) == ("unknown", [])


SPEC_TOTAL = CampaignSpec.from_data(["2019-20", "2020-21"], ["total"])


@pytest.mark.parametrize(
    "sentence",
    [
        "The information is not held in a readily retrievable format.",
        "To locate and extract this information would exceed the appropriate limit.",
    ],
)
def test_cost_wording_is_a_section_12_refusal_or_a_partial_with_figures(sentence):
    extraction = extract(letter(sentence), SPEC)
    assert (extraction.outcome, extraction.exemptions) == ("refused", ["s12"])
    assert classify_outcome(sentence, TOTALS, SPEC_TOTAL)[:2] == ("partial", ["s12"])


def test_names_withheld_under_s40_with_figures_is_partial_citing_the_subsection():
    text = (
        "Humberside Police can confirm we do hold the information you requested.\n"
        "I am exempting the specific names of the hospitals pursuant to Section 40(2) of the "
        "Freedom of Information Act 2000."
    )
    assert classify_outcome(text, TOTALS, SPEC_TOTAL)[:2] == ("partial", ["s40(2)"])


def test_a_bare_spreadsheet_with_no_letter_is_full():
    only_totals = [figure("2019-20", "total")]
    assert classify_outcome("", only_totals, SPEC, letter=False)[0] == "full"


def test_sections_keep_their_subsections_and_a_bare_section_gives_way_to_them():
    assert cited_sections("exempt under s.31(1)(a); section 31 applies; and s40 (2)") == [
        "s31(1)(a)",
        "s40(2)",
    ]
