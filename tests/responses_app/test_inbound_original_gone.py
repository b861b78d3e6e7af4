"""An email whose original is gone: its page still opens and says so in a sentence.

The original ``.eml`` goes when the retention purge takes it (the StoredFile row
stays, its content emptied) or when the disk lost it (the row still names a
file the storage does not have). Either way the headers kept on the row are
shown, with a sentence instead of the body, and the download answers 410.
"""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from requests_app.services.closing import close_campaign
from responses_app.models import DocumentDownload, InboundMessage
from responses_app.services.downloads import MESSAGE_MISSING, MESSAGE_PURGED
from responses_app.services.retention import has_bytes, purge_personal_data

from . import inbound_support
from .inbound_support import build, receive, sent_request

campaign = inbound_support.campaign
queued = inbound_support.queued
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queued")]

BODY = "Our reply follows in a letter by post."


@pytest.fixture
def matched(campaign, django_capture_on_commit_callbacks) -> InboundMessage:
    """An email matched to Kent's request, its original kept."""
    sent_request(campaign, "kent", token="kentreply00000005")
    raw = build(to="foi+kentreply00000005@foitracker.example", subject="Kent's reply", body=BODY)
    message = receive(raw, django_capture_on_commit_callbacks)
    assert message.status == "matched" and has_bytes(message.raw)
    return message


@pytest.fixture
def staff(client, admin_user):
    client.force_login(admin_user)
    return client


def page(client, message: InboundMessage) -> str:
    response = client.get(reverse("inbound-message", args=[message.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_kept_original_shows_its_body_and_the_download(staff, matched):
    html = page(staff, matched)
    assert BODY in html
    assert reverse("inbound-raw", args=[matched.pk]) in html
    assert MESSAGE_PURGED not in html and MESSAGE_MISSING not in html


def test_a_purged_original_is_a_page_with_a_sentence(
    staff, campaign, matched, django_capture_on_commit_callbacks
):
    path = matched.raw.content.name
    close_campaign(campaign=campaign, at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        purge_personal_data(days=1)
    matched.raw.refresh_from_db()
    assert not has_bytes(matched.raw) and not default_storage.exists(path)

    html = page(staff, matched)
    assert MESSAGE_PURGED in html
    assert "Kent&#x27;s reply" in html and "foi@kent.police.example" in html  # the row is kept
    assert BODY not in html
    assert reverse("inbound-raw", args=[matched.pk]) not in html
    raw = staff.get(reverse("inbound-raw", args=[matched.pk]))
    assert raw.status_code == 410 and "not kept" in raw.content.decode()


def test_an_original_missing_from_storage_is_a_page_with_a_sentence(staff, matched):
    # The row still names the file, but the disk lost it (a restore without the media folder).
    default_storage.delete(matched.raw.content.name)
    assert has_bytes(matched.raw)

    html = page(staff, matched)
    assert MESSAGE_MISSING in html
    assert BODY not in html
    assert reverse("inbound-raw", args=[matched.pk]) not in html
    raw = staff.get(reverse("inbound-raw", args=[matched.pk]))
    assert raw.status_code == 410 and "missing from storage" in raw.content.decode()
    assert not DocumentDownload.objects.filter(message=matched).exists()  # nothing was served
