"""Send a campaign's unsent requests by email: throttled, resumable, at most once per force.

The outbox engine, and why a request is sent at most once while chasers are
sent at least once, are ``services/outbox.py``. The initial request of a
request is the row (request, kind ``request``, stage ``""``), and the unique
constraint lets only one such row exist. For each request:

1. **Claim** (one transaction): lock the request, check it is still unsent,
   then insert its outbox row as ``sending`` under the unique constraint, or
   take over a ``pending`` row left by an earlier run with a conditional
   UPDATE (``WHERE status = 'pending'``). Only the run that inserted or
   updated the row sends it; a second run, however it interleaves, sees the
   row and leaves it alone.
2. **Send** through Django's email backend (SMTP in production), one
   connection per run, at most ``settings.SEND_RATE_PER_MINUTE`` a minute.
3. **Mark** (a second transaction): the row ``sent``, the Message-ID stored
   on the request, and the SENT event (channel email) on its timeline.

What a crash leaves and what a re-run does (the choice made here):

- ``pending``: the backend raised before the server accepted the message
  (connection refused, a 4xx, a timeout). The row goes back to ``pending``,
  the run stops (a broken connection would fail every message), and the next
  run sends it again with the same Message-ID. After ``MAX_ATTEMPTS`` it
  becomes ``failed`` instead. A refused recipient (a bad address) is
  ``failed`` at once and the run goes on.
- ``sending`` claimed less than ``SEND_STALE_AFTER_MINUTES`` ago: another
  run may be in the middle of it; it is left alone and reported as in progress.
- ``sending`` claimed longer ago: a process died between claim and mark,
  either during the SMTP conversation or after the server accepted the
  message but before we recorded it. An SMTP server cannot be asked
  afterwards whether it accepted a message, so sending again could put a
  second copy in the force's inbox, and a duplicate FOI request is worse
  than a late one (the force may treat it as a repeat, s.14). We choose
  **at most once**: the row becomes ``failed`` ("needs attention") and is
  never re-sent automatically. The send page and ``preflight`` list it; a
  person checks (the mail server's log or sent folder by its Message-ID, or
  an acknowledgement from the force) and either confirms it went
  (``confirm_delivered``) or releases it for another attempt (``retry_failed``).

Forces without a usable FOI address are never emailed: ``preflight``
(services/preflight.py) sorts them, before anything is sent, into "log via
portal" (they have a portal) and "unreachable" (no address and no portal).
Pages, the API and the CLI all call ``preflight`` and ``send_campaign``.
"""

import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from requests_app.domain.lifecycle import Channel, EventKind, EventRejected
from requests_app.models import Campaign, FoiRequest, OutboundMessage

from .addresses import reply_address
from .events import EventInput, record_event
from .outbox import POLICIES, email_for, give_back, new_message_id, stale_after, take
from .preflight import (
    NEEDS_ATTENTION,
    REQUEST_KIND,
    Preflight,
    PreflightRow,
    Status,
    preflight,
    usable_email,
)
from .state import today

__all__ = [
    "NEEDS_ATTENTION",
    "Preflight",
    "PreflightRow",
    "SendRejected",
    "SendReport",
    "claim",
    "confirm_delivered",
    "mark_delivered",
    "preflight",
    "retry_failed",
    "send_campaign",
]

MAX_ATTEMPTS = POLICIES[REQUEST_KIND].max_attempts


class SendRejected(ValueError):
    """A decision about an outbox row that does not apply to it; the message says why."""


def subject_for(request: FoiRequest) -> str:
    return f"Freedom of Information request: {request.subject} (our ref. {request.reference})"


# -- sending -----------------------------------------------------------------


@dataclass
class SendReport:
    sent: list[str] = field(default_factory=list)  # references
    failed: list[tuple[str, str]] = field(default_factory=list)  # (reference, why)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (reference, why)
    interrupted: str = ""  # the error that stopped the run, if one did

    def as_dict(self) -> dict:
        return {
            "sent": self.sent,
            "failed": [{"reference": r, "error": e} for r, e in self.failed],
            "skipped": [{"reference": r, "reason": e} for r, e in self.skipped],
            "interrupted": self.interrupted,
        }


class Throttle:
    """At most ``per_minute`` calls to ``wait`` a minute (0 or less: no limit)."""

    def __init__(self, per_minute: int, *, clock=time.monotonic, sleep=time.sleep) -> None:
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self.clock, self.sleep, self.last = clock, sleep, None

    def wait(self) -> None:
        if self.interval and self.last is not None:
            pause = self.last + self.interval - self.clock()
            if pause > 0:
                self.sleep(pause)
        self.last = self.clock()


def _new_row(req: FoiRequest, now) -> OutboundMessage:
    return OutboundMessage.objects.create(
        request=req,
        kind=REQUEST_KIND,
        stage="",
        to_address=usable_email(req.force),
        from_address=settings.DEFAULT_FROM_EMAIL,
        reply_to=reply_address(req.reply_token),
        subject=subject_for(req),
        body=req.body,
        message_id=new_message_id(),
        status=Status.SENDING,
        attempts=1,
        claimed_at=now,
    )


