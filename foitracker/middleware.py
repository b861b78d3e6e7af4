"""Security middleware: the Content Security Policy, and the client address for throttling.

Django 5.2 has no CSP of its own; this sets one header from ``CONTENT_SECURITY_POLICY``
(a dict of directive -> sources) on every response that has none yet: no inline
script, no inline style, nothing from elsewhere. ``CONTENT_SECURITY_POLICY_PATHS``
relaxes directives under a path prefix (under /api/, Swagger UI and DRF's browsable
API use inline styles); every other directive stays as it is.
"""

from django.conf import settings


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
