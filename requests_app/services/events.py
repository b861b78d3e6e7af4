"""Record an event on a request: check it, append it, re-derive the state."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from requests_app.domain.calendar import Regime
from requests_app.domain.lifecycle import (
    Channel,
    Event,
    EventKind,
    EventRejected,
    Outcome,
    check_new_event,
)
from requests_app.models import FoiRequest, RequestEvent
from requests_app.users import acting_user

from .state import refresh_state, to_domain


@dataclass
class EventInput:
    """What a person (or the system) says happened, before it is checked."""

    kind: str
    on: date
    channel: str = ""
    outcome: str = ""
    exemptions: list[str] = field(default_factory=list)
    extended_to: date | None = None
    extension_days: int | None = None
    force_reference: str = ""
    stage: str = ""
    note: str = ""


def _domain_event(data: EventInput) -> Event:
    try:
        kind = EventKind(data.kind)
    except ValueError as exc:
        raise EventRejected(f"Unknown event kind {data.kind!r}.") from exc
    try:
        channel = Channel(data.channel) if data.channel else None
        outcome = Outcome(data.outcome) if data.outcome else None
    except ValueError as exc:
        raise EventRejected(f"Unknown channel or outcome: {exc}.") from exc
    return Event(
        kind=kind,
        on=data.on,
        channel=channel,
        outcome=outcome,
        exemptions=tuple(data.exemptions),
        extended_to=data.extended_to,
        extension_days=data.extension_days,
    )


@transaction.atomic
def record_event(*, request: FoiRequest, data: EventInput, user=None) -> RequestEvent:
    """Append ``data`` to the request's log and store its new state, or raise EventRejected.

    The request row is locked for the length of the transaction, so two people
    recording events at once are applied one after the other; a rejected event
    writes nothing.
    """
    locked = FoiRequest.objects.select_for_update().select_related("force").get(pk=request.pk)
    existing = list(locked.events.order_by("on", "id"))
    new = _domain_event(data)
    if new.kind == EventKind.SENT and new.channel is None:
        raise EventRejected("Say how the request was sent: email, portal or post.")
    check_new_event([to_domain(e) for e in existing], new, regime=Regime(locked.force.regime))
    event = RequestEvent.objects.create(
        request=locked,
        kind=new.kind.value,
        on=data.on,
        channel=data.channel,
        outcome=data.outcome,
        exemptions=list(data.exemptions),
        extended_to=data.extended_to,
        extension_days=data.extension_days,
        force_reference=data.force_reference,
        stage=data.stage,
        note=data.note,
        created_by=acting_user(user),
    )
    if data.force_reference:
        locked.force_reference = data.force_reference
        locked.save(update_fields=["force_reference"])
    refresh_state(locked)
    request.refresh_from_db()
    return event
