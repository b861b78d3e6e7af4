"""The site search: forces, requests by reference, campaigns; only what the user may see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from requests_app.models import FoiRequest
from requests_app.permissions import forget_roles
from requests_app.selectors.search import LIMIT, clean_term
from tests.factories import CampaignRequestFactory, ForceFactory
from tests.requests_app.permissions_support import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _search(client, user, term):
    client.force_login(user)
    return client.get(reverse("search"), {"q": term})


def test_results_are_grouped_into_requests_campaigns_and_forces(client, world):
    response = _search(client, world.a_researcher, "kent")
    assert response.status_code == 200
    results = response.context["results"]
    assert [f.pk for f in results.forces] == ["kent"]
    assert {r.reference for r in results.requests} == {"alpha-campaign/kent", "bravo-shared/kent"}
    assert results.campaigns == []
    page = response.content.decode()
    assert "Kent Police" in page and "alpha-campaign/kent" in page
    assert 'aria-current="page">Search</li>' in page  # breadcrumbs


def test_campaigns_match_on_title_and_slug(client, world):
    results = _search(client, world.a_researcher, "Campaign alpha").context["results"]
    assert [c.slug for c in results.campaigns] == ["alpha-campaign"]
    results = _search(client, world.a_researcher, "ALPHA-camp").context["results"]
    assert [c.slug for c in results.campaigns] == ["alpha-campaign"]


def test_another_teams_private_campaign_and_requests_never_appear(client, world):
    response = _search(client, world.a_researcher, "bravo")
    results = response.context["results"]
    assert [c.slug for c in results.campaigns] == ["bravo-shared"]
    assert {r.reference for r in results.requests} == {"bravo-shared/essex", "bravo-shared/kent"}
    assert "bravo-private" not in response.content.decode()
    # Team B's researcher sees their own private campaign.
    forget_roles(world.b_researcher)
    results = _search(client, world.b_researcher, "bravo").context["results"]
    assert {c.slug for c in results.campaigns} == {"bravo-private", "bravo-shared"}


def test_an_exact_reference_opens_the_request(client, world):
    response = _search(client, world.a_researcher, "  Alpha-Campaign/KENT ")
    assert response.status_code == 302
    assert response["Location"] == reverse("request-detail", args=[world.mine_request.pk])


def test_an_exact_force_reference_opens_the_request(client, world):
    FoiRequest.objects.filter(pk=world.shared_request.pk).update(force_reference="KNT/FOI/2019/123")
    response = _search(client, world.a_researcher, "knt/foi/2019/123")
    assert response.status_code == 302
    assert response["Location"] == reverse("request-detail", args=[world.shared_request.pk])
    # Part of it lists the request instead.
    response = _search(client, world.a_researcher, "FOI/2019")
    assert response.status_code == 200
    assert [r.pk for r in response.context["results"].requests] == [world.shared_request.pk]


def test_an_exact_reference_the_user_may_not_see_finds_nothing(client, world):
    FoiRequest.objects.filter(pk=world.private_request.pk).update(force_reference="KNT-SECRET-1")
    for term in ("bravo-private/kent", "KNT-SECRET-1"):
        response = _search(client, world.a_researcher, term)
        assert response.status_code == 200, term
        assert response.context["results"].empty
        assert "Nothing matches" in response.content.decode()


def test_a_force_reference_shared_by_two_requests_lists_both(client, world):
    FoiRequest.objects.filter(pk__in=[world.mine_request.pk, world.shared_request.pk]).update(
        force_reference="FOI 0001"
    )
    response = _search(client, world.a_researcher, "foi 0001")
    assert response.status_code == 200
    assert {r.pk for r in response.context["results"].requests} == {
        world.mine_request.pk,
        world.shared_request.pk,
    }


def test_someone_in_no_team_finds_forces_only(client, world):
    results = _search(client, world.outsider, "kent").context["results"]
    assert [f.pk for f in results.forces] == ["kent"]
    assert results.requests == [] and results.campaigns == []


def test_the_query_count_does_not_grow_with_the_results(client, world):
    client.force_login(world.a_researcher)

    def count(term):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("search"), {"q": term}).status_code == 200
        return len(ctx.captured_queries)

    few = count("alpha-campaign/es")  # one request
    for n in range(LIMIT + 5):
        force = ForceFactory(id=f"alpha-force-{n}")
        CampaignRequestFactory(
            campaign=world.mine, force=force, reference=f"alpha-campaign/{force.pk}"
        )
    many = count("alpha")
    results = client.get(reverse("search"), {"q": "alpha"}).context["results"]
    assert len(results.requests) == LIMIT and results.more_requests
    assert len(results.forces) == LIMIT and results.more_forces
    assert few == many


def test_empty_odd_and_long_terms_answer_a_page(client, world):
    for term in ("", "   ", "\x00kent", "%_%", "k" * 5000, "'; drop table x; --"):
        response = _search(client, world.a_researcher, term)
        assert response.status_code == 200, repr(term[:20])
    assert clean_term("\x00 Kent \t Police\n") == "Kent Police"
    assert len(clean_term("k" * 5000)) == 100
    assert "Search forces by name" in _search(client, world.a_researcher, "").content.decode()


def test_the_header_search_goes_to_the_search_page(client, world):
    client.force_login(world.a_researcher)
    page = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("search")}"' in page


def test_search_needs_a_login(client):
    response = client.get(reverse("search"), {"q": "kent"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
