"""Pages: a team never reads or changes another team's private campaign, even by guessing."""

import pytest
from django.urls import reverse

from requests_app.models import Campaign, OutboundMessage, RequestEvent
from tests.factories import OutboundMessageFactory

from .permissions_support import build_world, standalone_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _as(client, user):
    client.force_login(user)
    return client


def _campaign_urls(slug: str) -> list[tuple[str, str]]:
    """(method, url) of every campaign page, reads and writes."""
    return [
        ("get", reverse("campaign-board", args=[slug])),
        ("get", reverse("campaign-board-csv", args=[slug])),
        ("get", reverse("campaign-send", args=[slug])),
        ("post", reverse("campaign-send", args=[slug])),
        ("get", reverse("campaign-mark-sent", args=[slug])),
        ("post", reverse("campaign-mark-sent", args=[slug])),
        ("post", reverse("campaign-repeat", args=[slug])),
        ("post", reverse("campaign-outbound-retry", args=[slug, 1])),
        ("post", reverse("campaign-outbound-confirm", args=[slug, 1])),
    ]


def test_another_teams_private_campaign_is_not_found_on_any_page(client, world):
    _as(client, world.a_coordinator)
    for method, url in _campaign_urls(world.private.slug):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (method, url)
    # ... exactly as for a campaign that does not exist at all.
    for method, url in _campaign_urls("no-such-campaign"):
        assert getattr(client, method)(url).status_code == 404
    assert Campaign.objects.filter(slug__startswith="bravo-private").count() == 1


def test_another_teams_requests_are_not_found_and_not_changed(client, world):
    _as(client, world.a_coordinator)
    foi = world.private_request
    assert client.get(reverse("request-detail", args=[foi.pk])).status_code == 404
    before = RequestEvent.objects.count()
    response = client.post(
        reverse("request-add-event", args=[foi.pk]),
        {"kind": "response", "on": "2019-04-10", "outcome": "full", "exemptions": ""},
    )
    assert response.status_code == 404
    assert RequestEvent.objects.count() == before


def test_lists_home_and_force_pages_show_only_what_the_team_may_see(client, world):
    _as(client, world.a_viewer)
    hidden = world.private_request.reference
    for url in [
        reverse("home"),
        reverse("campaign-list"),
        reverse("request-list"),
        reverse("request-list") + "?q=bravo",
        reverse("force-detail", args=["kent"]),
    ]:
        page = client.get(url).content.decode()
        assert hidden not in page and world.private.title not in page, url
    campaigns = client.get(reverse("campaign-list")).content.decode()
    assert world.mine.title in campaigns and world.shared.title in campaigns
    force = client.get(reverse("force-detail", args=["kent"])).content.decode()
    assert world.mine_request.reference in force and world.shared_request.reference in force


def test_the_force_list_counts_only_visible_requests(client, world):
    _as(client, world.a_viewer)
    forces = {f.pk: f for f in client.get(reverse("force-list")).context["forces"]}
    assert forces["kent"].request_count == 2  # alpha's and the shared one, not bravo's private


def test_a_shared_campaign_is_readable_but_not_changeable(client, world):
    _as(client, world.a_coordinator)
    slug = world.shared.slug
    assert client.get(reverse("campaign-board", args=[slug])).status_code == 200
    assert client.get(reverse("campaign-board-csv", args=[slug])).status_code == 200
    assert client.get(reverse("request-detail", args=[world.shared_request.pk])).status_code == 200
    assert client.get(reverse("campaign-send", args=[slug])).status_code == 403
    response = client.post(
        reverse("campaign-mark-sent", args=[slug]),
        {
            "request": world.shared.requests.get(force_id="essex").pk,
            "on": "2019-03-20",
            "channel": "portal",
        },
    )
    assert response.status_code == 403
    assert not world.shared.requests.get(force_id="essex").sent_on
    response = client.post(
        reverse("request-add-event", args=[world.shared_request.pk]),
        {"kind": "acknowledged", "on": "2019-03-18"},
    )
    assert response.status_code == 403


