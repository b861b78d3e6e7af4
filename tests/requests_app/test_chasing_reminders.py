"""Reminders to the researcher, internal-review chasers to the force, the daily digest."""

from datetime import date

import pytest

from requests_app.domain.calendar import Regime, calendar_for
from requests_app.models import OutboundMessage, RequestEvent
from requests_app.services.chasing import working_calendars
from requests_app.services.delivery import deliver
from requests_app.services.reminders import run_digest, run_reminders
from requests_app.tasks import daily_digest
from tests.factories import CampaignFactory, UserFactory

from .chasing_support import STAGE_DAYS, make_request, sweep

pytestmark = pytest.mark.django_db
CAL = calendar_for(Regime.FOIA)


def send(pk):
    return deliver(outbound_id=pk)


def remind(day: date):
    calendars, _ = working_calendars(day)
    return [
        (s.stage, s.reference, s.to)
        for s in run_reminders(today=day, calendars=calendars, dispatch=send)
    ]


@pytest.fixture
def owner():
    return UserFactory(username="owner", email="owner@charity.example")


def test_the_review_window_reminder_goes_once_five_working_days_before_it_closes(owner, mailoutbox):
    request = make_request(
        campaign=CampaignFactory(owner=owner),
        events=[("response", date(2019, 4, 10), {"outcome": "refused", "exemptions": ["s12"]})],
    )
    # 40 working days after 10 April 2019 (Easter and both May bank holidays skipped).
    assert request.last_day_to_request_review == date(2019, 6, 11)
    warn_from, day_before = date(2019, 6, 4), date(2019, 6, 3)  # 5 and 6 working days before
    assert remind(day_before) == []
    assert remind(warn_from) == [("review-window", request.reference, "owner@charity.example")]
    assert remind(warn_from) == []
    [message] = mailoutbox
    assert message.to == ["owner@charity.example"]
    assert "internal review" in message.subject and request.reference in message.subject


def test_an_unanswered_clarification_is_reminded_after_five_working_days(owner, mailoutbox):
    request = make_request(
        created_by=owner, events=[("clarification_requested", date(2019, 4, 1), {})]
    )
    assert remind(date(2019, 4, 5)) == []  # four working days
    assert remind(date(2019, 4, 8)) == [
        ("clarification:2019-04-01", request.reference, owner.email)
    ]
    assert remind(date(2019, 4, 9)) == []
    assert "clarification" in mailoutbox[0].body


def test_the_commissioner_window_reminder(owner, mailoutbox):
    request = make_request(
        campaign=CampaignFactory(owner=owner),
        events=[
            ("response", date(2019, 4, 10), {"outcome": "refused"}),
            ("review_requested", date(2019, 4, 15), {}),
            ("review_response", date(2019, 5, 1), {"outcome": "refused"}),
        ],
    )
    assert request.last_day_to_complain == date(2019, 6, 12)  # six weeks
    assert remind(date(2019, 6, 4)) == []
    assert remind(date(2019, 6, 5)) == [("commissioner-window", request.reference, owner.email)]


def test_a_late_internal_review_is_chased_once_with_the_force(mailoutbox):
    request = make_request(
        events=[
            ("response", date(2019, 4, 10), {"outcome": "partial"}),
            ("review_requested", date(2019, 4, 15), {}),
        ]
    )
    assert request.review_due_on == CAL.add_working_days(date(2019, 4, 15), 20)
    assert sweep(request.review_due_on) == []
    after = CAL.next_working_day(request.review_due_on)
    [chaser] = sweep(after)
    assert (chaser.stage, chaser.as_json()["stage"], chaser.working_days_overdue) == (
        "review",
        "review",
        1,
    )
    assert sweep(CAL.next_working_day(after)) == []
    [message] = mailoutbox
    assert message.to == [request.force.foi_email]
    assert "Monday 15 April 2019" in message.body  # when the review was asked for
    assert RequestEvent.objects.filter(request=request, kind="chaser", stage="review").count() == 1


def test_the_digest_tells_each_researcher_what_needs_them_once_a_day(owner, mailoutbox):
    other = UserFactory(username="idle", email="idle@charity.example")
    request = make_request(campaign=CampaignFactory(owner=owner))
    CampaignFactory(owner=other)  # nothing overdue: no digest
    [chaser] = sweep(STAGE_DAYS["1"])
    mailoutbox.clear()
    sent = run_digest(today=STAGE_DAYS["1"], cal=CAL, dispatch=send)
    assert [(s.kind, s.to) for s in sent] == [("digest", owner.email)]
    [digest] = mailoutbox
    assert "Overdue responses (1)" in digest.body and request.reference in digest.body
    assert "Chasers sent today" in digest.body and "stage 1" in digest.body
    assert run_digest(today=STAGE_DAYS["1"], cal=CAL, dispatch=send) == []
    assert len(run_digest(today=date(2019, 4, 17), cal=CAL, dispatch=send)) == 1
    assert OutboundMessage.objects.filter(kind="digest").count() == 2


def test_no_digest_on_a_weekend(owner):
    make_request(campaign=CampaignFactory(owner=owner))
    assert daily_digest.apply(kwargs={"today": "2019-04-20"}).get() == 0
    assert not OutboundMessage.objects.filter(kind="digest").exists()
