"""Store files once by SHA-256 under safe names."""

import hashlib
import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from requests_app.users import acting_user
from responses_app.models import Document, StoredFile

UNSAFE = re.compile(r"[^\w.\- ()+,]")


class FileRejected(ValueError):
    """The file cannot be accepted; the message says why."""


def safe_name(name: str, *, fallback: str = "attachment") -> str:
    """The last path component, without control characters or path tricks."""
    name = unicodedata.normalize("NFC", name or "")
    name = PureWindowsPath(PurePosixPath(name).name).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = UNSAFE.sub("_", name).strip(" .")
    return (name or fallback)[:200]


def store_bytes(
    data: bytes, *, content_type: str = "application/octet-stream", limit: int | None = None
) -> StoredFile:
    """The bytes stored once by SHA-256 (bytes the retention purge removed are stored again).

    ``limit`` defaults to MAX_DOCUMENT_BYTES; a raw email, whose own limit is
    checked before it is kept whole, passes its own.
    """
    limit = settings.MAX_DOCUMENT_BYTES if limit is None else limit
    if len(data) > limit:
        raise FileRejected(f"the file is {len(data):,} bytes; the limit is {limit:,} bytes")
    digest = hashlib.sha256(data).hexdigest()
    existing = StoredFile.objects.filter(sha256=digest).first()
    if existing and not existing.content:
        # Its bytes went under the retention policy; the same content came again.
        existing.content.save(digest, ContentFile(data), save=False)
        StoredFile.objects.filter(pk=existing.pk).update(content=existing.content.name)
    if existing:
        return existing
    stored = StoredFile(sha256=digest, size=len(data), content_type=content_type)
    stored.content.save(digest, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            stored.save()
    except IntegrityError:
        return StoredFile.objects.get(sha256=digest)
    return stored


def attach(
    *, request, data: bytes, name: str, event=None, user=None, content_type: str = ""
) -> Document:
    stored = store_bytes(data, content_type=content_type or "application/octet-stream")
    return Document.objects.create(
        request=request,
        event=event,
        stored=stored,
        name=safe_name(name),
        uploaded_by=acting_user(user),
    )
