"""Matching inbound mail to requests, in the issue's order, and what each match records."""

from datetime import date

import pytest

from requests_app.models import Force
from responses_app.models import InboundMessage
from tests.factories import OutboundMessageFactory

from . import inbound_support
from .inbound_support import build, mail, receive, sent_request

# The shared fixtures, bound by name (no conftest needed).
campaign = inbound_support.campaign
queued = inbound_support.queued

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queued")]
TOKEN = "kentreply00000001"
KENT_REPLY = f"foi+{TOKEN}@foitracker.example"


@pytest.fixture
def kent(campaign):
    return sent_request(campaign, "kent", token=TOKEN, force_reference="21/0614")


@pytest.mark.parametrize(
    "headers, where",
    [
        ({"to": f"FOI Research <{KENT_REPLY}>"}, "To"),
        ({"Cc": f"Research <{KENT_REPLY}>"}, "Cc"),
        ({"Delivered_To": KENT_REPLY}, "Delivered-To"),
        ({"X_Original_To": KENT_REPLY}, "X-Original-To"),
    ],
    ids=["to", "cc", "delivered-to", "x-original-to"],
)
def test_the_reply_address_matches_in_each_header(
    kent, django_capture_on_commit_callbacks, headers, where
):
    raw = build(sender="someone@gmail.example", **headers)
    message = receive(raw, django_capture_on_commit_callbacks)
    assert (message.status, message.request, message.match_method) == ("matched", kent, "token")
    assert message.match_detail == f"reply address in {where}"
    assert message.event.request == kent


def test_the_token_matches_whatever_the_case_and_the_plus_style(
    kent, django_capture_on_commit_callbacks, settings
):
    message = receive(build(to=KENT_REPLY.upper()), django_capture_on_commit_callbacks)
    assert message.request == kent
    settings.REPLY_ADDRESS_STYLE = "subdomain"
    settings.REPLY_DOMAIN = "replies.foitracker.example"
    raw = build(to=f"{TOKEN}@replies.foitracker.example", message_id="<other@x.example>")
    assert receive(raw, django_capture_on_commit_callbacks).request == kent


def test_the_force_reference_from_the_force_domain_matches(
    kent, django_capture_on_commit_callbacks
):
    raw = build(sender="Disclosure <disclosure@kent.police.example>", subject="FOI 21/0614")
    message = receive(raw, django_capture_on_commit_callbacks)
    assert (message.request, message.match_method) == (kent, "reference")
    assert "21/0614" in message.match_detail and "kent.police.example" in message.match_detail


def test_our_reference_in_the_body_from_a_subdomain_of_the_force_matches(
    kent, django_capture_on_commit_callbacks
):
    raw = build(
        sender="noreply@casework.kent.police.example",
        subject="Information request",
        body=f"Thank you for your request (your ref. {kent.reference.upper()}).",
    )
    message = receive(raw, django_capture_on_commit_callbacks)
    assert (message.request, message.match_method) == (kent, "reference")


def test_a_reference_from_a_foreign_domain_goes_to_the_holding_pen_with_a_guess(
    kent, django_capture_on_commit_callbacks
):
    raw = build(sender="prankster@gmail.example", subject="Re: FOI 21/0614")
    message = receive(raw, django_capture_on_commit_callbacks)
    assert (message.status, message.request, message.event) == ("held", None, None)
    assert message.guesses[0]["request"] == kent.pk
    assert "21/0614" in message.guesses[0]["why"]
    assert not kent.events.filter(kind="note").exists()


def test_a_reply_to_a_chaser_threads_on_its_message_id(kent, django_capture_on_commit_callbacks):
    chaser = OutboundMessageFactory(request=kent, message_id="<chaser-1-77@foitracker.example>")
    raw = build(
        sender="a.person@outsourced-foi.example",
        subject="RE: Overdue response",
        In_Reply_To=chaser.message_id,
        References=f"<request-77@foitracker.example> {chaser.message_id}",
    )
    message = receive(raw, django_capture_on_commit_callbacks)
    assert (message.request, message.match_method) == (kent, "thread")
    assert "chaser" in message.match_detail


def test_a_reply_to_the_request_email_threads_on_the_request_message_id(
    kent, django_capture_on_commit_callbacks
):
    kent.message_id = "<request-88@foitracker.example>"
    kent.save(update_fields=["message_id"])
    raw = build(sender="x@elsewhere.example", In_Reply_To="<request-88@foitracker.example>")
    assert receive(raw, django_capture_on_commit_callbacks).request == kent


