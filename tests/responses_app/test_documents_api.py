"""/api/documents/: reply files by team, filters, pages, logged downloads, 410 once purged."""

import pytest
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from responses_app.models import DocumentDownload, StoredFile
from responses_app.services.retention import REMOVED_MESSAGE
from tests.factories import DocumentFactory, ReplyFactory, StoredFileFactory

from ..requests_app.permissions_support import build_world, standalone_request

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def purge(document) -> None:
    """What the retention purge leaves: the row, without its bytes."""
    StoredFile.objects.filter(pk=document.stored_id).update(content="")


@pytest.fixture
def world():
    world = build_world()
    stored = StoredFileFactory(content=ContentFile(PDF, name="blob"), size=len(PDF))
    world.mine_doc = DocumentFactory(request=world.mine_request, stored=stored, name="reply.pdf")
    world.reading = ReplyFactory(request=world.mine_request, document=world.mine_doc)
    world.shared_doc = DocumentFactory(request=world.shared_request, name="shared.csv")
    world.private_doc = DocumentFactory(request=world.private_request, name="private.csv")
    return world


def _names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def test_the_api_needs_authentication(world):
    assert APIClient().get("/api/documents/").status_code in (401, 403)
    url = f"/api/documents/{world.mine_doc.pk}/download/"
    assert APIClient().get(url).status_code in (401, 403)
    assert not DocumentDownload.objects.exists()


@pytest.mark.parametrize("who", ["a_viewer", "a_researcher", "a_coordinator"])
def test_every_role_reads_its_team_files_and_the_shared_ones(world, who):
    client = api(getattr(world, who))
    assert _names(client.get("/api/documents/")) == {"reply.pdf", "shared.csv"}
    assert client.get(f"/api/documents/{world.private_doc.pk}/").status_code == 404


def test_another_team_file_is_404_and_its_download_is_not_logged(world):
    client = api(world.a_coordinator)
    for url in (
        f"/api/documents/{world.private_doc.pk}/",
        f"/api/documents/{world.private_doc.pk}/download/",
    ):
        response = client.get(url)
        assert response.status_code == 404 and "detail" in response.json()
    assert not DocumentDownload.objects.exists()
    assert _names(api(world.outsider).get("/api/documents/")) == set()
    assert _names(api(world.b_researcher).get("/api/documents/")) == {"shared.csv", "private.csv"}


def test_the_metadata_says_what_and_whose_the_file_is(world):
    row = api(world.a_viewer).get(f"/api/documents/{world.mine_doc.pk}/").json()
    assert row["size"] == len(PDF) and row["type"] == "pdf"
    assert row["content_type"] == "application/pdf" and row["held"] is True
    assert (row["request"], row["request_reference"], row["force"], row["campaign"]) == (
        world.mine_request.pk,
        world.mine_request.reference,
        "kent",
        "alpha-campaign",
    )
    assert (row["reply"], row["reply_status"]) == (world.reading.pk, "extracted")
    assert row["download_url"].endswith(f"/api/documents/{world.mine_doc.pk}/download/")


def test_a_request_outside_campaigns_shows_its_file_to_the_creator_team(world):
    document = DocumentFactory(request=standalone_request(world.a_researcher), name="loose.csv")
    row = api(world.a_viewer).get(f"/api/documents/{document.pk}/").json()
    assert row["campaign"] is None
    assert api(world.b_researcher).get(f"/api/documents/{document.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"campaign": "alpha-campaign"}, {"reply.pdf"}),
        ({"campaign": "bravo-private"}, set()),  # filters never widen what you see
        ({"name": "SHARED"}, {"shared.csv"}),
        ({"force": "kent"}, {"reply.pdf", "shared.csv"}),
        ({"held": "false"}, {"shared.csv"}),
        ({"held": "true"}, {"reply.pdf"}),
    ],
)
def test_documents_are_filterable(world, params, names):
    purge(world.shared_doc)
    client = api(world.a_viewer)
    assert _names(client.get("/api/documents/", params)) == names
    if params.get("campaign") == "alpha-campaign":
        request = {"request": world.mine_request.pk}
        assert _names(client.get("/api/documents/", request)) == names


def test_documents_come_in_pages_at_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for n in range(55):
        DocumentFactory(request=world.mine_request, stored=world.mine_doc.stored, name=f"{n}.csv")
    client = api(world.a_viewer)
    with django_assert_max_num_queries(5):
        first = client.get("/api/documents/").json()
    assert (first["count"], len(first["results"])) == (57, 50) and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 7 and second["next"] is None


def test_a_download_returns_the_file_and_is_logged_like_the_page_download(world, client):
    viewer = api(world.a_viewer)
    # The client's Accept does not matter: the file comes with its own safe type.
    response = viewer.get(
        f"/api/documents/{world.mine_doc.pk}/download/", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="reply.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(world.a_viewer)
    assert client.get(f"/documents/{world.mine_doc.pk}/download/").status_code == 200
    logged = DocumentDownload.objects.filter(document=world.mine_doc, user=world.a_viewer)
    assert logged.count() == 2


def test_a_purged_file_is_410_with_a_clear_reason_on_the_api_and_the_page(world, client):
    purge(world.mine_doc)
    client.force_login(world.a_viewer)
    response = api(world.a_viewer).get(f"/api/documents/{world.mine_doc.pk}/download/")
    assert response.status_code == 410
    assert response.json() == {"detail": REMOVED_MESSAGE}
    page = client.get(f"/documents/{world.mine_doc.pk}/download/")
    assert page.status_code == 410 and "retention policy" in page.content.decode()
    assert not DocumentDownload.objects.exists()
    row = api(world.a_viewer).get(f"/api/documents/{world.mine_doc.pk}/").json()
    assert row["held"] is False and row["size"] == len(PDF)
