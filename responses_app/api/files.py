"""What the API's download actions share: no content negotiation, documented file types.

A download answers with the file's own type whatever the client's ``Accept``
says (DRF would otherwise answer 406 to ``Accept: text/csv``); its errors are
JSON, ``{"detail": ...}``: 404 for what you may not see, 410 for a file the
retention purge removed.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework.negotiation import BaseContentNegotiation

from requests_app.api.serializers import BAD_REQUEST

from .serializers import ErrorSerializer

__all__ = ["BAD_REQUEST", "ERRORS", "FileNegotiation", "file_responses"]


class FileNegotiation(BaseContentNegotiation):
    """The first renderer (JSON, for errors) whatever ``Accept`` asks; files bypass it."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


ERRORS = {
    404: OpenApiResponse(ErrorSerializer, description="Not found, or not yours to see."),
    410: OpenApiResponse(
        ErrorSerializer, description="The file was removed under the retention policy."
    ),
}


def file_responses(content_types, *, json_body=False, errors=(404,)) -> dict:
    """``extend_schema(responses=...)`` for a 200 in each of ``content_types``.

    ``json_body``: an ``application/json`` file is an object, not bytes.
    """
    responses = {
        (200, ct.split(";")[0]): (
            OpenApiTypes.OBJECT
            if json_body and ct.startswith("application/json")
            else OpenApiTypes.BINARY
        )
        for ct in content_types
    }
    responses.update({(code, "application/json"): ERRORS.get(code, BAD_REQUEST) for code in errors})
    return responses
