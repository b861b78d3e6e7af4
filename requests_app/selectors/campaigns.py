"""The campaign board: one row per force, counts by phase, progress; a fixed number of queries.

A board costs three queries whatever the number of requests and events: the
requests with their force, live status and last event (subqueries), the
closure days of every regime (one calendar per regime, built in Python), and
the figures of each request (the replies app's reader, ``figures_column``). Working days
left are counted in Python from the stored, indexed ``due_on``, never with a
query per row.
"""

import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from foitracker.spreadsheets import write_rows
from requests_app.domain.board import PHASE_LABELS, Phase, phase_of, working_days_left
from requests_app.domain.calendar import Regime, WorkingCalendar, calendar_for
from requests_app.domain.lifecycle import RUNNING_STATUSES, Status
from requests_app.models import Campaign, ClosureDay, FoiRequest, RequestEvent

from .requests import with_live_status

#: The reader of the board's figures column: request ids -> {id: "216 approved, 3 waiting"}.
#: Figures are the replies app's, which plugs its reader in when it is ready
#: (``responses_app.apps``), so this app never imports it; without one the column says "—".
_figures_reader: list[Callable[[list[int]], dict[int, str]]] = []


def read_figures_with(reader: Callable[[list[int]], dict[int, str]]) -> None:
    """Set the reader of the board's figures column (one query for all the board's requests)."""
    _figures_reader[:] = [reader]


def figures_column(request_ids: list[int]) -> dict[int, str]:
    return _figures_reader[0](request_ids) if _figures_reader else {}


#: Board columns a user may sort by, and the row attribute each sorts on.
SORTS = {
    "force": "force_name",
    "status": "status",
    "sent": "sent_on",
    "due": "due_on",
    "left": "days_left",
    "last": "last_event_on",
    "outcome": "outcome",
}
SORT_LABELS = {
    "force": "Force",
    "status": "Status",
    "sent": "Sent",
    "due": "Due",
    "left": "Working days",
    "last": "Last event",
    "outcome": "Outcome",
}
CSV_COLUMNS = [
    "force_id",
    "force",
    "reference",
    "status",
    "phase",
    "sent_on",
    "channel",
    "due_on",
    "working_days_left",
    "last_event",
    "last_event_on",
    "outcome",
    "exemptions",
    "force_reference",
    "figures",
]


def calendars() -> dict[str, WorkingCalendar]:
    """Every regime's calendar with the administrators' closure days, from one query."""
    added: dict[str, dict[date, str]] = {r.value: {} for r in Regime}
    removed: dict[str, list[date]] = {r.value: [] for r in Regime}
    for row in ClosureDay.objects.only("regime", "date", "action", "reason"):
        if row.action == ClosureDay.Action.ADDED:
            added[row.regime][row.date] = row.reason
        else:
            removed[row.regime].append(row.date)
    return {
        r.value: calendar_for(r, added=added[r.value], removed=removed[r.value]) for r in Regime
    }


@dataclass
class BoardRow:
    request_id: int
    reference: str
    force_id: str
    force_name: str
    status: str
    phase: Phase
    sent_on: date | None
    channel: str
    due_on: date | None
    days_left: int | None  # negative = working days overdue; None when no clock runs
    last_event: str
    last_event_on: date | None
    outcome: str
    exemptions: list[str]
    force_reference: str
    figures: str = "—"

    @property
    def urgency(self) -> str:
        """For colour (the words say the same): ok, soon, overdue, very_overdue, or ""."""
        if self.days_left is None:
            return ""
        if self.phase is Phase.VERY_OVERDUE:
            return "very_overdue"
        if self.days_left < 0:
            return "overdue"
        return "soon" if self.days_left <= 5 else "ok"

    def as_dict(self) -> dict:
        return {
            "request": self.request_id,
            "reference": self.reference,
            "force_id": self.force_id,
            "force": self.force_name,
            "status": self.status,
            "phase": self.phase.value,
            "sent_on": self.sent_on.isoformat() if self.sent_on else None,
            "channel": self.channel,
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "working_days_left": self.days_left,
            "last_event": self.last_event,
            "last_event_on": self.last_event_on.isoformat() if self.last_event_on else None,
            "outcome": self.outcome,
            "exemptions": self.exemptions,
            "force_reference": self.force_reference,
            "figures": self.figures,
        }


@dataclass
class Board:
    campaign: Campaign
    today: date
    rows: list[BoardRow]
    counts: dict[Phase, int] = field(default_factory=dict)
    total: int = 0
    sent: int = 0
    responded: int = 0

    @property
    def progress(self) -> str:
        return f"{self.responded} of {self.total} responded"

    @property
    def percent(self) -> int:
        return round(100 * self.responded / self.total) if self.total else 0

    def phase_counts(self) -> list[tuple[str, str, int]]:
        """(phase, label, count) for every phase, in the board's order."""
        return [(p.value, PHASE_LABELS[p], self.counts.get(p, 0)) for p in Phase]

    def as_dict(self) -> dict:
        return {
            "campaign": self.campaign.slug,
            "today": self.today.isoformat(),
            "total": self.total,
            "sent": self.sent,
            "responded": self.responded,
            "progress": self.progress,
            "counts": {p: n for p, _, n in self.phase_counts()},
            "rows": [r.as_dict() for r in self.rows],
        }


