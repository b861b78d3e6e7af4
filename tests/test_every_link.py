"""Every link a page renders opens, for every role, as a stranger clicking through would find it.

Starting at ``/`` with the demo loaded (the service ``manage.py demo_data`` uses),
each role follows breadth-first every same-site ``<a href>`` and every
``<form method="get">`` of every HTML page it reaches, the Django admin included
for staff. A link is opened at most ``PER_PATTERN`` times per URL pattern (its
route and the names of its query parameters) and kind of page linking to it, once
per route in the admin, so the crawl stays small while every kind of page is
reached. The same is done for the API with each role's token,
following every URL its JSON names.

A failure is any 5xx, a status a link should never answer (400, 405...), a 4xx
page that is not the project's own (Django's debug or plain page), a traceback in
a page, a GET that writes to the database (other than its session and the download
logs), or a download whose content type does not match its format. A user of
another team must not see the Research team's campaign anywhere, even by opening
the addresses the Research team's researcher reached.
"""

from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve
from rest_framework.authtoken.models import Token

from requests_app.models import Role, Team
from requests_app.services.campaigns import create_campaign
from requests_app.services.demo import DEMO_SLUG
from requests_app.services.teams import add_member
from responses_app.files import SANDBOX
from responses_app.services.demo import load_demo

pytestmark = pytest.mark.django_db

PER_PATTERN = 2
#: The admin is Django's own and large: each model's changelist, one change page, and so on.
ADMIN_PER_PATTERN = 1
#: Links the crawl must not follow: they end the session.
SKIP = ("/logout/", "/admin/logout/")
OK = {200, 302, 304}
DELIBERATE = {403, 404, 410}
DOWNLOAD_TYPES = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".json": "application/json",
    ".zip": "application/zip",
    ".ics": "text/calendar",
}
DEBUG_PAGE = re.compile(r"Traceback \(most recent call last\)|You.re seeing this error because")
#: A GET may write only its session and the logs of who downloaded which file.
WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.I)
LOGGED = re.compile(r'"(django_session|responses_app_documentdownload|axes_\w+)"')
OTHER_TEAM = ("other", "Other team")


class _Links(HTMLParser):
    """The same-page URLs a browser would open from a page: links and GET forms."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self._form: tuple[str, list[tuple[str, str]]] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and (a.get("method") or "get").lower() == "get":
            self._form = (a.get("action") or "", [])
        elif self._form is not None and tag in ("input", "select", "textarea") and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form[1].append((a["name"], a.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            action, fields = self._form
            self.links.append(action + ("?" + urlencode(fields) if fields else ""))
            self._form = None


def links_in_html(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def links_in_json(data) -> list[str]:
    """Every string in a JSON document that is an address on this site."""
    found: list[str] = []
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str) and value.startswith(("http://testserver/", "/")):
            found.append(value)
    return found


def same_site(base: str, href: str) -> str | None:
    """The path and query of ``href`` opened from ``base``, or None when it leaves the site."""
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    return parts.path + ("?" + parts.query if parts.query else "")


def pattern_of(url: str) -> tuple[str, tuple[str, ...]] | None:
    """The URL's route and query parameter names; None for a path no route matches."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    names = tuple(sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}))
    route = match.route
    if route.startswith("admin/"):
        # One instance per admin route (each model has its own); query strings are filters.
        return route, ()
    return route, names


