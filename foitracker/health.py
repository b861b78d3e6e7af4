"""The health check at /healthz: the database and the Celery broker, for load balancers.

200 ``{"status": "ok", "database": "ok", "broker": "ok"}`` when both answer;
503 with ``"status": "failing"`` and, for each part that failed, what went wrong.
Open without login (it says nothing about the data) and never cached.
"""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from foitracker.celery import app


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_broker() -> str:
    """Connect to the broker once, within HEALTH_BROKER_TIMEOUT_SECONDS."""
    timeout = settings.HEALTH_BROKER_TIMEOUT_SECONDS
    with app.connection_for_write(url=settings.CELERY_BROKER_URL, connect_timeout=timeout) as conn:
        conn.ensure_connection(max_retries=1, timeout=timeout, interval_start=0)
    return "ok"


CHECKS = {"database": check_database, "broker": check_broker}


@never_cache
@require_safe
def health(request):
    report, failing = {}, False
    for name, check in CHECKS.items():
        try:
            report[name] = check()
        except Exception as exc:  # noqa: BLE001 - any failure is the answer
            failing = True
            report[name] = f"failing: {type(exc).__name__}: {exc}"[:300]
    report = {"status": "failing" if failing else "ok", **report}
    return JsonResponse(report, status=503 if failing else 200)
