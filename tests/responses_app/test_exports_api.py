"""/api/exports/: the downloads that exist for what the user sees, and each one works."""

import pytest
from rest_framework.test import APIClient

from responses_app.exports import FORMATS
from responses_app.exports.formats import CONTENT_TYPES
from tests.factories import ReleaseFactory

from ..requests_app.permissions_support import build_world

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def world():
    world = build_world()
    ReleaseFactory(campaign=world.mine, number=1)
    ReleaseFactory(campaign=world.private, number=1)
    ReleaseFactory(campaign=None, series="alpha-series", number=1)
    world.mine.series = "alpha-series"
    world.mine.save(update_fields=["series"])
    return world


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def scopes(response) -> set[tuple]:
    return {(r["scope"], r["campaign"], r["series"], r["release"]) for r in rows(response)}


def test_the_api_needs_authentication(world):
    assert APIClient().get("/api/exports/").status_code in (401, 403)


@pytest.mark.parametrize("who", ["a_viewer", "a_researcher", "a_coordinator"])
def test_a_user_sees_the_exports_of_what_they_may_read(world, who):
    response = api(getattr(world, who)).get("/api/exports/")
    assert scopes(response) == {
        ("campaign", "alpha-campaign", None, None),
        ("release", "alpha-campaign", None, 1),
        ("campaign", "bravo-shared", None, None),
        ("series", None, "alpha-series", None),
    }
    assert response.json()["count"] == 4 * len(FORMATS)


def test_each_export_says_its_format_content_type_and_urls(world):
    listed = rows(api(world.a_viewer).get("/api/exports/", {"campaign": "alpha-campaign"}))
    release_csv = next(r for r in listed if r["release"] == 1 and r["format"] == "csv")
    assert release_csv["content_type"] == CONTENT_TYPES["csv"]
    assert release_csv["url"].endswith("/api/datasets/alpha-campaign/export/csv/?release=1")
    assert release_csv["page_url"].endswith("/dataset/alpha-campaign/export.csv?release=1")
    assert {r["format"] for r in listed} == set(FORMATS)


def test_every_listed_url_downloads_with_its_content_type(world, client):
    viewer = api(world.a_viewer)
    client.force_login(world.a_viewer)
    for row in rows(viewer.get("/api/exports/", {"fmt": "xlsx"})):
        response = viewer.get(row["url"], HTTP_ACCEPT=row["content_type"])
        assert response.status_code == 200, row["url"]
        assert response["Content-Type"] == row["content_type"]
        assert client.get(row["page_url"]).status_code == 200, row["page_url"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"campaign": "alpha-campaign", "release": 1}, {("release", "alpha-campaign", None, 1)}),
        ({"series": "alpha-series"}, {("series", None, "alpha-series", None)}),
        ({"campaign": "bravo-shared"}, {("campaign", "bravo-shared", None, None)}),
    ],
)
def test_exports_are_narrowed_to_a_campaign_release_or_series(world, params, expected):
    assert scopes(api(world.a_viewer).get("/api/exports/", params)) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"campaign": "bravo-private"},
        {"campaign": "no-such-campaign"},
        {"campaign": "alpha-campaign", "release": 7},
        {"series": "no-such-series"},
    ],
)
def test_what_you_may_not_see_or_does_not_exist_is_404(world, params):
    response = api(world.a_viewer).get("/api/exports/", params)
    assert response.status_code == 404 and "detail" in response.json()


def test_a_series_with_another_team_private_campaign_is_hidden(world):
    world.private.series = "alpha-series"
    world.private.save(update_fields=["series"])
    client = api(world.a_viewer)
    assert all(r["scope"] != "series" for r in rows(client.get("/api/exports/")))
    assert client.get("/api/exports/", {"series": "alpha-series"}).status_code == 404


@pytest.mark.parametrize(
    "params",
    [{"release": 1}, {"fmt": "pdf"}, {"campaign": "alpha-campaign", "series": "alpha-series"}],
)
def test_bad_questions_are_400_with_a_message(world, params):
    response = api(world.a_viewer).get("/api/exports/", params)
    assert response.status_code == 400, response.content
    assert response.json()


def test_the_listing_is_paged(world):
    listed = api(world.b_researcher).get("/api/exports/").json()
    # bravo-private live and release 1, bravo-shared live; no series (alpha is not theirs).
    assert listed["count"] == 3 * len(FORMATS) and listed["next"] is None
