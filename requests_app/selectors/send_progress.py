"""How far a campaign's email send has gone, for the board's progress panel: two queries.

The counts come from the outbox, one row per emailed request (the request's
row of kind ``request``): sent, failed (a refused address, too many attempts),
needs attention (a run stopped while sending it), being sent, and still to
go (a ``pending`` row, or an unsent request with a usable address and no row
yet). The campaign's latest ``SendRun`` rows say whether a worker is on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, FilteredRelation, Q
from django.utils import timezone

from requests_app.domain.progress import elapsed_text, plural
from requests_app.models import Campaign, OutboundMessage, SendRun
from requests_app.models.send_runs import SEND_TIME_LIMIT_SECONDS
from requests_app.services.outbox import stale_after
from requests_app.services.preflight import NEEDS_ATTENTION, REQUEST_KIND

Row = OutboundMessage.Status
Run = SendRun.Status
#: A run neither finished nor heard of for this long has stopped (its worker was killed).
RUN_GIVES_UP = timedelta(seconds=SEND_TIME_LIMIT_SECONDS + 300)
RUNS_LOOKED_AT = 10

QUEUED, RUNNING, FINISHED, STOPPED = "queued", "running", "finished", "stopped"


@dataclass(frozen=True)
class SendProgress:
    state: str  # "" (no send was ever asked for), queued, running, finished or stopped
    sent: int = 0
    failed: int = 0
    needs_attention: int = 0
    sending: int = 0
    queued: int = 0
    interrupted: str = ""
    asked_at: datetime | None = None
    now: datetime | None = None

    @property
    def total(self) -> int:
        return self.sent + self.failed + self.needs_attention + self.sending + self.queued

    @property
    def done(self) -> bool:
        return self.state not in (QUEUED, RUNNING)

    @property
    def attention(self) -> int:
        return self.failed + self.needs_attention

    @property
    def percent(self) -> int:
        return round(100 * self.sent / self.total) if self.total else 100

    @property
    def message(self) -> str:
        emailed = f"{self.sent} of {plural(self.total, 'request')} emailed"
        attention = f"{self.attention} need{'s' if self.attention == 1 else ''} attention"
        if self.state == QUEUED:
            return f"Waiting for a worker to start the send: {emailed}, {self.queued} to go."
        if self.state == RUNNING:
            parts = [f"Sending: {emailed}"]
            if self.attention:
                parts.append(attention)
            parts.append(f"{self.queued + self.sending} to go.")
            return ", ".join(parts)
        if self.state == STOPPED:
            return (
                f"The send stopped before it finished (its worker gave no word): {emailed}. "
                "Open the send page to resume."
            )
        if self.interrupted:
            return f"The send stopped: {self.interrupted}. {emailed}; send again to resume."
        text = f"Sending finished: {emailed}."
        return f"{text} {attention}: see the send page." if self.attention else text

    @property
    def elapsed(self) -> str:
        """How long the send has been waiting (apart from ``message``, which is read out)."""
        if self.state != QUEUED or self.asked_at is None:
            return ""
        return f"Asked for {elapsed_text((self.now - self.asked_at).total_seconds())} ago."

    def as_dict(self) -> dict:
        return {
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "sent": self.sent,
            "failed": self.failed,
            "needs_attention": self.needs_attention,
            "sending": self.sending,
            "queued": self.queued,
            "percent": self.percent,
            "interrupted": self.interrupted,
            "message": self.message,
            "elapsed": self.elapsed,
        }


def outbox_counts(campaign: Campaign, *, now: datetime | None = None) -> dict[str, int]:
    """The campaign's requests counted by their email's state (one query)."""
    stale_before = (now or timezone.now()) - stale_after()
    unsent = Q(sent_on__isnull=True)
    usable = ~Q(force__foi_email="") & Q(force__foi_email_broken=False)
    attention = Q(row__status=Row.FAILED, row__last_error=NEEDS_ATTENTION) | Q(
        row__status=Row.SENDING, row__claimed_at__lt=stale_before
    )
    return campaign.requests.annotate(
        row=FilteredRelation(
            "outbound", condition=Q(outbound__kind=REQUEST_KIND, outbound__stage="")
        )
    ).aggregate(
        sent=Count("pk", filter=Q(row__status=Row.SENT)),
        failed=Count("pk", filter=unsent & Q(row__status=Row.FAILED) & ~attention),
        needs_attention=Count("pk", filter=unsent & attention),
        sending=Count("pk", filter=unsent & Q(row__status=Row.SENDING) & ~attention),
        queued=Count(
            "pk", filter=unsent & (Q(row__status=Row.PENDING) | (Q(row__id__isnull=True) & usable))
        ),
    )


def _state(runs: list[SendRun], now: datetime) -> tuple[str, SendRun | None]:
    if not runs:
        return "", None
    live = [r for r in runs if r.status != Run.FINISHED and r.created_at >= now - RUN_GIVES_UP]
    if live:
        running = [r for r in live if r.status == Run.RUNNING]
        return (RUNNING, running[0]) if running else (QUEUED, live[-1])
    latest = runs[0]
    return (FINISHED if latest.status == Run.FINISHED else STOPPED), latest


def send_progress(campaign: Campaign, *, now: datetime | None = None) -> SendProgress:
    """The campaign's send as it stands: state of its latest runs and the outbox counts."""
    now = now or timezone.now()
    runs = list(
        SendRun.objects.filter(campaign=campaign)
        .only("status", "interrupted", "created_at")
        .order_by("-created_at", "-pk")[:RUNS_LOOKED_AT]
    )
    state, run = _state(runs, now)
    if run is None:
        return SendProgress(state="", now=now)
    return SendProgress(
        state=state,
        interrupted=run.interrupted,
        asked_at=run.created_at,
        now=now,
        **outbox_counts(campaign, now=now),
    )
