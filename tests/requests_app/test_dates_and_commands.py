"""Event dates (not in the future, not before FOIA, YYYY-MM-DD on the command line) and the
campaign command validated through the API's serializers: lengths, teams, every problem at once."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from requests_app.domain.dates import EARLIEST_EVENT, event_date_problem, parse_iso_date
from requests_app.models import Campaign, Force, RequestEvent
from requests_app.services.campaigns import create_campaign
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db
FORCES = ["kent", "essex"]


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _tomorrow() -> str:
    return (timezone.localdate() + timedelta(days=1)).isoformat()


BAD_EVENT_DAYS = [
    ("2030-01-01", "is in the future"),
    ("9999-12-31", "is in the future"),
    ("tomorrow", "is in the future"),
    ("2004-12-31", "before 2005-01-01"),
]


def _day(value: str) -> str:
    return _tomorrow() if value == "tomorrow" else value


@pytest.fixture
def campaign():
    return create_campaign(
        slug="c", title="C", periods=["2019"], forces=Force.objects.filter(pk__in=FORCES)
    )


@pytest.fixture
def api(researcher):
    client = APIClient()
    client.force_authenticate(researcher)
    return client


# -- the rule -------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["20190315", "2024-W01", "2019-3-5", "2019-02-30", "15/03/2019"])
def test_only_yyyy_mm_dd_is_a_date(text):
    with pytest.raises(ValueError, match="use YYYY-MM-DD"):
        parse_iso_date(text)
    assert parse_iso_date(" 2019-03-15 ") == date(2019, 3, 15)


def test_an_event_day_is_between_foia_and_today():
    today = date(2024, 6, 1)
    assert event_date_problem(today, today) == event_date_problem(EARLIEST_EVENT, today) == ""
    assert "in the future" in event_date_problem(date(2024, 6, 2), today)
    assert "before 2005-01-01" in event_date_problem(date(2004, 12, 31), today)


# -- pages, API and command ------------------------------------------------------------


@pytest.mark.parametrize(("day", "says"), BAD_EVENT_DAYS)
def test_the_event_form_refuses_the_day(client, researcher, campaign, day, says):
    kent = campaign.requests.get(force_id="kent")
    client.force_login(researcher)
    response = client.post(
        reverse("request-add-event", args=[kent.pk]),
        {"kind": "sent", "on": _day(day), "channel": "post"},
    )
    assert response.status_code == 400 and says in response.content.decode()
    assert not RequestEvent.objects.exists()


@pytest.mark.parametrize(("day", "says"), BAD_EVENT_DAYS)
def test_the_mark_sent_page_refuses_the_day(client, researcher, campaign, day, says):
    client.force_login(researcher)
    response = client.post(
        reverse("campaign-mark-sent", args=["c"]),
        {
            "request": campaign.requests.get(force_id="kent").pk,
            "on": _day(day),
            "channel": "post",
        },
    )
    assert response.status_code == 400 and says in response.content.decode()
    bulk = client.post(
        reverse("campaign-mark-sent", args=["c"]),
        {"form": "bulk", "channel": "portal", "csv_text": f"kent,{_day(day)},K/1"},
    )
    assert bulk.status_code == 400 and says in bulk.content.decode()
    assert not RequestEvent.objects.exists()


@pytest.mark.parametrize(("day", "says"), [*BAD_EVENT_DAYS, ("20190315", "use YYYY-MM-DD")])
def test_the_api_refuses_the_day(api, campaign, day, says):
    kent = campaign.requests.get(force_id="kent")
    event = api.post(
        "/api/events/", {"request": kent.pk, "kind": "sent", "on": _day(day)}, format="json"
    )
    assert event.status_code == 400 and says in event.json()["on"][0]
    marked = api.post("/api/campaigns/c/mark-sent/", {"date": _day(day)}, format="json")
    assert marked.status_code == 400 and says in marked.json()["date"][0]
    logged = api.post(
        "/api/campaigns/c/log-sent/",
        {"rows": [{"force": "kent", "sent_on": _day(day)}]},
        format="json",
    )
    assert logged.status_code == 400 and says in logged.json()["errors"][0]["message"]
    assert not RequestEvent.objects.exists()


@pytest.mark.parametrize(
    ("day", "says"), [*BAD_EVENT_DAYS, ("20190315", "use YYYY-MM-DD"), ("2024-W01", "YYYY-MM-DD")]
)
def test_the_command_refuses_the_day(campaign, day, says):
    with pytest.raises(CommandError, match=says):
        run("campaign", "mark-sent", "c", "--date", _day(day))
    assert not RequestEvent.objects.exists()


def test_today_is_accepted_everywhere(api, campaign):
    today = timezone.localdate().isoformat()
    assert "1 request recorded" in run(
        "campaign", "mark-sent", "c", "--date", today, "--force", "kent"
    )
    response = api.post("/api/campaigns/c/mark-sent/", {"date": today}, format="json")
    assert response.status_code == 200 and response.json()["recorded"] == 1


@pytest.mark.parametrize("args", [["deadline", "2024-W01"], ["deadline", "20190315"]])
def test_deadline_takes_yyyy_mm_dd_only(args):
    with pytest.raises(CommandError, match="is not a date: use YYYY-MM-DD"):
        run(*args)


def test_chase_takes_yyyy_mm_dd_only():
    with pytest.raises(CommandError, match="--today '20190315' is not a date"):
        run("chase", "--today", "20190315", "--dry-run")


# -- lengths and teams -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--slug", "s" * 200, "--title", "T"], "--slug: Ensure this field has no more than 80"),
        (["--slug", "s", "--title", "T" * 500], "--title: Ensure this field has no more than 200"),
    ],
)
def test_create_checks_lengths_like_the_api(args, says):
    with pytest.raises(CommandError, match=says):
        run("campaign", "create", *args, "--periods", "2019", "--forces", "kent")
    assert not Campaign.objects.exists()


def test_mark_sent_checks_the_reference_length(campaign):
    with pytest.raises(CommandError, match="--reference: Ensure this field has no more than 100"):
        run("campaign", "mark-sent", "c", "--date", "2019-05-01", "--reference", "r" * 300)
    assert not RequestEvent.objects.exists()


def test_create_needs_team_when_there_are_several():
    TeamFactory(slug="alpha", name="Alpha")
    TeamFactory(slug="bravo", name="Bravo")
    base = ["campaign", "create", "--slug", "x", "--title", "X", "--forces", "kent"]
    with pytest.raises(CommandError, match="--team: Choose the team .* alpha, bravo") as caught:
        run(*base, "--periods", "2017-1")
    assert "--periods: '2017-1' is not a period" in str(caught.value)  # not hidden by the team
    with pytest.raises(CommandError, match="--team: team 'charlie': no such team"):
        run(*base, "--periods", "2019", "--team", "charlie")
    assert not Campaign.objects.exists()
    run(*base, "--periods", "2019", "--team", "bravo")
    assert Campaign.objects.get().team.slug == "bravo"


def test_status_prints_iso_dates(campaign):
    run("campaign", "mark-sent", "c", "--date", "2019-05-01", "--force", "kent")
    text = run("campaign", "status", "c")
    kent = next(line for line in text.splitlines() if line.startswith("kent"))
    assert "sent 2019-05-01" in kent and "due 2019-05-31" in kent
    assert json.loads(run("campaign", "status", "c", "--json"))["rows"]
