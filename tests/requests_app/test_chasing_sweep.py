"""The sweep: each stage exactly once on its working day, and nothing when it must not chase."""

from datetime import date

import pytest
from django.core import mail

from requests_app.models import Campaign, OutboundMessage, RequestEvent
from requests_app.services.chasing import run_sweep, select_due
from requests_app.services.events import EventInput, record_event
from tests.factories import CampaignFactory, ClosureDayFactory, ForceFactory

from .chasing_support import DUE, STAGE_DAYS, make_request, sweep, sweep_every_day

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2019, 4, 11), date(2019, 5, 22)


def test_each_stage_goes_exactly_once_on_its_working_day(mailoutbox):
    request = make_request()
    assert request.due_on == DUE
    sent = sweep_every_day(FIRST, LAST)
    assert sent == {day: [(request.reference, stage)] for stage, day in STAGE_DAYS.items()}
    assert len(mailoutbox) == 3
    chasers = RequestEvent.objects.filter(request=request, kind="chaser").order_by("on")
    assert [(e.on, e.stage) for e in chasers] == [(d, s) for s, d in STAGE_DAYS.items()]


def test_the_chaser_email_quotes_references_dates_and_threads(mailoutbox):
    request = make_request(
        events=[("acknowledged", date(2019, 3, 18), {"force_reference": "FOI/19/0042"})]
    )
    sweep(date(2019, 4, 23))
    [email] = mailoutbox
    message = email.message()
    assert email.to == [request.force.foi_email]
    assert message["In-Reply-To"] == request.message_id
    assert message["References"] == request.message_id
    assert email.reply_to == [f"foi+{request.reply_token}@foitracker.example"]
    assert request.reference in email.subject
    assert "FOI/19/0042" in email.body
    assert "Monday 15 April 2019" in email.body  # the due date
    assert "It is now 4 working days overdue" in email.body  # 16-18 April, then 23 April
    row = OutboundMessage.objects.get(request=request)
    assert (row.status, row.stage, row.message_id) == ("sent", "1", message["Message-ID"])


def test_a_missed_stage_is_superseded_not_sent_late(mailoutbox):
    request = make_request()
    # Nobody swept until 20 May: stage 3's day has come, so only stage 3 goes.
    assert sweep(date(2019, 5, 20))[0].stage == "3"
    assert sweep_every_day(date(2019, 5, 21), LAST) == {}
    assert list(request.outbound.values_list("stage", flat=True)) == ["3"]


@pytest.mark.parametrize(
    ("events", "why"),
    [
        ([("clarification_requested", date(2019, 3, 20), {})], "clock stopped for clarification"),
        ([("fees_notice", date(2019, 3, 20), {})], "clock paused for fees"),
        ([("response", date(2019, 4, 12), {"outcome": "full"})], "answered on time"),
        ([("held", date(2019, 4, 1), {})], "request on hold"),
        ([("withdrawn", date(2019, 4, 1), {})], "withdrawn"),
    ],
)
def test_nothing_is_sent_when_the_clock_is_not_running_or_held(events, why, mailoutbox):
    make_request(events=events)
    assert sweep_every_day(FIRST, LAST) == {}, why
    assert mailoutbox == []
    assert not OutboundMessage.objects.exists()


def test_a_late_response_stops_the_chasers_that_follow(mailoutbox):
    request = make_request()
    assert sweep_every_day(FIRST, date(2019, 4, 24)) == {
        STAGE_DAYS["1"]: [(request.reference, "1")]
    }
    record_event(request=request, data=EventInput("response", date(2019, 4, 25), outcome="partial"))
    assert sweep_every_day(date(2019, 4, 25), LAST) == {}
    assert len(mailoutbox) == 1


def test_nothing_is_sent_while_the_campaign_is_on_hold(mailoutbox):
    campaign = CampaignFactory(on_hold=True)
    request = make_request(campaign=campaign)
    assert sweep_every_day(FIRST, date(2019, 5, 10)) == {}
    Campaign.objects.filter(pk=campaign.pk).update(on_hold=False)
    # Released on Monday 13 May: the stage reached by then (2) goes at once, stage 3 on its day.
    assert sweep_every_day(date(2019, 5, 13), LAST) == {
        date(2019, 5, 13): [(request.reference, "2")],
        STAGE_DAYS["3"]: [(request.reference, "3")],
    }


