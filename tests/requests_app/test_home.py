"""The home page: what needs the user today, the charts, and only what they may see."""

import json
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from requests_app.services.events import EventInput, record_event
from responses_app.models import Figure
from tests.factories import (
    CampaignFactory,
    FigureFactory,
    FindingFactory,
    ForceFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
)
from tests.responses_app.builders import answer

from .chasing_support import make_request

pytestmark = pytest.mark.django_db
NOW = date(2019, 5, 20)  # a Monday


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("responses_app.views.home.today", lambda: NOW)


def _force(name: str):
    return ForceFactory(id=name.lower().replace(" ", "-"), name=f"{name} Police")


def chart_json(page: str) -> dict:
    found = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def build(owner, campaign=None, prefix=""):
    """A request at each place on the home page, in ``campaign`` (or outside one, by ``owner``)."""
    where = {"campaign": campaign} if campaign else {"created_by": owner}
    late = make_request(sent=date(2019, 3, 15), force=_force(f"{prefix}Lateshire"), **where)
    record_event(request=late, data=EventInput("chaser", date(2019, 5, 16), stage="2"))
    make_request(
        sent=date(2019, 5, 1),
        force=_force(f"{prefix}Askshire"),
        events=[("clarification_requested", date(2019, 5, 3), {"note": "Which offence codes?"})],
        **where,
    )
    # Received Fri 15 March, answered Wed 10 April: 17 working days (18 March is a holiday).
    make_request(
        sent=date(2019, 3, 15),
        force=_force(f"{prefix}Quickshire"),
        events=[("response", date(2019, 4, 10), {"outcome": "refused", "exemptions": ["s12"]})],
        **where,
    )
    # Received Thu 10 January, answered Fri 15 February: 26 working days, late.
    make_request(
        sent=date(2019, 1, 10),
        force=_force(f"{prefix}Reviewshire"),
        events=[
            ("response", date(2019, 2, 15), {"outcome": "refused", "exemptions": ["s12"]}),
            ("review_requested", date(2019, 2, 20), {}),
            ("review_response", date(2019, 5, 10), {"outcome": "refused"}),
        ],
        **where,
    )


@pytest.fixture
def world(researcher):
    build(researcher)
    # Figures waiting for review in the researcher's team's campaign (one with an error).
    mine = CampaignFactory(slug="mine", title="Platforms 2019")
    waiting = FigureFactory(
        campaign=mine, force=_force("Figureshire"), status=Figure.Status.NEEDS_REVIEW
    )
    FigureFactory(
        campaign=mine,
        force=waiting.force,
        request=waiting.request,
        reply=waiting.reply,
        category="other",
        status=Figure.Status.EXTRACTED,
    )
    FindingFactory(reply=waiting.reply, figure=waiting, severity="error", message="Too big.")
    # Another team's campaign: nothing of it may show.
    other = TeamFactory(slug="other", name="Other")
    stranger = UserFactory(username="stranger")
    MembershipFactory(user=stranger, team=other, role="researcher")
    theirs = CampaignFactory(slug="theirs", title="Their secret campaign", team=other)
    build(stranger, theirs, prefix="Hidden")
    FigureFactory(campaign=theirs, force=_force("Hiddenfigures"), status="needs_review")
    return mine


def test_the_home_page_lists_what_needs_the_user(client, researcher, world):
    client.force_login(researcher)
    response = client.get(reverse("home"))
    page = response.content.decode()
    home = response.context["home"]
    assert [r.force.name for r in home.overdue.rows] == ["Lateshire Police"]
    assert home.overdue.rows[0].days_left == -22  # 16 April to 20 May, less Easter and May Day
    assert [r.force.name for r in home.clarifications.rows] == ["Askshire Police"]
    assert home.clarifications.rows[0].waited == 10
    assert "Which offence codes?" in page
    assert [(e.request.force.name, e.stage) for e in home.chasers.rows] == [
        ("Lateshire Police", "2")
    ]
    assert "Stage 2" in page
    assert [r.force.name for r in home.review_windows.rows] == ["Quickshire Police"]
    assert [r.force.name for r in home.commissioner_windows.rows] == ["Reviewshire Police"]
    assert home.commissioner_windows.rows[0].last_day_to_complain == date(2019, 6, 21)
    assert "32 days left" in page
    assert home.replies.total == 1 and home.waiting_figures == 2
    (reply,) = home.replies.rows
    assert (reply["force__name"], reply["figures"], reply["with_errors"]) == (
        "Figureshire Police",
        2,
        1,
    )
    assert f"{reverse('review-queue')}?campaign=mine&amp;force=figureshire" in page
    assert "1 with errors" in page
    for heading in [
        "Replies to review",
        "Clarifications to answer",
        "Most overdue",
        "Chasers that went out",
        "Internal review windows closing",
        "Commissioner windows closing",
        "Campaigns in progress",
    ]:
        assert heading in page
    assert "Platforms 2019" in page and "1 of 1 responded" in page


