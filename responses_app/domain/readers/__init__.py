"""Reply readers: bytes in, a Document of text lines and located table cells out.

No Django here. `read(data, filename, limits)` detects the type from the
content and dispatches to one small module per format.
"""

from .base import (
    Attachment,
    Cell,
    Document,
    ReadError,
    ReadLimits,
    Table,
    TextLine,
)
from .detect import detect_type
from .registry import read, read_attachments, register

__all__ = [
    "Attachment",
    "Cell",
    "Document",
    "ReadError",
    "ReadLimits",
    "Table",
    "TextLine",
    "detect_type",
    "read",
    "read_attachments",
    "register",
]
