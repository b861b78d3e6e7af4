"""End to end in one process: mail received, read by the (eager) task, the response recorded."""

from datetime import date

import pytest

from requests_app.services.events import EventInput, record_event
from responses_app.models import Document, InboundMessage, Reply
from responses_app.services.inbound import reject_message

from . import inbound_support
from .inbound_support import (
    build,
    expected_figures,
    figures_of,
    mail,
    receive,
    sample,
    sent_request,
)

# The shared fixtures, bound by name (no conftest needed).
campaign = inbound_support.campaign
eager = inbound_support.eager
queued = inbound_support.queued

pytestmark = pytest.mark.django_db


def test_a_multipart_alternative_reply_lands_with_its_figures_and_becomes_the_response(
    campaign, eager, django_capture_on_commit_callbacks
):
    lincs = sent_request(campaign, "lincolnshire", token="lincsreply000001")
    message = receive(mail("multipart_alternative.eml"), django_capture_on_commit_callbacks)
    assert (message.status, message.request, message.match_method) == ("matched", lincs, "token")
    reply = Reply.objects.get(request=lincs)
    assert (reply.status, reply.outcome) == ("extracted", "full")
    assert figures_of(lincs) == expected_figures("lincolnshire")
    lincs.refresh_from_db()
    assert (lincs.status, lincs.outcome, lincs.responded_on) == (
        "responded",
        "full",
        date(2021, 6, 8),
    )
    response = lincs.events.get(kind="response")
    assert "Outcome read automatically" in response.note
    assert [d.event for d in lincs.documents.all()] == [response]
    note = lincs.events.get(kind="note")
    assert note.note.startswith("Reply received by email from Lincolnshire Police FOI")
    assert message.event == note


def test_a_forwarded_reply_is_matched_by_the_token_inside_and_its_letter_is_read(
    campaign, eager, django_capture_on_commit_callbacks
):
    dorset = sent_request(campaign, "dorset", token="dorsetreply00001")
    message = receive(mail("forwarded_reply.eml"), django_capture_on_commit_callbacks)
    assert message.request == dorset
    assert message.match_detail == "reply address in forwarded message 1 To"
    names = sorted(dorset.documents.values_list("name", flat=True))
    assert names == [
        "Your Freedom of Information request FOI 1547_21.eml",
        "email 2021-05-27 sam_charity.example.eml",
        "original-request.txt",
    ]
    assert figures_of(dorset) == expected_figures("dorset")
    assert dorset.events.filter(kind="response", outcome="full").count() == 1


def test_an_inline_forward_is_matched_and_read_from_its_body(
    campaign, eager, django_capture_on_commit_callbacks
):
    dorset = sent_request(campaign, "dorset", token="dorsetreply00001")
    message = receive(mail("forwarded_inline.eml"), django_capture_on_commit_callbacks)
    assert message.request == dorset
    assert figures_of(dorset) == expected_figures("dorset")


def test_attachments_with_non_ascii_names_are_kept_with_safe_names_and_read(
    campaign, eager, django_capture_on_commit_callbacks
):
    kent = sent_request(campaign, "kent", token="kentreply00000001")
    message = receive(mail("attachments_non_ascii.eml"), django_capture_on_commit_callbacks)
    assert message.match_detail == "reply address in Cc"
    assert message.attachment_names == ["Réponse FOI — Kent.csv", "Lettre d’accompagnement.txt"]
    names = set(kent.documents.values_list("name", flat=True))
    assert {"Réponse FOI _ Kent.csv", "Lettre d_accompagnement.txt"} <= names
    assert figures_of(kent) == expected_figures("kent")


def test_a_refusal_and_a_partial_reply_record_their_outcome_and_exemptions(
    campaign, eager, django_capture_on_commit_callbacks
):
    cleveland = sent_request(campaign, "cleveland", token="clevereply000001")
    raw = sample("cleveland.eml").replace(
        b"To: foi.requests@charity.example", b"To: foi+clevereply000001@foitracker.example"
    )
    receive(raw, django_capture_on_commit_callbacks)
    cleveland.refresh_from_db()
    assert (cleveland.outcome, cleveland.exemptions) == ("partial", ["s40(2)"])

    wiltshire = sent_request(campaign, "wiltshire", token="wiltsreply000001")
    raw = build(
        to="foi+wiltsreply000001@foitracker.example",
        attachments=(("refusal.pdf", sample("wiltshire.pdf"), "application/pdf"),),
    )
    receive(raw, django_capture_on_commit_callbacks)
    wiltshire.refresh_from_db()
    assert (wiltshire.status, wiltshire.exemptions) == ("refused", ["s12(1)"])