@transaction.atomic
def claim(request_id: int) -> tuple[OutboundMessage | None, str]:
    """Own the request's outbox row (status ``sending``), or (None, why not)."""
    now = timezone.now()
    req = (
        FoiRequest.objects.select_for_update(of=("self",))
        .select_related("force")
        .get(pk=request_id)
    )
    if req.sent_on is not None:
        return None, f"already sent on {req.sent_on}"
    row = OutboundMessage.objects.filter(request=req, kind=REQUEST_KIND, stage="").first()
    if row is None:
        if not usable_email(req.force):
            return None, "no usable FOI email address"
        try:
            with transaction.atomic():
                return _new_row(req, now), ""
        except IntegrityError:
            row = OutboundMessage.objects.get(request=req, kind=REQUEST_KIND, stage="")
    if row.status == Status.PENDING:
        if take(row.pk, REQUEST_KIND, now):
            row.refresh_from_db()
            return row, ""
        return None, "claimed by another run"
    if row.status == Status.SENDING:
        if row.claimed_at and row.claimed_at < now - stale_after():
            OutboundMessage.objects.filter(pk=row.pk, status=Status.SENDING).update(
                status=Status.FAILED, last_error=NEEDS_ATTENTION
            )
            return None, "needs attention: a run stopped while sending it"
        return None, "being sent by another run"
    if row.status == Status.SENT:
        return None, "already emailed"
    return None, f"needs attention: {row.last_error or 'failed'}"


@transaction.atomic
def mark_delivered(row: OutboundMessage, *, on: date | None = None, user=None) -> None:
    """The row sent, the Message-ID on the request, the SENT event on its timeline."""
    on = on or today()
    row = (
        OutboundMessage.objects.select_for_update(of=("self",))
        .select_related("request")
        .get(pk=row.pk)
    )
    row.status, row.sent_at, row.last_error = Status.SENT, timezone.now(), ""
    row.save(update_fields=["status", "sent_at", "last_error"])
    req = row.request
    req.message_id = row.message_id
    req.save(update_fields=["message_id"])
    note = f"Emailed to {row.to_address}; Message-ID {row.message_id}"
    try:
        record_event(
            request=req,
            data=EventInput(EventKind.SENT.value, on, channel=Channel.EMAIL.value, note=note),
            user=user,
        )
    except EventRejected as exc:  # logged as sent another way while the email was going out
        record_event(
            request=req,
            data=EventInput(EventKind.NOTE.value, on, note=f"{note} ({exc})"),
            user=user,
        )


def send_campaign(
    campaign: Campaign,
    *,
    user=None,
    on: date | None = None,
    connection=None,
    rate_per_minute: int | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[str, str], None] | None = None,
) -> SendReport:
    """Email every unsent request of ``campaign`` that has a usable FOI address."""
    plan = preflight(campaign)
    report = SendReport()
    rate = settings.SEND_RATE_PER_MINUTE if rate_per_minute is None else rate_per_minute
    throttle = Throttle(rate, clock=clock, sleep=sleep)
    connection = connection or get_connection()
    try:
        connection.open()
    except Exception as exc:  # the mail server is down: nothing was claimed
        report.interrupted = f"Could not connect to the mail server: {type(exc).__name__}: {exc}"
        return report
    try:
        # Rows in progress or needing attention are claimed too, only to be told why not
        # (and a stale ``sending`` row is turned into "needs attention" on the way).
        for item in plan.in_progress + plan.needs_attention + plan.by_email:
            row, why = claim(item.request_id)
            if row is None:
                report.skipped.append((item.reference, why))
                continue
            throttle.wait()
            try:
                email_for(row, connection).send()
            except smtplib.SMTPRecipientsRefused as exc:
                give_back(row, exc, final=True)
                report.failed.append((item.reference, f"address refused: {exc}"))
                continue
            except Exception as exc:
                give_back(row, exc)
                report.interrupted = f"{item.reference}: {type(exc).__name__}: {exc}"
                break
            mark_delivered(row, on=on, user=user)
            report.sent.append(item.reference)
            if progress:
                progress(item.reference, row.to_address)
    finally:
        connection.close()
    return report


# -- a person's decisions about a failed row ---------------------------------


def _failed_row(outbound_id: int) -> OutboundMessage:
    row = (
        OutboundMessage.objects.select_for_update(of=("self",))
        .select_related("request")
        .filter(pk=outbound_id, kind=REQUEST_KIND)
        .first()
    )
    if row is None:
        raise SendRejected(f"There is no request email with id {outbound_id}.")
    stale = row.status == Status.SENDING and row.claimed_at < timezone.now() - stale_after()
    if row.status != Status.FAILED and not stale:
        raise SendRejected(f"The message to {row.to_address} is {row.status}, not failed.")
    if row.request.sent_on is not None:
        raise SendRejected(f"{row.request.reference} was already sent on {row.request.sent_on}.")
    return row


@transaction.atomic
def retry_failed(*, outbound_id: int) -> OutboundMessage:
    """Release a failed message for the next send run (after a person checked it did not go)."""
    row = _failed_row(outbound_id)
    row.status, row.attempts = Status.PENDING, 0
    row.save(update_fields=["status", "attempts"])
    return row


@transaction.atomic
def confirm_delivered(*, outbound_id: int, on: date, user=None) -> OutboundMessage:
    """Record a failed message as sent on ``on`` (a person found it was delivered)."""
    row = _failed_row(outbound_id)
    mark_delivered(row, on=on, user=user)
    row.refresh_from_db()
    return row
