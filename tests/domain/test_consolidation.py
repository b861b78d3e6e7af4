"""The arithmetic of the consolidated dataset: ranges, changes, shares, sentences."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from responses_app.domain.consolidation import (
    Range,
    change,
    coverage_sentence,
    headline,
    share,
    share_sentence,
    total,
)


def test_the_headline_sentence():
    assert headline(
        period="2018-19",
        value=Range.exactly(4373),
        previous_period="2017-18",
        previous=Range.exactly(3217),
        answered=43,
        asked=43,
    ) == ("4,373 offences in 2018-19, up 36% on 2017-18 (3,217); 43 of 43 forces answered")


def test_a_headline_without_a_previous_year_and_with_a_range():
    assert headline(period="2019-20", value=Range(1020, 1032), answered=41, asked=43) == (
        "1,020 to 1,032 offences in 2019-20; 41 of 43 forces answered"
    )


@pytest.mark.parametrize(
    ("now", "before", "phrase"),
    [
        (Range.exactly(90), Range.exactly(100), "down 10%"),
        (Range.exactly(100), Range.exactly(100), "unchanged"),
        (Range.exactly(1004), Range.exactly(1000), "up 0.4%"),
        (Range.exactly(5), Range.exactly(0), "up from none"),
        (Range(110, 120), Range.exactly(100), "up 10% to 20%"),
        (Range(90, 120), Range.exactly(100), "uncertain (suppressed figures)"),
    ],
)
def test_change_phrases(now, before, phrase):
    assert change(now, before).phrase() == phrase


def test_a_share_excludes_what_is_not_in_the_base_and_becomes_a_range_under_suppression():
    assert str(share(Range.exactly(25), Range.exactly(100))) == "25%"
    assert str(share(Range(12, 13), Range(100, 101))) == "12% to 13%"
    assert str(share(Range(12, 12), Range(100, 101))) == "12%"  # 11.9%..12.0%, both 12%
    # A suppressed part (0..4) of a base whose rest is exactly 96: 0% to 4%.
    uncertain = share(Range(0, 4), Range(96, 100))
    assert (round(uncertain.low, 3), round(uncertain.high, 3)) == (0.0, 4.0)
    assert share(Range.exactly(0), Range.exactly(0)) is None


@given(st.integers(0, 1000), st.integers(0, 10), st.integers(0, 1000), st.integers(0, 10))
def test_a_share_range_holds_every_possible_true_share(p_low, p_width, rest_low, rest_width):
    part = Range(p_low, p_low + p_width)
    rest = Range(rest_low, rest_low + rest_width)
    base = part + rest
    result = share(part, base)
    for p in (part.lower, part.upper):
        for r in (rest.lower, rest.upper):
            if p + r:
                assert result.low - 1e-9 <= p / (p + r) * 100 <= result.high + 1e-9


def test_share_and_coverage_sentences():
    assert share_sentence(
        name="Meta-owned apps",
        part=Range.exactly(1234),
        base=Range.exactly(3000),
        period="2019-20",
        dimension="platform",
        basis="where the method was recorded",
    ) == ("Meta-owned apps: 1,234 of 3,000 offences where the method was recorded in 2019-20 (41%)")
    assert coverage_sentence(
        {"asked": 43, "contributed": 39, "partial": 2, "refused": 1, "never_answered": 1}
    ) == ("41 of 43 forces contributed figures (2 partial); 1 refused; 1 never answered")


def test_ranges_add_and_print():
    assert total([Range.exactly(3), Range(0, 4), Range(1, 4)]) == Range(4, 11)
    assert str(Range(4, 11)) == "4 to 11"
    with pytest.raises(ValueError):
        Range(5, 1)
