"""Harmonised national age bands: single ages and bands rolled into one band set."""

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from questions.ages import AgeBand, BandsRejected, parse_age, parse_bands
from questions.vocab import NOT_RECORDED, AgeVocabulary, vocabulary_from_data
from responses_app.domain.ages import OTHER_BANDS, ReportedAge
from responses_app.domain.ages import harmonise as _harmonise
from responses_app.domain.ages import place as _place
from responses_app.domain.consolidation import Range

#: The seed campaign's bands (its schema file); the product assumes none.
STANDARD_AGE_BANDS = (AgeBand(0, 11), AgeBand(12, 13), AgeBand(14, 15))


def place(category, bands=STANDARD_AGE_BANDS):
    return _place(category, bands)


def harmonise(items, bands=STANDARD_AGE_BANDS):
    """As the seed's schema asks: the share aged (youngest band from 0) or under."""
    youngest = [b.upper for b in sorted(bands) if b.lower == 0 and b.upper is not None]
    return _harmonise(items, bands, at_most=youngest[:1], basis="where age was recorded")


def reported(period, category, value, forces=None, **kw):
    value = Range.exactly(value) if isinstance(value, int) else value
    return ReportedAge(period, category, value, forces or {"Kent Police": value}, **kw)


@pytest.mark.parametrize(
    ("category", "band"),
    [
        ("11", AgeBand(11, 11)),
        ("0-11", AgeBand(0, 11)),
        ("Under 12", AgeBand(0, 11)),
        ("11 and under", AgeBand(0, 11)),
        ("16+", AgeBand(16, None)),
        ("Not recorded", None),
        ("Unknown", None),
        ("Primary school", None),
    ],
)
def test_parse_age(category, band):
    assert parse_age(category) == band


@pytest.mark.parametrize(
    ("category", "slot"),
    [
        ("0-11", "0-11"),
        ("9", "0-11"),
        ("11", "0-11"),
        ("0-4", "0-11"),
        ("12", "12-13"),
        ("12-13", "12-13"),
        ("15", "14-15"),
        ("10-12", OTHER_BANDS),  # crosses 0-11 and 12-13
        ("13-14", OTHER_BANDS),
        ("12-15", OTHER_BANDS),
        ("16", OTHER_BANDS),  # outside every band
        ("16+", OTHER_BANDS),
        ("Primary school", OTHER_BANDS),  # recorded, but names no ages
        ("Not recorded", NOT_RECORDED),
    ],
)
def test_place_in_the_standard_bands(category, slot):
    assert place(category) == slot


def test_mixed_reporting_rolls_up_into_the_standard_bands():
    rollup = harmonise(
        [
            reported("2019-20", "0-11", 10, {"Kent Police": Range.exactly(10)}),
            reported("2019-20", "9", 2, {"Durham Constabulary": Range.exactly(2)}),
            reported(
                "2019-20", "11", Range(0, 4), {"Durham Constabulary": Range(0, 4)}, suppressed=1
            ),
            reported("2019-20", "12-13", 30, {"Kent Police": Range.exactly(30)}),
            reported("2019-20", "13", 5, {"Durham Constabulary": Range.exactly(5)}),
            reported("2019-20", "10-12", 7, {"Essex Police": Range.exactly(7)}),
            reported("2019-20", NOT_RECORDED, 60, {"Kent Police": Range.exactly(60)}),
        ]
    )
    cells = {c.category: c for c in rollup.cells}
    assert [c.category for c in rollup.cells] == ["0-11", "12-13", OTHER_BANDS, NOT_RECORDED]
    assert cells["0-11"].value == Range(12, 16)
    assert (cells["0-11"].forces, cells["0-11"].suppressed) == (2, 1)
    assert cells["12-13"].value == Range.exactly(35)
    assert cells[OTHER_BANDS].value == Range.exactly(7)
    assert cells[NOT_RECORDED].share is None
    # Shares over ages recorded: 12..16 + 35 + 7 = 54..58, not over the 60 not recorded.
    assert cells["12-13"].share.low == pytest.approx(35 / 58 * 100)
    assert cells["12-13"].share.high == pytest.approx(35 / 54 * 100)
    [unplaced] = rollup.unplaced
    assert (unplaced.force, unplaced.category, unplaced.value) == (
        "Essex Police",
        "10-12",
        Range.exactly(7),
    )
    assert "Essex Police, 2019-20: 10-12 (7)" in rollup.note
    assert '"Other bands"' in rollup.note and "0-11, 12-13 and 14-15" in rollup.note