def test_the_token_wins_over_a_reference_to_another_request(
    campaign, kent, django_capture_on_commit_callbacks
):
    other = sent_request(campaign, "essex", token="essexreply000001", force_reference="E/99/21")
    raw = build(to=KENT_REPLY, sender="foi@essex.police.example", subject="E/99/21")
    message = receive(raw, django_capture_on_commit_callbacks)
    assert message.request == kent != other


def test_tokens_of_two_requests_are_settled_by_the_envelope_or_held(
    campaign, kent, django_capture_on_commit_callbacks
):
    sent_request(campaign, "essex", token="essexreply000001")
    essex_reply = "foi+essexreply000001@foitracker.example"
    both = build(to=KENT_REPLY, Cc=essex_reply, message_id="<both-1@x.example>")
    held = receive(both, django_capture_on_commit_callbacks)
    assert held.status == "held" and "2 requests" in held.problem
    assert {g["reference"] for g in held.guesses} == {"samples/kent", "samples/essex"}
    enveloped = build(
        to=KENT_REPLY, Cc=essex_reply, Delivered_To=essex_reply, message_id="<both-2@x.example>"
    )
    assert receive(enveloped, django_capture_on_commit_callbacks).request.force_id == "essex"


def test_an_unknown_token_is_held_and_says_so(kent, django_capture_on_commit_callbacks):
    raw = build(to="foi+nosuchtoken00000@foitracker.example")
    message = receive(raw, django_capture_on_commit_callbacks)
    assert message.status == "held"
    assert "nosuchtoken00000" in message.problem


def test_a_duplicate_message_id_is_dropped(kent, django_capture_on_commit_callbacks):
    raw = build(to=KENT_REPLY, attachments=(("a.csv", b"x,1\n", "text/csv"),))
    first = receive(raw, django_capture_on_commit_callbacks)
    again = receive(raw.replace(b"a.csv", b"b.csv"), django_capture_on_commit_callbacks)
    assert again.pk == first.pk
    assert InboundMessage.objects.count() == 1
    assert kent.events.filter(kind="note").count() == 1
    assert sorted(kent.documents.values_list("name", flat=True)) == [
        "a.csv",
        "email 2021-06-08 foi_kent.police.example.eml",
    ]


def test_a_message_without_message_id_is_deduplicated_by_its_content(
    kent, django_capture_on_commit_callbacks
):
    raw = build(to=KENT_REPLY, message_id=None)
    first = receive(raw, django_capture_on_commit_callbacks)
    assert first.message_id.startswith("sha256-")
    assert receive(raw, django_capture_on_commit_callbacks).pk == first.pk


def test_an_out_of_office_is_a_note_not_a_response(kent, django_capture_on_commit_callbacks):
    message = receive(mail("out_of_office.eml"), django_capture_on_commit_callbacks)
    assert (message.kind, message.request) == ("auto_reply", kent)
    assert message.event.kind == "note"
    assert message.event.note.startswith("Automatic reply from Alex Morgan")
    kent.refresh_from_db()
    assert kent.responded_on is None and not kent.events.filter(kind="response").exists()
    assert not kent.documents.exists()


def test_a_bounce_on_sending_flags_the_force_address_as_broken(
    campaign, django_capture_on_commit_callbacks
):
    broken = sent_request(
        campaign,
        "cumbria",
        token="brokenreply00001",
        domain="broken.police.example",
        sent=date(2019, 3, 15),
    )
    OutboundMessageFactory(
        request=broken,
        kind="request",
        stage="",
        to_address="foi@broken.police.example",
        message_id="<155264412800.4711.123456789@foitracker.example>",
    )
    message = receive(mail("bounce.eml"), django_capture_on_commit_callbacks)
    assert (message.kind, message.request, message.match_method) == ("bounce", broken, "thread")
    assert message.bounced_recipients == ["foi@broken.police.example"]
    assert Force.objects.get(pk="cumbria").foi_email_broken is True
    assert "foi@broken.police.example" in message.event.note
    assert "marked as broken" in message.event.note


def test_a_bounce_for_an_address_we_did_not_send_to_flags_nothing(
    kent, django_capture_on_commit_callbacks
):
    kent.message_id = "<155264412800.4711.123456789@foitracker.example>"
    kent.save(update_fields=["message_id"])
    message = receive(mail("bounce.eml"), django_capture_on_commit_callbacks)
    assert message.request == kent
    assert Force.objects.filter(foi_email_broken=True).count() == 0
