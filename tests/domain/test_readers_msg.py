"""Outlook messages (.msg): real files, written by tests/support, read like any reply.

A reply sent as an .msg is a letter (the body) and the files attached to it:
the figures are those of the attachments read on their own, the outcome is
the letter's, and a hostile or too deeply nested attachment is a finding.
"""

from __future__ import annotations

import io
import json

import extract_msg
import olefile
import pytest

from responses_app.domain.extraction import extract, extraction_to_json
from responses_app.domain.readers import ReadLimits, detect_type, read
from tests.domain.test_samples import SAMPLES, campaign_spec, figure_set
from tests.responses_app import hostile_corpus
from tests.support.cfb import BLACK, RED, compound_file
from tests.support.msg_file import MsgAttachment, OutlookMessage, msg_bytes

LETTER = (
    "Dear Applicant,\r\n\r\n"
    "Thank you for your request for information, which we have dealt with under the "
    "Freedom of Information Act 2000.\r\n\r\n"
    "The information you asked for is attached.\r\n\r\n"
    "If you are dissatisfied with the handling of your request, you may ask for an "
    "internal review.\r\n\r\n"
    "Yours sincerely,\r\n\r\nDisclosure Officer\r\n"
)
PARTLY_WITHHELD = LETTER.replace(
    "The information you asked for is attached.",
    "The information you asked for is attached. The names of the platforms used in "
    "fewer than five offences are withheld under section 40(2) of the Act.",
)


def reply_msg(body: str, *attachments: MsgAttachment, subject: str = "FOI 2596/21") -> bytes:
    return msg_bytes(OutlookMessage(subject, body, attachments=list(attachments)))


def sample(name: str) -> MsgAttachment:
    return MsgAttachment(name, (SAMPLES / name).read_bytes())


def extraction_of(data: bytes, name: str, limits: ReadLimits | None = None):
    document = read(data, name, limits)
    return document, extraction_to_json(extract(document, campaign_spec()), "force")


# The compound file writer ----------------------------------------------------------------


def test_the_compound_file_writer_gives_every_stream_back_exactly():
    tree = {
        "small": b"hello",
        "empty": b"",
        "large": bytes(range(256)) * 40,  # over 4096 bytes: regular sectors, not the mini stream
        "Storage": {f"s{n}": bytes([n]) * (n * 70) for n in range(40)},
    }
    ole = olefile.OleFileIO(io.BytesIO(compound_file(tree)), raise_defects=olefile.DEFECT_INCORRECT)
    assert ole.openstream("small").read() == b"hello"
    assert ole.openstream("empty").read() == b""
    assert ole.openstream("large").read() == tree["large"]
    for name, data in tree["Storage"].items():
        assert ole.openstream(f"Storage/{name}").read() == data
    assert len(ole.listdir(streams=True, storages=True)) == 44


@pytest.mark.parametrize("count", [1, 2, 3, 7, 8, 40])
def test_each_storage_s_children_are_a_valid_red_black_tree(count):
    ole = olefile.OleFileIO(io.BytesIO(compound_file({f"n{i}": b"x" for i in range(count)})))
    entries = ole.direntries

    def black_height(sid: int, parent_red: bool) -> int:
        if sid == olefile.NOSTREAM:
            return 0
        entry = entries[sid]
        red = entry.color == RED
        assert not (red and parent_red), "a red node has a red child"
        left = black_height(entry.sid_left, red)
        assert left == black_height(entry.sid_right, red), "unequal black heights"
        return left + (entry.color == BLACK)

    root_child = entries[entries[0].sid_child]
    assert root_child.color == BLACK
    black_height(entries[0].sid_child, False)


# The .msg writer, checked by extract-msg ---------------------------------------------------


def test_extract_msg_reads_back_the_subject_body_sender_and_attachments_exactly(tmp_path):
    large = (SAMPLES / "essex.xlsx").read_bytes()
    assert len(large) > 4096
    path = tmp_path / "reply.msg"
    path.write_bytes(reply_msg(LETTER, sample("essex.xlsx"), sample("kent.csv")))

    message = extract_msg.openMsg(str(path))
    try:
        assert message.classType == "IPM.Note"
        assert message.subject == "FOI 2596/21"
        assert message.body == LETTER
        assert message.sender == "Freedom of Information Unit <foi@northshire.police.example>"
        assert message.to == "foi.requests@charity.example <foi.requests@charity.example>"
        assert [(a.longFilename, a.shortFilename, a.data) for a in message.attachments] == [
            ("essex.xlsx", "ESSEX~1.XLS", large),
            ("kent.csv", "KENT~1.CSV", (SAMPLES / "kent.csv").read_bytes()),
        ]
    finally:
        message.close()