def test_nothing_of_another_team_shows(client, researcher, world):
    client.force_login(researcher)
    page = client.get(reverse("home")).content.decode()
    assert "Hidden" not in page and "Their secret campaign" not in page
    data = chart_json(page)
    assert data["response_times"]["note"].startswith("2 answered")


def test_a_viewer_has_no_figures_to_review(client, world):
    viewer = UserFactory(username="just-looking")
    MembershipFactory(user=viewer, team=world.team, role="viewer")
    client.force_login(viewer)
    response = client.get(reverse("home"))
    assert response.context["home"].replies.total == 0
    assert "No figures are waiting for your review." in response.content.decode()


def test_the_response_times_chart_marks_the_legal_limit_with_a_table(client, researcher, world):
    client.force_login(researcher)
    page = client.get(reverse("home")).content.decode()
    chart = chart_json(page)["response_times"]
    assert chart["kind"] == "histogram"
    counts = {item["label"]: (item["low"], item["late"]) for item in chart["items"]}
    assert counts["16–20"] == (1, False) and counts["26–30"] == (1, True)
    assert chart["limit"] == {
        "after": 4,
        "days": 20,
        "label": "20 working days: the legal limit",
    }
    assert "median 21.5 working days; 1 (50%) within 20 working days, 1 late" in page
    # The table alternative says the same without the picture.
    assert "Show as a table" in page
    assert re.search(r"<td>26 to 30 working days \(late\)</td><td class=\"num\">1</td>", page)
    assert 'data-chart="response_times" aria-hidden="true"' in page
    assert "/static/js/charts.js" in page
    for attrs in re.findall(r"<script([^>]*)>", page):
        assert 'type="application/json"' in attrs or "src=" in attrs, attrs


def test_the_latest_campaign_with_approved_figures_is_charted(client, researcher, world):
    client.force_login(researcher)
    page = client.get(reverse("home")).content.decode()
    assert "trend" not in chart_json(page)  # nothing approved yet
    answer(world, "kent", "2019-20", total=30, platform={"Instagram": 20, "Snapchat": 10})
    answer(world, "kent", "2020-21", total=40, age={"13": 25, "14": 10, "9": 5})
    page = client.get(reverse("home")).content.decode()
    data = chart_json(page)
    assert {"response_times", "trend", "platform", "age"} <= set(data)
    # The national bands, youngest first: 9 is in 0-11, 13 in 12-13, 14 in 14-15.
    assert [a["label"] for a in data["age"]["items"]] == ["0-11", "12-13", "14-15"]
    assert [a["low"] for a in data["age"]["items"]] == [5, 25, 10]
    assert [p["label"] for p in data["trend"]["items"]] == ["2019-20", "2020-21"]
    assert f'href="{reverse("dataset-campaign", args=["mine"])}"' in page
    assert "Latest figures: Platforms 2019" in page


def test_an_empty_home_page_says_so(client, researcher):
    client.force_login(researcher)
    page = client.get(reverse("home")).content.decode()
    assert "Nothing is waiting for you." in page
    assert "Nothing is overdue." in page
    assert chart_json(page)["response_times"]["items"] == []


def _more(owner, campaign, n: int) -> None:
    for i in range(n):
        build(owner, campaign, prefix=f"More{campaign.slug}{i}")
        FigureFactory(campaign=campaign, force=_force(f"Fig{campaign.slug}{i}"), status="extracted")
        answer(campaign, "kent" if i % 2 else "essex", f"{2015 + i}-{16 + i}", total=5 + i)


def test_the_home_page_costs_a_fixed_number_of_queries(
    client, researcher, world, django_assert_max_num_queries
):
    client.force_login(researcher)
    answer(world, "kent", "2019-20", total=30, platform={"Instagram": 20})
    client.get(reverse("home"))  # warm the caches (content types, the session)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("home")).status_code == 200
    for slug in ["more-a", "more-b", "more-c"]:
        _more(researcher, CampaignFactory(slug=slug, title=slug), 3)
    with django_assert_max_num_queries(30), CaptureQueriesContext(connection) as many:
        response = client.get(reverse("home"))
    assert response.context["home"].overdue.total == 10
    assert len(response.context["home"].campaigns) == 4
    assert len(many) == len(few), "\n".join(q["sql"][:200] for q in many)
