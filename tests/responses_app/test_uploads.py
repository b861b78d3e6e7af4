"""Uploading replies on a request's page; the replies box; safe downloads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from responses_app.inbound_forms import UploadForm
from responses_app.models import Document, DocumentDownload, InboundMessage, Reply
from tests.factories import FindingFactory

from . import inbound_support
from .inbound_support import (
    expected_figures,
    figures_of,
    mail,
    sample,
)

# The shared fixtures, bound by name (no conftest needed).
campaign = inbound_support.campaign
kent = inbound_support.kent
logged_in = inbound_support.logged_in
eager = inbound_support.eager
queued = inbound_support.queued

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def upload(client, request, capture, json=False, **data):
    with capture(execute=True):
        return client.post(
            f"/requests/{request.pk}/replies/upload/", data, **(JSON if json else {})
        )


def file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_several_files_upload_as_one_reply_and_are_read(
    kent, logged_in, eager, django_capture_on_commit_callbacks
):
    response = upload(
        logged_in,
        kent,
        django_capture_on_commit_callbacks,
        files=[file("kent.csv", sample("kent.csv")), file("notes.txt", b"Thank you.")],
    )
    assert response.status_code == 302 and response.url.endswith("#replies-h")
    note = kent.events.get(kind="note")
    assert note.note == "Reply uploaded by researcher: kent.csv, notes.txt."
    assert {d.name for d in Document.objects.filter(request=kent)} == {"kent.csv", "notes.txt"}
    assert figures_of(kent) == expected_figures("kent")
    kent.refresh_from_db()
    assert kent.outcome == "full"
    page = logged_in.get(f"/requests/{kent.pk}/").content.decode()
    assert "2 files uploaded and queued for reading." in page
    assert "kent.csv" in page and "figures" in page


def test_the_script_gets_json_and_errors_as_json(
    kent, logged_in, eager, django_capture_on_commit_callbacks
):
    ok = upload(
        logged_in, kent, django_capture_on_commit_callbacks, json=True,
        files=[file("kent.csv", sample("kent.csv"))],
    )  # fmt: skip
    assert ok.status_code == 200
    assert ok.json() == {
        "ok": True,
        "message": "1 file uploaded and queued for reading.",
        "redirect": f"/requests/{kent.pk}/#replies-h",
    }
    empty = upload(logged_in, kent, django_capture_on_commit_callbacks, json=True, text="  ")
    assert empty.status_code == 400
    assert empty.json() == {
        "ok": False,
        "errors": ["Choose one or more files, or paste an email or some text."],
    }


@pytest.mark.usefixtures("queued")
def test_without_script_errors_come_back_on_the_request_page(
    kent, logged_in, django_capture_on_commit_callbacks
):
    response = upload(logged_in, kent, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    page = logged_in.get(response.url).content.decode()
    assert "Nothing was uploaded: Choose one or more files" in page
    assert not kent.documents.exists()


@pytest.mark.usefixtures("queued")
def test_a_file_over_the_limit_is_refused_before_anything_is_kept(
    kent, logged_in, settings, django_capture_on_commit_callbacks
):
    settings.MAX_DOCUMENT_BYTES = 1000
    response = upload(
        logged_in, kent, django_capture_on_commit_callbacks, json=True,
        files=[file("ok.csv", b"a,1\n"), file("big.csv", b"a,1\n" * 1000)],
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["errors"] == ["big.csv is 4 KB; the limit is 1000 bytes."]
    assert not Document.objects.exists() and not kent.events.filter(kind="note").exists()


@pytest.mark.usefixtures("queued")
def test_a_chosen_outcome_records_the_response_at_once(
    kent, logged_in, django_capture_on_commit_callbacks
):
    upload(
        logged_in, kent, django_capture_on_commit_callbacks,
        files=[file("letter.pdf", sample("wiltshire.pdf"))], outcome="refused",
        exemptions="s.12 and section 40", on="2021-06-01",
    )  # fmt: skip
    response = kent.events.get(kind="response")
    assert (response.outcome, response.exemptions, str(response.on)) == (
        "refused", ["s12", "s40"], "2021-06-01",
    )  # fmt: skip
    assert kent.documents.get().event == response


@pytest.mark.usefixtures("queued")
def test_a_rejected_event_keeps_nothing(campaign, logged_in, django_capture_on_commit_callbacks):
    draft = campaign.requests.get(force_id="durham")
    response = upload(
        logged_in, draft, django_capture_on_commit_callbacks, json=True,
        files=[file("reply.csv", b"a,1\n")], outcome="full",
    )  # fmt: skip
    assert response.status_code == 400
    assert "has not been sent" in response.json()["errors"][0]
    assert not Document.objects.exists() and not Reply.objects.exists()


def test_pasted_text_and_a_saved_email_are_both_received(
    kent, logged_in, eager, django_capture_on_commit_callbacks
):
    upload(logged_in, kent, django_capture_on_commit_callbacks, text="Total 2019-20: 12")
    assert kent.documents.get().name == "pasted text.txt"
    raw = mail("attachments_non_ascii.eml")
    upload(logged_in, kent, django_capture_on_commit_callbacks, files=[file("saved.msg.txt", raw)])
    message = InboundMessage.objects.get()
    assert (message.source, message.match_method, message.request) == ("upload", "upload", kent)
    assert message.handled_by.username == "researcher"
    assert "Réponse FOI _ Kent.csv" in set(kent.documents.values_list("name", flat=True))
    again = upload(
        logged_in, kent, django_capture_on_commit_callbacks, json=True,
        text=raw.decode("utf-8"),
    )  # fmt: skip
    assert "was already received on" in again.json()["message"]
    assert InboundMessage.objects.count() == 1


@pytest.mark.usefixtures("queued")
def test_downloads_are_attachments_with_a_safe_type_and_are_logged(
    kent, logged_in, researcher, client, django_capture_on_commit_callbacks
):
    html = b"<html><script>alert(1)</script><table><tr><td>1</td></tr></table></html>"
    upload(
        logged_in, kent, django_capture_on_commit_callbacks,
        files=[file("page.html", html), file("figures.xlsx", sample("essex.xlsx")),
               file("../../etc/passwd\x07.pdf", sample("wiltshire.pdf"))],
    )  # fmt: skip
    docs = {d.name: d for d in Document.objects.all()}
    assert set(docs) == {"page.html", "figures.xlsx", "passwd.pdf"}
    expected = {
        "page.html": "application/octet-stream",
        "figures.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "passwd.pdf": "application/pdf",
    }
    for name, content_type in expected.items():
        response = logged_in.get(f"/documents/{docs[name].pk}/download/")
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        assert b"".join(response.streaming_content) == docs[name].stored.content.open().read()
    assert DocumentDownload.objects.filter(user=researcher).count() == 3
    client.logout()
    anonymous = client.get(f"/documents/{docs['page.html'].pk}/download/")
    assert anonymous.status_code == 302 and "/login/" in anonymous.url
    assert DocumentDownload.objects.count() == 3


def test_a_failed_reading_can_be_read_again(
    kent, logged_in, eager, django_capture_on_commit_callbacks
):
    upload(
        logged_in, kent, django_capture_on_commit_callbacks,
        files=[file("reply.xlsx", b"PK\x03\x04" + b"\x00" * 40)],
    )  # fmt: skip
    failed = Reply.objects.get()
    assert failed.status == "failed"
    page = logged_in.get(f"/requests/{kent.pk}/").content.decode()
    assert "could not read reply.xlsx: the file is damaged" in page and "Read again" in page
    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(f"/documents/{failed.document.pk}/read-again/")
    assert Reply.objects.filter(document=failed.document, status="failed").count() == 2


def test_the_replies_box_costs_the_same_queries_for_one_reply_or_many(
    kent, logged_in, queued, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    def replies(n):
        for i in range(n):
            upload(
                logged_in, kent, django_capture_on_commit_callbacks,
                files=[file(f"r{i}.csv", f"a,{i}\n".encode())],
            )  # fmt: skip
        for reply in Reply.objects.all():
            FindingFactory(reply=reply, message=f"look at {reply.pk}")

    replies(1)
    with CaptureQueriesContext(connection) as one:
        logged_in.get(f"/requests/{kent.pk}/")
    count = len(one)  # now: the captured list is read from the live query log
    assert count <= 30
    replies(4)
    with django_assert_max_num_queries(count):
        page = logged_in.get(f"/requests/{kent.pk}/").content.decode()
    assert page.count('class="reply reply-pending"') == 5
    assert page.count("Waiting to be read.") == 5


def test_the_page_loads_the_upload_script_and_has_no_inline_script(kent, logged_in):
    page = logged_in.get(f"/requests/{kent.pk}/").content.decode()
    assert '<script src="/static/js/upload.js" defer></script>' in page
    assert "<script>" not in page and "onclick" not in page
    assert 'enctype="multipart/form-data"' in page and 'name="files"' in page


@pytest.mark.usefixtures("queued")
@pytest.mark.parametrize(("on", "says"), [("2030-01-01", "in the future"), ("2004-12-31", "2005")])
def test_a_reply_cannot_be_received_in_the_future_or_before_foia(
    kent, logged_in, django_capture_on_commit_callbacks, on, says
):
    response = upload(
        logged_in, kent, django_capture_on_commit_callbacks, json=True,
        files=[file("kent.csv", sample("kent.csv"))], on=on, outcome="full",
    )  # fmt: skip
    assert response.status_code == 400
    assert says in " ".join(response.json()["errors"])
    assert not kent.documents.exists()


def test_the_upload_box_shows_each_field_with_its_label_and_help(kent, logged_in):
    page = logged_in.get(f"/requests/{kent.pk}/").content.decode()
    box = page[page.index('id="replies-h"') :]
    for field in UploadForm():
        if field.name == "files":
            continue
        assert f'<label for="{field.id_for_label}">{field.label}</label>' in box
        assert f'<p class="help">{field.help_text}</p>' in box
        assert f'name="{field.html_name}"' in box
