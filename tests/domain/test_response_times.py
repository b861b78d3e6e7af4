"""Working days to respond, binned for the response-times chart."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from requests_app.domain.response_times import response_times


def test_bins_of_five_up_to_forty_then_one_open_bin():
    times = response_times([0, 5, 6, 17, 20, 21, 40, 41, 90])
    assert [(b.label, b.count) for b in times.bins] == [
        ("0–5", 2),
        ("6–10", 1),
        ("11–15", 0),
        ("16–20", 2),
        ("21–25", 1),
        ("26–30", 0),
        ("31–35", 0),
        ("36–40", 1),
        ("41+", 2),
    ]
    assert [b.within_limit for b in times.bins] == [True] * 4 + [False] * 5
    assert times.bins_within_limit == 4
    assert (times.answered, times.within_limit, times.late, times.median) == (9, 5, 4, 20)
    assert times.share_within_limit == pytest.approx(500 / 9)
    assert times.bins[-1].long_label == "41 working days or more"
    assert times.bins[3].long_label == "16 to 20 working days"


def test_nothing_answered():
    times = response_times([])
    assert times.answered == 0 and times.median is None and times.share_within_limit is None
    assert sum(b.count for b in times.bins) == 0


def test_a_limit_between_bin_edges_is_refused():
    with pytest.raises(ValueError, match="cannot mark a limit of 18"):
        response_times([3], limit=18)


@given(st.lists(st.integers(min_value=0, max_value=400)))
def test_every_response_lands_in_exactly_one_bin_on_the_right_side_of_the_limit(days):
    times = response_times(days)
    assert sum(b.count for b in times.bins) == len(days)
    assert sum(b.count for b in times.bins if b.within_limit) == times.within_limit
    assert times.within_limit == sum(1 for d in days if d <= 20)
