"""Hand mappings: a person says what the rows and columns of a table mean; figures follow."""

from __future__ import annotations

import pytest

from questions.vocab import CampaignSpec
from responses_app.domain.extraction import extract
from responses_app.domain.extraction.mapped import (
    MappingError,
    extract_mapped,
    layout_fingerprint,
    parse_mapping,
    with_period_texts,
)
from responses_app.domain.extraction.suggest import category_choices, suggest_mapping
from responses_app.domain.extraction.typed import FORM, TypedCell, read_typed
from responses_app.domain.readers.base import Document, GridLocator, SheetLocator, Table, TextLine

SPEC = CampaignSpec.from_data(["2019-20", "2020-21"], ["total", "platform", "age"])

# Headings no extractor knows: neither the periods nor the labels are in any vocabulary.
ODD = [
    ["Route", "Twelve months to March 2020", "Twelve months to March 2021"],
    ["Gram", 12, "<5"],
    ["Snap", 3, "*"],
    ["All routes", 15, 7],
]
ODD_MAPPING = {
    "table": 0,
    "period_axis": "columns",
    "header_rows": [0],
    "label_column": 0,
    "periods": {"1": "2019-20", "2": "2020-21"},
    "categories": {
        "1": {"dimension": "platform", "category": "Instagram"},
        "2": "platform:Snapchat",
        "3": {"dimension": "total", "category": "all"},
    },
}


def doc(*grids, lines: tuple[str, ...] = (), name: str = "reply.xlsx") -> Document:
    tables = [
        Table(SheetLocator(f"Sheet{i}"), grid, source=name) for i, grid in enumerate(grids, 1)
    ]
    text = [TextLine(line, f"body line {n}") for n, line in enumerate(lines, 1)]
    return Document(name, "xlsx", lines=text, tables=tables)


def figures(extraction) -> dict[tuple[str, str, str], tuple]:
    return {f.key: (f.value, f.suppressed, f.lower, f.upper) for f in extraction.figures}


def test_a_layout_the_extractor_cannot_read_is_read_through_its_mapping():
    document = doc(ODD)
    assert extract(document, SPEC).figures == []  # the automatic reader gives up on it

    extraction = extract_mapped(document, SPEC, ODD_MAPPING)

    assert figures(extraction) == {
        ("2019-20", "platform", "Instagram"): (12, False, 12, 12),
        ("2020-21", "platform", "Instagram"): (None, True, 0, 4),
        ("2019-20", "platform", "Snapchat"): (3, False, 3, 3),
        ("2020-21", "platform", "Snapchat"): (None, True, 0, 4),
        ("2019-20", "total", "all"): (15, False, 15, 15),
        ("2020-21", "total", "all"): (7, False, 7, 7),
    }
    sources = {f.key: f.source for f in extraction.figures}
    assert sources[("2020-21", "platform", "Snapchat")] == "reply.xlsx Sheet1!C3"
    assert sources[("2019-20", "total", "all")] == "reply.xlsx Sheet1!B4"
    assert extraction.outcome == "full"  # a bare spreadsheet, no letter
    assert "suppression_assumed" in [f.code for f in extraction.findings]


def test_a_note_sets_what_a_star_stands_for():
    extraction = extract_mapped(doc(ODD, lines=("* = fewer than 3 offences",)), SPEC, ODD_MAPPING)
    assert figures(extraction)[("2020-21", "platform", "Snapchat")] == (None, True, 0, 2)
    assert "suppression_assumed" not in [f.code for f in extraction.findings]


def test_a_transposed_table_maps_periods_down_the_rows():
    grid = [
        ["", "Gram", "Snap", "Everything"],
        ["First year", 5, "1-4", 9],
        ["Second year", "Nil", "-", ""],
    ]
    mapping = {
        "period_axis": "rows",
        "header_rows": [0],
        "label_column": 0,
        "periods": {"1": "2019-20", "2": "2020-21"},
        "categories": {"1": "platform:Insta", "2": "platform: Snap Chat", "3": "total:all"},
    }
    extraction = extract_mapped(doc(grid), SPEC, mapping)
    assert figures(extraction) == {
        ("2019-20", "platform", "Instagram"): (5, False, 5, 5),
        ("2019-20", "platform", "Snapchat"): (None, True, 1, 4),
        ("2019-20", "total", "all"): (9, False, 9, 9),
        ("2020-21", "platform", "Instagram"): (0, False, 0, 0),
        ("2020-21", "platform", "Snapchat"): (0, False, 0, 0),
        ("2020-21", "total", "all"): (0, False, 0, 0),  # blank in a filled row
    }
    blank = next(f for f in extraction.findings if f.code == "blank_as_zero")
    assert blank.locator == "reply.xlsx Sheet1!D3"
    snap = next(f for f in extraction.figures if f.key == ("2019-20", "platform", "Snapchat"))
    assert snap.source == "reply.xlsx Sheet1!C2"