def test_files_that_disagree_make_a_partial_response(
    campaign, eager, django_capture_on_commit_callbacks
):
    essex = sent_request(campaign, "essex", token="essexreply000001")
    raw = build(
        to="foi+essexreply000001@foitracker.example",
        body="",
        attachments=(
            ("figures.xlsx", sample("essex.xlsx"), "application/octet-stream"),
            ("refusal.pdf", sample("wiltshire.pdf"), "application/pdf"),
        ),
    )
    receive(raw, django_capture_on_commit_callbacks)
    essex.refresh_from_db()
    assert (essex.outcome, essex.exemptions) == ("partial", ["s12(1)"])
    assert figures_of(essex) == expected_figures("essex")


def test_a_later_reply_stays_a_note_when_a_response_is_recorded(
    campaign, eager, django_capture_on_commit_callbacks
):
    kent = sent_request(campaign, "kent", token="kentreply00000001")
    record_event(request=kent, data=EventInput("response", date(2021, 5, 20), outcome="refused"))
    raw = build(
        to="foi+kentreply00000001@foitracker.example",
        attachments=(("kent.csv", sample("kent.csv"), "text/csv"),),
    )
    receive(raw, django_capture_on_commit_callbacks)
    assert kent.events.filter(kind="response").count() == 1
    assert Reply.objects.filter(request=kent, status="extracted").count() == 2
    assert all(d.event.kind == "note" for d in kent.documents.all())


def test_a_response_the_clock_refuses_is_left_as_a_note_with_a_finding(
    campaign, eager, django_capture_on_commit_callbacks
):
    kent = sent_request(campaign, "kent", token="kentreply00000001")
    record_event(request=kent, data=EventInput("withdrawn", date(2021, 5, 12)))
    raw = build(
        to="foi+kentreply00000001@foitracker.example",
        attachments=(("kent.csv", sample("kent.csv"), "text/csv"),),
    )
    receive(raw, django_capture_on_commit_callbacks)
    assert not kent.events.filter(kind="response").exists()
    finding = Reply.objects.get(request=kent, document__name="kent.csv")
    assert finding.findings.filter(code="inbound.response_not_recorded").exists()


def test_the_holding_pen_assign_processes_the_message_as_if_it_had_matched(
    campaign, eager, django_capture_on_commit_callbacks, admin_user, client
):
    kent = sent_request(campaign, "kent", token="kentreply00000001")
    raw = build(
        sender="someone@gmail.example",
        attachments=(("kent.csv", sample("kent.csv"), "text/csv"),),
    )
    message = receive(raw, django_capture_on_commit_callbacks)
    assert message.status == "held" and not kent.documents.exists()
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/inbound/{message.pk}/assign/", {"request": kent.reference})
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.request, message.match_method) == ("assigned", kent, "hand")
    assert message.handled_by == admin_user and message.handled_at is not None
    assert figures_of(kent) == expected_figures("kent")
    again = client.post(f"/inbound/{message.pk}/assign/", {"request": kent.reference}, follow=True)
    assert "already assigned by hand" in again.content.decode()
    assert kent.events.filter(kind="note").count() == 1


@pytest.mark.usefixtures("queued")
def test_rejecting_keeps_the_message_with_its_reason(
    campaign, django_capture_on_commit_callbacks, admin_user, client
):
    message = receive(build(sender="spam@spam.example"), django_capture_on_commit_callbacks)
    client.force_login(admin_user)
    no_reason = client.post(f"/inbound/{message.pk}/reject/", {"reason": " "}, follow=True)
    assert "Say why" in no_reason.content.decode()
    client.post(f"/inbound/{message.pk}/reject/", {"reason": "Spam"})
    message.refresh_from_db()
    assert (message.status, message.rejection_reason, message.handled_by) == (
        "rejected",
        "Spam",
        admin_user,
    )
    assert InboundMessage.objects.filter(pk=message.pk).exists()
    listed = client.get("/inbound/?status=rejected").content.decode()
    assert "Spam" in listed and message.subject in listed
    with pytest.raises(ValueError):
        reject_message(message=message, reason="again", user=admin_user)


