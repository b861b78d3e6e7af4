"""Recomputing many requests (due dates in bulk) stores what recomputing each one stores."""

import random
from datetime import date, timedelta

import pytest

from requests_app.models import FoiRequest, Force
from requests_app.services import state
from requests_app.services.events import EventInput, record_event
from requests_app.services.requests import create_request
from tests.factories import ClosureDayFactory

pytestmark = pytest.mark.django_db

STORIES = [
    [("sent", 0, {"channel": "email"})],
    [("sent", 0, {"channel": "post"}), ("acknowledged", 3, {})],
    [("sent", 0, {"channel": "portal"}), ("response", 12, {"outcome": "full"})],
    [
        ("sent", 0, {"channel": "email"}),
        ("response", 15, {"outcome": "refused", "exemptions": ["s12"]}),
        ("review_requested", 20, {}),
    ],
    [("sent", 0, {"channel": "email"}), ("clarification_requested", 4, {})],
    [
        ("sent", 0, {"channel": "email"}),
        ("fees_notice", 5, {}),
        ("fee_paid", 12, {}),
    ],
]


def test_refresh_regime_stores_the_same_as_refreshing_one_by_one():
    rng = random.Random(15)
    forces = list(Force.objects.filter(regime="FOIA")[:6])
    forces += list(Force.objects.filter(regime="FOISA")[:1])
    for i in range(40):
        foi = create_request(force=forces[i % len(forces)], subject=f"r{i}")
        sent = date(2018, 1, 1) + timedelta(days=rng.randint(0, 900))
        for kind, after, extra in STORIES[i % len(STORIES)]:
            record_event(request=foi, data=EventInput(kind, sent + timedelta(days=after), **extra))
    ClosureDayFactory(regime="FOIA", date=date(2019, 4, 1), reason="Proclaimed holiday")
    ClosureDayFactory(regime="FOISA", date=date(2019, 11, 29), reason="Storm")
    on = date(2020, 9, 1)

    one_by_one = {}
    for foi in FoiRequest.objects.select_related("force"):
        state.refresh_state(foi, on=on)
        one_by_one[foi.pk] = [getattr(foi, f) for f in state.DERIVED_FIELDS]
    stale = FoiRequest.objects.exclude(clock="ended")
    assert stale.count() > 20
    stale.update(due_on=None, very_overdue_on=None, status="draft")

    recomputed = sum(state.refresh_regime(regime, on=on) for regime in ("FOIA", "FOISA"))
    assert recomputed > 0
    for foi in FoiRequest.objects.select_related("force"):
        assert [getattr(foi, f) for f in state.DERIVED_FIELDS] == one_by_one[foi.pk], foi