def test_a_request_resumed_after_a_hold_is_chased_again(mailoutbox):
    request = make_request(events=[("held", date(2019, 4, 10), {})])
    assert sweep_every_day(FIRST, date(2019, 4, 24)) == {}
    record_event(request=request, data=EventInput("resumed", date(2019, 4, 24)))
    assert sweep_every_day(date(2019, 4, 24), LAST) == {
        date(2019, 4, 24): [(request.reference, "1")],  # the stage reached, sent on resuming
        STAGE_DAYS["2"]: [(request.reference, "2")],
        STAGE_DAYS["3"]: [(request.reference, "3")],
    }


def test_nothing_is_sent_on_a_weekend_or_bank_holiday(mailoutbox):
    # Due Thursday 18 April 2019: stage 1 falls on Tuesday 23 April, after Easter.
    request = make_request(sent=date(2019, 3, 21))
    assert request.due_on == date(2019, 4, 18)
    for day in [date(2019, 4, 19), date(2019, 4, 20), date(2019, 4, 21), date(2019, 4, 22)]:
        result = run_sweep(today=day, dispatch=lambda pk: "sent")
        assert result.chasers == [] and "FOIA" in result.skipped_regimes
    assert [c.stage for c in sweep(date(2019, 4, 23))] == ["1"]


def test_an_administrators_closure_day_is_not_a_working_day(mailoutbox):
    ClosureDayFactory(date=date(2019, 4, 16), reason="Proclaimed holiday")
    request = make_request()
    request.refresh_from_db()
    assert request.due_on == DUE
    assert sweep(date(2019, 4, 16)) == []
    assert [c.stage for c in sweep(date(2019, 4, 17))] == ["1"]


def test_scotland_is_chased_on_easter_monday_and_england_is_not(mailoutbox):
    scotland = ForceFactory(id="test-scotland", regime="FOISA", nation="Scotland")
    english = make_request(sent=date(2019, 3, 21))
    scottish = make_request(sent=date(2019, 3, 21), force=scotland)
    assert (english.due_on, scottish.due_on) == (date(2019, 4, 18), date(2019, 4, 18))
    assert [c.reference for c in sweep(date(2019, 4, 22))] == [scottish.reference]
    assert [c.reference for c in sweep(date(2019, 4, 23))] == [english.reference]


def test_forces_without_a_working_address_are_not_chased(mailoutbox):
    make_request(force=ForceFactory(foi_email=""))
    make_request(force=ForceFactory(foi_email_broken=True))
    assert sweep(STAGE_DAYS["1"]) == []


def test_a_campaign_policy_sets_its_own_stages_and_text(mailoutbox):
    campaign = CampaignFactory(
        chaser_stages=[
            {
                "stage": 1,
                "offset": 3,
                "subject": "Gentle nudge [{reference}]",
                "body": "Due {due_on}.",
            },
            {"stage": 2, "offset": 6},
        ]
    )
    request = make_request(campaign=campaign)
    sent = sweep_every_day(FIRST, LAST)
    assert sent == {
        date(2019, 4, 18): [(request.reference, "1")],  # 16, 17, 18 April
        date(2019, 4, 25): [(request.reference, "2")],  # then 23, 24, 25 after Easter
    }
    assert mailoutbox[0].subject == f"Gentle nudge [{request.reference}]"
    assert mailoutbox[0].body == "Due Monday 15 April 2019."


def test_a_campaign_with_a_broken_policy_is_reported_and_not_chased(mailoutbox):
    campaign = CampaignFactory(slug="broken", chaser_stages=[{"stage": 1, "offset": 0}])
    make_request(campaign=campaign)
    result = select_due(today=STAGE_DAYS["1"])
    assert result.chasers == []
    assert result.problems and "Campaign broken" in result.problems[0]


def test_the_selection_costs_a_fixed_number_of_queries(django_assert_num_queries):
    for _ in range(6):
        make_request()
    CampaignFactory(chaser_stages=[{"stage": 1, "offset": 2}])
    # Two calendars, the campaigns' policies, the stage chasers, the review chasers.
    with django_assert_num_queries(5):
        result = select_due(today=STAGE_DAYS["1"])
    assert len(result.chasers) == 6


def test_a_dry_run_writes_and_sends_nothing():
    make_request()
    result = run_sweep(today=STAGE_DAYS["1"], dry_run=True)
    assert [c.stage for c in result.chasers] == ["1"]
    assert not OutboundMessage.objects.exists()
    assert mail.outbox == []
