"""Hostile values in every form and every API write, for every role: a message, never a 5xx.

Each role crawls the site as ``test_every_link`` does (the demo, a second team, and one
held email so the holding pen has forms) and collects every ``<form method="post">``
its pages render, the Django admin's included. Each form (at most ``PER_FORM`` of each
kind: its action's route and its fields' names, digits aside) is submitted once per
hostile value in each field, the other fields as rendered; a field that repeats with
a number in its name (a grid's cells, a formset's rows) is fuzzed in its first copy.
Each submission runs in a savepoint rolled back after it, so every one starts from the
demo. Forms with a file input are also sent a few hostile files.

The API: every POST, PUT and PATCH of ``/api/schema/`` is sent a body just over
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (a JSON 413), then a real body with each string field
(and each number and date) replaced by each hostile value (JSON, never a 5xx).

A failure is a 5xx, an unexpected status, a traceback, a 4xx that is not the site's
page, or a ``<script>`` shown unescaped (in the answer or the page it redirects to).
Run it on PostgreSQL too: it refuses NUL in text and lone surrogates, SQLite does not.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token

from requests_app.models import FoiRequest
from requests_app.services.demo import DEMO_TEAM
from responses_app.models import Figure, InboundMessage
from responses_app.services.inbound import receive_message
from responses_app.tasks import queue_reading
from tests.post_forms import KEPT, Field, Form, as_data, family, post_forms, with_value
from tests.responses_app import hostile_corpus as corpus
from tests.test_every_link import (
    DEBUG_PAGE,
    ROLES,
    SKIP,
    Crawl,
    _client,
    _load_demo,
    pattern_of,
    same_site,
)

pytestmark = pytest.mark.django_db

#: Forms of one kind (action route, field names) submitted per role.
PER_FORM = 1
#: The admin's forms fuzzed: the project's models (Django's own and other apps' are theirs).
ADMIN_APPS = ("admin/requests_app/", "admin/responses_app/")
SCRIPT = "<script>alert('hostile')</script>"
FUTURE = (date.today() + timedelta(days=400)).isoformat()
NUL = "a\x00b"
#: A lone surrogate as a browser could send it (bytes no UTF-8 decoder accepts), and
#: right-to-left and zero-width characters.
ODD = "a\ud800b \u202eevil\u200b\u2066\ufeff".encode("utf-8", "surrogatepass")
#: Each a pair, to keep the run short: ``%`` and ``str.format`` placeholders, markup and a formula.
FORMATS = ["{0} %s%n", "{force_name.__class__} {{"]
MARKUP = f'=HYPERLINK("http://evil.example/","click"){SCRIPT}'
TEXT = [*FORMATS, "x" * 100_000, NUL, ODD, MARKUP]
#: A textarea may hold JSON: nested too deeply, or parsing into what PostgreSQL's jsonb refuses.
TEXTAREA = [*TEXT, "[" * 100_000, '["a\\u0000b"]', '{"a": "\\ud800"}']
NUMBER = [str(10**40), "-1", "1e308", "NaN", NUL]
DATE = ["9999-12-31", "0001-01-01", "2019-02-30", FUTURE, NUL]
#: For what the page offers as choices or keeps hidden: a value it never offered.
CHOICE = [NUL, FORMATS[0], str(10**40), "-1", SCRIPT]
#: A checkbox's value is ignored or names a row.
CHECKBOX = [NUL, str(10**40)]
#: A kind of form an earlier role fuzzed in this run gets these in each field (and no files).
REPEAT = [NUL]
TEXT_KINDS = {"text", "email", "url", "password", "search", "tel"}
NUMBER_KINDS = {"number", "range"}
DATE_KINDS = {"date", "datetime-local", "month", "week", "time"}
#: How a page says what is wrong: a form's errors, Django's and the admin's, or a message.
MESSAGE = re.compile(
    r'errorlist|errornote|class="error|class="messages"|<h1>Not (allowed|found|und)'
)
OK = {200, 302, 303}
DELIBERATE = {400, 403, 404, 410}


@functools.cache
def hostile_files() -> list[tuple[str, bytes]]:
    """Empty files, a zip bomb, HTML named .pdf, NUL in a CSV and in a file's name."""
    return [
        ("empty.csv", b""),
        ("empty.xlsx", b""),
        ("bomb.xlsx", corpus.zip_bomb(25 * 1024 * 1024)),
        ("letter.pdf", b"<html><body><script>alert(1)</script></body></html>"),
        ("nul.csv", b"id,foi_email,notes,name\r\nkent,a\x00b@x.example,a\x00b,a\x00b\r\n"),
        ("a\x00b{0}<script>.csv", b"id\r\nkent\r\n"),
    ]


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:20]}...({len(text):,} chars)"