def test_the_headline_of_the_youngest_band():
    rollup = harmonise(
        [
            reported("2019-20", "0-11", 20),
            reported("2019-20", "12-13", 50),
            reported("2019-20", "14-15", 30),
            reported("2019-20", NOT_RECORDED, 400),
        ]
    )
    [line] = rollup.headlines
    assert line.sentence == (
        "Aged 11 or under: 20 of 100 victims where age was recorded in 2019-20 (20%)"
    )
    assert rollup.note.endswith("Every recorded age fitted one band.")


def test_the_headline_says_what_could_not_be_placed():
    rollup = harmonise(
        [reported("2019-20", "0-11", 20), reported("2019-20", "10-12", 5),
         reported("2019-20", "12-13", 75)]
    )  # fmt: skip
    assert rollup.headlines[0].sentence == (
        "Aged 11 or under: 20 of 100 victims where age was recorded in 2019-20 "
        "(20%; 5 in other bands could not be placed)"
    )


def test_no_headline_without_a_band_from_zero_or_a_figure_in_it():
    assert harmonise([reported("2019-20", "12-13", 5)]).headlines == []
    own = (AgeBand(5, 11), AgeBand(12, 15))
    assert harmonise([reported("2019-20", "6", 5)], own).headlines == []


def test_changes_compare_the_same_harmonised_band_a_year_apart():
    rollup = harmonise(
        [
            reported("2018-19", "0-11", 10),  # a band one year...
            reported("2019-20", "10", 6),  # ...single ages the next
            reported("2019-20", "11", 9),
        ]
    )
    latest = next(c for c in rollup.cells if c.period == "2019-20")
    assert (latest.previous, latest.change.phrase()) == (Range.exactly(10), "up 50%")


def test_a_campaign_names_its_own_bands():
    bands = parse_bands(["0-12", "13-15"])
    assert bands == (AgeBand(0, 12), AgeBand(13, 15))
    assert place("10-12", bands) == "0-12"
    rollup = harmonise([reported("2019-20", "10-12", 3), reported("2019-20", "13", 1)], bands)
    assert rollup.headlines[0].name == "Aged 12 or under"
    # `bands` alone makes the age vocabulary (not a category called "bands").
    assert isinstance(vocabulary_from_data("age", {"bands": ["0-11"]}), AgeVocabulary)


def test_without_bands_ages_stay_as_reported_and_no_headline_is_assumed():
    rollup = _harmonise([reported("2019-20", "12", 3), reported("2019-20", "0-4", 1)])
    assert [c.category for c in rollup.cells] == ["0-4", "12"]
    assert rollup.headlines == []


def test_the_headline_age_comes_from_the_campaign_and_must_end_a_band():
    bands = parse_bands(["0-10", "11-15", "16-17"])
    items = [reported("2022-23", "0-10", 12), reported("2022-23", "11-15", 150),
             reported("2022-23", "16-17", 80)]  # fmt: skip
    [line] = _harmonise(items, bands, at_most=(10,)).headlines
    assert line.sentence.startswith("Aged 10 or under: 12 of 242 victims")
    assert _harmonise(items, bands, at_most=(11,)).headlines == []  # 11 is inside 11-15
    [line] = _harmonise(items, bands, at_most=(15,)).headlines
    assert line.value == Range.exactly(162)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("0-11", "must be a list"),
        ([], "must be a list"),
        (["0-11", "teens"], "'teens' is not an age band"),
        (["0-11", True], "True is not an age band"),
        (["0-12", "12-15"], "0-12 and 12-15 overlap"),
        (["10+", "12-13"], "overlap"),
    ],
)
def test_unusable_band_sets_are_rejected_with_a_reason(spec, message):
    with pytest.raises(BandsRejected, match=message):
        parse_bands(spec)


