"""Chaser wording per campaign: a form with a preview, checked by the strict placeholder rules."""

from html import unescape

import pytest
from django.urls import reverse

from requests_app.models import Campaign
from requests_app.services.chasing import run_sweep
from requests_app.services.delivery import deliver
from tests.factories import CampaignFactory

from .chasing_support import STAGE_DAYS, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    campaign = CampaignFactory(slug="platforms")
    make_request(campaign=campaign)  # due Monday 15 April 2019
    return campaign


def form_data(*stages) -> dict:
    data = {"action": "save"}
    for i, (stage, offset, subject, body) in enumerate(stages):
        data |= {f"stage-{i}": stage, f"offset-{i}": offset, f"subject-{i}": subject}
        data[f"body-{i}"] = body
    return data


def test_only_coordinators_of_the_campaign_edit_it(client, researcher, coordinator, campaign):
    url = reverse("campaign-chasers", args=[campaign.slug])
    client.force_login(researcher)
    assert client.get(url).status_code == 403
    board = client.get(reverse("campaign-board", args=[campaign.slug])).content.decode()
    assert url not in board
    client.force_login(coordinator)
    assert url in client.get(reverse("campaign-board", args=[campaign.slug])).content.decode()
    page = unescape(client.get(url).content.decode())
    assert "This campaign uses the standard wording." in page
    # the standard texts, previewed for one of the campaign's requests on each stage's day
    assert "Stage 2, on Wed 1 May 2019 (10 working days after the due date)" in page
    assert "is now 10 working days late." in page


def test_the_preview_fills_the_edited_wording_and_saves_nothing(client, coordinator, campaign):
    client.force_login(coordinator)
    data = form_data((1, 3, "Late: {reference}", "It is {working_days} late, {force_name}."))
    data["action"] = "preview"
    page = unescape(
        client.post(reverse("campaign-chasers", args=[campaign.slug]), data).content.decode()
    )
    foi = campaign.requests.get()
    assert f"Late: {foi.reference}" in page
    assert f"It is 3 working days late, {foi.force.name}." in page
    assert Campaign.objects.get(pk=campaign.pk).chaser_stages == []


def test_saved_wording_is_what_the_sweep_sends(client, coordinator, campaign, mailoutbox):
    client.force_login(coordinator)
    data = form_data(
        (1, 1, "Late: {reference}", "Day {working_days_overdue}."),
        (2, 10, "", ""),  # blank: the standard stage 2 text
    )
    response = client.post(reverse("campaign-chasers", args=[campaign.slug]), data)
    assert response.status_code == 302
    stored = Campaign.objects.get(pk=campaign.pk).chaser_stages
    assert [(s["stage"], s["offset"]) for s in stored] == [(1, 1), (2, 10)]
    run_sweep(today=STAGE_DAYS["1"], dispatch=lambda pk: deliver(outbound_id=pk))
    assert mailoutbox[-1].body == "Day 1."
    run_sweep(today=STAGE_DAYS["2"], dispatch=lambda pk: deliver(outbound_id=pk))
    assert "is now 10 working days late." in mailoutbox[-1].body


def test_bad_wording_is_refused_with_every_reason(client, coordinator, campaign):
    client.force_login(coordinator)
    data = form_data(
        (1, 1, "Late {referense}", "{force_name.__class__} {0}"),
        (2, 1, "Again", "Again."),
    )
    response = client.post(reverse("campaign-chasers", args=[campaign.slug]), data)
    page = unescape(response.content.decode())
    assert response.status_code == 400 and "Not saved:" in page
    assert "referense" in page and "force_name.__class__" in page
    assert Campaign.objects.get(pk=campaign.pk).chaser_stages == []
    data = form_data((1, 1, "A", "a"), (2, 1, "B", "b"))
    page = unescape(
        client.post(reverse("campaign-chasers", args=[campaign.slug]), data).content.decode()
    )
    assert "stages 1 and 2 share offset 1" in page


def test_reset_goes_back_to_the_standard(client, coordinator, campaign):
    campaign.chaser_stages = [{"stage": 1, "offset": 2, "subject": "S", "body": "B"}]
    campaign.save()
    client.force_login(coordinator)
    client.post(reverse("campaign-chasers", args=[campaign.slug]), {"action": "reset"})
    assert Campaign.objects.get(pk=campaign.pk).chaser_stages == []
