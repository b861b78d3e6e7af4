"""Readings delivered more than once: counted, read once, and given up on when they keep killing.

``extract_document`` is acknowledged late, so a reading whose worker died comes
back (tests/responses_app/test_reading_worker_killed.py kills real workers). These
are the rules it relies on, run in-process.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from responses_app.models import Figure, Finding, Reply
from responses_app.services.arrivals import record_arrival
from responses_app.services.reading import MAX_READ_ATTEMPTS, fail_stale_replies, read_document

from . import inbound_support
from .inbound_support import expected_figures, figures_of, sample, sent_request

campaign = inbound_support.campaign
pytestmark = pytest.mark.django_db


@pytest.fixture
def arrived(campaign):
    """Kent's reply file, stored with its pending Reply, not read yet."""
    kent = sent_request(campaign, "kent", token="kentreply00000005")
    arrival = record_arrival(
        request=kent,
        on=kent.sent_on,
        note="Reply received",
        files=[("kent.csv", sample("kent.csv"))],
        dispatch=lambda pk: None,
    )
    (document,) = arrival.documents
    return kent, document, Reply.objects.get(document=document)


def test_a_reading_delivered_twice_is_read_once(arrived):
    kent, document, reply = arrived
    first = read_document(document_id=document.pk)
    second = read_document(document_id=document.pk)
    assert first.pk == second.pk == reply.pk
    reply.refresh_from_db()
    assert (reply.status, reply.read_attempts) == ("extracted", 1)
    assert reply.reading_started_at is not None
    assert figures_of(kent) == expected_figures("kent")
    assert Figure.objects.filter(request=kent).count() == len(expected_figures("kent"))
    assert kent.events.filter(kind="response").count() == 1


def test_a_reading_interrupted_once_is_read_on_its_next_delivery(arrived):
    kent, document, reply = arrived
    Reply.objects.filter(pk=reply.pk).update(read_attempts=1)  # its worker died reading it
    read_document(document_id=document.pk)
    reply.refresh_from_db()
    assert (reply.status, reply.read_attempts) == ("extracted", 2)
    assert figures_of(kent) == expected_figures("kent")


def test_a_file_that_keeps_killing_its_worker_is_failed_not_read_for_ever(arrived):
    kent, document, reply = arrived
    Reply.objects.filter(pk=reply.pk).update(read_attempts=MAX_READ_ATTEMPTS)
    read_document(document_id=document.pk)
    reply.refresh_from_db()
    assert reply.status == "failed"
    assert reply.error == (
        "could not read kent.csv: its reading stopped the worker 3 times "
        "(the process was killed, perhaps out of memory)"
    )
    assert not Figure.objects.filter(request=kent).exists()
    assert not Finding.objects.filter(reply=reply).exists()


def test_the_stale_check_waits_past_the_brokers_visibility_timeout(arrived, settings):
    _, _, reply = arrived
    settings.READ_TIME_LIMIT_SECONDS = 60
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 7200}
    Reply.objects.filter(pk=reply.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert fail_stale_replies() == 0  # Redis has not handed the task back yet
    Reply.objects.filter(pk=reply.pk).update(created_at=timezone.now() - timedelta(hours=2.1))
    assert fail_stale_replies() == 1
    reply.refresh_from_db()
    assert reply.status == "failed" and "did not finish" in reply.error
