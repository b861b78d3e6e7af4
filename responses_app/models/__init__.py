"""Replies: the files forces send (stored once by content) and the figures read from them."""

from .documents import Document, StoredFile
from .figures import Figure, Finding, Reply, SavedMapping

__all__ = ["Document", "Figure", "Finding", "Reply", "SavedMapping", "StoredFile"]
