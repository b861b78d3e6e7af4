"""Celery tasks of the replies: thin wrappers that take ids and call the services.

- ``responses_app.extract_document``: read one stored Document into its Reply.
  Idempotent (a reply already read is left alone); a bad file ends as a failed
  Reply with one sentence, never as a crashed worker. Our own timer stops the
  reading after READ_TIME_LIMIT_SECONDS; Celery's soft limit (a little later)
  and hard limit are the backstops, and ``fail_stale_replies`` reports a
  reading whose worker was killed.
- ``responses_app.poll_mailboxes``: fetch mail from IMAP_URL and MAILDIR_PATH.
- ``responses_app.fail_stale_replies``.

Schedules live in the database (django-celery-beat): migration
``responses_app/0005_mail_schedules`` registers the mail poll every 5 minutes
and the stale-reply check every 30. Readings are queued with
``transaction.on_commit`` (``queue_reading``) so a worker never looks for a row
that is not committed yet.
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction

from responses_app.services import mailboxes, reading

log = logging.getLogger(__name__)
READ_LIMIT = int(settings.READ_TIME_LIMIT_SECONDS)


def queue_reading(document_id: int) -> None:
    """Queue the reading of one document once the current transaction commits."""
    transaction.on_commit(lambda: extract_document.delay(document_id), robust=True)


@shared_task(
    name="responses_app.extract_document",
    soft_time_limit=READ_LIMIT + 30,
    time_limit=READ_LIMIT + 90,
    acks_late=False,
)
def extract_document(document_id: int) -> dict | None:
    """Read one document; returns its reply's id, status and error (None if it is gone).

    ``acks_late`` is off on purpose: a file that kills its worker (past the hard
    time limit) must not be delivered again and again.
    """
    try:
        reply = reading.read_document(document_id=document_id, timeouts=(SoftTimeLimitExceeded,))
    except SoftTimeLimitExceeded:  # between the reading and the writing: try the sweep later
        log.warning("Document %s: time limit reached outside the reading", document_id)
        return None
    if reply is None:
        return None
    return {"reply": reply.pk, "status": reply.status, "error": reply.error}


@shared_task(name="responses_app.poll_mailboxes", soft_time_limit=240, time_limit=290)
def poll_mailboxes() -> list[dict]:
    """Poll the configured mailboxes once (beat: every 5 minutes)."""
    results = mailboxes.poll_configured(dispatch=queue_reading)
    for result in results:
        log.info("Mail poll %s", result)
    return [r.as_json() for r in results]


@shared_task(name="responses_app.fail_stale_replies", soft_time_limit=120, time_limit=150)
def fail_stale_replies() -> int:
    return reading.fail_stale_replies()