@dataclass
class Fuzz:
    client: Client
    role: str
    problems: list[str] = field(default_factory=list)
    sent: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    def post(self, form: Form, pairs, files=(), what: str = "") -> None:
        """Submit in a savepoint rolled back after; the session's cookie is kept as it was."""
        cookies = copy.deepcopy(self.client.cookies)
        where = f"{self.role}: {form.action} (form on {form.page}) {what}"
        try:
            with transaction.atomic():
                response = self._send(form, pairs, files)
                self._check(where, form, response, pairs)
                transaction.set_rollback(True)
        finally:
            self.client.cookies = cookies
        self.sent += 1
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1

    def _send(self, form: Form, pairs, files):
        if form.multipart:
            return self.client.post(form.action, as_data(pairs, files))
        body = urlencode(pairs, encoding="utf-8")
        return self.client.post(form.action, body, content_type="application/x-www-form-urlencoded")

    def _check(self, where: str, form: Form, response, pairs) -> None:
        status = response.status_code
        if status >= 500:
            self.problems.append(f"{where}: {status}")
            return
        if status in (301, 302, 303, 307, 308):
            sent_script = any(isinstance(v, str) and SCRIPT in v for _, v in pairs)
            target = same_site(form.action, response["Location"])
            if sent_script and target and not target.startswith(SKIP):
                shown = self.client.get(target)
                if shown.status_code >= 500:
                    self.problems.append(
                        f"{where}: its redirect {target} answered {shown.status_code}"
                    )
                else:
                    self._check_page(f"{where}, then {target}", shown)
            return
        if status not in OK | DELIBERATE:
            self.problems.append(f"{where}: {status}")
            return
        self._check_page(where, response)

    def _check_page(self, where: str, response) -> None:
        ctype = response.get("Content-Type", "").split(";")[0]
        if ctype != "text/html" or response.streaming:
            return
        html = response.content.decode("utf-8", "replace")
        if DEBUG_PAGE.search(html):
            self.problems.append(f"{where}: a traceback or Django's debug page")
        if SCRIPT in html:
            self.problems.append(f"{where}: {SCRIPT} shown unescaped")
        if response.status_code >= 400:
            templates = {t.name for t in response.templates}
            if not templates & {"base.html", "admin/base.html"}:
                self.problems.append(f"{where}: {response.status_code} without the site's page")
            elif not MESSAGE.search(html):
                self.problems.append(f"{where}: {response.status_code} saying nothing")

    def form(self, form: Form, again: bool = False) -> None:
        """As rendered, then each hostile value in each field (``again``: the short list)."""
        rendered = form.rendered()
        self.post(form, rendered, what="(as rendered)")
        for target in form.targets():
            for value in REPEAT if again else values_for(target):
                pairs = with_value(rendered, target.name, value)
                self.post(form, pairs, what=f"{target.name}={_show(value)}")
        for target in [] if again else form.files():
            for name, content in hostile_files():
                upload = SimpleUploadedFile(name, content)
                self.post(form, rendered, [(target.name, upload)], f"{target.name}=file {name!r}")


def values_for(field: Field) -> list:
    """The hostile values for a field of this kind."""
    if field.kind in NUMBER_KINDS:
        return NUMBER
    if field.kind in DATE_KINDS or field.date_like:
        return DATE
    if field.kind == "textarea":
        return TEXTAREA
    if field.kind in TEXT_KINDS:
        return TEXT
    return CHECKBOX if field.kind == "checkbox" else CHOICE


def kind_of(form: Form) -> tuple:
    """The action's route (an admin's add and change pages are one) and the fields."""
    pattern = pattern_of(form.action)
    route = re.sub(r"(add/|<path:object_id>/change/)$", "<form>/", pattern[0]) if pattern else None
    names = tuple(sorted({family(f.name) for f in form.fields if f.name not in KEPT}))
    return route, form.multipart, names