def test_an_embedded_message_comes_back_as_a_message_with_its_own_attachment():
    inner = OutlookMessage("Forwarded reply", "See attached.", attachments=[sample("kent.csv")])
    data = reply_msg(LETTER, MsgAttachment("Forwarded reply", message=inner))
    message = extract_msg.openMsg(io.BytesIO(data), delayAttachments=False)
    try:
        (attachment,) = message.attachments
        embedded = attachment.data
        assert isinstance(embedded, extract_msg.MSGFile)
        assert (embedded.subject, embedded.body) == ("Forwarded reply", "See attached.")
        (csv,) = embedded.attachments
        assert (csv.longFilename, csv.data) == ("kent.csv", (SAMPLES / "kent.csv").read_bytes())
    finally:
        message.close()


# Reading a reply sent as an .msg ------------------------------------------------------------


@pytest.mark.parametrize("name", ["kent.csv", "essex.xlsx"])
def test_an_attached_sample_gives_exactly_the_figures_of_the_sample_read_on_its_own(name):
    alone = SAMPLES / name
    _, want = extraction_of(alone.read_bytes(), alone.name)
    expected = json.loads((SAMPLES / f"{alone.stem}.expected.json").read_text())

    data = reply_msg(LETTER, sample(name))
    assert detect_type(data) == "msg"
    document, got = extraction_of(data, "reply.msg")

    assert document.kind == "msg"
    assert figure_set(got["figures"]) == figure_set(want["figures"])
    assert figure_set(got["figures"]) == figure_set(expected["figures"])
    assert len(got["figures"]) == len(want["figures"])
    assert (got["outcome"], got["exemptions"]) == (expected["outcome"], expected["exemptions"])
    assert all(f["source"].startswith(f"reply.msg {name}: ") for f in got["figures"])
    assert "Subject: FOI 2596/21" in document.text
    assert "The information you asked for is attached." in document.text


def test_the_body_is_read_as_the_letter_that_decides_the_outcome():
    _, got = extraction_of(reply_msg(PARTLY_WITHHELD, sample("kent.csv")), "reply.msg")
    _, alone = extraction_of((SAMPLES / "kent.csv").read_bytes(), "kent.csv")
    assert (got["outcome"], got["exemptions"]) == ("partial", ["s40(2)"])
    assert figure_set(got["figures"]) == figure_set(alone["figures"])


def test_a_letter_with_no_attachment_is_read_from_the_body_alone():
    refusal = (
        "Dear Applicant,\r\n\r\nTo answer your request would exceed the appropriate limit, "
        "so it is refused under section 12(1) of the Act.\r\n\r\nYours sincerely,\r\n"
    )
    document, got = extraction_of(reply_msg(refusal), "reply.msg")
    assert document.attachments == [] and got["figures"] == []
    assert (got["outcome"], got["exemptions"]) == ("refused", ["s12(1)"])


# Hostile and nested attachments ---------------------------------------------------------------


def test_hostile_attachments_are_findings_and_the_good_attachment_is_still_read():
    data = reply_msg(
        LETTER,
        MsgAttachment("bomb.xlsx", hostile_corpus.zip_bomb(25 * 1024 * 1024)),
        MsgAttachment("xxe.docx", hostile_corpus.xxe_docx()),
        MsgAttachment("xxe.xlsx", hostile_corpus.xxe_xlsx()),
        sample("kent.csv"),
    )
    limits = ReadLimits(max_unpacked_bytes=20 * 1024 * 1024)
    document, got = extraction_of(data, "reply.msg", limits)

    notices = document.notices
    unreadable = {n.locator: n.message for n in notices if n.code == "attachment_unreadable"}
    assert unreadable == {
        "bomb.xlsx": "could not read bomb.xlsx: it would unpack to more than 20 MB",
        "xxe.docx": "could not read xxe.docx: it declares XML entities (word/document.xml), "
        "which is refused",
        "xxe.xlsx": "could not read xxe.xlsx: it declares XML entities "
        "(xl/worksheets/sheet1.xml), which is refused",
    }
    _, alone = extraction_of((SAMPLES / "kent.csv").read_bytes(), "kent.csv")
    assert figure_set(got["figures"]) == figure_set(alone["figures"])


