"""The API: figures filtered, findings, approve / reject / correct, bulk approval."""

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from responses_app.models import Figure
from responses_app.services.validation import validate_reply
from tests.factories import CampaignFactory
from tests.responses_app.builders import answer

pytestmark = pytest.mark.django_db
Status = Figure.Status


@pytest.fixture
def api(researcher):
    client = APIClient()
    client.force_authenticate(researcher)
    return client


@pytest.fixture
def campaign():
    c = CampaignFactory(slug="csc-2021", periods=["2019-20", "2020-21"])
    bad = answer(c, "kent", total=57, status=Status.EXTRACTED, platform={"Instagram": 5})
    answer(
        bad[0].campaign, "kent", "2020-21", total=50, status=Status.EXTRACTED, reply=bad[0].reply
    )
    answer(c, "durham", total=12, status=Status.EXTRACTED)
    answer(c, "durham", "2020-21", total=10, status=Status.EXTRACTED)
    validate_reply(bad[0].reply)
    return c


def test_the_api_needs_authentication(campaign):
    assert APIClient().get("/api/figures/").status_code in (401, 403)


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"campaign": "csc-2021"}, 5),
        ({"force": "durham"}, 2),
        ({"period": "2020-21"}, 2),
        ({"dimension": "platform"}, 1),
        ({"status": "needs_review"}, 1),
        ({"campaign": "csc-2021", "force": "kent", "period": "2019-20"}, 2),
    ],
)
def test_figures_are_filterable(api, campaign, params, count):
    response = api.get("/api/figures/", params)
    assert response.status_code == 200
    assert response.json()["count"] == count


def test_findings_are_listed_with_the_figure(api, campaign):
    findings = api.get("/api/findings/", {"campaign": "csc-2021", "severity": "error"}).json()
    [finding] = findings["results"]
    assert finding["code"] == "breakdown.sum"
    figure = api.get(f"/api/figures/{finding['figure']}/").json()
    assert figure["findings"][0]["message"] == finding["message"]


def test_approve_reject_and_correct(api, campaign, researcher):
    durham = Figure.objects.get(force_id="durham", period="2019-20")
    response = api.post(f"/api/figures/{durham.pk}/approve/")
    assert (response.status_code, response.json()["status"]) == (200, "approved")
    again = api.post(f"/api/figures/{durham.pk}/approve/")
    assert again.status_code == 400 and "already approved" in again.json()["detail"]

    other = Figure.objects.get(force_id="durham", period="2020-21")
    assert api.post(f"/api/figures/{other.pk}/reject/", {}).status_code == 400
    response = api.post(f"/api/figures/{other.pk}/reject/", {"reason": "Calendar year"})
    assert response.json()["status"] == "rejected"

    instagram = Figure.objects.get(category="Instagram")
    response = api.post(
        f"/api/figures/{instagram.pk}/correct/", {"value": 57, "reason": "Misread"}, format="json"
    )
    body = response.json()
    assert (body["value"], body["status"], body["original"]["value"]) == (57, "corrected", 5)
    assert Figure.objects.get(pk=instagram.pk).history.first().history_user == researcher


def test_bulk_approval(api, campaign):
    response = api.post("/api/figures/approve/", {"campaign": "csc-2021"}, format="json")
    assert response.json() == {"approved": 4, "skipped": 1, "skipped_ocr": 0}
    missing = api.post("/api/figures/approve/", {"campaign": "nope"}, format="json")
    assert missing.status_code == 404


def test_bulk_approval_of_figures_with_errors_needs_a_reason(api, campaign):
    body = {"campaign": "csc-2021", "all_valid": False}
    refused = api.post("/api/figures/approve/", body, format="json")
    assert refused.status_code == 400
    assert "error finding" in str(refused.json())
    assert not Figure.objects.filter(status=Status.APPROVED).exists()
    done = api.post(
        "/api/figures/approve/", {**body, "reason": "The force counts victims"}, format="json"
    )
    assert done.json() == {"approved": 5, "skipped": 0, "skipped_ocr": 0}
    reasons = set(Figure.objects.values_list("reason", flat=True))
    assert reasons == {"", "The force counts victims"}  # only on the figure with an error


def test_the_schema_documents_our_endpoints_without_warnings():
    GENERATOR_STATS.reset()
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in [
        "/api/figures/",
        "/api/figures/{id}/approve/",
        "/api/figures/{id}/reject/",
        "/api/figures/{id}/correct/",
        "/api/figures/approve/",
        "/api/findings/",
        "/api/releases/",
        "/api/datasets/{slug}/",
        "/api/datasets/{slug}/export/{fmt}/",
    ]:
        assert path in paths
    ours = [
        message
        for message in list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
        if "responses_app" in message or "figures" in message or "Dataset" in message
    ]
    assert ours == []


def test_a_viewer_reads_figures_but_cannot_approve(campaign, viewer):
    client = APIClient()
    client.force_authenticate(viewer)
    figure = Figure.objects.get(force_id="durham", period="2019-20")
    assert client.get(f"/api/figures/{figure.pk}/").status_code == 200
    assert client.post(f"/api/figures/{figure.pk}/approve/").status_code == 403
    assert client.post("/api/figures/approve/", {"campaign": "csc-2021"}).status_code == 403
    assert Figure.objects.get(pk=figure.pk).status == Status.EXTRACTED