def forms_of(crawl: Crawl) -> list[Form]:
    """Every post form the crawl's pages render, at most ``PER_FORM`` of each kind.

    An admin's change form comes before its add form: the other fields of a row that
    exists are valid, so the hostile value is the one the save has to take.
    """
    seen: dict[tuple, int] = {}
    chosen = []
    found = [
        form
        for url, html in crawl.bodies.items()
        if not urlsplit(url).path.startswith("/api/")
        for form in post_forms(url, html)
        if not form.action.startswith(SKIP)
    ]
    found.sort(key=lambda form: not urlsplit(form.action).path.endswith("/change/"))
    for form in found:
        kind = kind_of(form)
        if kind[0] is None or seen.get(kind, 0) >= PER_FORM:
            continue
        if kind[0].startswith("admin/") and not kind[0].startswith(ADMIN_APPS):
            continue
        seen[kind] = seen.get(kind, 0) + 1
        chosen.append(form)
    return chosen


def _held_message() -> InboundMessage:
    """An email from Kent's FOI address naming no request: held, with Kent's request guessed."""
    message = EmailMessage()
    message["From"] = "foi@kent.police.example"
    message["To"] = "research@charity.example"
    message["Subject"] = "Our reply"
    message["Message-ID"] = "<held-1@kent.police.example>"
    message.set_content("Please see our answer to your question.")
    raw = message.as_bytes()
    receipt = receive_message(raw, source=InboundMessage.Source.FILE, dispatch=queue_reading)
    return receipt.message


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo as test_every_link loads it, and one held email, for this module's tests."""
    media = tmp_path_factory.mktemp("media")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hashers):
        with transaction.atomic():
            campaign = _load_demo()
            held = _held_message()
            yield campaign, held, media
            transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_once, db, settings):
    campaign, held, media = _demo_once
    settings.MEDIA_ROOT = media
    return campaign, held


#: Each role's forms, for the outsider to submit those of the Research team.
_FORMS: dict[str, list[Form]] = {}
#: The kinds of form fuzzed in full by a role before, in this run.
_FUZZED: set[tuple] = set()


def _report(problems: list[str]) -> str:
    return "\n".join(problems[:80]) + f"\n({len(problems)} problems)"


@pytest.mark.parametrize("username", ROLES)
def test_every_form_takes_hostile_values_without_a_server_error(demo, username):
    client = _client(username)
    forms = forms_of(Crawl(client).run("/"))
    _FORMS[username] = forms
    fuzz = Fuzz(client, username)
    for form in forms:
        fuzz.form(form, again=kind_of(form) in _FUZZED)
        _FUZZED.add(kind_of(form))
    assert not fuzz.problems, _report(fuzz.problems)
    # The crawl found the forms a role has: the admin's for staff, the review's for researchers.
    actions = {pattern_of(f.action)[0] for f in forms}
    if username in ("admin", "coordinator"):
        assert any(a.startswith("admin/") and a.endswith("change/") for a in actions), actions
    if username in ("admin", "coordinator", "researcher"):
        assert {"requests/<int:pk>/events/", "review/figures/<int:pk>/correct/"} <= actions
    if username in ("admin", "coordinator"):
        assert {"inbound/<int:pk>/assign/", "forces/<slug:pk>/edit/"} <= actions
    assert fuzz.sent >= 2 * len(forms), fuzz.statuses


def test_another_team_posting_the_research_teams_forms_gets_no_server_error(demo):
    """The researcher's and coordinator's forms, submitted by a user of another team."""
    theirs = _FORMS.get("coordinator") or forms_of(Crawl(_client("coordinator")).run("/"))
    fuzz = Fuzz(_client("outsider"), "outsider")
    for form in theirs:
        fuzz.post(form, form.rendered(), what="(as rendered)")
        for target in form.targets()[:3]:
            fuzz.post(
                form, with_value(form.rendered(), target.name, NUL), what=f"{target.name}=NUL"
            )
    assert not fuzz.problems, _report(fuzz.problems)
    assert fuzz.statuses.get(404, 0) + fuzz.statuses.get(403, 0) >= 10, fuzz.statuses


# --- The API ---------------------------------------------------------------------------

API_TEXT = [*FORMATS, "x" * 100_000, NUL, "a\ud800b", "\u202eevil\u200b", MARKUP, "[" * 100_000]
API_NUMBER = [10**40, -1, 1e308, float("nan"), NUL]
API_DATE = ["9999-12-31", "0001-01-01", "2019-02-30", FUTURE, NUL, "{0}"]


