"""Replies: the files forces send, stored once by content."""

from .documents import Document, StoredFile

__all__ = ["Document", "StoredFile"]
