"""A .zip of reply files: each member handed back as an attachment for the caller to read.

The archive is checked before anything is unpacked (`detect.check_zip`: the
number of members, the total unpacked size and the compression ratio), and
each member is read with a cap, so a zip bomb never fills memory.
"""

from __future__ import annotations

from ..findings import INFO, Finding
from .base import Attachment, Document, ReadLimits, read_error
from .detect import check_zip

KINDS = ("zip",)


def read(data: bytes, filename: str, limits: ReadLimits) -> Document:
    archive = check_zip(data, filename, limits)
    document = Document(filename, "zip")
    unpacked = 0
    members = [i for i in archive.infolist() if not i.is_dir() and not _hidden(i.filename)]
    for info in members[: limits.max_attachments]:
        with archive.open(info) as member:
            content = member.read(limits.max_bytes + 1)
        if len(content) > limits.max_bytes:
            raise read_error(filename, f"{info.filename} inside it is larger than the limit")
        unpacked += len(content)
        if unpacked > limits.max_unpacked_bytes:
            raise read_error(filename, "it unpacks to more than the limit")
        name = info.filename.rsplit("/", 1)[-1]
        document.attachments.append(Attachment(name, "application/octet-stream", content))
    if len(members) > limits.max_attachments:
        document.notices.append(
            Finding(
                "too_many_files",
                INFO,
                f"the archive holds {len(members)} files: only the first "
                f"{limits.max_attachments} were read",
                filename,
            )
        )
    return document


def _hidden(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return name.startswith("__MACOSX/") or base.startswith(".") or base in ("Thumbs.db",)
