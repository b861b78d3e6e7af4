"""JSON errors for every bad request the API can get, and for unknown paths under /api/.

DRF answers its own exceptions in JSON; this module covers what it leaves to
Django: a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413, not Django's HTML 400;
``middleware.ApiBodyLimitMiddleware`` answers it before any view), JSON nested too
deeply to decode (400, not a RecursionError and a 500), JSON text no database can
store (NUL, half a surrogate pair: 400), other suspicious requests (400), and paths
under ``/api/`` that match no route (404).
"""

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.views import exception_handler as drf_exception_handler

from foitracker.middleware import too_large, too_large_message
from foitracker.storable import unstorable

API_PREFIX = "/api/"


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self):
        super().__init__(too_large_message())


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with the body size limit and a sentence for JSON it cannot take.

    JSON nested too deeply, and text no database can store (``"\\u0000"``, a lone
    ``"\\ud800"``: a field's error message quoting it could not even be sent), are a 400
    saying where.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        if request is not None and too_large(request):
            raise BodyTooLarge()
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON parse error - the body is nested too deeply.") from exc
        problem = unstorable(data)
        if problem:
            raise ParseError(f"JSON parse error - {problem}.")
        return data


def exception_handler(exc, context):
    """DRF's handler, plus JSON for the request errors Django would answer in HTML."""
    if isinstance(exc, RequestDataTooBig):
        exc = BodyTooLarge()
    elif isinstance(exc, SuspiciousOperation):
        exc = ParseError(f"Bad request: {exc}")
    elif isinstance(exc, RecursionError):
        exc = ParseError("The request is nested too deeply.")
    return drf_exception_handler(exc, context)


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


@requires_csrf_token
def bad_request(request, exception, template_name=defaults.ERROR_400_TEMPLATE_NAME):
    if _is_api(request):
        too_big = isinstance(exception, RequestDataTooBig)
        detail = BodyTooLarge().detail if too_big else "Bad request."
        return JsonResponse({"detail": str(detail)}, status=413 if too_big else 400)
    return defaults.bad_request(request, exception, template_name)


@requires_csrf_token
def page_not_found(request, exception, template_name=defaults.ERROR_404_TEMPLATE_NAME):
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception, template_name)


@requires_csrf_token
def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    if _is_api(request):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request, template_name)
