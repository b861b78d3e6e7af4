"""Deadlines in people's calendars: a secret, revocable .ics URL per campaign and per team."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from requests_app.models import CalendarFeed, Membership
from requests_app.permissions import forget_roles
from tests.factories import CampaignFactory, TeamFactory, default_team

from .chasing_support import make_request

pytestmark = pytest.mark.django_db


def unfold(ics: str) -> list[str]:
    return ics.replace("\r\n ", "").split("\r\n")


@pytest.fixture
def answered_and_open():
    campaign = CampaignFactory(title="Platforms")
    late = make_request(campaign=campaign)  # due 15 April 2019, no answer
    refused = make_request(
        campaign=campaign,
        events=[("response", date(2019, 4, 1), {"outcome": "refused", "exemptions": ["s.30"]})],
    )
    return campaign, late, refused


def feed(client, user, scope: str) -> CalendarFeed:
    client.force_login(user)
    client.post(reverse("calendar-create"), {"scope": scope})
    return CalendarFeed.objects.get(user=user)


def test_a_campaign_feed_carries_every_deadline(client, viewer, answered_and_open):
    campaign, late, refused = answered_and_open
    token = feed(client, viewer, f"campaign:{campaign.slug}").token
    anonymous = Client()
    response = anonymous.get(reverse("calendar-feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    lines = unfold(response.content.decode())
    summaries = {line for line in lines if line.startswith("SUMMARY:")}
    assert f"SUMMARY:Response due: {late.force.name} ({late.reference})" in summaries
    assert f"DTSTART;VALUE=DATE:{late.due_on:%Y%m%d}" in lines
    # Answered: no response date any more, but its review window.
    assert not any(refused.reference in s and "Response due" in s for s in summaries)
    review = f"SUMMARY:Last day to ask for an internal review: {refused.force.name}"
    assert any(s.startswith(review) for s in summaries)
    assert f"DTSTART;VALUE=DATE:{refused.last_day_to_request_review:%Y%m%d}" in lines
    assert f"UID:foi-request-{late.pk}-due_on@foitracker" in lines
    assert CalendarFeed.objects.get(token=token).last_read_at is not None


def test_a_team_feed_covers_the_team_s_campaigns(client, researcher, answered_and_open):
    _, late, _ = answered_and_open
    other = make_request(campaign=CampaignFactory(team=TeamFactory()))
    token = feed(client, researcher, f"team:{default_team().pk}").token
    text = Client().get(reverse("calendar-feed", args=[token])).content.decode()
    assert late.reference in text and other.reference not in text


def test_the_url_is_secret_and_revocable(client, viewer, answered_and_open):
    campaign = answered_and_open[0]
    made = feed(client, viewer, f"campaign:{campaign.slug}")
    url = reverse("calendar-feed", args=[made.token])
    page = client.get(reverse("calendar-list")).content.decode()
    assert f"http://testserver{url}" in page
    assert Client().get(reverse("calendar-feed", args=["not-a-token"])).status_code == 404
    client.post(reverse("calendar-revoke", args=[made.pk]))
    assert Client().get(url).status_code == 404


def test_asking_again_replaces_the_url(client, viewer, answered_and_open):
    campaign = answered_and_open[0]
    first = feed(client, viewer, f"campaign:{campaign.slug}").token
    client.post(reverse("calendar-create"), {"scope": f"campaign:{campaign.slug}"})
    second = CalendarFeed.objects.get(user=viewer).token
    assert second != first
    assert Client().get(reverse("calendar-feed", args=[first])).status_code == 404


def test_a_feed_stops_when_its_user_loses_access(client, viewer, answered_and_open):
    campaign = answered_and_open[0]
    url = reverse("calendar-feed", args=[feed(client, viewer, f"campaign:{campaign.slug}").token])
    Membership.objects.filter(user=viewer).delete()
    forget_roles(viewer)
    assert Client().get(url).status_code == 404


def test_no_feed_of_what_one_may_not_see(client, viewer):
    hidden = CampaignFactory(team=TeamFactory())
    client.force_login(viewer)
    response = client.post(reverse("calendar-create"), {"scope": f"campaign:{hidden.slug}"})
    assert response.status_code == 404
    response = client.post(
        reverse("calendar-create"), {"scope": f"team:{hidden.team_id}"}, follow=True
    )
    assert "You are not in the team" in response.content.decode()
    assert not CalendarFeed.objects.exists()


def test_others_cannot_revoke_my_feed(client, viewer, researcher, answered_and_open):
    made = feed(client, viewer, f"campaign:{answered_and_open[0].slug}")
    client.force_login(researcher)
    assert client.post(reverse("calendar-revoke", args=[made.pk])).status_code == 404
    assert CalendarFeed.objects.filter(pk=made.pk).exists()
