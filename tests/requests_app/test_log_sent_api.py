"""POST /api/campaigns/{slug}/log-sent/: portal references for many requests, all or nothing."""

import pytest
from rest_framework.test import APIClient

from requests_app.models import Force, RequestEvent
from requests_app.services.campaigns import create_campaign
from requests_app.services.logging_sent import mark_sent

from .campaign_helpers import days_ago
from .permissions_support import build_world

pytestmark = pytest.mark.django_db
FORCES = ["kent", "essex", "durham", "surrey"]
URL = "/api/campaigns/c/log-sent/"


@pytest.fixture
def campaign():
    return create_campaign(
        slug="c", title="T", periods=["2019"], forces=Force.objects.filter(pk__in=FORCES)
    )


@pytest.fixture
def api(researcher):
    client = APIClient()
    client.force_authenticate(researcher)
    return client


def _post(api, rows, url=URL, **extra):
    return api.post(url, {"rows": rows, **extra}, format="json")


def test_logs_each_force_with_its_date_and_portal_reference(api, campaign, researcher):
    response = _post(
        api,
        [
            {"force": "kent", "sent_on": days_ago(4).isoformat(), "portal_reference": "K/1"},
            {"force": "essex", "sent_on": days_ago(3).isoformat()},
        ],
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["recorded"] == 2
    assert sorted(body["references"]) == sorted(
        campaign.requests.filter(force_id__in=["kent", "essex"]).values_list("reference", flat=True)
    )
    events = RequestEvent.objects.filter(request__campaign=campaign).order_by("request__force_id")
    assert [(e.request.force_id, e.on, e.channel, e.force_reference) for e in events] == [
        ("essex", days_ago(3), "portal", ""),
        ("kent", days_ago(4), "portal", "K/1"),
    ]
    assert {e.created_by for e in events} == {researcher}
    kent = campaign.requests.get(force_id="kent")
    assert kent.sent_on == days_ago(4) and kent.status == "awaiting"
    assert campaign.requests.get(force_id="durham").sent_on is None


def test_another_channel_may_be_named(api, campaign):
    response = _post(api, [{"force": "surrey", "sent_on": days_ago(2).isoformat()}], channel="post")
    assert response.status_code == 200, response.json()
    assert RequestEvent.objects.get(request__force_id="surrey").channel == "post"


def test_any_bad_row_records_nothing_and_every_problem_names_its_row_and_field(api, campaign):
    mark_sent(request=campaign.requests.get(force_id="durham"), on=days_ago(9), channel="post")
    response = _post(
        api,
        [
            {"force": "kent", "sent_on": days_ago(4).isoformat(), "portal_reference": "K/1"},
            {"force": "essex", "sent_on": "31/02/2024"},
            {"force": "gwent", "sent_on": "2024-01-02"},
            {"force": "kent", "sent_on": days_ago(2).isoformat()},
            {"sent_on": days_ago(2).isoformat()},
            {"force": "durham", "sent_on": days_ago(1).isoformat()},
            "surrey",
            {"force": "surrey", "sent_on": "1890-01-01", "portal_reference": "x" * 101},
        ],
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Nothing was recorded: 7 row(s) have problems."
    problems = {(e["row"], e["field"]): e for e in body["errors"]}
    assert set(problems) == {
        (2, "sent_on"),
        (3, "force"),
        (4, "force"),
        (5, "force"),
        (6, "force"),
        (7, ""),
        (8, "sent_on"),
        (8, "portal_reference"),
    }
    assert problems[2, "sent_on"]["message"].startswith(
        "row 2 (essex), sent_on: '31/02/2024' is not a date: use YYYY-MM-DD"
    )
    assert problems[3, "force"]["message"] == (
        "row 3 (gwent), force: no request to this force in the campaign c"
    )
    assert problems[3, "force"]["force"] == "gwent"
    assert problems[4, "force"]["message"] == "row 4 (kent), force: the force is already on row 1"
    assert problems[5, "force"]["message"] == "row 5, force: This field is required."
    assert "already sent" in problems[6, "force"]["message"]
    assert problems[7, ""]["message"].startswith("row 7: Invalid data. Expected a dictionary")
    assert "no more than 100 characters" in problems[8, "portal_reference"]["message"]
    assert "1890-01-01 is before 2005-01-01" in problems[8, "sent_on"]["message"]
    assert [e["row"] for e in body["errors"]] == [2, 3, 4, 5, 6, 7, 8, 8]
    # Row 1 alone was good, and it was rolled back with the rest.
    assert campaign.requests.get(force_id="kent").sent_on is None
    assert RequestEvent.objects.count() == 1  # only durham's earlier event


@pytest.mark.parametrize(
    ("sent_on", "says"),
    [
        ("1890-01-01", "before 2005-01-01"),
        ("2004-12-31", "before 2005-01-01"),
        ("9999-12-31", "is in the future"),
        (days_ago(-2).isoformat(), "is in the future"),
        ("20190315", "use YYYY-MM-DD"),
        ("2024-W01", "use YYYY-MM-DD"),
    ],
)
def test_a_date_that_cannot_be_an_event_is_a_problem_of_the_date(api, campaign, sent_on, says):
    response = _post(api, [{"force": "kent", "sent_on": sent_on}])
    assert response.status_code == 400
    [problem] = response.json()["errors"]
    assert (problem["row"], problem["field"]) == (1, "sent_on")
    assert says in problem["message"]
    assert campaign.requests.get(force_id="kent").sent_on is None


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"rows": []}, "rows", "at least 1"),
        ({}, "rows", "This field is required."),
        ({"rows": "kent,2024-01-02"}, "rows", 'Expected a list of items but got type "str".'),
        ({"rows": [{"force": "kent", "sent_on": "2024-01-02"}], "channel": "fax"}, "channel", ""),
        ([{"force": "kent", "sent_on": "2024-01-02"}], "", "Expected a dict"),
    ],
)
def test_a_body_wrong_as_a_whole_is_refused_with_the_field_named(
    api, campaign, body, field, message
):
    response = api.post(URL, body, format="json")
    assert response.status_code == 400
    [problem] = response.json()["errors"]
    assert problem["row"] is None and problem["field"] == field
    assert problem["message"].startswith(f"{field or 'request'}: ")
    assert message in problem["message"]
    assert RequestEvent.objects.count() == 0


