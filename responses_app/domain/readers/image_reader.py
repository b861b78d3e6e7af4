"""Images of a reply (PNG, JPEG, TIFF: a scan or a photo of a letter), read by OCR.

tesseract turns the image into a PDF with a text layer, which the PDF reader
reads; the Document is marked `ocr`.
"""

from __future__ import annotations

from .base import Document, ReadLimits, read_error
from .external import ocr_image
from .pdf_reader import as_ocr, read_text_layer

KINDS = ("image",)


def read(data: bytes, filename: str, limits: ReadLimits) -> Document:
    document, scanned = read_text_layer(ocr_image(data, filename, limits), filename, limits)
    if scanned or not (document.lines or document.tables):
        raise read_error(
            filename, "it is an image in which OCR found no text; enter the figures in the grid"
        )
    document.kind = "image"
    return as_ocr(document)
