"""A reply arriving on a request: one event, its files stored, each file queued for reading.

Used by uploads (the request's page) and by inbound email alike. The event is
a RESPONSE when a person said what the reply is (its outcome); otherwise a
NOTE ("Reply received by email ...", "Reply uploaded ..."), which becomes a
RESPONSE when the files have been read and agree on an outcome (see
``reading.settle_arrival``). Each stored file gets a pending Reply at once, so
the page shows "waiting to be read" until the worker is done; a file over the
size limit gets a failed Reply saying so, and the others are still kept.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction

from requests_app.domain.lifecycle import EventKind
from requests_app.models import FoiRequest, RequestEvent
from requests_app.services.events import EventInput, record_event
from requests_app.users import acting_user
from responses_app.models import Document, Reply

from .downloads import FileGone
from .reading import too_large
from .retention import has_bytes
from .storage import attach, safe_name

Dispatch = Callable[[int], None]


@dataclass
class Arrival:
    event: RequestEvent
    documents: list[Document] = field(default_factory=list)
    refused: list[Reply] = field(default_factory=list)


def _user(user):
    return acting_user(user)


@transaction.atomic
def record_arrival(
    *,
    request: FoiRequest,
    on: date,
    note: str,
    files: Iterable[tuple[str, bytes]],
    dispatch: Dispatch,
    outcome: str = "",
    exemptions: Iterable[str] = (),
    user=None,
) -> Arrival:
    """Record the event, keep the files, and queue each for reading once this commits."""
    kind = EventKind.RESPONSE if outcome else EventKind.NOTE
    event = record_event(
        request=request,
        data=EventInput(kind.value, on, outcome=outcome, exemptions=list(exemptions), note=note),
        user=user,
    )
    arrival = Arrival(event=event)
    for name, data in files:
        if len(data) > settings.MAX_DOCUMENT_BYTES:
            arrival.refused.append(
                Reply.objects.create(
                    request=request,
                    status=Reply.Status.FAILED,
                    error=too_large(safe_name(name), len(data)),
                    created_by=_user(user),
                )
            )
            continue
        document = attach(request=request, event=event, data=data, name=name, user=user)
        Reply.objects.create(request=request, document=document, created_by=_user(user))
        arrival.documents.append(document)
        transaction.on_commit(lambda pk=document.pk: dispatch(pk), robust=True)
    return arrival


@transaction.atomic
def read_again(*, document: Document, dispatch: Dispatch, user=None) -> Reply:
    """A new pending reading of a stored file (after a fix to the readers, or a lost job).

    Raises FileGone when the retention purge has taken the file's bytes.
    """
    if not has_bytes(document.stored):
        raise FileGone(
            f"{document.name} was removed under the retention policy for personal data, so it "
            "cannot be read again; the figures read from it are kept"
        )
    waiting = Reply.objects.filter(document=document, status=Reply.Status.PENDING).first()
    if waiting is not None:
        return waiting
    reply = Reply.objects.create(
        request_id=document.request_id, document=document, created_by=_user(user)
    )
    transaction.on_commit(lambda: dispatch(document.pk), robust=True)
    return reply
