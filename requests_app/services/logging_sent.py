"""Record requests as sent without emailing them: via a portal, by post, or by hand.

Many forces only take requests through their web portal; the researcher
submits there and logs it here with the date and the force's reference, one
at a time or in bulk: from a CSV of ``force id,date,reference`` (the page and
the command) or a list of rows (the API). A bulk log is all or nothing: if any
line is wrong, every error is reported with its line number and field, and
nothing is written.
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction

from requests_app.domain.dates import event_date_problem
from requests_app.domain.lifecycle import Channel, EventKind, EventRejected
from requests_app.models import Campaign, FoiRequest, OutboundMessage, RequestEvent

from .events import EventInput, record_event
from .state import today

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
CHANNELS = [c.value for c in Channel]


@dataclass(frozen=True)
class LineProblem:
    """What is wrong with one line of a bulk log, and in which of its fields.

    ``field`` is ``force``, ``date`` or ``reference``, or "" for the line as a whole
    (or, with no ``line``, for the input as a whole).
    """

    line: int | None
    field: str
    message: str
    force_id: str = ""
    unit: str = "line"

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        where = f"{self.unit} {self.line}" + (f" ({self.force_id})" if self.force_id else "")
        return f"{where}: {self.message}"


class BulkRejected(ValueError):
    """Some lines of a bulk log are wrong; nothing was written.

    ``problems`` says which line and field and why; ``errors`` is the same as sentences.
    """

    def __init__(self, problems: list[LineProblem]) -> None:
        self.problems = list(problems)
        self.errors = [str(p) for p in self.problems]
        super().__init__(f"{len(self.errors)} problem(s): " + "; ".join(self.errors))


class NotSendable(EventRejected):
    """The request itself cannot be logged as sent (already sent, or being emailed now)."""


@dataclass(frozen=True)
class SentLine:
    line: int
    force_id: str
    on: date
    reference: str


#: The longest force reference stored.
MAX_REFERENCE = RequestEvent._meta.get_field("force_reference").max_length


def parse_date(text: str) -> date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{text.strip()!r} is not a date: use YYYY-MM-DD (or DD/MM/YYYY)")


def _check_channel(channel: str) -> str:
    if channel not in CHANNELS:
        raise EventRejected(f"{channel!r} is not a channel: use {', '.join(CHANNELS)}.")
    return channel


def _cancel_queued_email(request: FoiRequest, channel: str) -> None:
    """A queued email must not go out after the request was sent another way."""
    row = OutboundMessage.objects.filter(
        request=request, kind=OutboundMessage.Kind.REQUEST, stage=""
    ).first()
    if row is None:
        return
    if row.status == OutboundMessage.Status.SENDING:
        raise NotSendable(
            f"{request.reference} is being emailed right now; wait for the send to finish."
        )
    if row.status == OutboundMessage.Status.PENDING:
        row.status = OutboundMessage.Status.FAILED
        row.last_error = f"Cancelled: the request was logged as sent by {channel}."
        row.save(update_fields=["status", "last_error"])


@transaction.atomic
def mark_sent(
    *, request: FoiRequest, on: date, channel: str, reference: str = "", user=None, note: str = ""
) -> RequestEvent:
    """Record that ``request`` was sent on ``on`` by ``channel`` (raises EventRejected)."""
    _check_channel(channel)
    if request.sent_on is not None:
        raise NotSendable(
            f"{request.reference} was already sent on {request.sent_on}; it is sent only once."
        )
    _cancel_queued_email(request, channel)
    return record_event(
        request=request,
        data=EventInput(
            EventKind.SENT.value,
            on,
            channel=channel,
            force_reference=reference.strip(),
            note=note or f"Logged as sent by {channel}.",
        ),
        user=user,
    )


@transaction.atomic
def mark_campaign_sent(
    *,
    campaign: Campaign,
    on: date,
    channel: str,
    force_ids: list[str] | None = None,
    reference: str = "",
    user=None,
) -> list[RequestEvent]:
    """Mark the campaign's unsent requests (or those of ``force_ids``) as sent, all or nothing."""
    _check_channel(channel)
    qs = campaign.requests.select_related("force").order_by("force__name")
    if force_ids:
        found = dict(qs.filter(force_id__in=force_ids).values_list("force_id", "pk"))
        missing = [f for f in force_ids if f not in found]
        if missing:
            raise EventRejected(
                f"No request to {', '.join(missing)} in the campaign {campaign.slug}."
            )
        qs = qs.filter(force_id__in=force_ids)
    else:
        qs = qs.filter(sent_on__isnull=True)
    events = []
    for request in qs:
        events.append(
            mark_sent(request=request, on=on, channel=channel, reference=reference, user=user)
        )
    return events


