"""The API: the dataset summary, releases with their diff, exports as downloads."""

import pytest
from rest_framework.test import APIClient

from responses_app.models import Figure
from responses_app.services.review import correct_figure
from tests.factories import CampaignFactory, UserFactory
from tests.responses_app.builders import answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(researcher):
    client = APIClient()
    client.force_authenticate(researcher)
    return client


@pytest.fixture
def campaign():
    c = CampaignFactory(slug="csc-2019", series="csc", periods=["2017-18", "2018-19"])
    answer(c, "kent", "2017-18", total=3000)
    answer(c, "durham", "2017-18", total=217)
    answer(c, "kent", "2018-19", total=4000)
    answer(c, "durham", "2018-19", total=373)
    return c


def test_the_dataset_summary(api, campaign):
    body = api.get("/api/datasets/csc-2019/").json()
    assert body["headlines"][1] == (
        "4,373 offences in 2018-19, up 36% on 2017-18 (3,217); 2 of 2 forces answered"
    )
    assert {t["period"]: t["value"] for t in body["totals"]} == {"2017-18": 3217, "2018-19": 4373}
    assert api.get("/api/datasets/nope/").status_code == 404


def test_releases_through_the_api(api, campaign, researcher, coordinator):
    assert api.post("/api/releases/", {"campaign": "csc-2019"}).status_code == 403
    api.force_authenticate(coordinator)
    created = api.post("/api/releases/", {"campaign": "csc-2019", "methodology": "v1"})
    assert created.status_code == 201
    assert created.json()["number"] == 1
    kent = Figure.objects.get(force_id="kent", period="2017-18")
    correct_figure(figure=kent, user=researcher, value=3511, reason="Revised")
    second = api.post("/api/releases/", {"campaign": "csc-2019"}).json()
    body = api.get(f"/api/releases/{second['id']}/").json()
    [row] = body["diff"]
    assert (row["before_value"], row["after_value"]) == (3000, 3511)
    assert body["summary"]["totals"][0]["value"] == 3728
    frozen = api.get("/api/datasets/csc-2019/", {"release": 1}).json()
    assert frozen["totals"][0]["value"] == 3217
    listed = api.get("/api/releases/", {"campaign": "csc-2019"}).json()
    assert listed["count"] == 2
    bad = api.post("/api/releases/", {"campaign": "nope"})
    assert bad.status_code == 400 and "no campaign" in bad.json()["detail"]
    series = api.post("/api/releases/", {"series": "csc"})
    assert series.status_code == 201 and series.json()["series"] == "csc"
    assert api.get("/api/series/csc/").json()["totals"][0]["value"] == 3728


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "datapackage"])
def test_exports_are_file_downloads(api, campaign, fmt):
    response = api.get(f"/api/datasets/csc-2019/export/{fmt}/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


def test_a_bad_export_is_404(api, campaign):
    assert api.get("/api/datasets/csc-2019/export/pdf/").status_code == 404
    assert api.get("/api/datasets/csc-2019/export/csv/", {"release": 5}).status_code == 404


def test_an_outsider_sees_nothing(campaign):
    client = APIClient()
    client.force_authenticate(UserFactory(username="outsider"))
    assert client.get("/api/datasets/csc-2019/").status_code == 404
    assert client.get("/api/figures/").json()["count"] == 0
    assert client.get("/api/datasets/csc-2019/export/csv/").status_code == 404
    assert client.get("/api/series/csc/").status_code == 404