def test_a_viewer_reads_and_downloads_but_cannot_record_or_send(client, world):
    _as(client, world.a_viewer)
    slug = world.mine.slug
    board = client.get(reverse("campaign-board", args=[slug]))
    assert board.status_code == 200 and "Send by email" not in board.content.decode()
    assert client.get(reverse("campaign-board-csv", args=[slug]))["Content-Type"].startswith(
        "text/csv"
    )
    page = client.get(reverse("request-detail", args=[world.mine_request.pk])).content.decode()
    assert "Record an event" not in page
    before = RequestEvent.objects.count()
    assert (
        client.post(
            reverse("request-add-event", args=[world.mine_request.pk]),
            {"kind": "acknowledged", "on": "2019-03-18"},
        ).status_code
        == 403
    )
    assert client.get(reverse("campaign-send", args=[slug])).status_code == 403
    assert client.post(reverse("campaign-send", args=[slug])).status_code == 403
    assert client.post(reverse("campaign-repeat", args=[slug])).status_code == 403
    assert client.get(reverse("campaign-create")).status_code == 403
    assert RequestEvent.objects.count() == before
    assert Campaign.objects.count() == 3


def test_a_coordinator_records_events_and_logs_sending(client, world):
    _as(client, world.a_coordinator)
    response = client.post(
        reverse("request-add-event", args=[world.mine_request.pk]),
        {"kind": "acknowledged", "on": "2019-03-18"},
    )
    assert response.status_code == 302
    essex = world.mine.requests.get(force_id="essex")
    response = client.post(
        reverse("campaign-mark-sent", args=[world.mine.slug]),
        {"request": essex.pk, "on": "2019-03-20", "channel": "portal", "reference": ""},
    )
    assert response.status_code == 302
    essex.refresh_from_db()
    assert essex.sent_on is not None
    page = client.get(reverse("campaign-board", args=[world.mine.slug])).content.decode()
    assert "Send by email" in page


def test_a_researcher_creates_campaigns_only_in_their_own_team(client, world):
    _as(client, world.a_researcher)
    data = {
        "title": "New one",
        "slug": "new-one",
        "periods": "2019-20",
        "dimensions": "total",
        "forces": ["kent"],
        "team": world.team_b.pk,
        "action": "create",
    }
    response = client.post(reverse("campaign-create"), data)
    assert response.status_code == 400 and not Campaign.objects.filter(slug="new-one").exists()
    response = client.post(reverse("campaign-create"), {**data, "team": world.team_a.pk})
    assert response.status_code == 302
    assert Campaign.objects.get(slug="new-one").team == world.team_a


def test_an_email_of_another_campaign_cannot_be_touched_through_ones_own(client, world):
    theirs = OutboundMessageFactory(
        request=world.private_request,
        kind=OutboundMessage.Kind.REQUEST,
        stage="",
        status=OutboundMessage.Status.FAILED,
    )
    _as(client, world.a_coordinator)
    url = reverse("campaign-outbound-retry", args=[world.mine.slug, theirs.pk])
    assert client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == OutboundMessage.Status.FAILED


def test_a_request_outside_campaigns_is_seen_by_its_creators_team_only(client, world):
    foi = standalone_request(world.a_researcher)
    assert (
        _as(client, world.a_viewer).get(reverse("request-detail", args=[foi.pk])).status_code == 200
    )
    assert (
        _as(client, world.b_researcher).get(reverse("request-detail", args=[foi.pk])).status_code
        == 404
    )


def test_someone_in_no_team_sees_nothing(client, world):
    _as(client, world.outsider)
    assert client.get(reverse("campaign-board", args=[world.mine.slug])).status_code == 404
    page = client.get(reverse("campaign-list")).content.decode()
    assert world.mine.title not in page and "New campaign" not in page


def test_the_board_costs_a_fixed_number_of_queries_with_permissions(
    client, world, django_assert_max_num_queries
):
    _as(client, world.a_viewer)
    client.get(reverse("campaign-board", args=[world.mine.slug]))  # warm up (session, caches)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("campaign-board", args=[world.mine.slug])).status_code == 200