def test_too_many_rows_are_refused(api, campaign):
    rows = [{"force": "kent", "sent_on": "2024-01-02"}] * 501
    response = _post(api, rows)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "rows"


def test_only_json_is_taken(api, campaign):
    response = api.post(URL, {"rows": "kent"})  # a form
    assert response.status_code == 415


def test_a_researcher_of_the_owning_team_may_a_viewer_or_another_team_may_not():
    world = build_world()
    row = [{"force": "essex", "sent_on": "2019-03-20", "portal_reference": "E/1"}]

    def post(user, campaign):
        client = APIClient()
        client.force_authenticate(user)
        return _post(client, row, url=f"/api/campaigns/{campaign.slug}/log-sent/")

    assert post(world.a_viewer, world.mine).status_code == 403
    assert post(world.a_researcher, world.shared).status_code == 403  # shared: read only
    assert post(world.a_coordinator, world.private).status_code == 404
    assert post(world.outsider, world.mine).status_code == 404
    anonymous = APIClient().post(f"/api/campaigns/{world.mine.slug}/log-sent/", {"rows": row})
    assert anonymous.status_code in (401, 403)
    assert not RequestEvent.objects.filter(request__force_id="essex").exists()
    assert post(world.a_researcher, world.mine).status_code == 200
    assert world.mine.requests.get(force_id="essex").sent_on is not None


def test_mark_sent_refuses_a_reference_too_long_to_store(api, campaign):
    response = api.post(
        "/api/campaigns/c/mark-sent/",
        {"date": days_ago(1).isoformat(), "force": "kent", "reference": "K" * 101},
        format="json",
    )
    assert response.status_code == 400
    assert "no more than 100 characters" in response.json()["reference"][0]
    assert not RequestEvent.objects.exists()