def test_text_in_a_number_cell_is_a_finding_not_a_figure():
    grid = [["", "A", "B"], ["Gram", "approx. 40", 3]]
    mapping = {**ODD_MAPPING, "categories": {"1": "platform:Instagram"}}
    extraction = extract_mapped(doc(grid), SPEC, mapping)
    assert figures(extraction) == {("2020-21", "platform", "Instagram"): (3, False, 3, 3)}
    problem = next(f for f in extraction.findings if f.code == "not_a_number")
    assert "approx. 40" in problem.message and problem.locator == "reply.xlsx Sheet1!B2"


def test_month_columns_are_summed_into_the_financial_year():
    grid = [["Platform", "Apr-19", "May-19"], ["Gram", 2, 3]]
    months = {"1": "2019-04-01/2019-04-30", "2": "2019-05-01/2019-05-31"}
    mapping = {**ODD_MAPPING, "periods": months, "categories": {"1": "platform:Instagram"}}
    extraction = extract_mapped(doc(grid), SPEC, mapping)
    assert figures(extraction) == {
        ("2019-04-01/2019-05-31", "platform", "Instagram"): (5, False, 5, 5)
    }
    assert "partial_period" in [f.code for f in extraction.findings]


def test_other_tables_are_read_automatically_unless_ignored():
    ages = [["Age of victim", "2019/20", "2020/21"], ["Under 12", 4, 6], ["13-15", 8, 2]]
    document = doc(ODD, ages)
    both = figures(extract_mapped(document, SPEC, ODD_MAPPING))
    assert both[("2019-20", "age", "0-11")] == (4, False, 4, 4)
    assert both[("2019-20", "platform", "Instagram")] == (12, False, 12, 12)
    only = figures(extract_mapped(document, SPEC, {**ODD_MAPPING, "others": "ignore"}))
    assert not any(key[1] == "age" for key in only)
    assert len(only) == 6


def test_the_mapped_table_wins_over_another_reading_of_the_same_figure():
    again = [["Platform", "2019/20"], ["Instagram", 99]]
    extraction = extract_mapped(doc(ODD, again), SPEC, ODD_MAPPING)
    assert figures(extraction)[("2019-20", "platform", "Instagram")] == (12, False, 12, 12)
    conflict = next(f for f in extraction.findings if f.code == "conflicting_figures")
    assert "Sheet2!B2" in conflict.message


@pytest.mark.parametrize(
    "change, words",
    [
        ({"categories": {"1": "platform:Gramophone"}}, "row 2: 'Gramophone' is not a platform"),
        ({"categories": {"1": "colour:Red"}}, "'colour' is not a dimension"),
        ({"periods": {"1": "2019-20", "2": "2019-20"}}, "2019-20 is given to columns 2 and 3"),
        ({"periods": {"1": "someday"}}, "column 2: 'someday' is not a period"),
        ({"periods": {}}, "no column is given a period"),
        ({"categories": {"1": "skip"}}, "no row is given a category"),
        ({"header_rows": [1]}, "row 2 is marked as a header and as holding figures"),
        ({"label_column": 1}, "column 2 holds the labels"),
        ({"period_axis": "diagonal"}, "not 'diagonal'"),
        ({"categories": {"1": "Gram"}}, "say which dimension 'Gram' belongs to"),
    ],
)
def test_a_mapping_that_does_not_fit_says_what_is_wrong_and_where(change, words):
    with pytest.raises(MappingError) as error:
        extract_mapped(doc(ODD), SPEC, {**ODD_MAPPING, **change})
    assert any(words in problem for problem in error.value.problems), error.value.problems


def test_lines_beyond_the_table_are_refused():
    mapping = {**ODD_MAPPING, "categories": {"9": "platform:Instagram"}, "table": 0}
    with pytest.raises(MappingError, match="row 10 is beyond the table's 4 rows"):
        extract_mapped(doc(ODD), SPEC, mapping)
    with pytest.raises(MappingError, match="there is no table 3"):
        extract_mapped(doc(ODD), SPEC, {**ODD_MAPPING, "table": 2})


def test_a_mapping_survives_a_round_trip_through_json():
    checked = parse_mapping(ODD_MAPPING, SPEC)
    data = checked.to_data()
    assert data["categories"]["1"] == {"dimension": "platform", "category": "Instagram"}
    assert parse_mapping(data, SPEC) == checked


# -- layouts -------------------------------------------------------------------


def test_the_same_layout_with_other_numbers_and_years_has_the_same_fingerprint():
    next_year = [
        ["Route", "Twelve months to March 2021", "Twelve months to March 2022"],
        ["Gram", "*", 31],
        ["Snap", "1,204", "Nil"],
        ["All routes", 2000, ""],
        ["", "", ""],
    ]
    assert layout_fingerprint(doc(ODD).tables[0]) == layout_fingerprint(doc(next_year).tables[0])


@pytest.mark.parametrize(
    "changed",
    [
        [*ODD, ["Tok", 1, 2]],  # another row
        [[*row, ""] for row in ODD[:1]] + [[*row, 1] for row in ODD[1:]],  # another column
        [ODD[0], ["Insta", 12, "<5"], *ODD[2:]],  # another label
    ],
)
def test_another_layout_has_another_fingerprint(changed):
    assert layout_fingerprint(doc(ODD).tables[0]) != layout_fingerprint(doc(changed).tables[0])


