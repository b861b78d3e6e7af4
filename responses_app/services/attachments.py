"""An event and the files that came with it, written in one transaction."""

from collections.abc import Iterable

from django.db import transaction

from requests_app.models import FoiRequest, RequestEvent
from requests_app.services.events import EventInput, record_event

from .storage import attach


@transaction.atomic
def record_event_with_files(
    *, request: FoiRequest, data: EventInput, files: Iterable[tuple[str, bytes]] = (), user=None
) -> RequestEvent:
    """Record the event and store its attachments; a rejected file undoes the event too."""
    event = record_event(request=request, data=data, user=user)
    for name, content in files:
        attach(request=request, event=event, data=content, name=name, user=user)
    return event
