"""Files the retention purge took: every page and service that reads bytes says so in a sentence.

The purge (services/retention.py) empties ``StoredFile.content`` and deletes the
bytes; the rows, replies and figures stay. Mapping a reply again, reading a file
again, assigning a held email and downloading must answer with what happened,
never a traceback.
"""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from requests_app.services.closing import close_campaign
from responses_app.models import Figure, InboundMessage, Reply, StoredFile
from responses_app.services.arrivals import read_again
from responses_app.services.downloads import FileGone
from responses_app.services.inbound import MessageGone, assign_message
from responses_app.services.ingest import ingest_file
from responses_app.services.mapping import MappingRefused, read_reply
from responses_app.services.reading import read_document
from responses_app.services.retention import has_bytes, purge_personal_data

from . import inbound_support
from .inbound_support import build, receive, sample, sent_request

campaign = inbound_support.campaign
logged_in = inbound_support.logged_in
pytestmark = pytest.mark.django_db
REMOVED = "was removed under the retention policy for personal data"


@pytest.fixture
def purged(campaign, django_capture_on_commit_callbacks) -> Reply:
    """Kent's reply, read into figures, then its campaign closed and its file purged."""
    kent = sent_request(campaign, "kent", token="kentreply00000003")
    reply = ingest_file(request=kent, data=sample("kent.csv"), filename="kent.csv").reply
    assert reply.read_document["tables"]  # the tables read are kept for the mapping screen
    path = reply.document.stored.content.name
    close_campaign(campaign=campaign, at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        purge_personal_data(days=1)
    reply.refresh_from_db()
    reply.document.stored.refresh_from_db()
    assert not has_bytes(reply.document.stored) and not default_storage.exists(path)
    assert reply.read_document == {}  # ... and purged with the file
    return reply


def test_the_mapping_screen_of_a_purged_file_says_it_was_removed(purged, logged_in):
    with pytest.raises(MappingRefused, match=REMOVED):
        read_reply(purged)
    response = logged_in.get(reverse("reply-map", args=[purged.pk]))
    assert response.status_code == 200
    assert f"kent.csv {REMOVED}" in response.content.decode()
    figures = Figure.objects.filter(reply=purged).count()
    post = logged_in.post(reverse("reply-map", args=[purged.pk]), {"action": "apply", "table": "0"})
    assert post.status_code == 200 and REMOVED in post.content.decode()
    assert Figure.objects.filter(reply=purged).count() == figures > 0  # the figures are kept


def test_reading_a_purged_file_again_is_refused_with_a_sentence(purged, logged_in):
    document = purged.document
    with pytest.raises(FileGone, match=REMOVED):
        read_again(document=document, dispatch=lambda pk: None)
    url = reverse("document-read-again", args=[document.pk])
    response = logged_in.post(url)
    assert response.status_code == 302
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith(f"kent.csv {REMOVED}, so it cannot be read again")
    assert list(Reply.objects.filter(document=document)) == [purged]  # nothing queued


def test_a_pending_reading_of_a_purged_file_fails_with_a_sentence(purged):
    waiting = Reply.objects.create(request=purged.request, document=purged.document)
    reply = read_document(document_id=purged.document_id)
    assert reply.pk == waiting.pk and reply.status == "failed"
    assert (
        reply.error == "could not read kent.csv: its content is no longer kept (retention policy)"
    )


def test_a_file_missing_from_storage_cannot_be_mapped_and_says_why(purged):
    # The row still names a file, but the disk lost it (a restore without the media folder).
    StoredFile.objects.filter(pk=purged.document.stored_id).update(content="gone/kent.csv")
    purged.document.stored.refresh_from_db()
    with pytest.raises(MappingRefused, match=r"kent.csv could not be opened \(No such file"):
        read_reply(purged)


def test_downloading_a_purged_file_is_a_410_page_with_a_sentence(purged, logged_in):
    response = logged_in.get(reverse("document-download", args=[purged.document_id]))
    assert response.status_code == 410
    assert "removed under the retention policy" in response.content.decode()


@pytest.fixture
def held_purged(campaign, django_capture_on_commit_callbacks) -> InboundMessage:
    """A held email whose original the purge left empty (as ``retention._apply`` does)."""
    raw = build(sender="someone@gmail.example", attachments=(("kent.csv", b"1,2", "text/csv"),))
    message = receive(raw, django_capture_on_commit_callbacks)
    assert message.status == "held" and has_bytes(message.raw)
    default_storage.delete(message.raw.content.name)
    StoredFile.objects.filter(pk=message.raw_id).update(content="")
    message.refresh_from_db()
    return message


def test_assigning_a_held_email_whose_original_was_purged_is_refused(
    campaign, held_purged, admin_user, client
):
    kent = sent_request(campaign, "kent", token="kentreply00000004")
    with pytest.raises(MessageGone, match="removed under the retention policy"):
        assign_message(message=held_purged, request=kent, user=admin_user, dispatch=print)
    client.force_login(admin_user)
    url = reverse("inbound-assign", args=[held_purged.pk])
    page = client.post(url, {"request": kent.reference}, follow=True).content.decode()
    assert "Not assigned: its original email was removed under the retention policy" in page
    held_purged.refresh_from_db()
    assert held_purged.status == "held" and not kent.documents.exists()
    detail = client.get(reverse("inbound-message", args=[held_purged.pk]))
    assert detail.status_code == 200
    raw = client.get(reverse("inbound-raw", args=[held_purged.pk]))
    assert raw.status_code == 410 and "not kept" in raw.content.decode()
