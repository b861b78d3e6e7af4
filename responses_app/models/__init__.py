"""Replies: the files forces send (stored once by content) and the figures read from them."""

from .documents import Document, StoredFile
from .figures import Figure, Finding, Reply, SavedMapping
from .inbound import DocumentDownload, InboundMessage, MailGuess
from .release_jobs import ReleaseJob
from .releases import Release, ReleaseFigure

__all__ = [
    "Document",
    "DocumentDownload",
    "Figure",
    "Finding",
    "InboundMessage",
    "MailGuess",
    "Release",
    "ReleaseFigure",
    "ReleaseJob",
    "Reply",
    "SavedMapping",
    "StoredFile",
]
