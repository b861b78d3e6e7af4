"""The API for people: the token page, the docs behind the login, every deadline in the API."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import CampaignFactory

from .chasing_support import make_request

pytestmark = pytest.mark.django_db


def test_the_request_api_gives_every_deadline_the_page_shows(researcher):
    foi = make_request(
        campaign=CampaignFactory(),
        events=[
            ("response", date(2019, 4, 1), {"outcome": "refused", "exemptions": ["s.30"]}),
            ("review_requested", date(2019, 4, 10), {}),
        ],
    )
    assert foi.review_due_on and foi.last_day_to_request_review
    api = APIClient()
    api.force_authenticate(researcher)
    body = api.get(f"/api/requests/{foi.pk}/").json()
    assert body["review_due_on"] == foi.review_due_on.isoformat()
    assert body["last_day_to_request_review"] == foi.last_day_to_request_review.isoformat()
    assert body["last_day_to_complain"] == (
        foi.last_day_to_complain.isoformat() if foi.last_day_to_complain else None
    )


def test_the_api_docs_send_a_logged_out_visitor_to_login(client, researcher):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    client.force_login(researcher)
    assert client.get(reverse("api-docs")).status_code == 200


def test_the_header_links_the_token_page_and_the_docs(client, viewer):
    client.force_login(viewer)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("api-token")}"' in html and f'href="{reverse("api-docs")}"' in html


def test_a_user_creates_sees_replaces_and_revokes_their_token(client, viewer):
    client.force_login(viewer)
    page = client.get(reverse("api-token")).content.decode()
    assert "You have no API token." in page
    client.post(reverse("api-token"), {"action": "create"})
    first = Token.objects.get(user=viewer)
    page = client.get(reverse("api-token")).content.decode()
    assert first.key in page and "Authorization: Token" in page
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first.key}")
    assert api.get("/api/campaigns/").status_code == 200
    client.post(reverse("api-token"), {"action": "create"})
    second = Token.objects.get(user=viewer)
    assert second.key != first.key
    assert api.get("/api/campaigns/").status_code in (401, 403)  # the old key stopped at once
    response = client.post(reverse("api-token"), {"action": "revoke"}, follow=True)
    assert "revoked" in response.content.decode() and not Token.objects.filter(user=viewer).exists()
    response = client.post(reverse("api-token"), {"action": "revoke"}, follow=True)
    assert "You had no API token to revoke." in response.content.decode()


def test_nobody_sees_another_s_token(client, viewer, researcher):
    other = Token.objects.create(user=researcher)
    client.force_login(viewer)
    assert other.key not in client.get(reverse("api-token")).content.decode()
