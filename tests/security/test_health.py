"""/healthz: the database and the broker, 200 when both answer and 503 saying which failed."""

import pytest
from django.db import connections

pytestmark = pytest.mark.django_db


def test_healthy_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_an_unreachable_broker_is_a_503_that_says_so(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.HEALTH_BROKER_TIMEOUT_SECONDS = 0.5
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing" and body["database"] == "ok"
    assert body["broker"].startswith("failing: ") and "1" in body["broker"]


@pytest.mark.needs_postgresql  # SQLite's in-memory test database cannot be disconnected
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_unreachable_database_is_a_503_that_says_so(client):
    conn = connections["default"]
    saved = dict(conn.settings_dict)
    conn.close()
    conn.settings_dict["PORT"] = "1"  # nothing listens there
    try:
        response = client.get("/healthz")
    finally:
        conn.close()
        conn.settings_dict.update(saved)
    assert response.status_code == 503
    body = response.json()
    assert body["database"].startswith("failing: OperationalError") and body["broker"] == "ok"


def test_only_reads(client):
    assert client.post("/healthz").status_code == 405
