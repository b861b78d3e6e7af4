"""Sending a stored file to a browser safely: the page downloads and the API's alike.

Always an attachment, with a Content-Type browsers do not run (the detected
type when it is a document format, otherwise ``application/octet-stream``),
``nosniff``, a sandboxing CSP and no caching.
"""

from django.http import FileResponse

from responses_app.domain.readers import ReadError, detect_type

SAFE_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
SANDBOX = "default-src 'none'; sandbox"


def safe_content_type(data: bytes, name: str) -> str:
    """The detected type when it is one browsers do not run; otherwise application/octet-stream."""
    try:
        kind = detect_type(data, name)
    except ReadError:
        kind = "damaged"
    return SAFE_TYPES.get(kind, "application/octet-stream")


def attachment_response(handle, name: str, data_head: bytes) -> FileResponse:
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=safe_content_type(data_head, name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    response["Cache-Control"] = "private, no-store"
    return response
