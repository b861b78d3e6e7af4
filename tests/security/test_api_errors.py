"""Every bad body, unknown path and bad filter value answers JSON, never HTML or a 500."""

import json

import pytest
from rest_framework.authtoken.models import Token

from requests_app.models import Campaign, Force, SendRun
from requests_app.services.campaigns import create_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth(researcher):
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=researcher).key}"}


def _post(client, auth, path, body, content_type="application/json"):
    return client.post(path, body, content_type=content_type, **auth)


@pytest.mark.parametrize("path", ["/api/campaigns/", "/api/campaigns/c/log-sent/"])
@pytest.mark.parametrize(
    ("body", "code", "says"),
    [
        ("[" * 100_000, 400, "nested too deeply"),
        ('{"title": "' + "x" * 5_000_000 + '"}', 413, "larger than the limit"),
        ("{bad", 400, "JSON parse error"),
        (b"\xff\xfe{", 400, "JSON parse error"),
    ],
)
def test_a_bad_body_is_a_json_error(client, auth, path, body, code, says):
    create_campaign(slug="c", title="C", periods=["2019"], forces=[Force.objects.get(pk="kent")])
    response = _post(client, auth, path, body)
    assert response.status_code == code
    assert response["Content-Type"] == "application/json"
    assert says in response.json()["detail"]


def test_a_large_form_body_is_a_json_413_too(client, auth):
    response = _post(
        client,
        auth,
        "/api/campaigns/",
        "title=" + "x" * 5_000_000,
        "application/x-www-form-urlencoded",
    )
    assert response.status_code == 413 and "limit" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/campaigns/c/send/", "/api/campaigns/c/repeat/"])
def test_an_oversized_body_is_a_413_where_the_view_reads_no_body(client, auth, path):
    create_campaign(slug="c", title="C", periods=["2019"], forces=[Force.objects.get(pk="kent")])
    response = _post(client, auth, path, '{"note": "' + "x" * 3_000_000 + '"}')
    assert response.status_code == 413 and "larger than the limit" in response.json()["detail"]
    assert not SendRun.objects.exists() and Campaign.objects.count() == 1


def test_an_oversized_body_is_a_413_before_anyone_is_asked_who_they_are(client):
    response = client.post("/api/campaigns/", "x" * 3_000_000, content_type="application/json")
    assert response.status_code == 413 and "larger than the limit" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        # a choice field quoted the surrogate in its message, which could not be sent: a 500
        ({"kind": "a\ud800b"}, "kind holds \\ud800, half of a surrogate pair"),
        (
            {"kind": "note", "note": "fine", "exemptions": ["s12", "a\x00b"]},
            "exemptions[1] holds a NUL",
        ),
    ],
)
def test_json_text_no_database_can_store_is_a_400_saying_where(client, auth, body, says):
    body = {"request": 1, "on": "2020-01-02", **body}
    response = _post(client, auth, "/api/events/", json.dumps(body))
    assert response.status_code == 400
    assert says in response.json()["detail"]


def test_a_nul_inside_a_question_is_refused_not_stored(client, auth, researcher):
    # PostgreSQL's jsonb refuses \u0000 (a 500 there); SQLite stored it
    campaign = create_campaign(
        slug="c",
        title="C",
        periods=["2019"],
        forces=[Force.objects.get(pk="kent")],
        owner=researcher,
    )
    schema = {**campaign.schema, "methodology": "Counted \x00 by hand."}
    response = client.put(
        "/api/campaigns/c/schema/", json.dumps({"schema": schema}), "application/json", **auth
    )
    assert response.status_code == 400
    assert "schema.methodology holds a NUL character" in response.json()["detail"]
    campaign.refresh_from_db()
    assert "\x00" not in json.dumps(campaign.schema) and campaign.schema_version == 1


@pytest.mark.parametrize(
    "path",
    [
        "/api/nothing/",
        "/api/datasets/<unknown>/",
        "/api/datasets/nope/export/pdf/",
        "/api/campaigns/c/nope/",
        "/api/figures/x/",
    ],
)
def test_an_unknown_api_path_is_a_json_404(client, auth, path):
    response = client.get(path, **auth)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json" and response.json()["detail"]


def test_an_unknown_page_is_still_an_html_404(client, researcher):
    client.force_login(researcher)
    response = client.get("/nothing-here/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/api/requests/", "overdue"),
        ("/api/forces/", "active"),
        ("/api/forces/", "territorial"),
        ("/api/documents/", "held"),
    ],
)
def test_a_bad_boolean_filter_is_a_400_naming_it(client, auth, path, param):
    response = client.get(path, {param: "maybe"}, **auth)
    assert response.status_code == 400
    assert "'maybe' is not a boolean" in response.json()[param][0]
    for good in ("true", "false", "1", "0"):
        assert client.get(path, {param: good}, **auth).status_code == 200


def test_boolean_filters_still_filter(client, auth):
    everyone = client.get("/api/forces/", **auth).json()["count"]
    territorial = client.get("/api/forces/", {"territorial": "true"}, **auth).json()["count"]
    others = client.get("/api/forces/", {"territorial": "false"}, **auth).json()["count"]
    assert territorial == 43 and territorial + others == everyone


@pytest.mark.parametrize("path", ["/api/requests/?overdue=", "/api/forces/?active="])
@pytest.mark.parametrize("value", ["%s", "%(value)s %d", "{0}"])
def test_a_boolean_filter_with_a_format_string_is_a_400_quoting_it(client, auth, path, value):
    response = client.get(path + value.replace("%", "%25"), **auth)
    assert response.status_code == 400
    param = path.split("?")[1].rstrip("=")
    assert response.json()[param] == [f"{value!r} is not a boolean: use true or false."]


@pytest.mark.parametrize("path", ["/api/events/", "/api/documents/", "/api/inbound/"])
@pytest.mark.parametrize("value", ["1e30", str(10**40), "-1", "0", str(2**63)])
def test_a_request_id_filter_no_row_can_match_is_a_400(client, auth, path, value):
    response = client.get(path, {"request": value}, **auth)
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["request"]
    assert client.get(path, {"request": str(2**63 - 1)}, **auth).status_code == 200
