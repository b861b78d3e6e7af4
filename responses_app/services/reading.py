"""Read one stored reply file into its Reply, within the hostile-file limits; settle the arrival.

``read_document`` is what the ``responses_app.extract_document`` task runs. It
never raises for a bad file: a damaged, hostile or slow file ends as
``Reply(status=failed)`` with one sentence ("could not read reply.xlsx: the file
is damaged (...)") shown on the request's page. Reading is bounded by the
settings READ_* (decompressed size, sheets, rows, pages) and by
READ_TIME_LIMIT_SECONDS of wall time (a SIGALRM timer in the worker's main
thread; Celery's soft and hard time limits are the backstop). Nothing is
written until the reading is over, and the figures are written in one
transaction, so a failure leaves nothing half-written; only the attempt count
(``start_reading``) is committed first, so a file whose reading keeps killing
its worker is failed after ``MAX_READ_ATTEMPTS`` deliveries.

When the last file of an arrival (the NOTE event "Reply received ..." that
carries the files) has been read, ``settle_arrival`` records the request's
RESPONSE event with the outcome the files agree on (``domain.arrival``), and
the files move onto that event. It does so only for the request's first
response: later replies keep their note and a person records what they mean.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from questions.vocab import CampaignSpec
from requests_app.domain.lifecycle import EventKind, EventRejected
from requests_app.models import FoiRequest, RequestEvent
from requests_app.services.events import EventInput, record_event
from responses_app.domain.arrival import DECIDED, combine_outcomes
from responses_app.domain.extraction import Extraction, extract
from responses_app.domain.readers import Document as ReadDocument
from responses_app.domain.readers import ReadError
from responses_app.domain.readers.base import describe_exception, human_size
from responses_app.models import Document, Finding, Reply

from .extractions import kept_document, read_file, store_extraction_rows
from .layouts import Reading, extract_known_layout, saved_mappings
from .retention import has_bytes
from .timing import ReadTimedOut, seconds_text, time_limit
from .validation import campaign_spec

log = logging.getLogger(__name__)
PENDING, EXTRACTED, FAILED = Reply.Status.PENDING, Reply.Status.EXTRACTED, Reply.Status.FAILED
#: A reading whose worker died is delivered again (``extract_document`` acks late);
#: a file that has stopped its worker this many times is failed, not read for ever.
MAX_READ_ATTEMPTS = 3


def extract_bytes(data: bytes, filename: str, request: FoiRequest) -> Reading:
    """Read and extract within the limits; raises ReadError or ReadTimedOut.

    A table in a layout the force's saved hand mapping knows (``layouts.py``) is
    read with that mapping, as an upload on the page would be; the Reading says
    which mapping was used (empty when the automatic extractor read the file).
    """
    candidates = []
    if request.campaign_id:
        candidates = saved_mappings(force_id=request.force_id, campaign=request.campaign)
    spec = campaign_spec(request.campaign) if request.campaign_id else CampaignSpec((), {})
    with time_limit(settings.READ_TIME_LIMIT_SECONDS):  # reading and extracting
        document = read_file(data, filename)
        if candidates:
            return extract_known_layout(request=request, document=document, candidates=candidates)
        return Reading(extract(document, spec), {}, document)


def pending_reply(document: Document) -> Reply:
    """The document's reply waiting to be read, or its latest reply, or a new pending one."""
    replies = list(Reply.objects.filter(document=document).order_by("-pk"))
    waiting = [r for r in replies if r.status == PENDING]
    if waiting:
        return waiting[-1]
    if replies:
        return replies[0]
    return Reply.objects.create(request_id=document.request_id, document=document)


