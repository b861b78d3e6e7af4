"""Legacy Word (.doc), RTF and OpenDocument text (.odt): converted to .docx by LibreOffice.

The converted file is read by the Word reader; the Document keeps the kind it
was sent as, with a notice that it was converted.
"""

from __future__ import annotations

from ..findings import INFO, Finding
from . import docx_reader
from .base import Document, ReadLimits
from .external import libreoffice_convert

KINDS = ("doc", "rtf", "odt")
_NAMES = {"doc": "a legacy Word .doc file", "rtf": "an RTF document", "odt": "an OpenDocument text"}


def read_kind(kind: str):
    def read(data: bytes, filename: str, limits: ReadLimits) -> Document:
        converted = libreoffice_convert(data, filename, kind, "docx", limits)
        document = docx_reader.read(converted, filename, limits)
        document.kind = kind
        document.notices.append(
            Finding(
                "converted",
                INFO,
                f"{_NAMES[kind]}, converted to .docx by LibreOffice to be read",
                filename,
            )
        )
        return document

    return read


READERS = {kind: read_kind(kind) for kind in KINDS}
