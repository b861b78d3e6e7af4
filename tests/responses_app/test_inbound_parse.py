"""The pure mail reading (responses_app.domain.mail, mail_kinds, arrival): no database."""

import random
from email.message import EmailMessage

import pytest

from responses_app.domain.arrival import combine_outcomes
from responses_app.domain.mail import (
    MAX_DEPTH,
    candidate_references,
    mentions,
    normalise_id,
    parse_message,
    reply_tokens,
    safe_html,
)

from .inbound_support import MAIL, build, mail


def token_of(address: str) -> str | None:
    local, _, domain = address.partition("@")
    if domain == "foitracker.example" and local.startswith("foi+"):
        return local[4:]
    return None


@pytest.mark.parametrize(
    "name, kind, reason",
    [
        ("multipart_alternative.eml", "reply", ""),
        ("attachments_non_ascii.eml", "reply", ""),
        ("forwarded_reply.eml", "reply", ""),
        ("forwarded_inline.eml", "reply", ""),
        ("hostile_html.eml", "reply", ""),
        ("out_of_office.eml", "auto_reply", "Auto-Submitted: auto-replied"),
        ("bounce.eml", "bounce", "a delivery status report (multipart/report)"),
    ],
)
def test_each_fixture_is_recognised(name, kind, reason):
    record = parse_message(mail(name))
    assert (record.kind, record.kind_reason) == (kind, reason)
    assert record.message_id and "<" not in record.message_id


@pytest.mark.parametrize(
    "headers, subject, kind",
    [
        ({"X_Autoreply": "yes"}, "Re: your request", "auto_reply"),
        ({"Precedence": "auto_reply"}, "Re: your request", "auto_reply"),
        ({}, "Out of Office: back on Monday", "auto_reply"),
        ({}, "Automatic reply: FOI request", "auto_reply"),
        ({"Auto_Submitted": "no"}, "Re: your request", "reply"),
        ({"X_Failed_Recipients": "foi@gone.example"}, "Mail failure", "bounce"),
        ({}, "Undeliverable: FOI request", "bounce"),
        ({}, "Re: Out of office arrangements for FOI", "reply"),
    ],
)
def test_automatic_replies_and_bounces_by_header_or_subject(headers, subject, kind):
    assert parse_message(build(subject=subject, **headers)).kind == kind


def test_a_mailer_daemon_is_a_bounce_and_a_delay_is_not_final():
    raw = build(
        sender="MAILER-DAEMON@mx.example",
        subject="Delivery Status Notification (Delay)",
        body="<foi@slow.example>:\nstill trying\nMessage-ID: <ours-1@foitracker.example>",
    )
    record = parse_message(raw)
    assert record.kind == "bounce"
    assert record.bounce.recipients == ("foi@slow.example",)
    assert record.bounce.permanent is False
    assert record.bounce.original_message_ids == ("<ours-1@foitracker.example>",)


def test_the_bounce_names_the_failed_address_and_our_message():
    bounce = parse_message(mail("bounce.eml")).bounce
    assert bounce.recipients == ("foi@broken.police.example",)
    assert bounce.permanent is True
    assert bounce.diagnostic.startswith("smtp; 550 5.1.1 <foi@broken.police.example>")
    assert bounce.original_message_ids == ("<155264412800.4711.123456789@foitracker.example>",)


def test_non_ascii_attachment_names_are_decoded():
    record = parse_message(mail("attachments_non_ascii.eml"))
    assert [p.filename for p in record.attachments] == [
        "Réponse FOI — Kent.csv",
        "Lettre d’accompagnement.txt",
    ]
    assert record.from_name == "Bureau FOI — Kent Police"
    assert record.subject == "FOI request c/kent — réponse"
    assert record.attachments[0].data.startswith(b"\xef\xbb\xbfYear,")


def test_forwarded_messages_bring_their_addresses_text_and_attachments():
    attached = parse_message(mail("forwarded_reply.eml"))
    assert attached.forwarded[0]["From"] == ("freedomofinformation@dorset.police.example",)
    assert [p.content_type for p in attached.attachments] == ["message/rfc822", "text/plain"]
    assert "Instagram" in attached.text  # the forwarded letter is searchable
    inline = parse_message(mail("forwarded_inline.eml"))
    assert inline.forwarded == [
        {
            "From": ("freedomofinformation@dorset.police.example",),
            "To": ("foi+dorsetreply00001@foitracker.example",),
        }
    ]


