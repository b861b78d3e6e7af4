"""/api/forces/: the forces as reference data, read by anyone logged in, filtered and paged."""

from datetime import date

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from requests_app.models import Force
from tests.factories import ForceFactory

from .campaign_helpers import record
from .permissions_support import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [f["id"] for f in response.json()["results"]]


def test_forces_need_a_login():
    assert APIClient().get("/api/forces/").status_code in (401, 403)
    assert APIClient().get("/api/forces/kent/").status_code in (401, 403)


def test_anyone_logged_in_reads_every_force_one_page_at_a_time(world):
    api = _api(world.outsider)  # in no team at all
    Force.objects.filter(pk="kent").update(foi_email="foi@kent.police.example", portal_url="")
    body = api.get("/api/forces/").json()
    assert body["count"] == Force.objects.count() == 46
    assert len(body["results"]) == 46 and body["next"] is None
    kent = next(f for f in body["results"] if f["id"] == "kent")
    assert kent == {
        "id": "kent",
        "name": "Kent Police",
        "nation": "England",
        "regime": "FOIA",
        "ons_code": Force.objects.get(pk="kent").ons_code,
        "territorial_england_wales": True,
        "foi_email": "foi@kent.police.example",
        "foi_email_broken": False,
        "portal_url": None,  # none: null, not "" (which is no URL)
        "contactable": True,
        "active": True,
        "request_count": 0,  # the outsider sees none of the teams' requests
    }
    # The 43 territorial forces of England and Wales come first, by name.
    assert body["results"][42]["territorial_england_wales"] is True
    assert body["results"][43]["territorial_england_wales"] is False
    second = api.get("/api/forces/", {"page": 2})
    assert second.status_code == 404 and "detail" in second.json()


def test_a_list_costs_the_same_few_queries_however_many_forces(world, django_assert_num_queries):
    api = _api(world.a_researcher)
    with django_assert_num_queries(2):  # the count, the page (visibility is a subquery)
        api.get("/api/forces/")
    for n in range(20):
        ForceFactory(id=f"extra-{n}")
    with django_assert_num_queries(2):
        assert api.get("/api/forces/").json()["count"] == 66


def test_filters_by_regime_activity_territory_and_name(world):
    api = _api(world.a_viewer)
    ForceFactory(id="disbanded", name="Disbanded Watch", active=False)
    assert _ids(api.get("/api/forces/", {"regime": "FOISA"})) == ["police-scotland"]
    assert _ids(api.get("/api/forces/", {"active": "false"})) == ["disbanded"]
    assert len(_ids(api.get("/api/forces/", {"territorial": "true"}))) == 43
    assert _ids(api.get("/api/forces/", {"search": "KENT"})) == ["kent"]
    assert set(_ids(api.get("/api/forces/", {"search": "yorkshire"}))) == {
        "north-yorkshire",
        "south-yorkshire",
        "west-yorkshire",
    }
    assert _ids(api.get("/api/forces/", {"search": "disbanded", "active": "true"})) == []
    wrong = api.get("/api/forces/", {"regime": "GDPR"})
    assert wrong.status_code == 400
    assert "GDPR is not one of the available choices" in wrong.json()["regime"][0]


def test_counts_and_the_record_cover_only_the_requests_the_user_may_see(world):
    record(world.mine_request, "response", date(2019, 4, 1), outcome="refused", exemptions=["s.31"])
    record(
        world.private_request, "response", date(2019, 4, 2), outcome="refused", exemptions=["s.40"]
    )
    mine = _api(world.a_researcher).get("/api/forces/kent/").json()
    assert mine["request_count"] == 2  # team A's own and team B's shared; not B's private
    assert mine["record"] == {
        "sent": 2,
        "answered": 1,
        "median_working_days": 10.0,  # 15 March to 1 April 2019 (not St Patrick's Day)
        "on_time": 1,
        "on_time_of": 2,  # the shared request is unanswered past its due date
        "on_time_share": 0.5,
        "refused": 1,
        "refused_share": 1.0,
        "top_exemptions": [{"exemption": "s.31", "count": 1}],
    }
    everything = _api(world.b_researcher).get("/api/forces/kent/").json()
    assert everything["request_count"] == 2
    assert everything["record"]["top_exemptions"] == [{"exemption": "s.40", "count": 1}]
    listed = _api(world.a_researcher).get("/api/forces/", {"search": "kent"}).json()
    assert listed["results"][0]["request_count"] == 2
    assert "record" not in listed["results"][0]
    nothing = _api(world.outsider).get("/api/forces/kent/").json()
    assert nothing["request_count"] == 0 and nothing["record"]["sent"] == 0


def test_an_unknown_force_is_not_found(world):
    response = _api(world.a_viewer).get("/api/forces/atlantis/")
    assert response.status_code == 404 and "detail" in response.json()


def test_forces_are_changed_in_the_admin_not_through_the_api(world, admin_user):
    for user in (world.a_coordinator, admin_user):
        api = _api(user)
        assert api.post("/api/forces/", {"id": "new", "name": "New"}).status_code == 405
        assert api.patch("/api/forces/kent/", {"name": "Kent"}).status_code == 405
        assert api.delete("/api/forces/kent/").status_code == 405
    assert Force.objects.get(pk="kent").name == "Kent Police"
    assert not Force.objects.filter(pk="new").exists()


def test_the_schema_describes_forces_and_log_sent_exactly_without_warnings():
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    warnings = list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
    assert not [w for w in warnings if "Force" in w or "log_sent" in w or "LogSent" in w]
    paths, components = schema["paths"], schema["components"]["schemas"]
    assert set(paths["/api/forces/"]) == {"get"} and set(paths["/api/forces/{id}/"]) == {"get"}
    names = {p["name"] for p in paths["/api/forces/"]["get"]["parameters"]}
    assert names == {"page", "regime", "active", "territorial", "search"}
    log_sent = paths["/api/campaigns/{slug}/log-sent/"]["post"]
    assert list(log_sent["requestBody"]["content"]) == ["application/json"]
    assert set(log_sent["responses"]) == {"200", "400"}
    assert components["LogSent"]["properties"]["rows"]["maxItems"] == 500
    assert components["Force"]["properties"]["portal_url"]["nullable"] is True