def _bodies(campaign, held: InboundMessage) -> dict[tuple[str, str], dict]:
    """A body each write accepts (for some role) from the demo, by method and path."""
    request = FoiRequest.objects.filter(campaign=campaign).order_by("pk").first()
    figure = Figure.objects.filter(campaign=campaign).pending().order_by("pk").first()
    schema = campaign.schema
    return {
        ("post", "/api/campaigns/"): {
            "slug": "hostile", "title": "Hostile", "periods": ["2020-21"], "forces": ["kent"],
            "description": "How many?", "template": "Dear {force_name}", "team": DEMO_TEAM[0],
        },
        ("post", "/api/campaigns/{slug}/log-sent/"): {
            "channel": "portal",
            "rows": [{"force": "kent", "sent_on": "2020-01-02", "portal_reference": "R1"}],
        },
        ("post", "/api/campaigns/{slug}/mark-sent/"): {
            "date": "2020-01-02", "channel": "portal", "force": "kent", "reference": "R1",
            "csv": "",
        },
        ("post", "/api/campaigns/{slug}/repeat/"): {},
        ("put", "/api/campaigns/{slug}/schema/"): {"schema": schema, "reason": "Why"},
        ("post", "/api/campaigns/{slug}/send/"): {},
        ("post", "/api/events/"): {
            "request": request.pk, "kind": "note", "on": "2020-01-02", "note": "A note",
            "channel": "", "outcome": "", "exemptions": ["s12"], "force_reference": "F1",
            "stage": "", "extension_days": None, "extended_to": None,
        },
        ("post", "/api/figures/{id}/approve/"): {"reason": "Checked"},
        ("post", "/api/figures/{id}/correct/"): {
            "reason": "Typo", "value": 5, "suppressed": False, "lower": None, "upper": None,
            "category": figure.category,
        },
        ("post", "/api/figures/{id}/reject/"): {"reason": "Wrong"},
        ("post", "/api/figures/approve/"): {
            "campaign": campaign.slug, "force": "kent", "all_valid": True, "reason": "Checked",
        },
        ("post", "/api/inbound/{id}/assign/"): {"request": request.reference},
        ("post", "/api/inbound/{id}/reject/"): {"reason": "Spam"},
        ("post", "/api/releases/"): {"campaign": campaign.slug, "methodology": "As before."},
    }  # fmt: skip


def _writes(client) -> list[tuple[str, str, dict]]:
    """Every POST, PUT and PATCH of the schema, with its JSON body's schema (resolved)."""
    spec = client.get("/api/schema/?format=json").json()
    components = spec["components"]["schemas"]

    def resolve(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(components[node["$ref"].rsplit("/", 1)[1]])
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    found = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method in ("post", "put", "patch"):
                content = operation.get("requestBody", {}).get("content", {})
                body = resolve(content.get("application/json", {}).get("schema", {}))
                found.append((method, path, body))
    return found


def _kind(node: dict) -> str:
    """text, number, date or other for one property of a body's schema."""
    for option in (node, *node.get("allOf", []), *node.get("oneOf", [])):
        if option.get("format") in ("date", "date-time"):
            return "date"
        if option.get("type") in ("integer", "number"):
            return "number"
        if option.get("type") == "string" or "enum" in option:
            return "text"
    return "other" if node.get("type") else "text"  # untyped (a JSON schema) takes text too


def _variants(body: dict, schema: dict):
    """(where, body) for each hostile value in each string, number and date of the body."""
    values = {"text": API_TEXT, "number": API_NUMBER, "date": API_DATE}
    for name, node in schema.get("properties", {}).items():
        if node.get("readOnly"):
            continue
        items = node.get("items") if node.get("type") == "array" else None
        if items is not None and items.get("properties"):
            row = (body.get(name) or [{}])[0]
            for key, inner in items["properties"].items():
                for value in values.get(_kind(inner), ()):
                    yield f"{name}[0].{key}={_show(value)}", {**body, name: [{**row, key: value}]}
            continue
        kind = _kind(items if items is not None else node)
        for value in values.get(kind, ()):
            yield f"{name}={_show(value)}", {**body, name: [value] if items is not None else value}


def _path(template: str, campaign, held: InboundMessage) -> str:
    figure = Figure.objects.filter(campaign=campaign).pending().order_by("pk").first()
    ids = {"/api/figures/": figure.pk, "/api/inbound/": held.pk}
    path = template.replace("{slug}", campaign.slug)
    for prefix, pk in ids.items():
        if path.startswith(prefix):
            path = path.replace("{id}", str(pk))
    return path


def _api_client(username: str) -> Client:
    user = get_user_model().objects.get(username=username)
    token, _ = Token.objects.get_or_create(user=user)
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token.key}")


