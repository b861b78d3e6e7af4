"""Every page and endpoint needs a login, except the login page and the health check.

Walks every URL pattern the project has (django.urls.get_resolver), fills each
parameter with a sample value, and asks as an anonymous visitor, with GET and POST.
Pages must redirect to a login page; API views (exempt from LoginRequiredMiddleware
so tokens work) must answer 401 or 403 from DRF's IsAuthenticated.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern
from django.utils.regex_helper import normalize
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

#: Open to anyone: the login pages, logging out, the health check, the favicon, and
#: calendar feeds (a calendar app cannot log in: the secret token in the URL is the key,
#: and an unknown token is a 404; tests/requests_app/test_calendar_feeds.py). Nothing else.
OPEN = {"login", "logout", "health", "admin:login", "admin:logout", "calendar-feed", "favicon"}
LOGIN_PAGES = ("/login/", "/admin/login/")
SAMPLES = ["1", "kent", "csv", "json", "a"]
#: Values for parameters by name (a format suffix must be one DRF knows, or it 404s first).
BY_NAME = {"format": "json", "fmt": "csv"}


def _patterns(resolver=None, prefix="", names=()):
    """(regex, route converters, name, namespace) of every pattern, nested ones joined."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        regex = prefix + _strip(entry.pattern.regex.pattern)
        if isinstance(entry, URLResolver):
            namespace = (*names, entry.namespace) if entry.namespace else names
            yield from _patterns(entry, regex, namespace)
        elif isinstance(entry, URLPattern):
            name = ":".join([*names, entry.name]) if entry.name else None
            yield regex, entry, name


def _strip(regex: str) -> str:
    return regex.removeprefix("^").removesuffix(r"\Z").removesuffix("$")


def _sample_paths(regex: str) -> list[str]:
    """Concrete paths matching ``regex``: each group filled with the first sample that fits."""
    full = re.compile("^" + regex + "$")
    paths = []
    for template, params in normalize(regex):
        values = {}
        for param in params:
            group = re.compile(_group_regex(regex, param))
            candidates = [BY_NAME[param]] if param in BY_NAME else SAMPLES
            values[param] = next((s for s in candidates if group.fullmatch(s)), "1")
        path = "/" + template % values
        if full.match(path[1:]):
            paths.append(path)
    return paths


def _group_regex(regex: str, name: str) -> str:
    match = re.search(rf"\(\?P<{re.escape(name)}>((?:[^()]|\([^()]*\))*)\)", regex)
    return match.group(1) if match else ".+"


def _all_paths():
    found = []
    for regex, pattern, name in _patterns():
        for path in _sample_paths(regex):
            found.append((path, pattern, name))
    return found


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN_PAGES)


def test_every_url_needs_a_login():
    paths = _all_paths()
    assert len(paths) > 60, "the walk found too few URLs to be trusted"
    client = APIClient()  # no CSRF check, so POSTs reach the login check
    checked, problems = 0, []
    for path, pattern, name in paths:
        if name in OPEN:
            continue
        match = resolve(path)
        assert match.func is pattern.callback or match.url_name == pattern.name, path
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            ok = _is_login_redirect(response) or response.status_code in (401, 403)
            if not ok:
                problems.append(f"{method.upper()} {path} ({name}): {response.status_code}")
            checked += 1
    assert not problems, "open to anonymous visitors:\n" + "\n".join(problems)
    assert checked > 120


def test_api_views_keep_isauthenticated_though_exempt_from_the_middleware():
    from rest_framework.permissions import IsAuthenticated

    api_views = []
    for _regex, pattern, name in _patterns():
        view_class = getattr(pattern.callback, "cls", None)
        if view_class is None or name in OPEN:
            continue
        api_views.append(name)
        permissions = getattr(pattern.callback, "initkwargs", {}).get(
            "permission_classes", view_class.permission_classes
        )
        assert any(isinstance(p, type) and issubclass(p, IsAuthenticated) for p in permissions), (
            f"{name}: {permissions}"
        )
    assert len(api_views) > 20


def test_the_open_urls_are_open(client):
    assert client.get("/login/").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/admin/login/").status_code == 200


def test_the_walk_covers_route_converters():
    paths = {p for p, _pattern, _name in _all_paths()}
    assert "/campaigns/kent/board.csv" in paths or "/campaigns/1/board.csv" in paths
    assert any(p.startswith("/api/campaigns/") for p in paths)
    assert isinstance(next(iter(get_resolver().url_patterns)).pattern, RoutePattern)
