"""Retention of personal data: reply files and raw emails of long-closed campaigns go.

Replies carry the names and contact details of force staff and requesters. Once a
campaign has been closed for ``RETENTION_DAYS_AFTER_CLOSE`` days, the stored bytes
of its documents and of the raw emails matched to its requests are deleted. What
stays: the rows (document names, sizes, SHA-256, who downloaded what), the replies,
the figures and their locators (``Figure.source``), the timeline. A ``PurgeRecord``
per campaign says what was removed and when.

Files are stored once by content, so a file is removed only when every document
and email that uses it belongs to a purgeable campaign. The database is updated in
one transaction per campaign and the bytes are deleted after it commits; a run
that dies in between leaves bytes nobody points to, which the next run deletes.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from requests_app.models import Campaign, PurgeRecord
from requests_app.users import acting_user
from responses_app.models import Document, InboundMessage, Reply, StoredFile


@dataclass
class CampaignPurge:
    """What was (or, in a dry run, would be) removed from one campaign."""

    campaign: Campaign
    files: list[dict] = field(default_factory=list)
    documents: int = 0
    messages: int = 0
    record: PurgeRecord | None = None

    @property
    def bytes_removed(self) -> int:
        return sum(f["size"] for f in self.files)

    def as_dict(self) -> dict:
        return {
            "campaign": self.campaign.slug,
            "closed_at": self.campaign.closed_at.isoformat() if self.campaign.closed_at else None,
            "documents": self.documents,
            "messages": self.messages,
            "files": len(self.files),
            "bytes": self.bytes_removed,
        }


def has_bytes(stored: StoredFile | None) -> bool:
    """Whether a stored file still has its bytes (False once the retention purge took them).

    Views that open ``stored.content`` (download, raw email, read again, mapping) check
    this first and answer 410 Gone with ``REMOVED_MESSAGE``.
    """
    return bool(stored is not None and stored.content and stored.content.name)


REMOVED_MESSAGE = (
    "This file was removed under the retention policy for personal data; "
    "the figures read from it are kept."
)


def purgeable_campaigns(*, now: datetime | None = None, days: int | None = None) -> QuerySet:
    """Campaigns closed ``days`` (default: RETENTION_DAYS_AFTER_CLOSE) or more days ago."""
    now = now or timezone.now()
    days = settings.RETENTION_DAYS_AFTER_CLOSE if days is None else days
    return Campaign.objects.filter(
        closed_at__isnull=False, closed_at__lte=now - timedelta(days=days)
    )


def _shared_elsewhere(purgeable: QuerySet) -> set[int]:
    """Stored files also used by a document or email outside the purgeable campaigns."""
    docs = Document.objects.exclude(request__campaign__in=purgeable).values_list(
        "stored_id", flat=True
    )
    raws = (
        InboundMessage.objects.filter(raw__isnull=False)
        .exclude(request__campaign__in=purgeable)
        .values_list("raw_id", flat=True)
    )
    return set(docs) | set(raws)


def _plan(campaign: Campaign, blocked: set[int]) -> tuple[CampaignPurge, list[int]]:
    purge = CampaignPurge(campaign=campaign)
    chosen: dict[int, dict] = {}
    documents = Document.objects.filter(request__campaign=campaign).select_related("stored")
    for doc in documents:
        if doc.stored_id in blocked or not has_bytes(doc.stored):
            continue
        purge.documents += 1
        chosen.setdefault(doc.stored_id, _entry("document", doc.name, doc.stored))
    messages = InboundMessage.objects.filter(
        request__campaign=campaign, raw__isnull=False
    ).select_related("raw")
    for message in messages:
        if message.raw_id in blocked or not has_bytes(message.raw):
            continue
        purge.messages += 1
        chosen.setdefault(message.raw_id, _entry("email", message.message_id, message.raw))
    purge.files = list(chosen.values())
    return purge, list(chosen)


def _entry(kind: str, name: str, stored: StoredFile) -> dict:
    return {
        "kind": kind,
        "name": name,
        "sha256": stored.sha256,
        "size": stored.size,
        "path": stored.content.name,
    }


def purge_personal_data(
    *,
    now: datetime | None = None,
    days: int | None = None,
    dry_run: bool = False,
    user=None,
) -> list[CampaignPurge]:
    """Remove the stored bytes of documents and raw emails of every purgeable campaign."""
    days = settings.RETENTION_DAYS_AFTER_CLOSE if days is None else days
    purgeable = purgeable_campaigns(now=now, days=days)
    blocked = _shared_elsewhere(purgeable)
    if not dry_run:
        remove_leftovers()
    results = []
    for campaign in purgeable.order_by("closed_at", "pk"):
        purge, stored_ids = _plan(campaign, blocked)
        if not dry_run and stored_ids:
            purge.record = _apply(purge, stored_ids, days=days, user=user)
        results.append(purge)
    return results


@transaction.atomic
def _apply(purge: CampaignPurge, stored_ids: list[int], *, days: int, user) -> PurgeRecord:
    StoredFile.objects.filter(pk__in=stored_ids).update(content="")
    # The tables kept for the mapping screen are the file's content too.
    Reply.objects.filter(document__stored_id__in=stored_ids).update(read_document={})
    record = PurgeRecord.objects.create(
        campaign=purge.campaign,
        retention_days=days,
        documents=purge.documents,
        messages=purge.messages,
        bytes_removed=purge.bytes_removed,
        files=purge.files,
        run_by=acting_user(user),
    )
    paths = [f["path"] for f in purge.files]
    transaction.on_commit(lambda: _delete_paths(paths))
    return record


def _delete_paths(paths: list[str]) -> None:
    # A file stored again since (same content, another campaign) has its bytes back.
    in_use = set(
        StoredFile.objects.filter(content__in=paths)
        .exclude(content="")
        .values_list("content", flat=True)
    )
    for path in paths:
        if path and path not in in_use and default_storage.exists(path):
            default_storage.delete(path)


def remove_leftovers() -> int:
    """Delete bytes an earlier run recorded as removed but did not get to (it died)."""
    paths = [
        f.get("path", "")
        for files in PurgeRecord.objects.values_list("files", flat=True)
        for f in files
    ]
    paths = [p for p in dict.fromkeys(paths) if p and default_storage.exists(p)]
    _delete_paths(paths)
    return len(paths)
