"""A corrected figure outside the figure field's range is a 400 naming the field, never a 500."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from responses_app.models import Figure
from tests.factories import CampaignFactory
from tests.responses_app.builders import answer

pytestmark = pytest.mark.django_db
HUGE = ["1e30", "1000000000000000000000000000000", "2147483648"]


@pytest.fixture
def figure():
    campaign = CampaignFactory(slug="csc-2021", periods=["2019-20"])
    answer(campaign, "kent", total=57, status=Figure.Status.EXTRACTED)
    return Figure.objects.get(force_id="kent", dimension="total")


@pytest.mark.parametrize("raw", HUGE)
@pytest.mark.parametrize("field", ["value", "lower", "upper"])
def test_the_api_refuses_a_value_too_large(researcher, figure, raw, field):
    api = APIClient()
    api.force_authenticate(researcher)
    response = api.post(
        f"/api/figures/{figure.pk}/correct/",
        data=f'{{"{field}": {raw}, "reason": "typo"}}',
        content_type="application/json",
    )
    assert response.status_code == 400, response.content[:300]
    assert field in response.json()
    figure.refresh_from_db()
    assert figure.status == Figure.Status.EXTRACTED


@pytest.mark.parametrize("raw", HUGE)
def test_the_page_refuses_a_value_too_large(client, researcher, figure, raw):
    client.force_login(researcher)
    response = client.post(
        reverse("review-correct", args=[figure.pk]),
        {"value": raw, "category": "all", "reason": "typo", "lower": "", "upper": ""},
    )
    assert response.status_code == 400
    figure.refresh_from_db()
    assert figure.status == Figure.Status.EXTRACTED


def test_the_largest_value_the_field_holds_is_accepted(researcher, figure):
    api = APIClient()
    api.force_authenticate(researcher)
    response = api.post(
        f"/api/figures/{figure.pk}/correct/",
        data=json.dumps({"value": 2147483647, "reason": "typo"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
