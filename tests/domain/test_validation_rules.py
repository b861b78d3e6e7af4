"""Each validation rule, on plain facts: the finding, its message and its locator."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from questions.periods import Period
from questions.schema import parse_schema
from questions.vocab import CampaignSpec
from responses_app.domain.findings import ERROR, WARNING
from responses_app.domain.validation import (
    DEFAULT_RULES,
    AgeRule,
    BreakdownSumRule,
    CategoryRule,
    DuplicateRule,
    FigureFacts,
    ImplausibleChangeRule,
    PeriodRule,
    Reference,
    RevisionRule,
    RuleConfigError,
    SuppressedBoundsRule,
    ValidationContext,
    WholeNumberRule,
    known_codes,
    load_rules,
    run_rules,
)

SPEC = CampaignSpec.from_data(["2019-20", "2020-21"], ["total", "platform", "age"])
_ids = iter(range(1, 10**9))


def fig(dimension="total", category="all", value=10, *, period="2019-20", force="kent", **kw):
    p = Period.from_label(period)
    suppressed = kw.pop("suppressed", False)
    lower = kw.pop("lower", None if suppressed else value)
    upper = kw.pop("upper", None if suppressed else value)
    return FigureFacts(
        id=kw.pop("id", next(_ids)),
        force=force,
        period=period,
        dimension=dimension,
        category=category,
        value=value,
        suppressed=suppressed,
        lower=lower,
        upper=upper,
        period_start=p.start,
        period_end=p.end,
        source=kw.pop("source", f"kent.csv {dimension}/{category}"),
    )


def hidden(category, lower=0, upper=4, dimension="platform", **kw):
    return fig(dimension, category, None, suppressed=True, lower=lower, upper=upper, **kw)


def check(rule, figures, **context):
    context.setdefault("spec", SPEC)
    return list(rule.check(ValidationContext(figures=figures, **context)))


# -- whole numbers -------------------------------------------------------------


@pytest.mark.parametrize("bad", [-3, 2.5, "57", True])
def test_a_value_that_is_not_a_whole_number_is_an_error(bad):
    figure = fig(value=bad, lower=None, upper=None)
    [issue] = check(WholeNumberRule(), [figure])
    assert issue.code == "value.not_whole_number"
    assert issue.severity == ERROR
    assert issue.figure == figure.id
    assert "not a whole number" in issue.finding.message
    assert repr(bad) in issue.finding.message
    assert issue.finding.locator == "kent.csv total/all"


def test_whole_numbers_and_integral_floats_pass():
    assert check(WholeNumberRule(), [fig(value=0), fig(value=57), fig(value=57.0)]) == []


def test_a_figure_with_no_value_that_is_not_suppressed_is_a_warning():
    [issue] = check(WholeNumberRule(), [fig(value=None)])
    assert (issue.code, issue.severity) == ("value.missing", WARNING)
    assert "no value" in issue.finding.message


# -- breakdown sums ----------------------------------------------------------------


def test_a_breakdown_short_of_the_total_says_by_how_much():
    total = fig(value=57, source="kent.csv Sheet1!C12")
    parts = [fig("platform", "Instagram", 30), fig("platform", "Snapchat", 25)]
    [issue] = check(BreakdownSumRule(), [total, *parts])
    assert issue.figure == total.id
    assert issue.finding.locator == "kent.csv Sheet1!C12"
    assert issue.finding.message == (
        "The platform breakdown of kent for 2019-20 sums to 55, but the total is 57: "
        "the breakdown is 2 short."
    )


def test_a_breakdown_over_the_total_is_reported_too():
    [issue] = check(BreakdownSumRule(), [fig(value=10), fig("age", "12", 8), fig("age", "13", 5)])
    assert "sums to 13" in issue.finding.message
    assert "3 over" in issue.finding.message


def test_suppressed_figures_make_the_sum_a_range():
    figures = [fig(value=52), fig("platform", "Instagram", 50), hidden("Kik")]
    assert check(BreakdownSumRule(), figures) == []  # 52 is within 50..54
    figures[0] = fig(value=70)
    [issue] = check(BreakdownSumRule(), figures)
    assert "between 50 and 54 (1 suppressed)" in issue.finding.message
    assert "at least 16 short" in issue.finding.message


def test_each_period_and_force_is_summed_on_its_own():
    figures = [
        fig(value=10),
        fig("platform", "Instagram", 10),
        fig(value=5, period="2020-21"),
        fig("platform", "Instagram", 5, period="2020-21"),
        fig(value=3, force="durham"),
        fig("platform", "Instagram", 3, force="durham"),
    ]
    assert check(BreakdownSumRule(), figures) == []


@given(
    st.lists(
        st.tuples(st.integers(0, 500), st.booleans()),
        min_size=1,
        max_size=12,
    )
)
def test_a_breakdown_that_adds_up_never_raises_a_sum_finding(parts):
    """Whatever the true values, suppressing some within honest bounds keeps them consistent."""
    figures, true_total = [], 0
    for index, (value, suppress) in enumerate(parts):
        true_total += value
        if suppress:
            figures.append(hidden(f"c{index}", lower=max(value - 3, 0), upper=value + 4))
        else:
            figures.append(fig("platform", f"c{index}", value))
    figures.append(fig(value=true_total))
    assert check(BreakdownSumRule(), figures) == []


# -- suppressed bounds ---------------------------------------------------------------


def test_suppressed_bounds_above_the_total_contradict_it():
    figure = hidden("Kik", lower=5, upper=9)
    issues = check(SuppressedBoundsRule(), [fig(value=3), figure])
    assert [i.figure for i in issues] == [figure.id]
    assert "only 3" in issues[0].finding.message


def test_a_lone_suppressed_figure_must_hold_what_the_total_leaves():
    figure = hidden("Instagram", source="kent.csv Sheet1!C4")
    figures = [fig(value=57), fig("platform", "Snapchat", 50), figure]
    [issue] = check(SuppressedBoundsRule(), figures)
    assert issue.finding.locator == "kent.csv Sheet1!C4"
    assert "the total (57) minus the other platform figures (50) leaves 7" in issue.finding.message


def test_inverted_or_missing_bounds_are_errors():
    inverted = hidden("Kik", lower=4, upper=1)
    missing = hidden("Skype", lower=None, upper=None)
    issues = check(SuppressedBoundsRule(), [inverted, missing])
    messages = {i.figure: i.finding.message for i in issues}
    assert "lower bound 4 above its upper bound 1" in messages[inverted.id]
    assert "bounds are missing" in messages[missing.id]


def test_consistent_suppression_is_fine():
    figures = [fig(value=53), fig("platform", "Snapchat", 50), hidden("Instagram")]
    assert check(SuppressedBoundsRule(), figures) == []


# -- periods ---------------------------------------------------------------------------


def test_a_period_not_asked_for_is_an_error_with_the_overlapping_asked_periods():
    figure = fig(period="2019", source="kent.csv Sheet1!A3")
    issues = check(PeriodRule(), [figure, fig(period="2020-21")])
    [issue] = [i for i in issues if i.code == "period.not_asked"]
    assert issue.severity == ERROR
    assert "2019 (calendar year) is not one the campaign asked for (2019-20, 2020-21)" in (
        issue.finding.message
    )
    assert issue.finding.suggestions == ("2019-20",)


def test_an_asked_period_the_reply_lacks_is_a_warning_about_the_force():
    [issue] = check(PeriodRule(), [fig(period="2019-20")])
    assert (issue.code, issue.severity, issue.figure, issue.force) == (
        "period.missing",
        WARNING,
        None,
        "kent",
    )
    assert issue.finding.message == (
        "kent sent no figures for 2020-21, which the campaign asked for."
    )


# -- duplicates, categories, ages ----------------------------------------------------


def test_duplicates_are_flagged_on_each_copy_with_the_other_locator():
    a = fig("platform", "Instagram", 5, source="kent.csv A3")
    b = fig("platform", "Instagram", 6, source="kent.csv A9")
    issues = check(DuplicateRule(), [a, b, fig("platform", "Kik", 1)])
    assert {i.figure for i in issues} == {a.id, b.id}
    by_id = {i.figure: i.finding.message for i in issues}
    assert "appears 2 times (values 5, 6)" in by_id[a.id]
    assert "kent.csv A9" in by_id[a.id]


def test_a_synonym_is_not_canonical_and_the_canonical_name_is_suggested():
    [issue] = check(CategoryRule(), [fig("platform", "Insta", 3)])
    assert issue.code == "category.unknown"
    assert issue.finding.suggestions == ("Instagram",)
    assert "'Insta' is written 'Instagram'" in issue.finding.message


def test_an_unknown_category_gets_close_suggestions():
    [issue] = check(CategoryRule(), [fig("platform", "Snapchatt", 3)])
    assert "Snapchat" in issue.finding.suggestions
    assert "not a platform category the campaign knows" in issue.finding.message


def test_an_unknown_dimension_is_an_error():
    [issue] = check(CategoryRule(), [fig("gender", "Female", 3)])
    assert issue.code == "dimension.unknown"


def test_canonical_categories_pass():
    figures = [
        fig("platform", "Instagram", 3),
        fig("platform", "Not recorded", 3),
        fig("age", "0-11", 3),
        fig("age", "15", 3),
        fig("age", "Not recorded", 1),
    ]
    assert check(CategoryRule(), figures) == []


#: The seed's schema says the offence is against a child under 16.
CHILD = parse_schema(
    {
        "periods": ["2019-20", "2020-21"],
        "dimensions": ["total", {"name": "age", "kind": "age"}],
        "constraints": [
            {"dimension": "age", "max": 15, "reason": "the offence is against a child under 16"}
        ],
    }
).spec()
KNIFE = parse_schema(
    {
        "periods": ["2022-23"],
        "dimensions": [{"name": "age", "kind": "age", "bands": ["0-10", "11-15", "16-17"]}],
    }
).spec()


@pytest.mark.parametrize("category", ["16", "17", "14-17", "16+"])
def test_an_age_outside_the_schema_constraint_is_an_error_with_its_reason(category):
    [issue] = check(AgeRule(), [fig("age", category, 2)], spec=CHILD)
    assert issue.code == "age.impossible"
    assert issue.severity == ERROR
    assert f"an age of {category} is outside what the campaign asks (ages 0 to 15)" in (
        issue.finding.message
    )
    assert "child under 16" in issue.finding.message


def test_no_age_limit_is_assumed_without_a_constraint():
    figures = [fig("age", "16-17", 2), fig("age", "16", 2), fig("age", "18+", 1)]
    assert check(AgeRule(), figures) == []
    assert check(AgeRule(), figures[:2], spec=KNIFE) == []


def test_the_maximum_age_is_also_an_option():
    assert check(AgeRule(max_age=17), [fig("age", "16", 2)]) == []
    assert check(AgeRule(), [fig("age", "15", 2), fig("age", "0-11", 2)], spec=CHILD) == []
    [issue] = check(AgeRule(max_age=17), [fig("age", "14-18", 2)])
    assert issue.finding.suggestions == ("0-17", "Not recorded")


# -- changes and revisions -------------------------------------------------------------


def test_more_than_three_times_up_on_twenty_or_more_is_implausible():
    now = fig(value=45, period="2020-21", source="kent.csv C3")
    [issue] = check(ImplausibleChangeRule(), [fig(value=11), now])
    assert issue.figure == now.id
    assert issue.severity == WARNING
    assert "45, against 11 for 2019-20 (this campaign): 4.1 times up" in issue.finding.message


@pytest.mark.parametrize(
    ("before", "after", "flagged"),
    [
        (10, 31, True),
        (10, 30, False),
        (31, 10, True),
        (5, 16, False),
        (0, 20, True),
        (0, 19, False),
    ],
)
def test_the_change_thresholds(before, after, flagged):
    figures = [fig(value=before), fig(value=after, period="2020-21")]
    assert bool(check(ImplausibleChangeRule(), figures)) is flagged


def test_thresholds_are_options_and_earlier_campaigns_count():
    earlier = Reference(
        "kent", "2018-19", "total", "all", 10, period_start=date(2018, 4, 1),
        period_end=date(2019, 3, 31), label="campaign csc-2019",
    )  # fmt: skip
    figures = [fig(value=35)]
    [issue] = check(ImplausibleChangeRule(), figures, history=[earlier])
    assert "2018-19 (campaign csc-2019)" in issue.finding.message
    assert check(ImplausibleChangeRule(factor=3, min_count=40), figures, history=[earlier]) == []
    assert check(ImplausibleChangeRule(factor=4), figures, history=[earlier]) == []


def test_a_value_different_from_a_release_is_a_revision_with_both_values():
    published = Reference(
        "kent", "2017-18", "total", "all", 3217, lower=3217, upper=3217,
        label="release 1 of csc-2019",
    )  # fmt: skip
    figure = fig(value=3728, period="2017-18", source="kent.csv B2")
    [issue] = check(RevisionRule(), [figure], released=[published])
    assert issue.code == "figure.revised"
    assert issue.finding.locator == "kent.csv B2"
    assert issue.finding.message == (
        "kent 2017-18 total was published as 3,217 in release 1 of csc-2019; it is now "
        "3,728 (+511). Publishing it is a revision."
    )
    same = fig(value=3217, period="2017-18")
    assert check(RevisionRule(), [same], released=[published]) == []


# -- the registry ----------------------------------------------------------------------


def test_the_default_rules_are_loaded_from_dotted_paths():
    rules = load_rules(DEFAULT_RULES)
    assert len(rules) == 9
    assert {"breakdown.sum", "age.impossible", "figure.revised"} <= {r.code for r in rules}


def test_entries_take_options_like_password_validators():
    [rule] = load_rules(
        [
            {
                "NAME": "responses_app.domain.validation.history.ImplausibleChangeRule",
                "OPTIONS": {"factor": 5, "min_count": 50},
            }
        ]
    )
    assert (rule.factor, rule.min_count) == (5, 50)


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ("responses_app.domain.validation.numbers.NoSuchRule", "cannot load"),
        ("nodots", "dotted path"),
        ("questions.periods.Period", "not a validation rule"),
        (
            {
                "NAME": "responses_app.domain.validation.numbers.WholeNumberRule",
                "OPTIONS": {"x": 1},
            },
            "bad options",
        ),
        (42, "dotted path"),
    ],
)
def test_a_bad_entry_says_what_is_wrong(entry, words):
    with pytest.raises(RuleConfigError, match=words):
        load_rules([entry])


def test_a_rule_switched_off_finds_nothing_and_errors_come_first():
    figures = [fig(value=57), fig("platform", "Instagram", 30), fig("age", "16", 57)]
    everything = run_rules(load_rules(), ValidationContext(SPEC, figures))
    assert [i.severity for i in everything] == sorted(
        (i.severity for i in everything), key=lambda s: {ERROR: 0, WARNING: 1}[s]
    )
    assert "breakdown.sum" in {i.code for i in everything}
    without = [p for p in DEFAULT_RULES if not p.endswith("BreakdownSumRule")]
    assert "breakdown.sum" not in {
        i.code for i in run_rules(load_rules(without), ValidationContext(SPEC, figures))
    }
    assert "breakdown.sum" in known_codes(load_rules(without))
