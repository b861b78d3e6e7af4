"""An export as a file to download: the dataset pages' downloads and the API's alike."""

from django.http import Http404, HttpResponse

from . import FORMATS
from .data import ExportNotFound, find
from .formats import render


def export_download(fmt: str, **scope) -> HttpResponse:
    """The export ``find(**scope)`` finds, in ``fmt``, as an attachment; 404 when there is none."""
    if fmt not in FORMATS:
        raise Http404(f"Unknown format {fmt!r}")
    try:
        rendered = render(fmt, find(**scope))
    except ExportNotFound as exc:
        raise Http404(str(exc)) from None
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response