def test_a_saved_mapping_follows_the_years_along():
    spec = CampaignSpec.from_data(["2020-21", "2021-22"], ["total", "platform"])
    last_year = [["Route", "Yr 2019/20 (prov.)", "Yr 2020/21 (prov.)"], ["Gram", 1, 2]]
    mapping = {**ODD_MAPPING, "categories": {"1": "platform:Instagram"}}
    saved = with_period_texts(parse_mapping(mapping, SPEC), doc(last_year).tables[0]).to_data()
    assert saved["period_texts"] == {"1": "Yr 2019/20 (prov.)", "2": "Yr 2020/21 (prov.)"}

    this_year = [["Route", "Yr 2020/21 (prov.)", "Yr 2021/22 (prov.)"], ["Gram", 5, 6]]
    assert layout_fingerprint(doc(last_year).tables[0]) == layout_fingerprint(
        doc(this_year).tables[0]
    )
    extraction = extract_mapped(doc(this_year), spec, saved)
    assert figures(extraction) == {
        ("2020-21", "platform", "Instagram"): (5, False, 5, 5),
        ("2021-22", "platform", "Instagram"): (6, False, 6, 6),
    }
    assert "period_moved" in [f.code for f in extraction.findings]


# -- the screen's first guess ----------------------------------------------------


def test_the_first_guess_finds_headers_labels_periods_and_known_categories():
    grid = [
        ["Offences by platform", "", ""],
        ["Platform", "2019/20", "2020/21"],
        ["Insta", 3, 4],
        ["Gram", 1, 2],
    ]
    guess = suggest_mapping(grid, SPEC, table=0)
    assert guess["period_axis"] == "columns"
    assert guess["header_rows"] == [1] and guess["label_column"] == 0
    assert guess["periods"] == {"1": "2019-20", "2": "2020-21"}
    assert guess["categories"] == {
        "2": {"dimension": "platform", "category": "Instagram"},
        "3": "skip",
    }
    transposed = [["Year", "Insta", "Total"], ["2019/20", 1, 2], ["2020/21", 3, 4]]
    guess = suggest_mapping(transposed, SPEC, table=0)
    assert guess["period_axis"] == "rows"
    assert guess["periods"] == {"1": "2019-20", "2": "2020-21"}
    assert guess["categories"]["2"] == {"dimension": "total", "category": "all"}


def test_age_choices_offer_the_bands_the_labels_name():
    choices = dict(category_choices(SPEC, ["Under 12", "13-15", "Gram"]))
    assert choices["age"] == ["0-11", "13-15", "Not recorded"]
    assert choices["total"] == ["all"]
    assert "Instagram" in choices["platform"]


# -- the grid ----------------------------------------------------------------------


def cell(key, text, category="Instagram", dimension="platform", period="2019-20", source="p2"):
    return TypedCell(key, period, dimension, category, text, source, category_key="")


def test_typed_cells_read_every_spelling_of_a_number():
    typed = [
        cell("a", "1,234"),
        cell("b", "<5", "Snapchat"),
        cell("c", "Nil", "Kik"),
        cell("d", ""),  # blank: no figure
        cell("e", "12", "all", "total", "2020-21"),
    ]
    found, errors = read_typed(typed, SPEC)
    assert errors == {}
    assert {(f.key, f.value, f.lower, f.upper, f.suppressed) for f in found} == {
        (("2019-20", "platform", "Instagram"), 1234, 1234, 1234, False),
        (("2019-20", "platform", "Snapchat"), None, 0, 4, True),
        (("2019-20", "platform", "Kik"), 0, 0, 0, False),
        (("2020-21", "total", "all"), 12, 12, 12, False),
    }
    assert all(f.source == "p2" for f in found)


def test_bad_cells_get_their_own_errors_and_no_figures():
    typed = [
        cell("a", "12"),
        cell("b", "about 40", "Snapchat"),
        cell("c", "-3", "Kik"),
        TypedCell("d", "2019-20", "age", "eleventy", "4", "p2", category_key="cat-d"),
        cell("e", "5", "Skype", source=" "),
    ]
    found, errors = read_typed(typed, SPEC)
    assert found == []
    assert set(errors) == {"b", "c", "cat-d", "source"}
    assert "'about 40' is not a number" in errors["b"]
    assert "negative" in errors["c"]
    assert "'eleventy' is not a age category" in errors["cat-d"]


def test_an_empty_grid_is_an_error():
    found, errors = read_typed([cell("a", ""), cell("b", "  ")], SPEC)
    assert found == [] and list(errors) == [FORM]
    assert "no figures were typed" in errors[FORM]


def test_a_pdf_style_locator_is_kept():
    table = Table(GridLocator("page 2, table 1"), ODD, source="reply.pdf")
    extraction = extract_mapped(Document("reply.pdf", "pdf", tables=[table]), SPEC, ODD_MAPPING)
    gram = next(f for f in extraction.figures if f.key == ("2019-20", "platform", "Instagram"))
    assert gram.source == "reply.pdf page 2, table 1, row 2, col 2"
