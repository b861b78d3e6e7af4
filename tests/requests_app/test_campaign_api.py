"""The REST API for campaigns, requests and events, and its OpenAPI schema."""

import pytest
from django.core import mail
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from requests_app.models import Campaign, Force, RequestEvent
from requests_app.services.addresses import reply_address
from requests_app.services.campaigns import create_campaign
from tests.requests_app.campaign_helpers import days_ago, give_forces_email, record

pytestmark = pytest.mark.django_db
FORCES = ["kent", "essex", "durham"]


@pytest.fixture
def api(researcher):
    client = APIClient()
    client.force_authenticate(researcher)
    return client


@pytest.fixture
def campaign():
    return create_campaign(
        slug="c", title="T", periods=["2019"], forces=Force.objects.filter(pk__in=FORCES)
    )


def test_the_api_needs_a_login_and_accepts_a_token(client, researcher, campaign):
    assert APIClient().get("/api/campaigns/").status_code in (401, 403)
    token = Token.objects.create(user=researcher)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/campaigns/")
    assert response.status_code == 200  # not redirected to the login page
    assert response.json()["results"][0]["slug"] == "c"


def test_create_a_campaign_with_the_default_forces(api, researcher):
    response = api.post(
        "/api/campaigns/",
        {"slug": "fresh", "title": "Fresh", "periods": ["2017/18", "2018-19"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["periods"] == ["2017-18", "2018-19"] and body["request_count"] == 43
    assert body["owner"] == researcher.username
    assert Campaign.objects.get(slug="fresh").requests.count() == 43


def test_bad_campaign_input_is_a_400_that_says_where(api, campaign):
    response = api.post(
        "/api/campaigns/",
        {"slug": "x", "title": "X", "periods": ["2017-1"], "forces": ["kent", "atlantis"]},
        format="json",
    )
    assert response.status_code == 400
    assert "'2017-1' is not a period" in response.json()["periods"][0]
    assert "atlantis" in response.json()["forces"][0]
    again = api.post(
        "/api/campaigns/", {"slug": "c", "title": "C", "periods": ["2019"]}, format="json"
    )
    assert again.status_code == 400 and "already exists" in again.json()["detail"]


def test_the_board_and_preflight(api, campaign):
    record(campaign.requests.get(force_id="kent"), "sent", days_ago(40), channel="portal")
    board = api.get("/api/campaigns/c/board/").json()
    assert board["total"] == 3 and board["counts"]["overdue"] == 1
    assert board["progress"] == "0 of 3 responded"
    kent = next(r for r in board["rows"] if r["force_id"] == "kent")
    assert kent["phase"] == "overdue" and kent["working_days_left"] < 0
    only = api.get("/api/campaigns/c/board/", {"phase": "not_sent"}).json()["rows"]
    assert sorted(r["force_id"] for r in only) == ["durham", "essex"]
    give_forces_email(only=["essex"])
    report = api.get("/api/campaigns/c/preflight/").json()
    assert [r["force"] for r in report["by_email"]] == ["essex"]
    assert [r["force"] for r in report["unreachable"]] == ["durham"]
    assert report["already_sent"] == 1


def test_send_queues_the_email_send(
    api, campaign, settings, django_capture_on_commit_callbacks, eager_celery
):
    settings.SEND_RATE_PER_MINUTE = 0
    give_forces_email(only=FORCES)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/campaigns/c/send/")
    assert response.status_code == 202 and response.json()["queued"] is True
    assert len(mail.outbox) == 3


def test_mark_sent_one_force_or_a_csv(api, campaign):
    one = api.post(
        "/api/campaigns/c/mark-sent/",
        {"date": days_ago(2).isoformat(), "force": "kent", "channel": "post", "reference": "K"},
        format="json",
    )
    assert one.status_code == 200 and one.json() == {"recorded": 1, "references": ["c/kent"]}
    bad = api.post(
        "/api/campaigns/c/mark-sent/",
        {"csv": f"essex,{days_ago(1)},E\nkent,{days_ago(1)},K2\n"},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["detail"] == "Nothing was recorded."
    assert "line 2 (kent)" in bad.json()["errors"][0]
    assert campaign.requests.get(force_id="essex").sent_on is None
    missing = api.post("/api/campaigns/c/mark-sent/", {"channel": "post"}, format="json")
    assert missing.status_code == 400 and "date" in missing.json()
    rest = api.post("/api/campaigns/c/mark-sent/", {"date": days_ago(1).isoformat()}, format="json")
    assert rest.json()["recorded"] == 2


def test_repeat_next_year(api, campaign):
    response = api.post("/api/campaigns/c/repeat/")
    assert response.status_code == 201
    assert response.json()["periods"] == ["2020"] and response.json()["previous"] == "c"


def test_requests_filter_by_campaign_force_and_live_status(api, campaign):
    other = create_campaign(
        slug="d", title="D", periods=["2019"], forces=[Force.objects.get(pk="kent")]
    )
    record(campaign.requests.get(force_id="kent"), "sent", days_ago(40), channel="portal")
    listed = api.get("/api/requests/", {"force": "kent"}).json()
    assert {r["reference"] for r in listed["results"]} == {"c/kent", "d/kent"}
    overdue = api.get("/api/requests/", {"status": "overdue"}).json()["results"]
    assert [r["reference"] for r in overdue] == ["c/kent"]
    assert overdue[0]["live_status"] == "overdue"
    in_d = api.get("/api/requests/", {"campaign": "d"}).json()["results"]
    assert [r["reference"] for r in in_d] == ["d/kent"]
    request = other.requests.get()
    assert in_d[0]["reply_address"] == reply_address(request.reply_token)
    assert api.get("/api/requests/", {"status": "nonsense"}).status_code == 400


def test_events_list_per_request_and_create_through_the_clock(api, campaign):
    kent = campaign.requests.get(force_id="kent")
    created = api.post(
        "/api/events/",
        {"request": kent.pk, "kind": "sent", "on": days_ago(10).isoformat(), "channel": "email"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["created_by"] == "researcher"
    rejected = api.post(
        "/api/events/",
        {"request": kent.pk, "kind": "fee_paid", "on": days_ago(5).isoformat()},
        format="json",
    )
    assert rejected.status_code == 400
    assert "no open fees notice" in rejected.json()["detail"]
    assert RequestEvent.objects.filter(request=kent).count() == 1
    listed = api.get("/api/events/", {"request": kent.pk}).json()["results"]
    assert [e["kind"] for e in listed] == ["sent"]
    assert (
        api.get("/api/events/", {"request": campaign.requests.get(force_id="essex").pk}).json()[
            "results"
        ]
        == []
    )


def test_the_schema_generates_without_warnings_for_these_endpoints():
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    for path in [
        "/api/campaigns/",
        "/api/campaigns/{slug}/board/",
        "/api/campaigns/{slug}/send/",
        "/api/campaigns/{slug}/mark-sent/",
        "/api/campaigns/{slug}/preflight/",
        "/api/requests/",
        "/api/events/",
    ]:
        assert path in paths
    ours = [
        message
        for message in list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
        if "requests_app" in message
        or any(name in message for name in ("CampaignViewSet", "RequestViewSet", "EventViewSet"))
    ]
    assert ours == []


KNIFE_SCHEMA = {
    "periods": ["2022-23", "2023-24"],
    "dimensions": [{"name": "age", "kind": "age", "bands": ["0-10", "11-15", "16-17"]}],
    "methodology": "Knife crime by age.",
}


def test_create_from_a_schema_then_read_and_replace_it(api, viewer):
    created = api.post(
        "/api/campaigns/",
        {"slug": "knife", "title": "Knife", "schema": KNIFE_SCHEMA, "forces": ["kent"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["periods"] == ["2022-23", "2023-24"]
    assert created.json()["schema"]["dimensions"][1]["bands"] == ["0-10", "11-15", "16-17"]
    read = api.get("/api/campaigns/knife/schema/").json()
    assert read["version"] == 1 and read["schema"]["methodology"] == "Knife crime by age."
    changed = {**KNIFE_SCHEMA, "methodology": "Rewritten."}
    put = api.put("/api/campaigns/knife/schema/", {"schema": changed, "reason": "why"}, "json")
    assert put.status_code == 200 and put.json()["version"] == 2
    bad = {**KNIFE_SCHEMA, "dimensions": [{"name": "age", "kind": "age", "bands": ["0-x"]}]}
    refused = api.put("/api/campaigns/knife/schema/", {"schema": bad}, format="json")
    assert refused.status_code == 400
    assert 'dimensions[0].bands[0]: "0-x" is not an age band' in refused.json()["detail"]
    reader = APIClient()
    reader.force_authenticate(viewer)
    assert reader.get("/api/campaigns/knife/schema/").status_code == 200
    assert (
        reader.put("/api/campaigns/knife/schema/", {"schema": changed}, "json").status_code == 403
    )
    assert Campaign.objects.get(slug="knife").schema["methodology"] == "Rewritten."
