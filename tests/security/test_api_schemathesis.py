"""Schemathesis against /api/schema/: every operation, a few generated requests each.

Bounded (``MAX_EXAMPLES`` per operation, no deadline) to keep well under a minute. The
schema is fetched through the WSGI app with a token, as a client would; each
operation is called with real objects in its path (so it does more than 404) and
its query and body generated from the schema. Asserted: no 5xx, and every answer
the schema describes matches it (response_schema_conformance, content type).
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from requests_app.models import RequestEvent
from tests.factories import (
    DocumentFactory,
    FigureFactory,
    FindingFactory,
    InboundMessageFactory,
    ReleaseFactory,
    StoredFileFactory,
)

from ..requests_app.permissions_support import build_world

pytestmark = pytest.mark.django_db
MAX_EXAMPLES = 4
#: The API's resources by the app that serves them (first path segment after /api/).
GROUPS = {
    "requests_app": {"campaigns", "requests", "events", "forces"},
    "responses_app": {
        "figures", "findings", "releases", "datasets", "series", "documents", "inbound", "exports",
    },
}  # fmt: skip
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def wsgi_app():
    """The project's WSGI app, keeping the test's connection (and its transaction) open.

    Django closes a connection that is not in autocommit at the end of each request;
    its test client stops that, and so does this, for the plain WSGI app.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_objects():
    """A coordinator's token and one real object of each kind the API serves."""
    world = build_world()
    figure = FigureFactory(campaign=world.mine, force_id="kent")
    finding = FindingFactory(reply=figure.reply, figure=figure)
    release = ReleaseFactory(campaign=world.mine)
    world.mine.series = "alpha-series"
    world.mine.save(update_fields=["series"])
    document = DocumentFactory(request=world.mine_request)
    guess = {"request": world.mine_request.pk, "reference": world.mine_request.reference,
             "force": "Kent Police", "score": 70, "why": "mentions its reference"}  # fmt: skip
    message = InboundMessageFactory(guesses=[guess], raw=StoredFileFactory())
    token = Token.objects.create(user=world.a_coordinator).key
    ids = {
        "campaigns": world.mine.slug,
        "forces": "kent",
        "datasets": world.mine.slug,
        "series": "alpha-series",
        "requests": world.mine_request.pk,
        "events": RequestEvent.objects.filter(request=world.mine_request).first().pk,
        "figures": figure.pk,
        "findings": finding.pk,
        "releases": release.pk,
        "documents": document.pk,
        "inbound": message.pk,
    }
    return token, ids


def _path_parameters(operation, ids) -> dict:
    resource = _resource(operation)
    names = [p.name for p in operation.iter_parameters() if p.location == "path"]
    values = {}
    for name in names:
        if name in ("slug", "id", "pk") and resource in ids:
            values[name] = ids[resource]
        elif name in ("fmt", "format"):
            values[name] = "csv"
    return values


def _resource(operation) -> str:
    return operation.path.strip("/").split("/")[1]


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_the_api_matches_its_schema_and_never_fails(wsgi_app, api_objects, group):
    token, ids = api_objects
    headers = {"Authorization": f"Token {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app, headers=headers)
    every = [result.ok() for result in schema.get_all_operations()]
    # Every resource belongs to a group.
    assert {_resource(op) for op in every} == set().union(*GROUPS.values())
    operations = [op for op in every if _resource(op) in GROUPS[group]]
    assert len(operations) >= 8
    failures: list[str] = []
    answered: dict[str, int] = {}
    for operation in operations:
        path_parameters = _path_parameters(operation, ids)
        # First the plain call (real objects, no query, no body): the everyday answer.
        plain = operation.Case(path_parameters=path_parameters, headers=headers)
        try:
            answered[operation.label] = plain.call_and_validate(
                headers=headers, checks=CHECKS
            ).status_code
        except (Exception, FailureGroup) as exc:  # noqa: BLE001 - reported together below
            failures.append(f"{operation.label} (plain): {type(exc).__name__}: {exc}"[:2000])
        strategy = operation.as_strategy(path_parameters=path_parameters, headers=headers)

        label = operation.label

        @given(case=strategy)
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case, label=label):
            try:
                case.call_and_validate(headers=headers, checks=CHECKS)
            except (Exception, FailureGroup) as exc:  # noqa: BLE001 - reported below
                failures.append(f"{label}: {type(exc).__name__}: {exc}"[:2000])
                raise AssertionError(label) from None

        try:
            run()
        except Exception:  # noqa: BLE001 - already recorded in failures
            pass
    assert not failures, "\n\n".join(failures)
    # The plain reads found their objects: the run exercised more than 404s.
    reads = {label: code for label, code in answered.items() if label.startswith("GET ")}
    assert sum(code == 200 for code in reads.values()) >= len(reads) - 1, reads