# -- properties -----------------------------------------------------------------

ages = st.integers(min_value=0, max_value=20)
bounds = st.tuples(ages, ages).map(sorted)
single = ages.map(str)
band = bounds.map(lambda b: f"{b[0]}-{b[1]}")
open_band = ages.map(lambda a: f"{a}+")
categories = st.one_of(single, band, open_band, st.just(NOT_RECORDED), st.just("Primary"))
ranges = st.one_of(
    st.none(),
    st.tuples(st.integers(0, 500), st.integers(0, 50)).map(lambda t: Range(t[0], t[0] + t[1])),
)
forces = st.sampled_from(["Kent Police", "Durham Constabulary", "Essex Police", "Gwent Police"])
periods = st.sampled_from(["2018-19", "2019-20"])


@st.composite
def band_sets(draw):
    """Non-overlapping bounded bands from a sorted list of distinct cut points."""
    cuts = sorted(draw(st.sets(st.integers(0, 20), min_size=2, max_size=6)))
    return tuple(AgeBand(lo, hi - 1) for lo, hi in pairwise(cuts))


reports = st.lists(
    st.builds(
        lambda period, category, value, force, suppressed: ReportedAge(
            period, category, value, {force: value}, suppressed=suppressed
        ),
        periods,
        categories,
        ranges,
        forces,
        st.integers(0, 3),
    ),
    max_size=25,
)


def _sum(values):
    known = [v for v in values if v is not None]
    return (sum(v.lower for v in known), sum(v.upper for v in known))


@given(reports, st.one_of(st.just(STANDARD_AGE_BANDS), band_sets()))
def test_the_roll_up_preserves_every_total(items, bands):
    rollup = harmonise(items, bands)
    for period in {i.period for i in items}:
        raw = [i for i in items if i.period == period]
        cells = [c for c in rollup.cells if c.period == period]
        recorded_raw = _sum(i.value for i in raw if i.category != NOT_RECORDED)
        recorded = _sum(c.value for c in cells if c.category != NOT_RECORDED)
        assert recorded == recorded_raw
        assert _sum(c.value for c in cells) == _sum(i.value for i in raw)
        assert sum(c.suppressed for c in cells) == sum(i.suppressed for i in raw)
        assert len({c.category for c in cells}) == len(cells)


@given(bounds, st.one_of(st.just(STANDARD_AGE_BANDS), band_sets()))
def test_a_band_lands_only_in_a_band_that_holds_it_wholly(pair, bands):
    lower, upper = pair
    category = f"{lower}-{upper}"
    slot = place(category, bands)
    reported_band = AgeBand(lower, upper)
    straddles = any(b.overlaps(reported_band) and not b.contains(reported_band) for b in bands)
    if straddles:
        assert slot == OTHER_BANDS
    if slot != OTHER_BANDS:
        [holder] = [b for b in bands if b.label == slot]
        assert holder.contains(reported_band)
    rollup = harmonise([reported("2019-20", category, 5)], bands)
    assert [c.category for c in rollup.cells] == [slot]


@given(reports)
def test_shares_are_over_recorded_ages_and_within_bounds(items):
    for cell in harmonise(items).cells:
        if cell.category == NOT_RECORDED:
            assert cell.share is None
        elif cell.share is not None:
            assert 0 <= cell.share.low <= cell.share.high <= 100


@given(st.lists(bounds, min_size=1, max_size=5))
def test_a_band_set_parses_back_from_its_labels_or_is_rejected(pairs):
    bands = sorted({AgeBand(lo, hi) for lo, hi in pairs})
    overlapping = any(a.overlaps(b) for a, b in pairwise(bands))
    labels = [b.label for b in reversed(bands)]
    if overlapping:
        with pytest.raises(BandsRejected):
            parse_bands(labels)
    else:
        assert parse_bands(labels) == tuple(bands)
