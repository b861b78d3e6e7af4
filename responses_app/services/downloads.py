"""Downloads of reply files and raw emails: only while their bytes are kept, each one logged.

The page and the API both call these, so every download, whichever way it was
asked for, writes one ``DocumentDownload`` row (who, when, what).
"""

from dataclasses import dataclass
from io import BytesIO
from typing import BinaryIO

from responses_app.models import Document, DocumentDownload, InboundMessage

from .retention import REMOVED_MESSAGE, has_bytes


class FileGone(LookupError):
    """The bytes were removed under the retention policy (or never kept); the row stays."""

    def __init__(self, message: str = REMOVED_MESSAGE):
        super().__init__(message)


@dataclass
class Download:
    handle: BinaryIO
    name: str
    head: bytes  # what the content type is detected from


#: Why an email's original cannot be shown or downloaded, by cause.
MESSAGE_NOT_KEPT = "The original message is not kept (it was too large, or is past retention)."
MESSAGE_PURGED = (
    "The original message is no longer kept: it was removed under the retention policy "
    "for personal data. The details above are kept."
)
MESSAGE_MISSING = (
    "The original message is no longer kept: its file is missing from storage. "
    "The details above are kept."
)


def _open(stored, *, gone: str, missing: str) -> BinaryIO:
    """``stored``'s bytes opened, or FileGone: ``gone`` if never kept or purged, ``missing``
    if the row names a file the storage no longer has (a restore without the media folder)."""
    if not has_bytes(stored):
        raise FileGone(gone)
    try:
        return stored.content.open("rb")
    except OSError as exc:
        raise FileGone(missing) from exc


def download_document(*, document: Document, user) -> Download:
    """Open a document's file and log the download; ``FileGone`` once retention took it."""
    missing = f"{document.name} is missing from storage; its figures are kept."
    with _open(document.stored, gone=REMOVED_MESSAGE, missing=missing) as handle:
        data = handle.read()  # the whole file: a zip's kind is told by its members
    DocumentDownload.objects.create(document=document, user=user)
    return Download(BytesIO(data), document.name, data)  # served from memory: no second open


def download_message(*, message: InboundMessage, user) -> Download:
    """Open an inbound message's original ``.eml`` and log the download."""
    handle = _open(message.raw, gone=MESSAGE_NOT_KEPT, missing=MESSAGE_MISSING)
    DocumentDownload.objects.create(message=message, user=user)
    return Download(handle, f"message-{message.pk}.eml", b"")


def read_message(*, message: InboundMessage) -> bytes:
    """The original ``.eml`` to show on the message's page (not a download: not logged).

    FileGone with a sentence for the page when the purge took it or the file is missing.
    """
    with _open(message.raw, gone=MESSAGE_PURGED, missing=MESSAGE_MISSING) as handle:
        return handle.read()