@dataclass
class Crawl:
    client: Client
    api: bool = False
    visited: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    bodies: dict[str, str] = field(default_factory=dict)

    def run(self, start: str, limit: int = 1500) -> Crawl:
        seen_per_pattern: dict[tuple, int] = {}
        queue: deque[tuple[str, str]] = deque([(start, "(start)")])
        queued = {start}
        while queue and len(self.visited) < limit:
            url, source = queue.popleft()
            here = pattern_of(url)
            for link in self.open(url, source):
                if link in queued or link.startswith(SKIP):
                    continue
                pattern = pattern_of(link)
                if pattern is None:
                    self.problems.append(f"{link} (linked from {url}) matches no route")
                    queued.add(link)
                    continue
                # A few instances of each pattern from each kind of page that links to it:
                # a request reached from the review queue has replies, one from the list may not.
                key = (pattern, None if pattern[0].startswith("admin/") else here)
                cap = ADMIN_PER_PATTERN if pattern[0].startswith("admin/") else PER_PATTERN
                if seen_per_pattern.get(key, 0) >= cap:
                    continue
                seen_per_pattern[key] = seen_per_pattern.get(key, 0) + 1
                queued.add(link)
                queue.append((link, url))
        return self

    def open(self, url: str, source: str) -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        status = response.status_code
        self.visited[url] = status
        where = f"{url} (linked from {source})"
        writes = [
            q["sql"] for q in queries if WRITE.match(q["sql"]) and not LOGGED.search(q["sql"])
        ]
        if writes:
            self.problems.append(f"{where}: a GET that writes: {writes[0][:200]}")
        ctype = response.get("Content-Type", "").split(";")[0].strip()
        if status >= 500:
            self.problems.append(f"{where}: {status}")
            return []
        if status in (301, 302, 303, 307, 308):
            target = same_site(url, response["Location"])
            return [target] if target else []
        if status not in OK | DELIBERATE:
            self.problems.append(f"{where}: {status}")
            return []
        body = b"" if response.streaming else response.content
        if self.api and urlsplit(url).path.startswith("/api/"):
            return self._check_api(where, url, response, ctype, body)
        if ctype == "text/html":
            html = body.decode("utf-8", "replace")
            if DEBUG_PAGE.search(html):
                self.problems.append(f"{where}: a traceback or Django's debug page")
            if status in DELIBERATE:
                templates = {t.name for t in response.templates}
                if "base.html" not in templates:
                    self.problems.append(f"{where}: {status} without the site's page ({templates})")
                return []
            self.bodies[url] = html
            return [u for href in links_in_html(html) if (u := same_site(url, href))]
        if status in DELIBERATE:
            self.problems.append(f"{where}: {status} as {ctype or 'no content type'}")
            return []
        self._check_download(where, url, response, ctype)
        return []

    def _check_download(self, where, url, response, ctype) -> None:
        expected = expected_type(url, response)
        attachment = response.get("Content-Disposition", "").startswith("attachment")
        if expected is None:
            if not attachment:
                self.problems.append(f"{where}: {ctype!r} is neither a page nor a download")
            return
        # A reply file a force sent is served as octet-stream unless it is a format
        # browsers do not run (responses_app/files.py): a CSV reply is not our export.
        uploaded = response.get("Content-Security-Policy") == SANDBOX
        if ctype != expected and not (uploaded and ctype == "application/octet-stream"):
            self.problems.append(f"{where}: a download answered {ctype!r}, expected {expected!r}")

    def _check_api(self, where, url, response, ctype, body) -> list[str]:
        path = urlsplit(url).path
        if path.startswith(("/api/docs/", "/api/schema/")):
            return []  # the schema (YAML) and the Swagger page, checked elsewhere
        if ctype == "application/json":
            try:
                data = json.loads(body)
            except ValueError:
                self.problems.append(f"{where}: JSON that does not parse")
                return []
            if response.status_code == 200:
                self.bodies[url] = body.decode()
            links = [same_site(url, href) for href in links_in_json(data)]
            return [u for u in links if u and u.startswith("/api/")]
        if response.status_code in DELIBERATE:
            self.problems.append(f"{where}: {response.status_code} as {ctype!r}, not JSON")
            return []
        self._check_download(where, url, response, ctype)
        return []


def expected_type(url: str, response) -> str | None:
    """The content type a CSV, XLSX, JSON, ZIP or ICS download must have, from its name."""
    disposition = response.get("Content-Disposition", "")
    name = re.search(r'filename="?([^";]+)', disposition)
    candidates = [name.group(1)] if name else []
    candidates.append(urlsplit(url).path.rstrip("/"))
    for candidate in candidates:
        for ext, ctype in DOWNLOAD_TYPES.items():
            # export.csv, or an API route's last part: .../export/csv
            if candidate.lower().endswith((ext, "/" + ext[1:])):
                return ctype
    return None


