"""Values: every way a force writes a number, suppression bounds, free text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from responses_app.domain.values import (
    Value,
    ValueProblem,
    parse_value,
    suppression_bounds_from_note,
)


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("1,234", 1234),
        (" 57 ", 57),
        ("57.0", 57),
        (57.0, 57),
        (57, 57),
        ("1 234", 1234),
        ("Nil", 0),
        ("nil", 0),
        ("NIL", 0),
        ("0", 0),
        ("-", 0),
        ("\u2013", 0),
        ("None", 0),
    ],
)
def test_exact_values(raw, number):
    assert parse_value(raw) == Value(number, False, number, number)


@pytest.mark.parametrize(
    ("raw", "lower", "upper"),
    [
        ("<5", 0, 4),
        ("< 5", 0, 4),
        ("*", 0, 4),
        ("**", 0, 4),
        ("1-4", 1, 4),
        ("fewer than 5", 0, 4),
        ("Fewer than 10", 0, 9),
        ("less than 3", 0, 2),
        ("<=5", 0, 5),
        ("5 or fewer", 0, 5),
        ("between 1 and 4", 1, 4),
    ],
)
def test_suppressed_values_carry_bounds(raw, lower, upper):
    assert parse_value(raw) == Value(None, True, lower, upper)


def test_star_bounds_follow_the_note():
    assert parse_value("*", star_bounds=(1, 9)) == Value(None, True, 1, 9)


@pytest.mark.parametrize("raw", ["..", "n/a", "N/A", "not available"])
def test_not_available(raw):
    value = parse_value(raw)
    assert value.value is None and not value.suppressed and not value.available


def test_dash_can_mean_not_available():
    assert not parse_value("-", dash_means_zero=False).available


@pytest.mark.parametrize(
    "raw",
    ["Approx. 1,000", "45 litres", "Not recorded", "Cell B7", "-3", "12.5", 12.5, True, "see note"],
)
def test_free_text_is_a_problem_not_a_number(raw):
    problem = parse_value(raw)
    assert isinstance(problem, ValueProblem)
    assert problem.text
    assert "not a number" in problem.message


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_blank_is_none(raw):
    assert parse_value(raw) is None


def test_adding_values_adds_bounds():
    total = Value.exact(3) + Value.between(0, 4) + Value.exact(2)
    assert total == Value(None, True, 5, 9)
    assert Value.exact(3) + Value.exact(4) == Value.exact(7)
    assert not (Value.exact(3) + Value.not_available()).available


@pytest.mark.parametrize(
    ("note", "bounds"),
    [
        ("* = fewer than 5 offences. Small numbers have been suppressed.", (0, 4)),
        ("* denotes a figure below 10", (0, 9)),
        ("Values of 5 or fewer are shown as *", (0, 5)),
        ("* indicates between 1 and 4", (1, 4)),
        ("Figures are correct as at 05/06/2021.", None),
    ],
)
def test_suppression_bounds_from_note(note, bounds):
    assert suppression_bounds_from_note(note) == bounds


@given(st.integers(min_value=0, max_value=10**9))
def test_any_count_reads_back_in_each_spelling(number):
    for text in (str(number), f"{number:,}", f" {number} ", f"{number}.0", float(number)):
        assert parse_value(text) == Value.exact(number)


@given(st.integers(min_value=1, max_value=1000))
def test_less_than_n_is_zero_to_n_minus_one(limit):
    assert parse_value(f"<{limit}") == Value.between(0, limit - 1)


@pytest.mark.parametrize("raw", [1e30, 2_147_483_648, "1,000,000,000,000", "fewer than 9999999999"])
def test_a_count_larger_than_a_figure_holds_is_a_problem_not_a_value(raw):
    found = parse_value(raw)
    assert isinstance(found, ValueProblem) and "larger than 2,147,483,647" in found.reason
    assert parse_value(2_147_483_647) == Value.exact(2_147_483_647)