def test_a_damaged_attachment_is_a_finding_and_the_letter_and_other_files_are_read():
    data = reply_msg(PARTLY_WITHHELD, MsgAttachment("lost.xlsx"), sample("kent.csv"))
    document, got = extraction_of(data, "reply.msg")
    (lost,) = [n for n in document.notices if n.code == "attachment_unreadable"]
    assert (lost.locator, lost.message) == (
        "lost.xlsx",
        "lost.xlsx was not read: it holds no file that can be read "
        "(it is damaged, or a link or an embedded object)",
    )
    assert (got["outcome"], got["exemptions"]) == ("partial", ["s40(2)"])
    _, alone = extraction_of((SAMPLES / "kent.csv").read_bytes(), "kent.csv")
    assert figure_set(got["figures"]) == figure_set(alone["figures"])


def test_attachments_past_the_limit_are_left_unread_with_a_finding():
    data = reply_msg(LETTER, sample("kent.csv"), sample("essex.xlsx"))
    document, got = extraction_of(data, "reply.msg", ReadLimits(max_attachments=1))
    (skipped,) = [n for n in document.notices if n.code == "attachments_skipped"]
    assert skipped.message == "only 1 of 2 attachments are kept"
    assert {f["source"].split(":")[0] for f in got["figures"]} == {"reply.msg kent.csv"}


def nested(levels: int, *, embedded: bool) -> bytes:
    """An .msg holding an .msg ... `levels` deep, the innermost holding kent.csv."""
    attachment = sample("kent.csv")
    for level in range(levels - 1, 0, -1):
        message = OutlookMessage(f"Level {level}", "Forwarded.", attachments=[attachment])
        name = f"level{level}.msg"
        attachment = (
            MsgAttachment(name, message=message)
            if embedded
            else MsgAttachment(name, msg_bytes(message))
        )
    return reply_msg(LETTER, attachment)


@pytest.mark.parametrize("embedded", [False, True], ids=["attached-file", "embedded"])
def test_a_message_inside_a_message_is_read_within_the_nesting_limit(embedded):
    document, got = extraction_of(nested(2, embedded=embedded), "reply.msg")
    _, alone = extraction_of((SAMPLES / "kent.csv").read_bytes(), "kent.csv")
    assert figure_set(got["figures"]) == figure_set(alone["figures"])
    assert all(f["source"].startswith("reply.msg level1.msg: kent.csv: ") for f in got["figures"])
    lines = [(line.locator, line.text) for line in document.lines]
    assert ("level1.msg: subject", "Subject: Level 1") in lines
    assert not [n for n in document.notices if n.code == "nested_too_deep"]


@pytest.mark.parametrize("embedded", [False, True], ids=["attached-file", "embedded"])
@pytest.mark.parametrize("levels", [3, 40])
def test_a_message_nested_deeper_than_the_limit_is_a_finding_not_a_crash(embedded, levels):
    document, got = extraction_of(nested(levels, embedded=embedded), "reply.msg")
    assert got["figures"] == []
    (deep,) = [n for n in document.notices if n.code == "nested_too_deep"]
    assert deep.message == (
        "kent.csv was not read: nested too deeply"
        if levels == 3
        else "level3.msg was not read: nested too deeply"
    )


def test_a_body_reads_as_the_same_body_in_an_eml():
    """Paragraphs and two tables laid out with spaces: the same lines and tables either way
    (the blank line between the tables keeps them apart)."""
    body = (
        "Dear Applicant,\r\n\r\nPlease find the figures below.\r\n\r\n"
        "Platform        2019/20    2020/21\r\nInstagram            12         15\r\n"
        "Snapchat              7          9\r\n\r\n"
        "Age             2019/20    2020/21\r\nUnder 11              3          4\r\n"
        "11-15                 8          9\r\n\r\nYours sincerely,\r\nFOI Unit\r\n"
    )
    msg = read(msg_bytes(OutlookMessage("FOI reply", body)), "reply.msg")
    eml = read(
        (
            "From: foi@northshire.police.example\r\nTo: foi.requests@charity.example\r\n"
            "Subject: FOI reply\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body
        ).encode(),
        "reply.eml",
    )
    assert [line.text for line in msg.lines] == [line.text for line in eml.lines]
    assert [list(t.iter_rows()) for t in msg.tables] == [list(t.iter_rows()) for t in eml.tables]
    assert len(msg.tables) == 2
