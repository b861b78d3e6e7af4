"""Reads for chasing: who may be chased, the overdue board, the forces' league table.

``chaseable_q`` is the one statement of when a force may be chased about a
late response: the request is open with its clock running (not stopped for
clarification, not paused for fees, not answered), neither it nor its campaign
is on hold, and the force has a working FOI address. The sweep, "chase now"
and the last check before sending all use it.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from statistics import median

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast

from requests_app.domain.blockers import Blocker, why_not_chased
from requests_app.domain.calendar import WorkingCalendar
from requests_app.domain.lifecycle import ClockState, Status
from requests_app.models import FoiRequest, OutboundMessage

from .blocking import FACT_FIELDS, chase_facts
from .requests import OPEN

REVIEW_STATUSES = [Status.IN_REVIEW.value, Status.REVIEW_OVERDUE.value]
CHASER = OutboundMessage.Kind.CHASER


def contactable_q() -> Q:
    return (
        Q(force__foi_email_broken=False)
        & ~Q(force__foi_email="")
        & (Q(campaign__isnull=True) | Q(campaign__on_hold=False))
    )


def chaseable_q() -> Q:
    """Requests whose force may be chased for a late response (when overdue)."""
    return (
        Q(status__in=OPEN, clock=ClockState.RUNNING.value, on_hold=False, due_on__isnull=False)
        & contactable_q()
    )


def review_chaseable_q() -> Q:
    """Requests whose internal review the force may be chased for (when past review_due_on)."""
    return Q(status__in=REVIEW_STATUSES, on_hold=False, review_due_on__isnull=False) & (
        contactable_q()
    )


def unchased_overdue(today: date) -> Counter[Blocker]:
    """Requests past their due date that no chaser can reach, counted by why (one query).

    The board's overdue requests (a stopped or paused clock has no due date to
    be past), grouped in SQL on the facts ``why_not_chased`` reads, so a
    million requests are a few dozen rows.
    """
    counts: Counter[Blocker] = Counter()
    rows = FoiRequest.objects.filter(board_q(today))
    grouped = rows.exclude(chaseable_q()).order_by().values(*FACT_FIELDS).annotate(n=Count("pk"))
    for row in grouped:
        blocker = why_not_chased(chase_facts(row), today)
        if blocker is not None:
            counts[blocker] += row["n"]
    return counts


def board_q(today: date, filters: Mapping | None = None) -> Q:
    """Overdue requests on the board: running clocks past their due date, held ones too."""
    filters = filters or {}
    q = Q(clock=ClockState.RUNNING.value, due_on__lt=today) & (Q(status__in=OPEN) | Q(on_hold=True))
    if filters.get("campaign"):
        q &= Q(campaign__slug=filters["campaign"])
    if filters.get("force"):
        q &= Q(force_id=filters["force"])
    if filters.get("hide_held"):
        q &= Q(on_hold=False)
    return q


def overdue_pairs(today: date, filters: Mapping | None = None) -> list[tuple[str, date]]:
    """The distinct (regime, due date) pairs on the board: one query, a few hundred rows."""
    return list(
        FoiRequest.objects.filter(board_q(today, filters))
        .order_by()
        .values_list("force__regime", "due_on")
        .distinct()
    )


def overdue_board(
    *,
    today: date,
    days_overdue: Mapping[tuple[str, date], int],
    stage_keys: list[str],
    filters: Mapping | None = None,
) -> QuerySet:
    """Overdue requests, most working days overdue first, with their last chaser.

    ``days_overdue`` maps each (regime, due date) pair from ``overdue_pairs``
    to its working days overdue, so the sort is exact across calendars and is
    done by the database (the page can be paginated).
    """
    chasers = OutboundMessage.objects.filter(request_id=OuterRef("pk"), kind=CHASER)
    latest = chasers.order_by("-created_at", "-pk")
    by_regime: dict[str, list[When]] = {}
    for (regime, due_on), n in days_overdue.items():
        by_regime.setdefault(regime, []).append(When(due_on=due_on, then=Value(n)))
    whens = [
        When(force__regime=regime, then=Case(*cases, default=Value(0)))
        for regime, cases in by_regime.items()
    ]
    return (
        FoiRequest.objects.filter(board_q(today, filters))
        .select_related("force", "campaign")
        .annotate(
            working_days_overdue=Case(*whens, default=Value(0), output_field=IntegerField()),
            last_chaser_stage=Subquery(latest.values("stage")[:1]),
            last_chaser_status=Subquery(latest.values("status")[:1]),
            last_chaser_on=Subquery(latest.values("due_for")[:1]),
            top_stage_sent=Subquery(
                chasers.filter(stage__in=stage_keys)
                .order_by()
                .values("request_id")
                .annotate(top=Max(Cast("stage", IntegerField())))
                .values("top")[:1]
            ),
        )
        .order_by("-working_days_overdue", "due_on", "force__name", "pk")
    )


@dataclass
class LeagueRow:
    force_id: str
    force_name: str
    requests: int = 0
    answered: int = 0
    on_time: int = 0
    late: int = 0
    still_overdue: int = 0
    median_working_days: float | None = None

    @property
    def share_on_time(self) -> float | None:
        judged = self.on_time + self.late + self.still_overdue
        return self.on_time / judged if judged else None


def league_table(
    *,
    start: date,
    end: date,
    today: date,
    calendars: Mapping[str, WorkingCalendar],
    campaign=None,
    requests: Q | None = None,
) -> list[LeagueRow]:
    """Forces by responsiveness for requests sent between ``start`` and ``end``: one query.

    Working days to respond run from receipt to the first response; a response
    is on time when it came by the due date in force at the time; an open
    request past its due date counts against the share on time. ``requests``
    (a Q over FoiRequest, e.g. ``request_q(user)``) narrows what is counted to
    what a user may see; it is a subquery, so the table stays one query.
    """
    qs = FoiRequest.objects.filter(sent_on__gte=start, sent_on__lte=end)
    if requests is not None:
        qs = qs.filter(requests)
    if campaign:
        qs = qs.filter(campaign__slug=campaign)
    rows = qs.values_list(
        "force_id",
        "force__name",
        "force__regime",
        "received_on",
        "due_on",
        "responded_on",
        "clock",
    )
    table: dict[str, LeagueRow] = {}
    days: dict[str, list[int]] = {}
    for force_id, name, regime, received, due, responded, clock in rows:
        row = table.setdefault(force_id, LeagueRow(force_id, name))
        row.requests += 1
        if responded is not None:
            row.answered += 1
            if received is not None:
                wd = calendars[regime].working_days_between(received, responded)
                days.setdefault(force_id, []).append(wd)
            if due is not None:
                if responded <= due:
                    row.on_time += 1
                else:
                    row.late += 1
        elif clock == ClockState.RUNNING.value and due is not None and due < today:
            row.still_overdue += 1
    for force_id, values in days.items():
        middle = median(values)  # a whole number of days shows as one: 12, not 12.0
        table[force_id].median_working_days = int(middle) if middle == int(middle) else middle
    return sorted(
        table.values(),
        key=lambda r: (
            -(r.share_on_time if r.share_on_time is not None else -1),
            r.median_working_days if r.median_working_days is not None else float("inf"),
            r.force_name,
        ),
    )