def test_reply_tokens_are_listed_in_matching_order():
    raw = build(
        to="a@b.example, FOI <foi+totoken000001@foitracker.example>",
        Cc="foi+cctoken000001@foitracker.example",
        Delivered_To="foi+deliveredtok01@foitracker.example",
        X_Original_To="foi+originaltok01@foitracker.example",
    )
    assert reply_tokens(parse_message(raw), token_of) == [
        ("To", "totoken000001"),
        ("Cc", "cctoken000001"),
        ("Delivered-To", "deliveredtok01"),
        ("X-Original-To", "originaltok01"),
    ]


def test_thread_ids_put_in_reply_to_first_then_the_newest_reference():
    record = parse_message(mail("out_of_office.eml"))
    assert record.thread_ids == (
        "chaser-1-4711@foitracker.example",
        "request-4711@foitracker.example",
    )
    assert normalise_id("  <abc@host> ") == "abc@host"


@pytest.mark.parametrize(
    "text, reference, found",
    [
        ("Our ref: FOI 1547/21.", "FOI 1547/21", True),
        ("our ref foi1547/21 dated", "FOI 1547/21", True),
        ("ref FOI 1547 / 21", "FOI 1547/21", True),
        ("ref FOI 11547/21", "FOI 1547/21", False),
        ("ref 1547/210", "1547/21", False),
        ("about c/kent", "c/k", False),  # too short to match on its own
        ("Re: samples/kent", "samples/kent", True),
    ],
)
def test_references_are_found_whatever_the_spacing_and_case(text, reference, found):
    assert mentions(text, reference) is found


def test_candidate_references_keep_words_with_digits_or_slashes():
    words = candidate_references("Re: FOI 1547/21 about samples/kent on 26 May")
    assert {"1547/21", "FOI 1547/21", "samples/kent"} <= set(words)
    assert not {"about", "May", "26"} & set(words)  # no digit or slash, or too short


def test_safe_html_removes_scripts_handlers_images_and_remote_css():
    html = parse_message(mail("hostile_html.eml")).html
    clean = safe_html(html)
    for bad in ("<script", "onerror", "onload", "<img", "tracker.example", "javascript:", "style="):
        assert bad not in clean
    assert (
        '<a href="https://www.essex.police.example/foi" rel="noopener noreferrer nofollow">'
        in clean
    )


def test_garbage_never_raises():
    rng = random.Random(3)
    for _ in range(20):
        junk = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 3000)))
        record = parse_message(junk)
        assert record.kind in ("reply", "auto_reply", "bounce")
    hostile = (
        b"From: \x00bad\xff <x@\xfe.example>\r\nTo: =?utf-8?q?broken\r\n"
        b"Subject: =?x-unknown?b?AAAA?=\r\nDate: 99 Foo 99999\r\nMessage-ID: <\x00id>\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain; '
        b"charset=klingon\r\n\r\nhello\r\n--b\r\nContent-Type: application/pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!\r\n"
    )  # no closing boundary
    record = parse_message(hostile)
    assert record.date is None and "\x00" not in record.from_address + record.message_id
    assert "hello" in record.text


def test_deep_nesting_is_cut_off_and_said():
    message = EmailMessage()
    message.set_content("inner")
    for _ in range(MAX_DEPTH + 3):
        outer = EmailMessage()
        outer.make_mixed()
        outer.attach(message)
        message = outer
    record = parse_message(message.as_bytes())
    assert any("nested too deeply" in note for note in record.skipped)


@pytest.mark.parametrize(
    "readings, expected",
    [
        ([("full", []), ("unknown", [])], ("full", [])),
        ([("full", []), ("refused", ["s40"])], ("partial", ["s40"])),
        ([("refused", ["s40"]), ("not_held", [])], ("refused", ["s40"])),
        ([("partial", ["s12"]), ("refused", ["s40", "s12"])], ("partial", ["s12", "s40"])),
        ([("not_held", []), ("full", [])], ("partial", [])),
        ([("unknown", []), ("clarification", [])], None),
        ([], None),
    ],
)
def test_the_files_of_one_reply_give_one_outcome(readings, expected):
    assert combine_outcomes(readings) == expected


def test_fixtures_are_real_world_like_files_on_disk():
    names = sorted(p.name for p in MAIL.glob("*.eml"))
    assert names == [
        "attachments_non_ascii.eml", "bounce.eml", "forwarded_inline.eml", "forwarded_reply.eml",
        "hostile_html.eml", "multipart_alternative.eml", "out_of_office.eml",
    ]  # fmt: skip
    assert all(b"\r\n" in (MAIL / n).read_bytes() for n in names)
