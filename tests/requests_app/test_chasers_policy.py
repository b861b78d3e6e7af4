"""The pure chaser policy: stages, their days, the cutoffs the sweep filters on."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from requests_app.domain.calendar import Regime, calendar_for
from requests_app.domain.chasers import (
    PolicyError,
    latest_due_on,
    parse_policy,
    render,
    stage_date,
    working_days_overdue,
)
from requests_app.domain.placeholders import PlaceholderError

FOIA = calendar_for(Regime.FOIA)
FOISA = calendar_for(Regime.FOISA)
DEFAULTS = [(1, 1), (2, 10), (3, 20)]
POLICY = parse_policy(None, DEFAULTS)


def test_default_stage_days_skip_weekends_and_every_uk_bank_holiday():
    due = date(2019, 4, 15)
    days = [stage_date(due, s.offset, FOIA) for s in POLICY.stages]
    # Good Friday 19 April, Easter Monday 22 April and 6 May are not working days.
    assert days == [date(2019, 4, 16), date(2019, 5, 1), date(2019, 5, 16)]


def test_easter_monday_is_a_working_day_in_scotland():
    due = date(2019, 4, 18)  # Thursday before Easter
    assert stage_date(due, 1, FOISA) == date(2019, 4, 22)  # Easter Monday works in Scotland
    assert stage_date(due, 1, FOIA) == date(2019, 4, 23)


def test_reached_is_the_latest_stage_whose_day_has_come():
    due = date(2019, 4, 15)
    assert POLICY.reached(due, date(2019, 4, 15), FOIA) is None
    assert POLICY.reached(due, date(2019, 4, 16), FOIA).stage == 1
    assert POLICY.reached(due, date(2019, 4, 30), FOIA).stage == 1
    assert POLICY.reached(due, date(2019, 5, 1), FOIA).stage == 2
    assert POLICY.reached(due, date(2019, 6, 1), FOIA).stage == 3


def test_next_stage_follows_the_last_one_sent():
    assert POLICY.next_stage([]).stage == 1
    assert POLICY.next_stage(["1"]).stage == 2
    assert POLICY.next_stage(["2"]).stage == 3  # a skipped stage is not sent late
    assert POLICY.next_stage(["1", "2", "3"]) is None
    assert POLICY.keys_from(POLICY.stages[1]) == ["2", "3"]


@settings(max_examples=300, deadline=None)
@given(
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2070, 12, 31)),
    offset=st.integers(min_value=1, max_value=60),
    back=st.integers(min_value=0, max_value=200),
    foisa=st.booleans(),
)
def test_latest_due_on_is_exactly_the_cutoff(today, offset, back, foisa):
    """stage_date(d) <= today  <=>  d <= latest_due_on(today): the SQL filter is exact."""
    cal = FOISA if foisa else FOIA
    cutoff = latest_due_on(today, offset, cal)
    due = today - timedelta(days=back)
    assert (stage_date(due, offset, cal) <= today) == (due <= cutoff)
    assert stage_date(cutoff, offset, cal) <= today
    assert stage_date(cutoff + timedelta(days=1), offset, cal) > today


def test_working_days_overdue_counts_only_working_days():
    assert working_days_overdue(date(2019, 4, 15), date(2019, 4, 15), FOIA) == 0
    # 16, 17, 18 April, then Good Friday, the weekend and Easter Monday, then 23 April.
    assert working_days_overdue(date(2019, 4, 15), date(2019, 4, 23), FOIA) == 4


def test_a_campaign_policy_replaces_offsets_and_templates():
    policy = parse_policy(
        [
            {"stage": 2, "offset": 5, "subject": "Still waiting [{reference}]"},
            {"stage": 1, "offset": 2},
        ],
        DEFAULTS,
    )
    assert [(s.stage, s.offset) for s in policy.stages] == [(1, 2), (2, 5)]
    assert policy.stages[1].subject == "Still waiting [{reference}]"
    assert "overdue" in policy.stages[0].body  # the default template for stage 1


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ([{"stage": 1, "offset": 0}], "offset must be a whole number of 1 or more"),
        ([{"stage": "one", "offset": 3}], "stage must be a whole number"),
        ([{"stage": 1, "offset": 3}, {"stage": 2, "offset": 3}], "share offset 3"),
        ([{"stage": 2, "offset": 1}, {"stage": 1, "offset": 5}], "needs a higher number"),
        (["stage 1"], "chaser_stages[0] must be an object"),
        ([{"stage": 1, "offset": 1, "subject": "two\nlines"}], "one line"),
    ],
)
def test_a_bad_policy_says_which_entry_and_why(config, message):
    with pytest.raises(PolicyError) as caught:
        parse_policy(config, DEFAULTS)
    assert message in str(caught.value)


def test_render_fills_plain_placeholders_only():
    assert render("{reference} {{x}}", {"reference": "r/1"}) == "r/1 {x}"
    for bad in ("{reference} {unknown}", "odd { brace", "{reference:>99999999}", "{0}"):
        with pytest.raises(PlaceholderError):
            render(bad, {"reference": "x"})


@pytest.mark.parametrize(
    "entry, message",
    [
        (
            {"subject": "{reference:>99999999}"},
            r"chaser_stages\[0\] subject: \{reference:>99999999\}",
        ),
        ({"body": "{force_name.__class__}"}, r"chaser_stages\[0\] body: \{force_name.__class__\}"),
        ({"body": "Dear {forcename}"}, r"\{forcename\} is not a placeholder"),
        ({"body": "{}"}, r"\{\} is not a placeholder"),
        ({"body": "{force_name!s:%}"}, "is not allowed"),
        ({"body": "x" * 20_001}, "the limit is 20,000"),
    ],
)
def test_chaser_wording_is_refused_when_not_plain_placeholders(entry, message):
    with pytest.raises(PolicyError, match=message):
        parse_policy([{"stage": 1, "offset": 1, **entry}], [(1, 1)])
