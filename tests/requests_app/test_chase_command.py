"""`manage.py chase [--today YYYY-MM-DD] [--dry-run] [--json]`."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from requests_app.models import OutboundMessage, RequestEvent
from tests.factories import CampaignFactory, ForceFactory

from .chasing_support import DUE, STAGE_DAYS, make_request

pytestmark = pytest.mark.django_db


def chase(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("chase", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_json_prints_one_object_per_chaser_sent(mailoutbox):
    campaign = CampaignFactory(slug="sexual-comms")
    request = make_request(campaign=campaign)
    out, _ = chase("--today", STAGE_DAYS["2"].isoformat(), "--json")
    assert json_lines(out) == [
        {
            "request": request.reference,
            "force": request.force_id,
            "campaign": "sexual-comms",
            "stage": 2,
            "due_on": DUE.isoformat(),
            "working_days_overdue": 10,
        }
    ]
    assert len(mailoutbox) == 1
    assert RequestEvent.objects.get(kind="chaser").on == STAGE_DAYS["2"]
    again, _ = chase("--today", STAGE_DAYS["2"].isoformat(), "--json")
    assert again == "" and len(mailoutbox) == 1  # exactly once


def test_dry_run_lists_what_would_go_and_sends_nothing(mailoutbox):
    request = make_request()
    out, _ = chase("--today", STAGE_DAYS["1"].isoformat(), "--dry-run", "--json")
    [line] = json_lines(out)
    assert (line["request"], line["stage"], line["campaign"]) == (request.reference, 1, None)
    assert mailoutbox == [] and not OutboundMessage.objects.exists()
    text, _ = chase("--today", STAGE_DAYS["1"].isoformat(), "--dry-run")
    assert f"Would send stage 1 chaser: {request.reference}" in text
    assert "1 working days overdue" in text


def test_each_stage_on_its_day_from_the_cli(mailoutbox):
    request = make_request()
    sent = {}
    for day in [date(2019, 4, 15), *STAGE_DAYS.values(), date(2019, 5, 17), date(2019, 6, 3)]:
        out, _ = chase("--today", day.isoformat(), "--json")
        sent[day] = [(o["request"], o["stage"]) for o in json_lines(out)]
    assert sent == {
        date(2019, 4, 15): [],
        STAGE_DAYS["1"]: [(request.reference, 1)],
        STAGE_DAYS["2"]: [(request.reference, 2)],
        STAGE_DAYS["3"]: [(request.reference, 3)],
        date(2019, 5, 17): [],
        date(2019, 6, 3): [],
    }


def test_a_non_working_day_is_said_and_sends_nothing(mailoutbox):
    make_request()
    out, _ = chase("--today", "2019-04-19")
    assert "FOIA: 2019-04-19 is not a working day (Good Friday)" in out
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2019-13-01", "--today '2019-13-01' is not a date: use YYYY-MM-DD."),
        ("1900-01-02", "outside"),
    ],
)
def test_a_bad_date_is_a_clear_error(value, message):
    with pytest.raises(CommandError) as caught:
        chase("--today", value)
    assert message in str(caught.value)


def test_requests_no_chaser_can_reach_are_counted_by_reason(mailoutbox):
    for _ in range(3):
        make_request(force=ForceFactory(foi_email=""))
    make_request(force=ForceFactory(foi_email_broken=True))
    held = make_request()
    held.on_hold = True
    held.save(update_fields=["on_hold"])
    out, _ = chase("--today", STAGE_DAYS["2"].isoformat())
    assert (
        "3 overdue requests not chased: their forces have no FOI email address (a coordinator "
        "adds it on the Forces page, or runs `manage.py forces import FILE.csv`)." in out
    )
    assert "1 overdue request not chased: its force's FOI email address bounced" in out
    assert "1 overdue request not chased: it (or its campaign) is on hold" in out
    assert "0 chasers sent" in out and mailoutbox == []


def test_under_json_the_reasons_go_to_stderr():
    make_request(force=ForceFactory(foi_email=""))
    out, err = chase("--today", STAGE_DAYS["2"].isoformat(), "--json")
    assert out == "" and "1 overdue request not chased: its force has no FOI email" in err
