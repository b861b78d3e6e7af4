"""Logging requests as sent via a portal or by post: one, all, or from a CSV (all or nothing)."""

import pytest

from requests_app.domain.lifecycle import EventRejected
from requests_app.models import Force, OutboundMessage, RequestEvent
from requests_app.services.campaigns import create_campaign
from requests_app.services.logging_sent import (
    BulkRejected,
    mark_campaign_sent,
    mark_sent,
    mark_sent_from_csv,
)
from requests_app.services.sending import claim
from tests.requests_app.campaign_helpers import days_ago, give_forces_email

pytestmark = pytest.mark.django_db
FORCES = ["kent", "essex", "durham"]


@pytest.fixture
def campaign():
    return create_campaign(
        slug="c", title="T", periods=["2019-20"], forces=Force.objects.filter(pk__in=FORCES)
    )


def test_one_request_logged_via_portal_starts_its_clock(campaign):
    kent = campaign.requests.get(force_id="kent")
    mark_sent(request=kent, on=days_ago(3), channel="portal", reference="FOI/1/24")
    kent.refresh_from_db()
    assert kent.sent_on == days_ago(3) and kent.force_reference == "FOI/1/24"
    assert kent.status in ("awaiting", "overdue") and kent.due_on > kent.sent_on
    assert kent.events.get().channel == "portal"
    with pytest.raises(EventRejected, match="already sent"):
        mark_sent(request=kent, on=days_ago(1), channel="post")
    with pytest.raises(EventRejected, match="'pigeon' is not a channel"):
        mark_sent(request=campaign.requests.get(force_id="essex"), on=days_ago(1), channel="pigeon")


def test_post_assumes_receipt_two_working_days_later(campaign):
    essex = campaign.requests.get(force_id="essex")
    mark_sent(request=essex, on=days_ago(10), channel="post")
    essex.refresh_from_db()
    assert essex.received_on > essex.sent_on


def test_all_unsent_requests_at_once(campaign):
    mark_sent(request=campaign.requests.get(force_id="kent"), on=days_ago(5), channel="portal")
    events = mark_campaign_sent(campaign=campaign, on=days_ago(1), channel="post")
    assert sorted(e.request.force_id for e in events) == ["durham", "essex"]
    assert set(campaign.requests.values_list("sent_on", flat=True)) == {days_ago(5), days_ago(1)}


def test_naming_a_sent_or_unknown_force_records_nothing(campaign):
    mark_sent(request=campaign.requests.get(force_id="kent"), on=days_ago(5), channel="portal")
    with pytest.raises(EventRejected, match="already sent"):
        mark_campaign_sent(
            campaign=campaign, on=days_ago(1), channel="post", force_ids=["essex", "kent"]
        )
    with pytest.raises(EventRejected, match="No request to surrey"):
        mark_campaign_sent(campaign=campaign, on=days_ago(1), channel="post", force_ids=["surrey"])
    assert RequestEvent.objects.count() == 1


def test_a_csv_logs_each_force_with_its_date_and_reference(campaign):
    text = (
        "force id,date,reference\n"
        f"kent,{days_ago(4).isoformat()},K/1\n"
        f"essex,{days_ago(3):%d/%m/%Y},E-2\n"
        "\n"
        "# durham still to do\n"
    )
    events = mark_sent_from_csv(campaign=campaign, text=text, channel="portal")
    assert [(e.request.force_id, e.on, e.force_reference) for e in events] == [
        ("kent", days_ago(4), "K/1"),
        ("essex", days_ago(3), "E-2"),
    ]
    assert campaign.requests.get(force_id="durham").sent_on is None


def test_a_csv_with_any_bad_line_records_nothing_and_lists_every_problem(campaign):
    mark_sent(request=campaign.requests.get(force_id="durham"), on=days_ago(9), channel="post")
    text = (
        f"kent,{days_ago(4)},K/1\n"  # fine on its own
        "essex,31/02/2024,E\n"
        "surrey,2024-01-02,S\n"
        f"kent,{days_ago(2)},again\n"
        "nocomma\n"
        f"durham,{days_ago(1)},D\n"
        "gwent,1990-01-01,G,extra\n"
    )
    with pytest.raises(BulkRejected) as caught:
        mark_sent_from_csv(campaign=campaign, text=text)
    errors = caught.value.errors
    assert errors[0] == (
        "line 2 (essex): '31/02/2024' is not a date: use YYYY-MM-DD (or DD/MM/YYYY)"
    )
    assert any(e.startswith("line 5: expected 'force id,date,reference'") for e in errors)
    assert any(e.startswith("line 7: expected") for e in errors)
    assert "line 3 (surrey): no request to this force in the campaign c" in errors
    assert "line 4 (kent): the force is already on line 1" in errors
    assert any(e.startswith("line 6 (durham):") and "already sent" in e for e in errors)
    assert len(errors) == 6
    assert RequestEvent.objects.count() == 1  # only durham's earlier event: kent was rolled back
    assert campaign.requests.get(force_id="kent").sent_on is None


def test_an_empty_csv_is_refused(campaign):
    with pytest.raises(BulkRejected, match="no lines"):
        mark_sent_from_csv(campaign=campaign, text="force,date,reference\n\n")


def test_logging_a_request_as_sent_cancels_its_queued_email(campaign):
    give_forces_email(only=["kent"])
    kent = campaign.requests.get(force_id="kent")
    row, _ = claim(kent.pk)
    with pytest.raises(EventRejected, match="being emailed right now"):
        mark_sent(request=kent, on=days_ago(1), channel="portal")
    OutboundMessage.objects.filter(pk=row.pk).update(status="pending")
    mark_sent(request=kent, on=days_ago(1), channel="portal")
    row.refresh_from_db()
    assert row.status == "failed" and "logged as sent by portal" in row.last_error


def test_a_csv_reference_too_long_to_store_is_a_problem_of_its_line(campaign):
    text = f"kent,{days_ago(4)},{'K' * 101}\nessex,{days_ago(4)},E\n"
    with pytest.raises(BulkRejected) as caught:
        mark_sent_from_csv(campaign=campaign, text=text)
    assert caught.value.errors == ["line 1 (kent): the reference is longer than 100 characters"]
    [problem] = caught.value.problems
    assert (problem.line, problem.field, problem.force_id) == (1, "reference", "kent")
    assert not RequestEvent.objects.exists()
