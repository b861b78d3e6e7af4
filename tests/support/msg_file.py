"""Outlook messages (.msg, [MS-OXMSG]) written for the tests, on the compound file writer.

A message is a storage: a property stream (`__properties_version1.0`), one
`__substg1.0_XXXXYYYY` stream per string or binary property (tag `XXXX`,
type `YYYY`: 001F a UTF-16-LE string, 0102 bytes), one storage per recipient
and per attachment, and at the top only, the named property mapping (empty
here). An attachment is a file (method 1: its name and bytes) or an Outlook
message embedded as a storage of its own (method 5), as Outlook attaches an
email to an email.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from .cfb import Tree, compound_file

PT_LONG, PT_OBJECT, PT_UNICODE, PT_BINARY = 0x0003, 0x000D, 0x001F, 0x0102
READABLE_WRITABLE = 0x00000006
STORE_UNICODE_OK = 0x00040000
ATTACH_BY_VALUE, ATTACH_EMBEDDED_MSG = 1, 5
RECIPIENT_TO = 1

SUBJECT, BODY, MESSAGE_CLASS = 0x0037, 0x1000, 0x001A
SENDER_NAME, SENDER_EMAIL, SENDER_SMTP = 0x0C1A, 0x0C1F, 0x5D01
STORE_SUPPORT_MASK = 0x340D
RECIPIENT_TYPE, DISPLAY_NAME, EMAIL_ADDRESS = 0x0C15, 0x3001, 0x3003
ATTACH_DATA, ATTACH_FILENAME, ATTACH_METHOD = 0x3701, 0x3704, 0x3705
ATTACH_LONG_FILENAME, ATTACH_MIME_TAG = 0x3707, 0x370E


@dataclass
class MsgAttachment:
    """A file (`data`) or an embedded message (`message`) attached under `filename`.

    With neither, the attachment says it holds a file but has no data stream: a
    damaged attachment.
    """

    filename: str
    data: bytes | None = None
    message: OutlookMessage | None = None
    mimetype: str = "application/octet-stream"


@dataclass
class OutlookMessage:
    subject: str
    body: str
    sender_name: str = "Freedom of Information Unit"
    sender_email: str = "foi@northshire.police.example"
    to: tuple[str, ...] = ("foi.requests@charity.example",)
    attachments: list[MsgAttachment] = field(default_factory=list)


def msg_bytes(message: OutlookMessage) -> bytes:
    """The message as the bytes of an .msg file."""
    root = _message_storage(message, header=_message_header(message) + bytes(8))
    root["__nameid_version1.0"] = {
        "__substg1.0_00020102": b"",  # GUIDs
        "__substg1.0_00030102": b"",  # entries
        "__substg1.0_00040102": b"",  # names
    }
    return compound_file(root)


def _message_header(message: OutlookMessage) -> bytes:
    """Reserved, next recipient id, next attachment id, recipient count, attachment count."""
    recipients, attachments = len(message.to), len(message.attachments)
    return bytes(8) + struct.pack("<IIII", recipients, attachments, recipients, attachments)


def _message_storage(message: OutlookMessage, *, header: bytes) -> Tree:
    storage = _properties(
        header,
        {
            STORE_SUPPORT_MASK: STORE_UNICODE_OK,
            MESSAGE_CLASS: "IPM.Note",
            SUBJECT: message.subject,
            BODY: message.body,
            SENDER_NAME: message.sender_name,
            SENDER_EMAIL: message.sender_email,
            SENDER_SMTP: message.sender_email,
        },
    )
    for number, address in enumerate(message.to):
        storage[f"__recip_version1.0_#{number:08X}"] = _properties(
            bytes(8),
            {RECIPIENT_TYPE: RECIPIENT_TO, DISPLAY_NAME: address, EMAIL_ADDRESS: address},
        )
    for number, attachment in enumerate(message.attachments):
        storage[f"__attach_version1.0_#{number:08X}"] = _attachment_storage(attachment)
    return storage


def _attachment_storage(attachment: MsgAttachment) -> Tree:
    names = {
        ATTACH_LONG_FILENAME: attachment.filename,
        ATTACH_FILENAME: _short_name(attachment.filename),
    }
    if attachment.message is None:
        values = {ATTACH_METHOD: ATTACH_BY_VALUE, **names, ATTACH_MIME_TAG: attachment.mimetype}
        if attachment.data is not None:
            values[ATTACH_DATA] = attachment.data
        return _properties(bytes(8), values)
    embedded = attachment.message
    storage = _properties(bytes(8), {ATTACH_METHOD: ATTACH_EMBEDDED_MSG, **names})
    entry = struct.pack("<IIII", _tag(ATTACH_DATA, PT_OBJECT), READABLE_WRITABLE, 0xFFFFFFFF, 0)
    storage["__properties_version1.0"] += entry
    # An embedded message's property stream has a 24-byte header (no trailing reserved 8).
    storage[f"__substg1.0_{_tag(ATTACH_DATA, PT_OBJECT):08X}"] = _message_storage(
        embedded, header=_message_header(embedded)
    )
    return storage


def _properties(header: bytes, values: dict[int, int | str | bytes]) -> Tree:
    """A property stream after `header` and a stream per string or binary value."""
    stream, storage = bytearray(header), {}
    for prop, value in values.items():
        if isinstance(value, int):
            stream += struct.pack("<IIi4x", _tag(prop, PT_LONG), READABLE_WRITABLE, value)
            continue
        if isinstance(value, str):
            kind, data = PT_UNICODE, value.encode("utf-16-le")
            size = len(data) + 2  # a string's size counts its terminating null
        else:
            kind, data, size = PT_BINARY, value, len(value)
        stream += struct.pack("<IIII", _tag(prop, kind), READABLE_WRITABLE, size, 0)
        storage[f"__substg1.0_{_tag(prop, kind):08X}"] = data
    return {"__properties_version1.0": bytes(stream), **storage}


def _tag(prop: int, kind: int) -> int:
    return prop << 16 | kind


def _short_name(filename: str) -> str:
    """An 8.3 name such as `REPLY~1.XLS`."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    stem = "".join(c for c in stem if c.isalnum()).upper()[:6] or "ATTACH"
    return f"{stem}~1.{extension[:3].upper()}" if extension else f"{stem}~1"
