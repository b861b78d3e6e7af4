"""Celery tasks of the replies: thin wrappers that take ids and call the services.

- ``responses_app.extract_document``: read one stored Document into its Reply.
  Idempotent (a reply already read is left alone); a bad file ends as a failed
  Reply with one sentence, never as a crashed worker. Our own timer stops the
  reading after READ_TIME_LIMIT_SECONDS; Celery's soft limit (a little later)
  and hard limit are the backstops. A reading whose worker is killed is
  delivered again (acks late), at most ``reading.MAX_READ_ATTEMPTS`` times, and
  ``fail_stale_replies`` reports one that never comes back.
- ``responses_app.poll_mailboxes``: fetch mail from IMAP_URL and MAILDIR_PATH.
- ``responses_app.fail_stale_replies``.
- ``responses_app.build_release``: publish the release a coordinator asked for
  (a ReleaseJob); idempotent, see ``services/release_jobs.py``.

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

from responses_app.services import mailboxes, reading, release_jobs

log = logging.getLogger(__name__)
READ_LIMIT = int(settings.READ_TIME_LIMIT_SECONDS)


def queue_reading(document_id: int) -> None:
    """Queue the reading of one document once the current transaction commits."""
    transaction.on_commit(lambda: extract_document.delay(document_id), robust=True)


@shared_task(
    name="responses_app.extract_document",
    soft_time_limit=READ_LIMIT + 30,
    time_limit=READ_LIMIT + 90,
    acks_late=True,
    reject_on_worker_lost=True,
)
def extract_document(document_id: int) -> dict | None:
    """Read one document; returns its reply's id, status and error (None if it is gone).

    Acknowledged when it ends, so a reading whose worker dies (killed, out of
    memory, the machine restarted) is delivered again; ``read_document`` counts
    the attempts and fails a file that keeps killing its worker. Past the hard
    time limit the task is acknowledged as failed, not delivered again.
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


def queue_release(job_id: int) -> None:
    """Queue the building of a release once the current transaction commits."""
    transaction.on_commit(lambda: build_release.delay(job_id))


@shared_task(name="responses_app.build_release", soft_time_limit=600, time_limit=660)
def build_release(job_id: int) -> dict | None:
    """Build one requested release; its job's status, release and error (None if it is gone)."""
    job = release_jobs.build_release(job_id=job_id)
    if job is None:
        return None
    return {"job": job.pk, "status": job.status, "release": job.release_id, "error": job.error}
