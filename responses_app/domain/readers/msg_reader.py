"""Outlook messages (.msg), through extract-msg: the body as lines, attachments handed back.

As with an .eml, attachments are not read here: the caller reads each in turn;
one that holds no file (damaged, or a kind extract-msg does not support) is a
finding. An email attached as Outlook does it (a message embedded in this one) is
handed back as an .msg file of its own, so it is read, and its nesting
limited, like any other attachment. The file is opened with its attachments
delayed, so extract-msg opens one level of embedded messages at a time.
"""

from __future__ import annotations

import io

import extract_msg

from ..findings import WARNING, Finding
from .base import Attachment, Document, ReadLimits, TextLine, read_error
from .body import kept_attachments, plain_body

KINDS = ("msg",)
#: A damaged or unsupported attachment becomes one that holds no file (a finding
#: here), instead of an exception that would lose the letter and the other files.
_ATTACHMENT_ERRORS_ARE_KEPT = (
    extract_msg.enums.ErrorBehavior.ATTACH_SUPPRESS_ALL
    | extract_msg.enums.ErrorBehavior.STANDARDS_VIOLATION
)


def read(data: bytes, filename: str, limits: ReadLimits) -> Document:
    try:
        message = extract_msg.openMsg(
            io.BytesIO(data), delayAttachments=True, errorBehavior=_ATTACHMENT_ERRORS_ARE_KEPT
        )
    except Exception as exc:  # noqa: BLE001 - the library raises many types
        raise read_error(filename, "the file is damaged or is not a valid Outlook message") from exc
    try:
        document = Document(filename, "msg")
        subject = " ".join(str(getattr(message, "subject", "") or "").split())
        if subject:
            document.lines.append(TextLine(f"Subject: {subject}", "subject"))
        plain_body(document, str(getattr(message, "body", "") or ""))
        attachments = list(getattr(message, "attachments", []))
        for attachment in kept_attachments(document, attachments, limits, filename):
            found = _attachment(attachment)
            if isinstance(found, Attachment):
                document.attachments.append(found)
            else:
                name = _name(attachment)
                document.notices.append(
                    Finding("attachment_unreadable", WARNING, f"{name} was not read: {found}", name)
                )
        return document
    finally:
        message.close()


def _name(attachment: object) -> str:
    name = getattr(attachment, "longFilename", None) or getattr(attachment, "shortFilename", None)
    return str(name or getattr(attachment, "name", None) or "attachment")


def _attachment(attachment: object) -> Attachment | str:
    """The attached file, or the attached email as an .msg file; else why it is not read."""
    content = getattr(attachment, "data", None)
    name = _name(attachment)
    if isinstance(content, bytes | bytearray):
        mimetype = getattr(attachment, "mimetype", None) or "application/octet-stream"
        return Attachment(name, str(mimetype), bytes(content))
    if isinstance(content, extract_msg.MSGFile):
        try:
            exported = content.exportBytes()
        except Exception:  # noqa: BLE001 - the library raises many types
            return "the email attached to this one is damaged"
        suffix = "" if name.lower().endswith(".msg") else ".msg"
        return Attachment(f"{name}{suffix}", "application/vnd.ms-outlook", exported)
    return "it holds no file that can be read (it is damaged, or a link or an embedded object)"
