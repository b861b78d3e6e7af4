"""Two sweeps at the same moment, each in its own thread and database connection.

PostgreSQL only: SQLite serialises writers, so it cannot show the race. Every
due chaser must be claimed by exactly one sweep and sent exactly once.
"""

import threading
from collections import Counter
from datetime import date

import pytest
from django.core import mail
from django.db import connection

from requests_app.models import OutboundMessage, RequestEvent
from requests_app.services.chasing import claim, run_sweep, select_due
from requests_app.services.delivery import deliver

from .chasing_support import make_request

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.needs_postgresql,  # SQLite serialises all writers
]

TODAY = date(2019, 5, 16)  # stage 3 for requests due 15 April, stage 2 for those due 2 May...


def seed(n: int) -> set[tuple[str, str]]:
    """``n`` overdue requests at different stages; the (reference, stage) pairs due today."""
    sent_days = [date(2019, 3, 15), date(2019, 3, 29), date(2019, 4, 1), date(2019, 4, 11)]
    for i in range(n):
        make_request(sent=sent_days[i % len(sent_days)])
    return {(c.reference, c.stage) for c in select_due(today=TODAY).chasers}


def in_threads(target, count: int = 2) -> list:
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(i):
        try:
            barrier.wait(timeout=10)
            results[i] = target()
        except Exception as exc:  # surfaced below; a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results


def test_two_sweeps_at_once_send_each_due_chaser_exactly_once(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    due = seed(24)
    assert len(due) == 24 and {stage for _, stage in due} == {"1", "2", "3"}

    def sweep():
        result = run_sweep(today=TODAY, dispatch=lambda pk: deliver(outbound_id=pk))
        return [(c.reference, c.stage) for c in result.chasers if c.outcome == "sent"]

    first, second = in_threads(sweep)
    assert Counter(first) + Counter(second) == Counter(due)  # every one, none twice
    assert len(mail.outbox) == 24
    assert Counter(tuple(m.to) for m in mail.outbox).most_common(1)[0][1] == 1
    assert OutboundMessage.objects.filter(status="sent").count() == 24
    assert RequestEvent.objects.filter(kind="chaser").count() == 24


def test_two_claims_of_the_same_selection_split_it_without_overlap():
    """Both sweeps select before either claims: the unique constraint decides each row."""
    due = seed(16)
    first_pick = select_due(today=TODAY)
    second_pick = select_due(today=TODAY)
    picks = iter([first_pick, second_pick])
    lock = threading.Lock()

    def claim_one():
        with lock:
            result = next(picks)
        claimed = claim(due=result.chasers, policies=result.policies, today=TODAY)
        return {(c.reference, c.stage) for c in claimed}

    first, second = in_threads(claim_one)
    assert first | second == due
    assert first & second == set()
    assert OutboundMessage.objects.count() == 16