def parse_sent_csv(text: str) -> tuple[list[SentLine], list[LineProblem]]:
    """The lines of a ``force id,date,reference`` CSV and the problems found in it."""
    lines, problems = [], []
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    for number, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if number == 1 and cells[0].lower().replace("_", " ") in ("force", "force id"):
            continue  # a header row
        if len(cells) < 2 or len(cells) > 3:
            problems.append(
                LineProblem(
                    number, "", f"expected 'force id,date,reference', found {len(cells)} column(s)"
                )
            )
            continue
        force_id, raw_date = cells[0], cells[1]
        try:
            on = parse_date(raw_date)
        except ValueError as exc:
            problems.append(LineProblem(number, "date", str(exc), force_id))
            continue
        problem = event_date_problem(on, today())
        if problem:
            problems.append(LineProblem(number, "date", problem, force_id))
            continue
        lines.append(SentLine(number, force_id, on, cells[2] if len(cells) == 3 else ""))
    if not lines and not problems:
        problems.append(
            LineProblem(
                None, "", "The CSV has no lines: give one 'force id,date,reference' line per force."
            )
        )
    return lines, problems


def mark_sent_from_csv(
    *, campaign: Campaign, text: str, channel: str = Channel.PORTAL.value, user=None
) -> list[RequestEvent]:
    """Log many requests as sent from CSV text; BulkRejected (nothing written) if a line is bad."""
    lines, problems = parse_sent_csv(text)
    return mark_sent_lines(
        campaign=campaign, lines=lines, channel=channel, user=user, problems=problems
    )


@transaction.atomic
def mark_sent_lines(
    *,
    campaign: Campaign,
    lines: Sequence[SentLine],
    channel: str = Channel.PORTAL.value,
    user=None,
    problems: Sequence[LineProblem] = (),
    unit: str = "line",
) -> list[RequestEvent]:
    """Log each line's force as sent on its date with its reference: all or nothing.

    ``problems`` are those already found while reading the input (a bad date, a
    missing column); they are reported with the ones found here, so one attempt
    lists everything wrong. Raises BulkRejected (nothing written) if there are any.
    ``unit`` names a line in the messages ("line" of a CSV, "row" of a list).
    """
    _check_channel(channel)
    problems = list(problems)
    requests = {
        r.force_id: r for r in campaign.requests.select_related("force").order_by("force__name")
    }
    seen: dict[str, int] = {}
    events = []

    def problem(item: SentLine, field: str, message: str) -> None:
        problems.append(LineProblem(item.line, field, message, item.force_id, unit))

    for item in lines:
        if item.force_id in seen:
            problem(item, "force", f"the force is already on {unit} {seen[item.force_id]}")
            continue
        seen[item.force_id] = item.line
        request = requests.get(item.force_id)
        if request is None:
            problem(item, "force", f"no request to this force in the campaign {campaign.slug}")
            continue
        if len(item.reference.strip()) > MAX_REFERENCE:
            problem(item, "reference", f"the reference is longer than {MAX_REFERENCE} characters")
            continue
        try:
            with transaction.atomic():
                events.append(
                    mark_sent(
                        request=request,
                        on=item.on,
                        channel=channel,
                        reference=item.reference,
                        user=user,
                    )
                )
        except NotSendable as exc:
            problem(item, "force", str(exc))
        except EventRejected as exc:  # the clock refuses the date
            problem(item, "date", str(exc))
    if problems:
        problems.sort(key=lambda p: -1 if p.line is None else p.line)
        raise BulkRejected(problems)
    return events