def _load_demo():
    """The demo, and a second team with a researcher and a campaign of its own."""
    campaign = load_demo()
    team = Team.objects.create(slug=OTHER_TEAM[0], name=OTHER_TEAM[1])
    outsider = get_user_model().objects.create_user("outsider", password="x")
    add_member(user=outsider, team=team, role=Role.RESEARCHER)
    create_campaign(
        slug="other-team-campaign",
        title="Another team's question",
        description="How many {periods}?",
        template="Dear {force_name}, how many in {periods}? Ref {reference}.",
        periods=["2020-21"],
        owner=outsider,
        team=team,
    )
    return campaign


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """Loaded once for this module's tests, in a transaction rolled back after the last one."""
    media = tmp_path_factory.mktemp("media")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hashers):
        with transaction.atomic():
            yield _load_demo(), media
            transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_once, db, settings):
    campaign, media = _demo_once
    settings.MEDIA_ROOT = media
    return campaign


#: What each role's crawl reached, for the test that replays it as another team.
_CRAWLED: dict[str, dict[str, int]] = {}
ROLES = ["admin", "coordinator", "researcher", "viewer", "outsider"]


def _client(username: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _report(crawl: Crawl) -> str:
    return "\n".join(crawl.problems[:60]) + f"\n({len(crawl.problems)} problems)"


@pytest.mark.parametrize("username", ROLES)
def test_every_link_of_every_page_opens(demo, username):
    crawl = Crawl(_client(username)).run("/")
    _CRAWLED[username] = crawl.visited
    assert not crawl.problems, _report(crawl)
    pages = [u for u, s in crawl.visited.items() if s == 200]
    assert len(pages) >= 20, crawl.visited  # the crawl reached the site, not one page
    if get_user_model().objects.get(username=username).is_staff:
        assert any(u.startswith("/admin/") and "/change/" in u for u in pages), pages
    if username == "outsider":
        leaked = [u for u, html in crawl.bodies.items() if DEMO_SLUG in html or demo.title in html]
        assert leaked == [], leaked


def test_another_team_sees_nothing_where_the_research_team_went(demo):
    """Every address the Research team's researcher reached, opened by another team's user."""
    reached = _CRAWLED.get("researcher") or Crawl(_client("researcher")).run("/").visited
    crawl = Crawl(_client("outsider"))
    for url in reached:
        crawl.open(url, "(the researcher's crawl)")
    assert not crawl.problems, _report(crawl)
    # The filters echo the slug the address carries; the campaign's own words must not show.
    leaked = [u for u, html in crawl.bodies.items() if demo.title in html]
    assert leaked == [], leaked
    assert any(status == 404 for status in crawl.visited.values())


@pytest.mark.parametrize("username", ROLES)
def test_every_api_address_answers_json(demo, username):
    user = get_user_model().objects.get(username=username)
    token, _ = Token.objects.get_or_create(user=user)
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token.key}")
    crawl = Crawl(client, api=True)
    crawl.run("/api/")
    # Each resource's list, whether or not the root names it.
    for url in API_LISTS:
        if url not in crawl.visited:
            crawl.run(url)
    assert not crawl.problems, _report(crawl)
    assert len(crawl.visited) >= len(API_LISTS)
    if username == "outsider":
        leaked = [u for u, text in crawl.bodies.items() if DEMO_SLUG in text]
        assert leaked == [], leaked


API_LISTS = [
    "/api/campaigns/",
    "/api/requests/",
    "/api/events/",
    "/api/forces/",
    "/api/figures/",
    "/api/findings/",
    "/api/releases/",
    "/api/documents/",
    "/api/inbound/",
    "/api/exports/",
    f"/api/datasets/{DEMO_SLUG}/",
    "/api/schema/",
]
