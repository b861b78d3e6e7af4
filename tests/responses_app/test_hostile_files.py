"""Broken and hostile files: one clear sentence on the request, an intact database, a live worker.

Every file is made by the tests (``hostile_corpus``) and sent the way a
person would (the upload form) or a force would (an email attachment); the
reading runs in the real ``responses_app.extract_document`` task (eager). A
good file sent alongside is still read, so one bad file never blocks others.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from requests_app.services.state import refresh_state
from responses_app.models import Figure, Reply, StoredFile
from responses_app.services.reading import fail_stale_replies, read_document
from responses_app.tasks import extract_document
from tests.support.msg_file import MsgAttachment, OutlookMessage, msg_bytes

from . import hostile_corpus as corpus
from . import inbound_support
from .inbound_support import (
    build,
    expected_figures,
    figures_of,
    receive,
    sample,
)

# The shared fixtures, bound by name (no conftest needed).
campaign = inbound_support.campaign
kent = inbound_support.kent
eager = inbound_support.eager
queued = inbound_support.queued

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.READ_MAX_UNPACKED_BYTES = 20 * 1024 * 1024
    settings.READ_MAX_SHEETS = 100
    return settings


def upload(client, user, request, capture, *files):
    client.force_login(user)
    with capture(execute=True):
        response = client.post(
            f"/requests/{request.pk}/replies/upload/",
            {"files": [SimpleUploadedFile(name, data) for name, data in files]},
        )
    assert response.status_code == 302
    return client.get(f"/requests/{request.pk}/").content.decode()


CASES = [
    ("bomb.xlsx", lambda: corpus.zip_bomb(25 * 1024 * 1024),
     "could not read bomb.xlsx: it would unpack to more than 20 MB"),
    ("xxe.xlsx", corpus.xxe_xlsx,
     "could not read xxe.xlsx: it declares XML entities (xl/worksheets/sheet1.xml), "
     "which is refused"),
    ("xxe.docx", corpus.xxe_docx,
     "could not read xxe.docx: it declares XML entities (word/document.xml), which is refused"),
    ("reply.xlsx", lambda: corpus.truncated(sample("essex.xlsx")),
     "could not read reply.xlsx: the file is damaged (it is a truncated or corrupt zip archive)"),
    ("random.xlsx", corpus.random_bytes,
     "could not read random.xlsx: its content is not a spreadsheet, document, PDF, email or text "
     "file (the name ends in .xlsx, but the content is not a .xlsx file)"),
    ("many.xlsx", lambda: corpus.workbook(sheets=120),
     "could not read many.xlsx: it has more than 100 sheets"),
    ("liar.xlsx", corpus.lying_zip, "could not read liar.xlsx: sheet 'Data' is damaged"),
    ("letter.pdf", lambda: corpus.truncated(sample("surrey.pdf")), "could not read letter.pdf: "),
]  # fmt: skip


@pytest.mark.parametrize("name, make, message", CASES, ids=[c[0] for c in CASES])
def test_each_hostile_file_ends_in_a_clear_message_and_the_good_file_is_still_read(
    kent, limits, eager, client, researcher, django_capture_on_commit_callbacks, name, make, message
):
    page = upload(
        client, researcher, kent, django_capture_on_commit_callbacks,
        (name, make()), ("kent.csv", sample("kent.csv")),
    )  # fmt: skip
    bad = Reply.objects.get(document__name=name)
    assert bad.status == "failed"
    assert bad.error.startswith(message), bad.error
    assert "\n" not in bad.error and "Traceback" not in bad.error and len(bad.error) < 300
    assert not bad.figures.exists() and not bad.findings.exists()
    assert bad.error.replace("'", "&#x27;").replace('"', "&quot;") in page
    good = Reply.objects.get(document__name="kent.csv")
    assert good.status == "extracted"
    assert figures_of(kent) == expected_figures("kent")
    assert set(Figure.objects.values_list("reply_id", flat=True)) == {good.pk}
    kent.refresh_from_db()
    stored = (kent.status, kent.outcome, kent.due_on)
    refresh_state(kent)
    kent.refresh_from_db()
    assert stored == (kent.status, kent.outcome, kent.due_on) == ("responded", "full", stored[2])


def test_xxe_never_reads_the_local_file(
    kent, eager, client, researcher, django_capture_on_commit_callbacks
):
    upload(
        client,
        researcher,
        kent,
        django_capture_on_commit_callbacks,
        ("xxe.xlsx", corpus.xxe_xlsx()),
    )
    with open("/etc/passwd") as handle:
        secret = handle.readline().strip()
    reply = Reply.objects.get()
    assert secret not in reply.error
    assert not Figure.objects.exists()


def test_a_utf16_csv_reads_like_its_utf8_original(
    kent, eager, client, researcher, django_capture_on_commit_callbacks
):
    text = sample("kent.csv").decode("utf-8-sig")
    upload(
        client, researcher, kent, django_capture_on_commit_callbacks,
        ("utf16.csv", text.encode("utf-16")),
    )  # fmt: skip
    reply = Reply.objects.get()
    assert reply.status == "extracted"
    assert figures_of(kent) == expected_figures("kent")
    assert reply.findings.filter(code="text_encoding", message__contains="UTF-16").exists()


def test_a_file_that_reads_too_long_is_stopped_by_the_time_limit(
    kent, eager, client, researcher, settings, django_capture_on_commit_callbacks
):
    settings.READ_TIME_LIMIT_SECONDS = 0.2
    page = upload(
        client, researcher, kent, django_capture_on_commit_callbacks,
        ("listing.csv", corpus.slow_csv(150_000)), ("kent.csv", sample("kent.csv")),
    )  # fmt: skip
    slow = Reply.objects.get(document__name="listing.csv")
    assert (slow.status, slow.error) == (
        "failed",
        "could not read listing.csv: reading it took longer than the 0.2 seconds allowed",
    )
    assert not slow.figures.exists()
    assert "took longer than the 0.2 seconds allowed" in page
    assert Reply.objects.get(document__name="kent.csv").status == "extracted"


def test_the_task_is_idempotent_and_quiet_about_missing_documents(
    kent, eager, client, researcher, django_capture_on_commit_callbacks
):
    upload(
        client,
        researcher,
        kent,
        django_capture_on_commit_callbacks,
        ("kent.csv", sample("kent.csv")),
    )
    reply = Reply.objects.get()
    figures = Figure.objects.count()
    assert extract_document.delay(reply.document_id).get() == {
        "reply": reply.pk, "status": "extracted", "error": "",
    }  # fmt: skip
    assert Figure.objects.count() == figures and Reply.objects.count() == 1
    assert extract_document.delay(999_999).get() is None


def test_cells_that_look_like_formulas_or_markup_are_shown_as_inert_text(
    kent, eager, client, researcher, django_capture_on_commit_callbacks
):
    csv = (
        sample("north-wales.csv")
        .replace(b",IG,", b',"=HYPERLINK(""http://evil.example/x"",""click me"")",')
        .replace(b",Snap,", b",<script>alert(1)</script>,")
    )
    page = upload(client, researcher, kent, django_capture_on_commit_callbacks, ("reply.csv", csv))
    reply = Reply.objects.get()
    stored = list(reply.findings.values_list("message", flat=True))
    assert any('=HYPERLINK("http://evil.example/x","click me")' in m for m in stored)
    assert any("<script>alert(1)</script>" in m for m in stored)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "=HYPERLINK(&quot;http://evil.example/x&quot;" in page
    assert 'href="http://evil.example' not in page


def test_hostile_attachments_by_email_each_fail_alone_and_the_letter_is_read(
    kent, limits, eager, django_capture_on_commit_callbacks
):
    raw = build(
        to="foi+kentreply00000001@foitracker.example",
        body="We refuse the age breakdown under section 40(2). The totals are attached.",
        attachments=(
            ("bomb.xlsx", corpus.zip_bomb(25 * 1024 * 1024), "application/octet-stream"),
            ("xxe.xlsx", corpus.xxe_xlsx(), "application/octet-stream"),
            ("random.xlsx", corpus.random_bytes(), "application/octet-stream"),
            ("empty.csv", b"", "text/csv"),
        ),
    )
    message = receive(raw, django_capture_on_commit_callbacks)
    assert message.status == "matched"
    statuses = dict(Reply.objects.values_list("document__name", "status"))
    assert statuses == {
        "email 2021-06-08 foi_kent.police.example.eml": "extracted",
        "bomb.xlsx": "failed",
        "xxe.xlsx": "failed",
        "random.xlsx": "failed",
        "empty.csv": "failed",
    }
    assert Reply.objects.get(document__name="empty.csv").error == (
        "could not read empty.csv: the file is empty"
    )
    kent.refresh_from_db()
    assert (kent.outcome, kent.exemptions) == ("refused", ["s40(2)"])


def test_an_uploaded_outlook_message_with_a_hostile_attachment_gives_the_good_one_s_figures(
    kent, limits, eager, client, researcher, django_capture_on_commit_callbacks
):
    letter = "Dear Applicant,\r\n\r\nThe figures you asked for are attached.\r\n"
    message = OutlookMessage(
        "FOI 2596/21",
        letter,
        attachments=[
            MsgAttachment("bomb.xlsx", corpus.zip_bomb(25 * 1024 * 1024)),
            MsgAttachment("kent.csv", sample("kent.csv")),
        ],
    )
    upload(
        client, researcher, kent, django_capture_on_commit_callbacks,
        ("reply.msg", msg_bytes(message)),
    )  # fmt: skip
    reply = Reply.objects.get()
    assert (reply.document.name, reply.status) == ("reply.msg", "extracted")
    assert figures_of(kent) == expected_figures("kent")
    (bomb,) = reply.findings.filter(code="attachment_unreadable")
    assert bomb.message == "could not read bomb.xlsx: it would unpack to more than 20 MB"
    kent.refresh_from_db()
    assert (kent.status, kent.outcome) == ("responded", "full")


def test_an_attachment_over_the_size_limit_is_reported_and_the_rest_kept(
    kent, settings, eager, django_capture_on_commit_callbacks
):
    settings.MAX_DOCUMENT_BYTES = 5000
    raw = build(
        to="foi+kentreply00000001@foitracker.example",
        attachments=(
            ("huge.csv", b"a,1\n" * 3000, "text/csv"),
            ("kent.csv", sample("kent.csv"), "text/csv"),
        ),
    )
    receive(raw, django_capture_on_commit_callbacks)
    refused = Reply.objects.get(document=None)
    assert refused.status == "failed"
    assert refused.error == (
        "could not read huge.csv: it is 12 KB, larger than the 5 KB limit, so it was not kept"
    )
    assert Reply.objects.get(document__name="kent.csv").status == "extracted"


def test_a_reading_whose_worker_died_is_reported_and_can_be_read_again(
    kent, queued, django_capture_on_commit_callbacks, client, researcher
):
    upload(
        client,
        researcher,
        kent,
        django_capture_on_commit_callbacks,
        ("kent.csv", sample("kent.csv")),
    )
    reply = Reply.objects.get()
    assert reply.status == "pending" and queued == [reply.document_id]
    assert fail_stale_replies(older_than=timedelta(hours=1)) == 0
    Reply.objects.filter(pk=reply.pk).update(created_at=timezone.now() - timedelta(hours=2))
    assert fail_stale_replies(older_than=timedelta(hours=1)) == 1
    reply.refresh_from_db()
    assert (reply.status, reply.error) == (
        "failed",
        "could not read kent.csv: the reading did not finish (the worker stopped or the job was "
        "lost); use Read again to retry",
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/documents/{reply.document_id}/read-again/")
    assert queued == [reply.document_id, reply.document_id]
    assert Reply.objects.filter(status="pending").count() == 1


def test_a_file_whose_bytes_were_purged_fails_clearly_and_is_not_served(
    kent, queued, django_capture_on_commit_callbacks, client, researcher
):
    upload(client, researcher, kent, django_capture_on_commit_callbacks, ("kent.csv", b"a,1\n"))
    document = Reply.objects.get().document
    StoredFile.objects.filter(pk=document.stored_id).update(content="")
    reply = read_document(document_id=document.pk)
    assert (reply.status, reply.error) == (
        "failed",
        "could not read kent.csv: its content is no longer kept (retention policy)",
    )
    gone = client.get(f"/documents/{document.pk}/download/")
    assert gone.status_code == 410 and "retention policy" in gone.content.decode()
