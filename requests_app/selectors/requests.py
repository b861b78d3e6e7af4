"""Reads: querysets annotated so a page costs a fixed number of queries."""

from datetime import date

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When

from requests_app.domain.blockers import Blocker
from requests_app.domain.lifecycle import Status
from requests_app.models import FoiRequest, Force
from requests_app.permissions import can_edit_request
from requests_app.services.state import state_of, today

from .blocking import not_chased

OPEN = [Status.AWAITING.value, Status.OVERDUE.value, Status.VERY_OVERDUE.value]


def with_live_status(qs: QuerySet, today: date) -> QuerySet:
    """Annotate ``live_status``: the stored status moved on to ``today``.

    The stored status is as of the last event (or the nightly refresh); a running
    clock becomes overdue by the mere passing of days, which this works out in SQL
    from the stored, indexed ``due_on`` and ``very_overdue_on``.
    """
    return qs.annotate(
        live_status=Case(
            When(on_hold=True, status__in=OPEN, then=Value(Status.ON_HOLD.value)),
            When(status__in=OPEN, very_overdue_on__lt=today, then=Value(Status.VERY_OVERDUE.value)),
            When(status__in=OPEN, due_on__lt=today, then=Value(Status.OVERDUE.value)),
            When(status__in=OPEN, then=Value(Status.AWAITING.value)),
            default=F("status"),
            output_field=CharField(),
        )
    )


def overdue_q(today: date, path: str = "") -> Q:
    """Q over ``path`` (the way to a FoiRequest; "" for FoiRequest itself) for overdue requests."""
    p = f"{path}__" if path else ""
    return Q(**{f"{p}status__in": OPEN, f"{p}on_hold": False, f"{p}due_on__lt": today})


def request_list(*, today: date, filters: dict | None = None) -> QuerySet:
    filters = filters or {}
    qs = with_live_status(FoiRequest.objects.select_related("force", "campaign"), today).order_by(
        "due_on", "force__name"
    )
    if filters.get("force"):
        qs = qs.filter(force_id=filters["force"])
    if filters.get("campaign"):
        qs = qs.filter(campaign__slug=filters["campaign"])
    if filters.get("status"):
        qs = qs.filter(live_status=filters["status"])
    if filters.get("overdue"):
        qs = qs.filter(overdue_q(today))
    if filters.get("q"):
        term = filters["q"]
        qs = qs.filter(
            Q(reference__icontains=term)
            | Q(force_reference__icontains=term)
            | Q(subject__icontains=term)
            | Q(force__name__icontains=term)
        )
    return qs


def request_detail(pk: int, *, today: date, visible: Q | None = None) -> FoiRequest:
    """One request with its events; ``visible`` (e.g. ``permissions.request_q(user)``) narrows."""
    qs = FoiRequest.objects.select_related("force", "campaign")
    if visible is not None:
        qs = qs.filter(visible)
    return (
        with_live_status(qs, today)
        .prefetch_related("events__created_by", "events__documents")
        .get(pk=pk)
    )


def force_list(*, requests: Q | None = None) -> QuerySet:
    """Forces with their count of requests (only those matching ``requests``, a Q over them)."""
    return Force.objects.annotate(request_count=Count("requests", filter=requests)).order_by(
        "-territorial_england_wales", "name"
    )


def status_counts(qs: QuerySet) -> dict[str, int]:
    rows = qs.order_by().values("live_status").annotate(n=Count("id"))
    return {r["live_status"]: r["n"] for r in rows}


def request_page(foi: FoiRequest, user, form) -> dict:
    """What the request's page shows besides ``form``: its timeline, its clock, who may edit,
    and why no chaser can reach it (when none can).

    The page and the form that records an event with its files (in the replies
    app) render the same template with it.
    """
    events = list(foi.events.all())
    why = not_chased(user, foi, today())
    if why is not None and why.blocker in (Blocker.NOT_SENT, Blocker.ANSWERED):
        why = None  # nothing to chase: the page says so already
    return {
        "foi": foi,
        "events": events,
        "state": state_of(foi, events),
        "form": form,
        "can_edit": can_edit_request(user, foi),
        "not_chased": why,
    }
