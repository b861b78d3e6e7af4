from datetime import date

import pytest

from requests_app.domain.lifecycle import EventRejected
from requests_app.models import Force, RequestEvent
from requests_app.services.events import EventInput, record_event
from requests_app.services.requests import create_request
from tests.factories import ForceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def foi(researcher):
    return create_request(force=Force.objects.get(pk="kent"), subject="Offences", user=researcher)


def test_a_new_request_is_a_draft_with_an_unguessable_reply_token(foi):
    assert foi.status == "draft"
    assert foi.due_on is None
    assert len(foi.reply_token) >= 10 and foi.reply_token.isalnum()


def test_sending_stores_the_due_date_in_the_same_transaction(foi, researcher):
    record_event(
        request=foi, data=EventInput("sent", date(2019, 3, 15), channel="email"), user=researcher
    )
    foi.refresh_from_db()
    assert foi.sent_on == date(2019, 3, 15)
    assert foi.received_on == date(2019, 3, 15)
    assert foi.due_on == date(2019, 4, 15)
    assert foi.clock == "running"


def test_a_response_ends_the_clock_and_opens_the_review_window(foi, researcher):
    record_event(request=foi, data=EventInput("sent", date(2019, 3, 15), channel="email"))
    record_event(
        request=foi,
        data=EventInput("response", date(2019, 4, 10), outcome="refused", exemptions=["s12"]),
    )
    foi.refresh_from_db()
    assert foi.status == "refused"
    assert foi.exemptions == ["s12"]
    assert foi.responded_on == date(2019, 4, 10)
    assert foi.last_day_to_request_review is not None
    assert foi.last_day_to_request_review > date(2019, 4, 10)


def test_clarification_stops_the_clock_and_restarts_it(foi):
    record_event(request=foi, data=EventInput("sent", date(2019, 3, 15), channel="email"))
    record_event(request=foi, data=EventInput("clarification_requested", date(2019, 3, 20)))
    foi.refresh_from_db()
    assert foi.status == "clarification" and foi.clock == "stopped"
    record_event(request=foi, data=EventInput("clarification_sent", date(2019, 5, 1)))
    foi.refresh_from_db()
    assert foi.clock == "running"
    assert foi.due_on > date(2019, 5, 1)


@pytest.mark.parametrize(
    "events, bad",
    [
        ([], EventInput("response", date(2019, 4, 1), outcome="full")),
        (
            [EventInput("sent", date(2019, 3, 15), channel="email")],
            EventInput("acknowledged", date(2019, 3, 1)),
        ),
        (
            [EventInput("sent", date(2019, 3, 15), channel="email")],
            EventInput("fee_paid", date(2019, 3, 20)),
        ),
        (
            [
                EventInput("sent", date(2019, 3, 15), channel="email"),
                EventInput("response", date(2019, 4, 1), outcome="full"),
            ],
            EventInput("extension", date(2019, 4, 2), extension_days=10),
        ),
        ([], EventInput("sent", date(2019, 3, 15))),
    ],
)
def test_bad_events_are_refused_and_nothing_is_written(foi, events, bad):
    for data in events:
        record_event(request=foi, data=data)
    foi.refresh_from_db()
    before = (RequestEvent.objects.count(), foi.status, foi.due_on)
    with pytest.raises(EventRejected) as exc:
        record_event(request=foi, data=bad)
    assert str(exc.value)
    foi.refresh_from_db()
    assert (RequestEvent.objects.count(), foi.status, foi.due_on) == before


def test_events_are_append_only(foi):
    event = record_event(request=foi, data=EventInput("sent", date(2019, 3, 15), channel="email"))
    event.note = "edited"
    with pytest.raises(Exception, match="append-only"):
        event.save()


def test_adding_a_closure_day_recomputes_open_requests(foi, django_capture_on_commit_callbacks):
    from tests.factories import ClosureDayFactory

    record_event(request=foi, data=EventInput("sent", date(2019, 3, 15), channel="email"))
    foi.refresh_from_db()
    assert foi.due_on == date(2019, 4, 15)
    with django_capture_on_commit_callbacks(execute=True):
        ClosureDayFactory(regime="FOIA", date=date(2019, 4, 1), reason="Proclaimed holiday")
    foi.refresh_from_db()
    assert foi.due_on == date(2019, 4, 16)


def test_foisa_requests_ignore_a_foia_closure(django_capture_on_commit_callbacks):
    from tests.factories import ClosureDayFactory

    scot = create_request(force=ForceFactory(id="scot-test", regime="FOISA"), subject="x")
    record_event(request=scot, data=EventInput("sent", date(2019, 3, 15), channel="email"))
    scot.refresh_from_db()
    due = scot.due_on
    with django_capture_on_commit_callbacks(execute=True):
        ClosureDayFactory(regime="FOIA", date=date(2019, 4, 1), reason="English only")
    scot.refresh_from_db()
    assert scot.due_on == due


def test_receipt_day_policy_is_a_setting(settings):
    force = Force.objects.get(pk="essex")
    saturday = date(2019, 3, 16)
    default = create_request(force=force, subject="a")
    record_event(request=default, data=EventInput("sent", saturday, channel="portal"))
    default.refresh_from_db()
    assert default.due_on == date(2019, 4, 15)  # same as a Friday receipt

    settings.FOI_ARRIVAL_DAY_IS_DAY_ZERO = False
    code_reading = create_request(force=force, subject="b")
    record_event(request=code_reading, data=EventInput("sent", saturday, channel="portal"))
    code_reading.refresh_from_db()
    assert code_reading.due_on == date(2019, 4, 16)


def test_post_receipt_waits_for_acknowledgement():
    req = create_request(force=Force.objects.get(pk="essex"), subject="by post")
    record_event(request=req, data=EventInput("sent", date(2019, 6, 3), channel="post"))
    req.refresh_from_db()
    assumed = req.received_on
    assert assumed == date(2019, 6, 5)  # two working days after posting
    record_event(request=req, data=EventInput("acknowledged", date(2019, 6, 10)))
    req.refresh_from_db()
    assert req.received_on == date(2019, 6, 10)