def _api_send(client, method: str, path: str, body: bytes | str):
    send = getattr(client, method)
    with transaction.atomic():
        response = send(path, body, content_type="application/json")
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("username", ROLES)
def test_every_api_write_answers_an_oversized_body_with_a_json_413(demo, username):
    client = _api_client(username)
    campaign, held = demo
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps({"reason": "x" * (limit + 1)})
    problems = []
    writes = _writes(client)
    assert len(writes) >= 10
    for method, template, _ in writes:
        path = _path(template, campaign, held)
        response = _api_send(client, method, path, body)
        where = f"{username}: {method.upper()} {path}"
        if response.status_code != 413:
            problems.append(f"{where}: {response.status_code}, not 413")
        elif response["Content-Type"] != "application/json":
            problems.append(f"{where}: 413 as {response['Content-Type']}")
        elif "larger than the limit" not in response.json()["detail"]:
            problems.append(f"{where}: 413 saying {response.json()}")
    assert not problems, _report(problems)


@pytest.mark.parametrize("username", ROLES)
def test_every_api_write_answers_hostile_values_in_json(demo, username):
    client = _api_client(username)
    campaign, held = demo
    bodies = _bodies(campaign, held)
    writes = _writes(client)
    assert {(m, p) for m, p, _ in writes} == set(bodies), "a write without a body here"
    problems: list[str] = []
    statuses: dict[int, int] = {}
    for method, template, schema in writes:
        path = _path(template, campaign, held)
        base = bodies[(method, template)]
        for where, body in [("(as is)", base), *_variants(base, schema)]:
            text = json.dumps(body)  # NaN as NaN, a lone surrogate as \ud800
            response = _api_send(client, method, path, text)
            status = response.status_code
            statuses[status] = statuses.get(status, 0) + 1
            at = f"{username}: {method.upper()} {path} {where}"
            if status >= 500:
                problems.append(f"{at}: {status}")
            elif status != 204 and response["Content-Type"] != "application/json":
                problems.append(f"{at}: {status} as {response['Content-Type']}")
    assert not problems, _report(problems)
    if username in ("admin", "coordinator"):
        assert statuses.get(200, 0) + statuses.get(201, 0) + statuses.get(202, 0) >= 5, statuses


QUERY_VALUES = [NUL, "{0} %s%n", str(10**40), "-1", "9999-12-31", "2019-02-30", "x" * 5_000]


def _reads(client) -> list[tuple[str, list[str]]]:
    """Every GET of the schema with the names of its query parameters."""
    spec = client.get("/api/schema/?format=json").json()
    found = []
    for path, operations in spec["paths"].items():
        get = operations.get("get")
        if get is not None:
            names = [p["name"] for p in get.get("parameters", []) if p.get("in") == "query"]
            found.append((path, names))
    return found


@pytest.mark.parametrize("username", ["admin", "viewer", "outsider"])
def test_every_api_read_answers_hostile_query_parameters(demo, username):
    """Each query parameter of each GET (filters, search, ordering, paging) given NUL, format
    strings, huge and negative numbers and impossible dates: never a server error."""
    client = _api_client(username)
    campaign, held = demo
    problems: list[str] = []
    statuses: dict[int, int] = {}
    reads = _reads(client)
    assert sum(len(names) for _, names in reads) >= 20
    for template, names in reads:
        path = _path(template, campaign, held)
        for name in names:
            for value in QUERY_VALUES:
                response = client.get(path, {name: value})
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                if response.status_code >= 500:
                    problems.append(f"{username}: GET {path}?{name}={_show(value)}: 500")
    assert not problems, _report(problems)
    assert statuses.get(400, 0) >= 5, statuses  # bad filters are refused, saying so


def test_every_page_query_parameter_takes_hostile_values(demo):
    """Each query parameter the coordinator's pages link with (filters, sorting, paging, the
    admin's search and filters) given the same values: never a server error."""
    client = _client("coordinator")
    params: dict[str, set[str]] = {}
    for url in Crawl(client).run("/").visited:
        parts = urlsplit(url)
        if parts.query:
            params.setdefault(parts.path, set()).update(parse_qs(parts.query, True))
    assert sum(len(names) for names in params.values()) >= 10, params
    problems: list[str] = []
    for path, names in sorted(params.items()):
        for name in sorted(names):
            for value in QUERY_VALUES:
                response = client.get(path, {name: value})
                if response.status_code >= 500:
                    problems.append(f"GET {path}?{name}={_show(value)}: {response.status_code}")
    assert not problems, _report(problems)
