"""The clock's vocabulary: event kinds, statuses, the event and state records.

Kept apart from ``lifecycle`` (the rules) so that models, forms and the API can
name a status or an event kind without reading the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = [
    "ANSWERED_STATUSES",
    "FINAL_STATUSES",
    "RUNNING_STATUSES",
    "Channel",
    "ClockPolicy",
    "ClockState",
    "Event",
    "EventKind",
    "EventRejected",
    "Outcome",
    "RequestState",
    "Status",
    "event_label",
]


class EventKind(StrEnum):
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    CLARIFICATION_REQUESTED = "clarification_requested"
    CLARIFICATION_SENT = "clarification_sent"
    FEES_NOTICE = "fees_notice"
    FEE_PAID = "fee_paid"
    EXTENSION = "extension"
    RESPONSE = "response"
    REVIEW_REQUESTED = "review_requested"
    REVIEW_RESPONSE = "review_response"
    ICO_COMPLAINT = "ico_complaint"
    DECISION_NOTICE = "decision_notice"
    WITHDRAWN = "withdrawn"
    HELD = "held"
    RESUMED = "resumed"
    CHASER = "chaser"
    NOTE = "note"


#: Words for event kinds where the id capitalised would be wrong ("Ico complaint").
_EVENT_LABELS = {EventKind.ICO_COMPLAINT: "ICO complaint"}


def event_label(kind: str) -> str:
    """An event kind in words: "Review requested", "ICO complaint"."""
    try:
        return _EVENT_LABELS[EventKind(kind)]
    except (KeyError, ValueError):
        return kind.replace("_", " ").capitalize()


class Channel(StrEnum):
    EMAIL = "email"
    PORTAL = "portal"
    POST = "post"


class Outcome(StrEnum):
    FULL = "full"
    PARTIAL = "partial"
    REFUSED = "refused"
    NOT_HELD = "not_held"


class Status(StrEnum):
    DRAFT = "draft"
    AWAITING = "awaiting"
    CLARIFICATION = "clarification"
    FEES = "fees"
    FEE_LAPSED = "fee_lapsed"
    OVERDUE = "overdue"
    VERY_OVERDUE = "very_overdue"
    RESPONDED = "responded"
    PARTIAL = "partial"
    REFUSED = "refused"
    NOT_HELD = "not_held"
    IN_REVIEW = "in_review"
    REVIEW_OVERDUE = "review_overdue"
    REVIEWED = "reviewed"
    WITH_COMMISSIONER = "with_commissioner"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    ON_HOLD = "on_hold"


class ClockState(StrEnum):
    NOT_STARTED = "not_started"
    RUNNING = "running"
    STOPPED = "stopped"  # waiting for clarification (s.1(3))
    PAUSED = "paused"  # waiting for a fee (s.10(2))
    ENDED = "ended"  # answered, withdrawn, lapsed or closed


#: The one definition of each group of statuses; import these, do not re-list them.
#: A hold shows as ON_HOLD only over a running status: that is what chasers skip.
RUNNING_STATUSES = frozenset({Status.AWAITING, Status.OVERDUE, Status.VERY_OVERDUE})
ANSWERED_STATUSES = frozenset({Status.RESPONDED, Status.PARTIAL, Status.REFUSED, Status.NOT_HELD})
FINAL_STATUSES = frozenset({Status.CLOSED, Status.WITHDRAWN, Status.FEE_LAPSED})


@dataclass(frozen=True)
class Event:
    """Something that happened to a request, on a calendar day."""

    kind: EventKind
    on: date
    channel: Channel | None = None
    outcome: Outcome | None = None
    exemptions: tuple[str, ...] = ()
    extended_to: date | None = None
    extension_days: int | None = None

    def __post_init__(self) -> None:
        """Accept the stored strings ("fee_paid", "post") as well as the enums."""
        object.__setattr__(self, "kind", EventKind(self.kind))
        if self.channel is not None:
            object.__setattr__(self, "channel", Channel(self.channel))
        if self.outcome is not None:
            object.__setattr__(self, "outcome", Outcome(self.outcome))
        object.__setattr__(self, "exemptions", tuple(self.exemptions))


@dataclass(frozen=True)
class ClockPolicy:
    """The periods, named so a deployment can follow a different reading where practice varies."""

    #: False = the 2018 s.45 Code reading: arriving on a non-working day means
    #: received on the next working day (one day more).
    arrival_day_is_day_zero: bool = True
    post_receipt_working_days: int = 2
    response_working_days: int = 20
    very_overdue_working_days: int = 20
    review_request_working_days: int = 40
    review_response_working_days: int = 20
    commissioner_weeks: int = 6
    foisa_appeal_months: int = 6
    fee_lapse_months: int = 3


@dataclass(frozen=True)
class RequestState:
    """Everything a page, chaser or export needs to know about a request's clock."""

    status: Status
    clock: ClockState
    received_on: date | None = None
    due_on: date | None = None  # None while stopped or paused: the date is not yet known
    working_days_left: int | None = None  # negative = working days overdue
    overdue: bool = False
    very_overdue: bool = False
    very_overdue_on: date | None = None  # very overdue from the day after, as with due_on
    responded_on: date | None = None  # the first response
    outcome: Outcome | None = None  # the latest answer's
    exemptions: tuple[str, ...] = ()
    extended: bool = False
    paused_working_days: int = 0
    review_requested_on: date | None = None
    review_due_on: date | None = None
    last_day_to_request_review: date | None = None
    last_day_to_complain: date | None = None
    on_hold: bool = False
    explanation: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # events skipped because the rules reject them


class EventRejected(ValueError):
    """An event the rules do not allow here; the message says what and where, in plain English."""

    def __init__(self, message: str, event: Event | None = None, reason: str = "") -> None:
        super().__init__(message)
        self.event = event
        self.reason = reason or message  # the message without the event's name and date
