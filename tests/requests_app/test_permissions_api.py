"""The API: the same rules as the pages; another team's private objects are 404, by any id."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from requests_app.models import Campaign, RequestEvent

from .permissions_support import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _api(user) -> APIClient:
    """A client authenticated by the user's token, as a script would be."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _slugs(response) -> set[str]:
    return {c["slug"] for c in response.json()["results"]}


def test_lists_hold_only_visible_campaigns_requests_and_events(world):
    api = _api(world.a_viewer)
    assert _slugs(api.get("/api/campaigns/")) == {world.mine.slug, world.shared.slug}
    requests = api.get("/api/requests/").json()["results"]
    assert {r["campaign"] for r in requests} == {world.mine.slug, world.shared.slug}
    assert api.get(f"/api/requests/?campaign={world.private.slug}").json()["count"] == 0
    events = api.get("/api/events/").json()["results"]
    private_ids = set(world.private.requests.values_list("pk", flat=True))
    assert events and not {e["request"] for e in events} & private_ids


def test_guessed_ids_and_slugs_of_a_private_campaign_are_not_found(world):
    api = _api(world.a_coordinator)
    slug = world.private.slug
    event = RequestEvent.objects.filter(request__campaign=world.private).first()
    for url in [
        f"/api/campaigns/{slug}/",
        f"/api/campaigns/{slug}/board/",
        f"/api/campaigns/{slug}/preflight/",
        f"/api/requests/{world.private_request.pk}/",
        f"/api/events/{event.pk}/",
    ]:
        assert api.get(url).status_code == 404, url
    for action in ["send", "mark-sent", "repeat"]:
        response = api.post(f"/api/campaigns/{slug}/{action}/", {"date": "2019-03-20"})
        assert response.status_code == 404, action
    assert Campaign.objects.count() == 3
    assert not world.private.requests.filter(force_id="essex", sent_on__isnull=False).exists()


def test_an_event_on_a_hidden_request_is_refused_as_if_it_did_not_exist(world):
    api = _api(world.a_coordinator)
    before = RequestEvent.objects.count()
    hidden = api.post(
        "/api/events/",
        {"request": world.private_request.pk, "kind": "acknowledged", "on": "2019-03-18"},
    )
    missing = api.post(
        "/api/events/", {"request": 999_999, "kind": "acknowledged", "on": "2019-03-18"}
    )
    assert hidden.status_code == missing.status_code == 400
    shape = hidden.json()["request"][0].replace(str(world.private_request.pk), "ID")
    assert shape == missing.json()["request"][0].replace("999999", "ID")
    assert RequestEvent.objects.count() == before


def test_a_viewer_reads_but_cannot_record_create_or_send(world):
    api = _api(world.a_viewer)
    slug = world.mine.slug
    assert api.get(f"/api/campaigns/{slug}/board/").status_code == 200
    before = RequestEvent.objects.count()
    response = api.post(
        "/api/events/",
        {"request": world.mine_request.pk, "kind": "acknowledged", "on": "2019-03-18"},
    )
    assert response.status_code == 403 and "researcher" in response.json()["detail"]
    assert api.post(f"/api/campaigns/{slug}/send/").status_code == 403
    sent = api.post(f"/api/campaigns/{slug}/mark-sent/", {"date": "2019-03-20"})
    assert sent.status_code == 403
    assert api.post(f"/api/campaigns/{slug}/repeat/").status_code == 403
    created = api.post(
        "/api/campaigns/", {"slug": "v", "title": "V", "periods": ["2019"]}, format="json"
    )
    assert created.status_code == 403
    assert RequestEvent.objects.count() == before and Campaign.objects.count() == 3


def test_a_shared_campaign_is_read_only_through_the_api(world):
    api = _api(world.a_coordinator)
    slug = world.shared.slug
    assert api.get(f"/api/campaigns/{slug}/").json()["shared_with"] == ["alpha"]
    assert api.post(f"/api/campaigns/{slug}/mark-sent/", {"date": "2019-03-20"}).status_code == 403
    response = api.post(
        "/api/events/",
        {"request": world.shared_request.pk, "kind": "acknowledged", "on": "2019-03-18"},
    )
    assert response.status_code == 403


def test_researchers_and_coordinators_record_and_log(world):
    researcher = _api(world.a_researcher)
    response = researcher.post(
        "/api/events/",
        {"request": world.mine_request.pk, "kind": "acknowledged", "on": "2019-03-18"},
    )
    assert response.status_code == 201
    coordinator = _api(world.a_coordinator)
    logged = coordinator.post(
        f"/api/campaigns/{world.mine.slug}/mark-sent/", {"date": "2019-03-20"}
    )
    assert logged.status_code == 200 and logged.json()["recorded"] == 1


def test_a_new_campaign_goes_to_the_callers_team_and_never_to_another(world):
    api = _api(world.a_researcher)
    body = {"slug": "a2", "title": "A2", "periods": ["2019"], "forces": ["kent"]}
    refused = api.post("/api/campaigns/", {**body, "team": "bravo"}, format="json")
    assert refused.status_code == 400 and "bravo" in refused.json()["detail"]
    created = api.post("/api/campaigns/", body, format="json")
    assert created.status_code == 201 and created.json()["team"] == "alpha"
    assert Campaign.objects.get(slug="a2").team == world.team_a