@pytest.mark.usefixtures("queued")
def test_the_holding_pen_shows_guessed_mail_to_its_team_and_costs_a_fixed_number_of_queries(
    campaign, django_capture_on_commit_callbacks, admin_user, researcher, viewer, client,
    django_assert_max_num_queries,
):  # fmt: skip
    sent_request(campaign, "kent", token="kentreply00000001", force_reference="21/0614")
    for n in range(6):
        receive(
            build(
                sender=f"x{n}@gmail.example", subject=f"FOI 21/0614 ({n})", message_id=f"<h{n}@x>"
            ),
            django_capture_on_commit_callbacks,
        )
    client.force_login(viewer)
    assert client.get("/inbound/").status_code == 403
    assert "Holding pen" not in client.get("/").content.decode()
    client.force_login(researcher)  # reads the mail guessed for the team's requests
    with django_assert_max_num_queries(8):
        html = client.get("/inbound/").content.decode()
    assert html.count('class="card inbound') == 6 and "Assign to samples/kent" not in html
    assert "Holding pen" in client.get("/").content.decode()
    client.force_login(admin_user)
    with django_assert_max_num_queries(8):
        page = client.get("/inbound/")
    html = page.content.decode()
    assert html.count('class="card inbound') == 6
    assert "Assign to samples/kent" in html and "mentions its reference 21/0614" in html
    assert "Holding pen" in client.get("/").content.decode()


@pytest.mark.usefixtures("queued")
def test_email_html_is_sanitised_before_it_is_shown(
    campaign, django_capture_on_commit_callbacks, researcher, client
):
    sent_request(campaign, "essex", token="essexreply000001")
    message = receive(mail("hostile_html.eml"), django_capture_on_commit_callbacks)
    client.force_login(researcher)
    response = client.get(f"/inbound/{message.pk}/")
    html = response.content.decode()
    body = html[html.index('class="mail-html"') :]
    assert "42 offences were recorded" in body
    for bad in ("<script", "onerror", "onload", "tracker.example", "javascript:", "<iframe",
                "<form action=\"https://evil", "<svg", "<img"):  # fmt: skip
        assert bad not in body, bad
    assert "script-src 'self'" in response["Content-Security-Policy"]
    raw = client.get(f"/inbound/{message.pk}/raw/")
    assert raw["Content-Type"] == "application/octet-stream"
    assert raw["Content-Disposition"].startswith("attachment")
    assert message.downloads.get().user == researcher


@pytest.mark.usefixtures("queued")
def test_unmatched_mail_guessed_for_nobody_is_for_staff_only(
    campaign, django_capture_on_commit_callbacks, researcher, client
):
    message = receive(build(sender="a@b.example"), django_capture_on_commit_callbacks)
    client.force_login(researcher)
    assert client.get(f"/inbound/{message.pk}/").status_code == 404
    assert client.get(f"/inbound/{message.pk}/raw/").status_code == 404
    assert not message.downloads.exists()


@pytest.mark.usefixtures("queued")
def test_an_oversized_message_keeps_its_headers_in_the_holding_pen(
    campaign, django_capture_on_commit_callbacks, settings
):
    sent_request(campaign, "kent", token="kentreply00000001")
    settings.INBOUND_MAX_MESSAGE_BYTES = 2000
    raw = build(
        to="foi+kentreply00000001@foitracker.example",
        attachments=(("big.csv", b"a,1\n" * 2000, "text/csv"),),
    )
    message = receive(raw, django_capture_on_commit_callbacks)
    assert (message.status, message.raw, message.size) == ("held", None, len(raw))
    assert "larger than the 2 KB limit" in message.problem
    assert message.guesses[0]["reference"] == "samples/kent"
    assert not Document.objects.exists()