def board_queryset(campaign: Campaign, today: date) -> QuerySet:
    events = RequestEvent.objects.filter(request=OuterRef("pk"))
    last = events.exclude(kind="note").order_by("-on", "-id")
    sent = events.filter(kind="sent").order_by("on", "id")
    return with_live_status(
        FoiRequest.objects.filter(campaign=campaign).select_related("force"), today
    ).annotate(
        last_kind=Subquery(last.values("kind")[:1]),
        last_on=Subquery(last.values("on")[:1]),
        sent_channel=Subquery(sent.values("channel")[:1]),
    )


def campaign_board(
    campaign: Campaign,
    *,
    today: date,
    phase: str = "",
    q: str = "",
    sort: str = "force",
) -> Board:
    """The board of ``campaign`` as of ``today``; counts are over all rows, before filtering."""
    cals = calendars()
    requests = list(board_queryset(campaign, today).order_by("force__name"))
    figures = figures_column([r.pk for r in requests])
    rows = []
    for r in requests:
        left = None
        if r.live_status in {s.value for s in RUNNING_STATUSES} and r.due_on:
            left = working_days_left(cals[r.force.regime], r.due_on, today)
        rows.append(
            BoardRow(
                request_id=r.pk,
                reference=r.reference,
                force_id=r.force_id,
                force_name=r.force.name,
                status=r.live_status,
                phase=phase_of(r.live_status),
                sent_on=r.sent_on,
                channel=r.sent_channel or "",
                due_on=r.due_on,
                days_left=left,
                last_event=(r.last_kind or "").replace("_", " "),
                last_event_on=r.last_on,
                outcome=r.outcome,
                exemptions=list(r.exemptions or []),
                force_reference=r.force_reference,
                figures=figures.get(r.pk, "—"),
            )
        )
    board = Board(campaign=campaign, today=today, rows=rows)
    board.counts = Counter(row.phase for row in rows)
    board.total = len(rows)
    board.sent = sum(1 for r in requests if r.sent_on)
    board.responded = sum(1 for r in requests if r.responded_on)
    board.rows = sort_rows(filter_rows(rows, phase=phase, q=q), sort)
    return board


def filter_rows(rows: list[BoardRow], *, phase: str = "", q: str = "") -> list[BoardRow]:
    if phase:
        rows = [r for r in rows if r.phase.value == phase]
    if q:
        term = q.strip().lower()
        rows = [
            r
            for r in rows
            if term in r.force_name.lower()
            or term in r.force_id
            or term in r.reference.lower()
            or term in r.force_reference.lower()
        ]
    return rows


def sort_rows(rows: list[BoardRow], sort: str) -> list[BoardRow]:
    """Sort by a SORTS key ("-" first for descending); empty values always go last."""
    descending = sort.startswith("-")
    attr = SORTS.get(sort.lstrip("-"), "force_name")
    present = [r for r in rows if getattr(r, attr) not in (None, "")]
    missing = [r for r in rows if getattr(r, attr) in (None, "")]
    present.sort(key=lambda r: (getattr(r, attr), r.force_name), reverse=descending)
    return present + sorted(missing, key=lambda r: r.force_name)


def board_csv(board: Board) -> str:
    """The board as CSV, through the one spreadsheet writer (text that would start a
    formula in a spreadsheet, such as a portal reference ``=HYPERLINK(...)``, is neutralised)."""
    out = io.StringIO()
    values = (
        dict(
            zip(
                CSV_COLUMNS,
                [
                    row.force_id,
                    row.force_name,
                    row.reference,
                    row.status,
                    row.phase.value,
                    row.sent_on,
                    row.channel,
                    row.due_on,
                    row.days_left,
                    row.last_event,
                    row.last_event_on,
                    row.outcome,
                    " ".join(row.exemptions),
                    row.force_reference,
                    row.figures,
                ],
                strict=True,
            )
        )
        for row in board.rows
    )
    write_rows(out, CSV_COLUMNS, values)
    return out.getvalue()


def campaign_list() -> QuerySet:
    """Campaigns with their request, sent and responded counts (one query)."""
    return (
        Campaign.objects.select_related("owner")
        .annotate(
            request_count=Count("requests"),
            sent_count=Count("requests", filter=Q(requests__sent_on__isnull=False)),
            responded_count=Count("requests", filter=Q(requests__responded_on__isnull=False)),
            draft_count=Count("requests", filter=Q(requests__status=Status.DRAFT.value)),
        )
        .order_by("-created_at", "-id")
    )
