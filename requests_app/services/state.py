"""Store what the pure state calculator derives from a request's events."""

from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from requests_app.domain.calendar import Regime, WorkingCalendar
from requests_app.domain.lifecycle import (
    Channel,
    Event,
    EventKind,
    Outcome,
    RequestState,
    compute_state,
)
from requests_app.models import FoiRequest, RequestEvent

from .calendars import calendar, clock_policy

DERIVED_FIELDS = [
    "status",
    "clock",
    "sent_on",
    "received_on",
    "due_on",
    "very_overdue_on",
    "responded_on",
    "outcome",
    "exemptions",
    "review_due_on",
    "last_day_to_request_review",
    "last_day_to_complain",
    "on_hold",
    "last_event_on",
    "state_as_of",
]


def today() -> date:
    return timezone.localdate()


def to_domain(row: RequestEvent) -> Event:
    return Event(
        kind=EventKind(row.kind),
        on=row.on,
        channel=Channel(row.channel) if row.channel else None,
        outcome=Outcome(row.outcome) if row.outcome else None,
        exemptions=tuple(row.exemptions or ()),
        extended_to=row.extended_to,
        extension_days=row.extension_days,
    )


def state_of(
    request: FoiRequest,
    events: Iterable[RequestEvent] | None = None,
    *,
    on: date | None = None,
    cal: WorkingCalendar | None = None,
) -> RequestState:
    """The request's state as of ``on`` (default today), from its events."""
    rows = list(events if events is not None else request.events.all())
    regime = Regime(request.force.regime)
    return compute_state(
        [to_domain(r) for r in rows],
        regime=regime,
        calendar=cal or calendar(regime),
        today=on or today(),
        policy=clock_policy(),
    )


def apply_state(request: FoiRequest, state: RequestState, events: list[RequestEvent], on: date):
    sent = next((e.on for e in events if e.kind == EventKind.SENT), None)
    request.status = state.status.value
    request.clock = state.clock.value
    request.sent_on = sent
    request.received_on = state.received_on
    request.due_on = state.due_on
    request.very_overdue_on = state.very_overdue_on
    request.responded_on = state.responded_on
    request.outcome = state.outcome.value if state.outcome else ""
    request.exemptions = list(state.exemptions)
    request.review_due_on = state.review_due_on
    request.last_day_to_request_review = state.last_day_to_request_review
    request.last_day_to_complain = state.last_day_to_complain
    request.on_hold = state.on_hold
    request.last_event_on = max((e.on for e in events), default=None)
    request.state_as_of = on


def refresh_state(request: FoiRequest, *, on: date | None = None) -> RequestState:
    """Recompute and store the derived fields of one request (caller holds the transaction)."""
    on = on or today()
    events = list(request.events.order_by("on", "id"))
    state = state_of(request, events, on=on)
    apply_state(request, state, events, on)
    request.save(update_fields=DERIVED_FIELDS)
    return state


def _calendars_in_bulk(
    requests: list[FoiRequest], events: dict[int, list[RequestEvent]]
) -> dict[str, WorkingCalendar]:
    """Each regime's calendar, with the due dates of every event date computed in bulk.

    The periods counted from an event's date (the response, a postal receipt,
    the review windows) and from the resulting due dates (very overdue) are
    worked out for all requests at once (numpy's ``busday_offset``); whatever
    else the state calculator asks is counted as usual.
    """
    policy = clock_policy()
    from_event = {
        policy.response_working_days,
        policy.post_receipt_working_days,
        policy.review_request_working_days,
        policy.review_response_working_days,
    }
    days: dict[str, set[date]] = {}
    for req in requests:
        days.setdefault(req.force.regime, set()).update(e.on for e in events[req.pk])
    calendars = {}
    for regime, starts in days.items():
        cal = calendar(regime).with_due_dates(starts, from_event)
        dues = set()
        for day in starts:
            try:
                dues.add(cal.add_working_days(day, policy.response_working_days))
            except ValueError:  # past the calendar's end: compute_state says so itself
                continue
        calendars[regime] = cal.with_due_dates(dues, {policy.very_overdue_working_days})
    return calendars


def refresh_many(requests: Iterable[FoiRequest], *, on: date | None = None) -> int:
    """Recompute many requests with one query for their events and one bulk update."""
    on = on or today()
    requests = list(requests)
    by_id: dict[int, list[RequestEvent]] = {r.pk: [] for r in requests}
    for ev in RequestEvent.objects.filter(request_id__in=by_id).order_by("on", "id"):
        by_id[ev.request_id].append(ev)
    calendars = _calendars_in_bulk(requests, by_id)
    for req in requests:
        state = state_of(req, by_id[req.pk], on=on, cal=calendars[req.force.regime])
        apply_state(req, state, by_id[req.pk], on)
    FoiRequest.objects.bulk_update(requests, DERIVED_FIELDS, batch_size=500)
    return len(requests)


def refresh_regime(regime: str, *, on: date | None = None) -> int:
    """Recompute every request of a regime whose clock is not finished (calendar changed)."""
    qs = (
        FoiRequest.objects.filter(force__regime=regime)
        .exclude(clock="ended")
        .select_related("force")
    )
    return refresh_many(qs, on=on)
