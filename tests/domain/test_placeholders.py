"""Placeholders: plain substitution of named fields, everything else refused by name."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from requests_app.domain.placeholders import PlaceholderError, check, render

NAMES = {"force_name": "Kent Police", "reference": "c/kent"}


def test_named_placeholders_and_doubled_braces():
    text = render("{{x}} Dear {force_name}, ref {reference} }}", NAMES)
    assert text == "{x} Dear Kent Police, ref c/kent }"


@pytest.mark.parametrize(
    ("template", "named"),
    [
        ("{force_name:>99999999}", "{force_name:>99999999} is not allowed"),
        ("{force_name:d}", "{force_name:d} is not allowed"),
        ("{force_name!s:%}", "{force_name!s:%} is not allowed"),
        ("{force_name!r}", "{force_name!r} is not allowed"),
        ("{force_name.__class__}", "{force_name.__class__} is not allowed"),
        ("{force_name[0]}", "{force_name[0]} is not allowed"),
        ("{0}", "{0} is not a placeholder"),
        ("{}", "{} is not a placeholder"),
        ("{ force_name }", "{ force_name } is not a placeholder"),
        ("{forcename}", "{forcename} is not a placeholder"),
        ("a { b", "a lone { on line 1"),
        ("a\n}", "a lone } on line 2"),
    ],
)
def test_anything_else_in_braces_is_refused_naming_it(template, named):
    with pytest.raises(PlaceholderError) as caught:
        render(template, NAMES)
    assert named in str(caught.value)
    assert check(template, NAMES) == caught.value.problems


def test_every_problem_is_reported_once():
    problems = check("{a} {a} {b:x} {", {"b"})
    assert len(problems) == 3


def test_the_filled_text_has_a_size_limit():
    with pytest.raises(PlaceholderError, match="more than 100 characters once filled"):
        render("{force_name}" * 3, {"force_name": "x" * 50}, limit=100)
    assert check("x" * 101, NAMES, limit=100) == [
        "The text is 101 characters long; the limit is 100."
    ]


@given(st.text(alphabet="{}:!.[]0 abforce_name", max_size=40))
def test_any_text_is_filled_or_refused_never_crashes(template):
    try:
        out = render(template, NAMES)
    except PlaceholderError as exc:
        assert exc.problems
    else:
        assert len(out) <= len(template) * len("Kent Police")
