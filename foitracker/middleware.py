"""Security middleware: the Content Security Policy, the admin's NUL guard, the client's address.

Django 5.2 has no CSP of its own; this sets one header from ``CONTENT_SECURITY_POLICY``
(a dict of directive -> sources) on every response that has none yet: no inline
script, no inline style, nothing from elsewhere. ``CONTENT_SECURITY_POLICY_PATHS``
relaxes directives under a path prefix (under /api/, Swagger UI and DRF's browsable
API use inline styles); every other directive stays as it is.

``ApiBodyLimitMiddleware`` answers a body over the limit sent to the API with a JSON 413,
``AdminUnstorableTextMiddleware`` a NUL sent to the Django admin with a 400 page.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from foitracker.storable import text_problem


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


class AdminUnstorableTextMiddleware:
    """In the Django admin, a NUL in a query string, a form field or a file's name is a 400.

    PostgreSQL refuses NUL in every text column, and the admin's own code puts what a
    request sends into a query before any form has checked it: the ids of a list's
    editable rows and of its selected rows, its search and its filters (a force's id is
    text). The site's own pages read every field through a form, whose fields refuse or
    drop a NUL; the admin's are Django's, so they are guarded here, naming the field.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(ADMIN_PREFIX):
            problem = unstorable_field(request)
            if problem is not None:
                return render(request, "400.html", {"message": problem}, status=400)
        return self.get_response(request)


ADMIN_PREFIX = "/admin/"


def unstorable_field(request) -> str | None:
    """The first field of the request whose name or value cannot be stored, and why."""
    sources = [("query parameter", request.GET)]
    if request.method == "POST":
        sources.append(("form field", request.POST))
    for kind, data in sources:
        for name, values in data.lists():
            for text in [name, *values]:
                problem = text_problem(text)
                if problem:
                    return f"The {kind} {ascii(name)} {problem}."
    if request.method == "POST":
        for name, upload in request.FILES.items():
            problem = text_problem(upload.name or "")
            if problem:
                return f"The name of the file sent as {ascii(name)} {problem}."
    return None
