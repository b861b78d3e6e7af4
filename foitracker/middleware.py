"""Security middleware: the Content Security Policy, the API's body limit, the client's address.

Django 5.2 has no CSP of its own; this sets one header from ``CONTENT_SECURITY_POLICY``
(a dict of directive -> sources) on every response that has none yet: no inline
script, no inline style, nothing from elsewhere. ``CONTENT_SECURITY_POLICY_PATHS``
relaxes directives under a path prefix (under /api/, Swagger UI and DRF's browsable
API use inline styles); every other directive stays as it is.

``ApiBodyLimitMiddleware`` answers a body over the limit sent to the API with a JSON 413.
"""

from django.conf import settings
from django.http import JsonResponse


def render_policy(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}".strip() for name, value in directives.items())


def policy_for(path: str) -> str:
    directives = dict(settings.CONTENT_SECURITY_POLICY)
    for prefix, overrides in getattr(settings, "CONTENT_SECURITY_POLICY_PATHS", {}).items():
        if path.startswith(prefix):
            directives.update(overrides)
    return render_policy(directives)


class ContentSecurityPolicyMiddleware:
    header = "Content-Security-Policy"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self.header not in response:
            response[self.header] = policy_for(request.path)
        return response


def client_ip(request) -> str:
    """The client's address for login throttling: X-Real-IP behind our proxy, else the socket's."""
    if settings.TRUST_X_REAL_IP and request.META.get("HTTP_X_REAL_IP"):
        return request.META["HTTP_X_REAL_IP"].strip()
    return request.META.get("REMOTE_ADDR", "")


def too_large(request) -> bool:
    """Whether the body the request declares is over ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""
    length = request.META.get("CONTENT_LENGTH")
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit is not None and bool(length) and str(length).isdigit() and int(length) > limit


def too_large_message() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return f"The request body is larger than the limit of {limit:,} bytes."


class ApiBodyLimitMiddleware:
    """A body over the limit sent to /api/ is a JSON 413 before any view, for everyone.

    Django checks ``DATA_UPLOAD_MAX_MEMORY_SIZE`` only when a view reads the body: a
    write that reads none (send, repeat), or that refuses the user first, would act on
    or answer a body it never looked at. The API takes no files, so its whole body is
    held to the limit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and too_large(request):
            return JsonResponse({"detail": too_large_message()}, status=413)
        return self.get_response(request)
