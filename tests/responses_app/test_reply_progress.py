"""A reply being read: its JSON, and the replies box that follows it without a refresh."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from responses_app.models import Reply
from responses_app.services.reading import read_document
from tests.requests_app.permissions_support import build_world

from . import inbound_support
from .inbound_support import sample

campaign = inbound_support.campaign
kent = inbound_support.kent
logged_in = inbound_support.logged_in
queued = inbound_support.queued

pytestmark = pytest.mark.django_db


def upload(client, foi, capture, name="kent.csv", content=None):
    content = sample("kent.csv") if content is None else content
    with capture(execute=True):
        client.post(
            f"/requests/{foi.pk}/replies/upload/", {"files": [SimpleUploadedFile(name, content)]}
        )
    return Reply.objects.latest("pk")


def progress(client, reply):
    return client.get(reverse("reply-progress", args=[reply.pk])).json()


@pytest.mark.usefixtures("queued")
def test_a_reply_waiting_then_being_read_then_read(
    kent, logged_in, django_capture_on_commit_callbacks
):
    reply = upload(logged_in, kent, django_capture_on_commit_callbacks)
    data = progress(logged_in, reply)
    assert (data["state"], data["done"], data["label"]) == ("pending", False, "Waiting to be read")
    assert data["message"] == "Waiting to be read."
    assert re.fullmatch(r"Uploaded \d+ seconds? ago\.", data["elapsed"])
    Reply.objects.filter(pk=reply.pk).update(
        reading_started_at=timezone.now() - timedelta(seconds=75)
    )
    data = progress(logged_in, reply)
    assert (data["message"], data["elapsed"]) == ("Reading…", "Started 1 minute ago.")

    read_document(document_id=reply.document_id)
    data = progress(logged_in, reply)
    assert data["done"] is True and data["state"] == "extracted"
    assert data["figure_count"] > 0
    assert data["message"].startswith(f"Read: extracted {data['figure_count']} figures")
    assert data["elapsed"] == ""


@pytest.mark.usefixtures("queued")
def test_a_file_that_cannot_be_read_says_why(kent, logged_in, django_capture_on_commit_callbacks):
    reply = upload(logged_in, kent, django_capture_on_commit_callbacks, "bad.xlsx", b"PK\x03\x04no")
    read_document(document_id=reply.document_id)
    data = progress(logged_in, reply)
    assert data["done"] is True and data["state"] == "failed"
    assert data["message"] == f"Failed: {data['error']}" and "bad.xlsx" in data["error"]


@pytest.mark.usefixtures("queued")
def test_the_box_follows_a_pending_reply_and_works_without_javascript(
    kent, logged_in, django_capture_on_commit_callbacks
):
    reply = upload(logged_in, kent, django_capture_on_commit_callbacks)
    page = logged_in.get(f"/requests/{kent.pk}/").content.decode()
    assert f'data-progress-url="{reverse("reply-progress", args=[reply.pk])}"' in page
    assert 'role="status" aria-live="polite" data-progress-text>Waiting to be read.<' in page
    assert 'data-progress-field="elapsed">Uploaded ' in page
    assert '<progress class="reply-progress" aria-label="Reading kent.csv"' in page
    assert f'<a href="/requests/{kent.pk}/#replies-h">Refresh the page</a>' in page
    assert '<script src="/static/js/progress.js" defer></script>' in page
    assert "<script>" not in page

    read_document(document_id=reply.document_id)
    page = logged_in.get(f"/requests/{kent.pk}/").content.decode()
    assert "data-progress-url" not in page and "js/progress.js" not in page


def test_who_may_follow_a_reading(client):
    world = build_world()
    mine = Reply.objects.create(request=world.mine_request)
    private = Reply.objects.create(request=world.private_request)
    shared = Reply.objects.create(request=world.shared_request)
    client.force_login(world.a_viewer)
    assert client.get(reverse("reply-progress", args=[mine.pk])).status_code == 200
    assert client.get(reverse("reply-progress", args=[shared.pk])).status_code == 200
    assert client.get(reverse("reply-progress", args=[private.pk])).status_code == 404
    client.force_login(world.outsider)
    assert client.get(reverse("reply-progress", args=[mine.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("reply-progress", args=[mine.pk])).status_code in (302, 404)


@pytest.mark.usefixtures("queued")
def test_polling_costs_a_fixed_number_of_queries(
    kent, logged_in, django_capture_on_commit_callbacks, django_assert_num_queries
):
    reply = upload(logged_in, kent, django_capture_on_commit_callbacks)
    read_document(document_id=reply.document_id)
    progress(logged_in, reply)  # warm up
    # session, user, the reply with its counts and request, memberships
    with django_assert_num_queries(4):
        assert progress(logged_in, reply)["done"] is True
