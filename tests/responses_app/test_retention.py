"""Retention: reply files and raw emails of long-closed campaigns go; figures and locators stay."""

import io
import json
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from requests_app.models import PurgeRecord
from requests_app.services.closing import close_campaign, reopen_campaign
from responses_app.models import Figure, InboundMessage, StoredFile
from responses_app.services.retention import (
    has_bytes,
    purge_personal_data,
    purgeable_campaigns,
    remove_leftovers,
)
from responses_app.services.storage import attach, store_bytes
from tests.factories import (
    CampaignFactory,
    CampaignRequestFactory,
    FigureFactory,
    ForceFactory,
    InboundMessageFactory,
)

pytestmark = pytest.mark.django_db
DAYS = 30


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.RETENTION_DAYS_AFTER_CLOSE = DAYS


def _closed(days_ago: int | None):
    campaign = CampaignFactory()
    if days_ago is not None:
        close_campaign(campaign=campaign, at=timezone.now() - timedelta(days=days_ago))
    return campaign


def _reply(campaign, content: bytes, *, force="kent", name="reply.xlsx"):
    request = CampaignRequestFactory(campaign=campaign, force=ForceFactory(id=force))
    document = attach(request=request, data=content, name=name)
    raw = store_bytes(b"From: foi@" + force.encode() + b"\r\n\r\n" + content)
    message = InboundMessageFactory(raw=raw, request=request, status=InboundMessage.Status.MATCHED)
    figure = FigureFactory(campaign=campaign, force=request.force, source=f"{name} Sheet1!B2")
    return document, message, figure


def test_only_campaigns_closed_longer_than_the_retention_are_purgeable():
    old, recent, open_ = _closed(DAYS + 1), _closed(DAYS - 1), _closed(None)
    assert list(purgeable_campaigns()) == [old]
    assert set(purgeable_campaigns(days=0)) == {old, recent}
    assert open_ not in purgeable_campaigns(days=0)


def test_the_purge_removes_bytes_and_keeps_figures_locators_and_a_record(
    django_capture_on_commit_callbacks,
):
    campaign = _closed(DAYS + 5)
    document, message, figure = _reply(campaign, b"names and phone numbers")
    path = document.stored.content.name
    assert default_storage.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        results = purge_personal_data()
    assert [r.campaign for r in results] == [campaign]
    document.stored.refresh_from_db()
    message.raw.refresh_from_db()
    assert not has_bytes(document.stored) and not has_bytes(message.raw)
    assert not default_storage.exists(path)
    assert document.stored.size == len(b"names and phone numbers")  # the row stays
    kept = Figure.objects.get(pk=figure.pk)
    assert (kept.value, kept.source) == (figure.value, "reply.xlsx Sheet1!B2")
    record = PurgeRecord.objects.get(campaign=campaign)
    assert (record.documents, record.messages, record.retention_days) == (1, 1, DAYS)
    assert {f["kind"] for f in record.files} == {"document", "email"}
    assert record.bytes_removed == document.stored.size + message.raw.size


def test_a_dry_run_changes_nothing():
    campaign = _closed(DAYS + 5)
    document, _, _ = _reply(campaign, b"still here")
    (result,) = purge_personal_data(dry_run=True)
    assert (result.documents, result.messages, result.record) == (1, 1, None)
    document.stored.refresh_from_db()
    assert has_bytes(document.stored) and default_storage.exists(document.stored.content.name)
    assert not PurgeRecord.objects.exists()


def test_a_file_also_used_by_an_open_campaign_is_kept():
    old, current = _closed(DAYS + 5), _closed(None)
    document, _, _ = _reply(old, b"the same spreadsheet")
    _reply(current, b"the same spreadsheet", force="essex")
    (result,) = purge_personal_data()
    assert result.documents == 0
    document.stored.refresh_from_db()
    assert has_bytes(document.stored)


def test_running_twice_removes_nothing_more():
    campaign = _closed(DAYS + 5)
    _reply(campaign, b"once")
    purge_personal_data()
    (again,) = purge_personal_data()
    assert (again.documents, again.messages, again.files) == (0, 0, [])
    assert PurgeRecord.objects.count() == 1


def test_bytes_a_dead_run_left_behind_are_removed_next_time():
    campaign = _closed(DAYS + 5)
    document, _, _ = _reply(campaign, b"left behind")
    path = document.stored.content.name
    StoredFile.objects.filter(pk=document.stored_id).update(content="")  # committed, then died
    PurgeRecord.objects.create(
        campaign=campaign, retention_days=DAYS, files=[{"path": path, "size": 11}]
    )
    assert default_storage.exists(path)
    assert remove_leftovers() == 1
    assert not default_storage.exists(path)


def test_the_same_content_stored_again_gets_its_bytes_back(django_capture_on_commit_callbacks):
    campaign = _closed(DAYS + 5)
    document, _, _ = _reply(campaign, b"sent again next year")
    with django_capture_on_commit_callbacks(execute=True):
        purge_personal_data()
    assert not default_storage.exists(document.stored.content.name)
    again = store_bytes(b"sent again next year")
    assert again.pk == document.stored_id and has_bytes(again)
    with again.content.open("rb") as handle:
        assert handle.read() == b"sent again next year"
    remove_leftovers()  # must not delete the restored bytes
    assert default_storage.exists(again.content.name)


def test_reopening_stops_the_clock():
    campaign = _closed(DAYS + 5)
    reopen_campaign(campaign=campaign)
    assert not purgeable_campaigns().exists()


def test_the_command_reports_and_has_a_dry_run():
    campaign = _closed(DAYS + 5)
    _reply(campaign, b"12345")
    out = io.StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert f"{campaign.slug}: would remove 1 document(s) and 1 email(s)" in out.getvalue()
    assert "dry run: nothing changed" in out.getvalue()
    assert not PurgeRecord.objects.exists()
    out = io.StringIO()
    call_command("purge_personal_data", "--json", stdout=out)
    line = json.loads(out.getvalue().splitlines()[0])
    assert (line["campaign"], line["documents"], line["dry_run"]) == (campaign.slug, 1, False)
    assert PurgeRecord.objects.filter(campaign=campaign).exists()


def test_the_command_refuses_a_negative_retention():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--days -1"):
        call_command("purge_personal_data", "--days", "-1")
