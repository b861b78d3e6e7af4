"""The overdue board, its bulk actions and the forces' league table."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from requests_app.domain.calendar import Regime
from requests_app.models import OutboundMessage, RequestEvent
from requests_app.permissions import request_q
from requests_app.selectors.overdue import league_table
from requests_app.services.calendars import calendar
from tests.factories import (
    CampaignFactory,
    ClosureDayFactory,
    ForceFactory,
    OutboundMessageFactory,
)

from .chasing_support import make_request
from .permissions_support import build_world

pytestmark = pytest.mark.django_db
NOW = date(2019, 5, 20)  # a Monday


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("requests_app.views.overdue.today", lambda: NOW)


@pytest.fixture
def page(client, admin_user):
    client.force_login(admin_user)

    def get(name="overdue-board", **params):
        response = client.get(reverse(name), params)
        return response, response.content.decode()

    return get


def test_the_nav_links_to_the_board(page):
    _, html = page("home")
    assert f'href="{reverse("overdue-board")}"' in html and ">Overdue<" in html


def test_overdue_requests_most_working_days_overdue_first(page):
    later = make_request(sent=date(2019, 4, 1))  # due 1 May
    earliest = make_request(sent=date(2019, 3, 15))  # due 15 April
    # FOISA: 18 March (Northern Ireland) is a working day, so due Friday 12 April.
    scottish = make_request(sent=date(2019, 3, 15), force=ForceFactory(regime="FOISA"))
    make_request(sent=date(2019, 4, 25))  # due 24 May: not overdue
    make_request(
        sent=date(2019, 3, 15), events=[("response", date(2019, 4, 1), {"outcome": "full"})]
    )
    response, html = page()
    rows = list(response.context["rows"])
    # 16 April to 20 May is 22 FOIA working days; Scotland adds 15 April and Easter Monday.
    assert [(r.reference, r.working_days_overdue) for r, _ in rows] == [
        (scottish.reference, 24),
        (earliest.reference, 22),
        (later.reference, 12),
    ]
    assert "3 overdue requests" in html


def test_each_row_shows_the_last_chaser_and_the_next_stage(page):
    request = make_request(sent=date(2019, 4, 1))  # due 1 May: stage 2 on 16 May
    OutboundMessageFactory(request=request, stage="1", status="sent", due_for=date(2019, 5, 1))
    fresh = make_request(sent=date(2019, 4, 5))  # due 7 May
    response, html = page()
    rows = {r.reference: (r, nxt) for r, nxt in response.context["rows"]}
    row, nxt = rows[request.reference]
    assert (row.last_chaser_stage, row.last_chaser_on, row.top_stage_sent) == (
        "1",
        date(2019, 5, 1),
        1,
    )
    assert (nxt.stage, nxt.on, nxt.due_now) == ("2", date(2019, 5, 16), True)
    _, fresh_next = rows[fresh.reference]
    assert (fresh_next.stage, fresh_next.due_now) == ("1", True)
    assert "Stage 1, Wed 1 May 2019 (sent)" in html


def test_the_board_costs_a_fixed_number_of_queries(page, django_assert_max_num_queries):
    for _ in range(3):
        make_request()
    with django_assert_max_num_queries(10):
        page()
    for i in range(6):
        make_request(sent=date(2019, 3, 20 + i), campaign=CampaignFactory())
    with django_assert_max_num_queries(10):
        response, _ = page()
    assert response.context["page"].paginator.count == 9


def test_every_regime_s_closure_days_come_from_one_query(page):
    earliest = make_request(sent=date(2019, 3, 15))  # due 15 April: 22 working days overdue
    scottish = make_request(sent=date(2019, 3, 15), force=ForceFactory(regime="FOISA"))  # 24
    ClosureDayFactory(regime="FOIA", date=date(2019, 5, 10), reason="Office move")
    ClosureDayFactory(regime="FOISA", date=date(2019, 5, 17), reason="Local holiday")
    with CaptureQueriesContext(connection) as queries:
        response, _ = page()
    reads = [q for q in queries.captured_queries if "requests_app_closureday" in q["sql"]]
    assert len(reads) == 1
    days = {r.reference: r.working_days_overdue for r, _ in response.context["rows"]}
    # Each closure day counts under its own regime only.
    assert days == {earliest.reference: 21, scottish.reference: 23}


def test_chase_now_sends_the_next_stage_once(
    client, admin_user, eager_celery, mailoutbox, django_capture_on_commit_callbacks
):
    request = make_request(sent=date(2019, 4, 5))  # due 7 May, stage 1 already sent
    OutboundMessageFactory(request=request, stage="1", status="sent", due_for=date(2019, 5, 8))
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("overdue-action"), {"action": "chase", "ids": [request.pk]}, follow=True
        )
    assert response.status_code == 200
    assert f"{request.reference}: stage 2 chaser queued." in response.content.decode()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [request.force.foi_email]
    assert list(request.outbound.order_by("stage").values_list("stage", "status")) == [
        ("1", "sent"),
        ("2", "sent"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(
            reverse("overdue-action"), {"action": "chase", "ids": [request.pk]}, follow=True
        )
    assert "already chased today" in again.content.decode()
    assert len(mailoutbox) == 1
    assert RequestEvent.objects.filter(request=request, kind="chaser").count() == 1


def test_chase_now_refuses_what_may_not_be_chased(client, admin_user, mailoutbox):
    answered = make_request(events=[("response", date(2019, 4, 1), {"outcome": "full"})])
    held = make_request(events=[("held", date(2019, 4, 1), {})])
    client.force_login(admin_user)
    response = client.post(
        reverse("overdue-action"), {"action": "chase", "ids": [answered.pk, held.pk]}, follow=True
    )
    html = response.content.decode()
    assert f"{answered.reference}: not chased" in html and f"{held.reference}: not chased" in html
    assert mailoutbox == [] and not OutboundMessage.objects.exists()


def test_hold_and_resume_from_the_board(client, admin_user, mailoutbox):
    first, second = make_request(), make_request()
    client.force_login(admin_user)
    client.post(reverse("overdue-action"), {"action": "hold", "ids": [first.pk, second.pk]})
    first.refresh_from_db()
    assert first.on_hold and first.status == "on_hold"
    held = RequestEvent.objects.get(request=first, kind="held")
    assert (held.on, held.created_by) == (NOW, admin_user)
    response = client.post(
        reverse("overdue-action"), {"action": "hold", "ids": [first.pk]}, follow=True
    )
    assert "already on hold" in response.content.decode()
    client.post(reverse("overdue-action"), {"action": "resume", "ids": [first.pk]})
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.on_hold and second.on_hold


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "chase"}, "Tick at least one request first."),
        ({"action": "chase", "ids": ["abc"]}, "Request ids must be whole numbers"),
        ({"action": "explode", "ids": ["1"]}, "Select a valid choice"),
    ],
)
def test_bad_actions_get_a_clear_message(client, admin_user, data, message):
    client.force_login(admin_user)
    response = client.post(reverse("overdue-action"), data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_league_table_ranks_forces_by_share_on_time_then_median(
    page, django_assert_max_num_queries
):
    prompt, slow, silent = (
        ForceFactory(name=n) for n in ["Prompt Police", "Slow Police", "Silent Police"]
    )
    make_request(
        force=prompt,
        sent=date(2019, 3, 1),
        events=[("response", date(2019, 3, 15), {"outcome": "full"})],
    )
    make_request(
        force=prompt,
        sent=date(2019, 3, 4),
        events=[("response", date(2019, 3, 12), {"outcome": "full"})],
    )
    make_request(
        force=slow,
        sent=date(2019, 3, 1),
        events=[("response", date(2019, 4, 30), {"outcome": "partial"})],
    )
    make_request(force=silent, sent=date(2019, 3, 1))
    with django_assert_max_num_queries(6):
        response, html = page("overdue-league", start="2019-01-01", end="2019-12-31")
    rows = [
        (r.force_name, r.median_working_days, r.share_on_time) for r in response.context["rows"]
    ]
    # Prompt: 10 and 6 working days; Slow: 39 (18 March, Good Friday, Easter Monday skipped).
    # Slow and Silent are both never on time; a late answer ranks above none at all.
    assert rows == [
        ("Prompt Police", 8, 1.0),
        ("Slow Police", 39, 0.0),
        ("Silent Police", None, 0.0),
    ]
    assert "100%" in html


def test_the_league_table_says_what_is_wrong_with_the_period(page):
    response, html = page("overdue-league", start="2019-12-31", end="2019-01-01")
    assert response.status_code == 400
    assert "starts (2019-12-31) after it ends (2019-01-01)" in html
    response, html = page("overdue-league", start="soon", end="2019-01-01")
    assert response.status_code == 400 and "Enter a valid date" in html


def test_only_coordinators_of_the_campaign_may_hold_or_chase(client, viewer, coordinator):
    campaign = CampaignFactory()
    foi = make_request(sent=date(2019, 3, 20), campaign=campaign)
    client.force_login(viewer)
    client.post(reverse("overdue-action"), {"action": "hold", "ids": [foi.pk]})
    foi.refresh_from_db()
    assert not foi.on_hold
    client.force_login(coordinator)
    client.post(reverse("overdue-action"), {"action": "hold", "ids": [foi.pk]})
    foi.refresh_from_db()
    assert foi.on_hold


def test_the_league_table_counts_only_requests_the_user_may_see(client, django_assert_num_queries):
    world = build_world()  # kent sent on 15 March 2019 in team A's, B's private and B's shared
    client.force_login(world.a_researcher)
    response = client.get(reverse("overdue-league"), {"start": "2019-01-01", "end": "2019-12-31"})
    assert [(r.force_id, r.requests) for r in response.context["rows"]] == [("kent", 2)]
    assert world.private.slug not in response.content.decode()
    # The private campaign named outright counts nothing either.
    response = client.get(
        reverse("overdue-league"),
        {"start": "2019-01-01", "end": "2019-12-31", "campaign": world.private.slug},
    )
    assert response.context["rows"] == []
    client.force_login(world.b_researcher)
    response = client.get(reverse("overdue-league"), {"start": "2019-01-01", "end": "2019-12-31"})
    assert [(r.force_id, r.requests) for r in response.context["rows"]] == [("kent", 2)]
    calendars = {r.value: calendar(r) for r in Regime}
    with django_assert_num_queries(1):
        rows = league_table(
            start=date(2019, 1, 1),
            end=date(2019, 12, 31),
            today=NOW,
            calendars=calendars,
            requests=request_q(world.a_researcher),
        )
    assert [(r.force_id, r.requests) for r in rows] == [("kent", 2)]


@pytest.mark.parametrize("bad", [str(10**40), str(2**63), "0"])
def test_a_board_action_on_an_id_no_row_can_have_is_refused(client, admin_user, bad):
    client.force_login(admin_user)
    response = client.post(reverse("overdue-action"), {"action": "hold", "ids": [bad]}, follow=True)
    assert response.status_code == 200
    assert f"Request ids must be whole numbers (got {bad})." in response.content.decode()


@pytest.mark.parametrize("target", ["{0}", "%s", "x" * 10_000, "https://evil.example/"])
def test_a_board_action_with_a_next_that_is_not_a_path_here_goes_back_to_the_board(
    client, admin_user, target
):
    client.force_login(admin_user)
    response = client.post(reverse("overdue-action"), {"action": "hold", "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("overdue-board")