def read_document(
    *, document_id: int, timeouts: tuple[type[BaseException], ...] = ()
) -> Reply | None:
    """Read one document into its Reply; idempotent (a reply already read is returned as it is).

    ``timeouts`` are the exception types that mean "out of time" besides our own
    timer (the task passes Celery's SoftTimeLimitExceeded).
    """
    document = (
        Document.objects.select_related("request__campaign", "stored")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        return None
    reply = pending_reply(document)
    if reply.status != PENDING:
        return reply
    name = document.name
    if not has_bytes(document.stored):
        error = f"could not read {name}: its content is no longer kept (retention policy)"
        return fail_reply(reply_id=reply.pk, error=error)
    if start_reading(reply_id=reply.pk) > MAX_READ_ATTEMPTS:
        error = (
            f"could not read {name}: its reading stopped the worker {MAX_READ_ATTEMPTS} times "
            "(the process was killed, perhaps out of memory)"
        )
        return fail_reply(reply_id=reply.pk, error=error)
    try:
        with document.stored.content.open("rb") as handle:
            data = handle.read()
        reading = extract_bytes(data, name, document.request)
    except ReadError as exc:
        return fail_reply(reply_id=reply.pk, error=exc.message)
    except (ReadTimedOut, *timeouts):
        limit = seconds_text(settings.READ_TIME_LIMIT_SECONDS)
        error = f"could not read {name}: reading it took longer than the {limit} allowed"
        return fail_reply(reply_id=reply.pk, error=error)
    except MemoryError:
        return fail_reply(
            reply_id=reply.pk, error=f"could not read {name}: it is too large to read"
        )
    except RecursionError:
        error = f"could not read {name}: it is nested too deeply to read"
        return fail_reply(reply_id=reply.pk, error=error)
    except OSError as exc:
        error = f"could not read {name}: the stored file could not be opened ({exc.strerror})"
        return fail_reply(reply_id=reply.pk, error=error)
    except Exception as exc:  # noqa: BLE001 - no bad file may crash the worker
        log.exception("Reading document %s (%s) failed unexpectedly", document_id, name)
        error = f"could not read {name}: the reader stopped on an error ({describe_exception(exc)})"
        return fail_reply(reply_id=reply.pk, error=error)
    return store_reading(
        reply_id=reply.pk,
        extraction=reading.extraction,
        mapping=reading.mapping,
        document=reading.document,
    )


def start_reading(*, reply_id: int) -> int:
    """Count one more reading of a pending reply, committed before it starts; the count.

    More than one means an earlier reading never finished: its worker died and the
    task was delivered again (or two deliveries overlap; ``store_reading`` keeps one).
    """
    Reply.objects.filter(pk=reply_id, status=PENDING).update(
        read_attempts=F("read_attempts") + 1, reading_started_at=timezone.now()
    )
    return Reply.objects.filter(pk=reply_id).values_list("read_attempts", flat=True).first() or 0


@transaction.atomic
def store_reading(
    *,
    reply_id: int,
    extraction: Extraction,
    mapping: dict | None = None,
    document: ReadDocument | None = None,
) -> Reply:
    """The reply, its figures and findings, in one transaction; then the arrival is settled.

    ``mapping``: the saved hand mapping that read the file, kept on ``Reply.mapping``;
    ``document``: what was read, kept for the mapping screen (``Reply.read_document``).
    """
    reply = Reply.objects.select_for_update().select_related("request").get(pk=reply_id)
    if reply.status != PENDING:
        return reply
    reply.status = EXTRACTED
    reply.outcome = extraction.outcome
    reply.exemptions = list(extraction.exemptions)
    reply.excluded_rows = extraction.excluded_rows
    reply.error = ""
    reply.mapping = mapping or {}
    reply.read_document = kept_document(document)
    reply.save(
        update_fields=[
            "status",
            "outcome",
            "exemptions",
            "excluded_rows",
            "error",
            "mapping",
            "read_document",
        ]
    )
    store_extraction_rows(reply=reply, extraction=extraction)
    settle_arrival(document_id=reply.document_id)
    return reply


@transaction.atomic
def fail_reply(*, reply_id: int, error: str) -> Reply:
    reply = Reply.objects.select_for_update().get(pk=reply_id)
    if reply.status != PENDING:
        return reply
    reply.status, reply.error = FAILED, error[:2000]
    reply.save(update_fields=["status", "error"])
    settle_arrival(document_id=reply.document_id)
    return reply


@transaction.atomic
def settle_arrival(*, document_id: int | None) -> RequestEvent | None:
    """Record the response once every file of the document's arrival has been read."""
    event_id = (
        Document.objects.filter(pk=document_id).values_list("event_id", flat=True).first()
        if document_id
        else None
    )
    event = RequestEvent.objects.filter(pk=event_id, kind=EventKind.NOTE).first()
    if event is None:
        return None
    request = FoiRequest.objects.select_for_update().get(pk=event.request_id)
    replies = list(
        Reply.objects.filter(document__event=event).select_related("document").order_by("pk")
    )
    if not replies or any(r.status == PENDING for r in replies):
        return None
    if request.events.filter(kind=EventKind.RESPONSE).exists():
        return None
    read = [r for r in replies if r.status == EXTRACTED]
    decided = combine_outcomes((r.outcome, r.exemptions) for r in read)
    if decided is None:
        return None
    outcome, exemptions = decided
    names = ", ".join(dict.fromkeys(r.document.name for r in replies if r.outcome == outcome))
    note = (
        f"Outcome read automatically from {names or 'the files'} "
        f"(the reply of {event.on:%d %B %Y}); check it against the documents."
    )
    try:
        response = record_event(
            request=request,
            data=EventInput(
                EventKind.RESPONSE.value,
                event.on,
                outcome=outcome,
                exemptions=exemptions,
                note=note,
            ),
        )
    except EventRejected as exc:
        Finding.objects.create(
            reply=next(r for r in read if r.outcome in DECIDED),
            code="inbound.response_not_recorded",
            severity=Finding.Severity.WARNING,
            message=f"The reply reads as {outcome.replace('_', ' ')}, but no response was "
            f"recorded on the request: {exc}",
        )
        return None
    Document.objects.filter(event=event).update(event=response)
    return response


def fail_stale_replies(*, older_than: timedelta | None = None) -> int:
    """Fail the replies whose reading never finished (a killed worker, a lost job).

    By default it waits past the broker's visibility timeout, after which Redis
    hands a reading whose whole worker died to another worker.
    """
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
    wait = settings.READ_TIME_LIMIT_SECONDS * 3 + max(1800, options.get("visibility_timeout", 0))
    limit = older_than or timedelta(seconds=wait)
    stale = Reply.objects.filter(status=PENDING, created_at__lt=timezone.now() - limit)
    count = 0
    for reply in stale.select_related("document"):
        name = reply.document.name if reply.document else "the file"
        fail_reply(
            reply_id=reply.pk,
            error=f"could not read {name}: the reading did not finish (the worker stopped or "
            "the job was lost); use Read again to retry",
        )
        count += 1
    return count


def too_large(name: str, size: int) -> str:
    return (
        f"could not read {name}: it is {human_size(size)}, larger than the "
        f"{human_size(settings.MAX_DOCUMENT_BYTES)} limit, so it was not kept"
    )
