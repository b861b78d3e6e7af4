"""The campaign board's vocabulary: which phase each status belongs to, days left.

Pure: the board selector, its CSV, the CLI's ``campaign status`` and the API
all group statuses through ``phase_of`` rather than re-listing them.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from .calendar import WorkingCalendar
from .lifecycle import Status

__all__ = ["PHASE_LABELS", "Phase", "phase_of", "working_days_left"]


class Phase(StrEnum):
    NOT_SENT = "not_sent"
    AWAITING = "awaiting"
    OVERDUE = "overdue"
    VERY_OVERDUE = "very_overdue"
    CLARIFICATION = "clarification"
    RESPONDED = "responded"
    REFUSED = "refused"
    IN_REVIEW = "in_review"
    COMPLETE = "complete"


PHASE_LABELS = {
    Phase.NOT_SENT: "Not sent",
    Phase.AWAITING: "Awaiting",
    Phase.OVERDUE: "Overdue",
    Phase.VERY_OVERDUE: "Very overdue",
    Phase.CLARIFICATION: "Clarification",
    Phase.RESPONDED: "Responded",
    Phase.REFUSED: "Refused",
    Phase.IN_REVIEW: "Internal review / ICO",
    Phase.COMPLETE: "Complete",
}

_PHASE_OF = {
    Status.DRAFT: Phase.NOT_SENT,
    Status.AWAITING: Phase.AWAITING,
    Status.FEES: Phase.AWAITING,  # the clock is paused for a fee the requester owes
    Status.ON_HOLD: Phase.AWAITING,
    Status.OVERDUE: Phase.OVERDUE,
    Status.VERY_OVERDUE: Phase.VERY_OVERDUE,
    Status.CLARIFICATION: Phase.CLARIFICATION,
    Status.RESPONDED: Phase.RESPONDED,
    Status.PARTIAL: Phase.RESPONDED,
    Status.NOT_HELD: Phase.RESPONDED,
    Status.REFUSED: Phase.REFUSED,
    Status.IN_REVIEW: Phase.IN_REVIEW,
    Status.REVIEW_OVERDUE: Phase.IN_REVIEW,
    Status.WITH_COMMISSIONER: Phase.IN_REVIEW,
    Status.REVIEWED: Phase.COMPLETE,
    Status.CLOSED: Phase.COMPLETE,
    Status.WITHDRAWN: Phase.COMPLETE,
    Status.FEE_LAPSED: Phase.COMPLETE,
}


def phase_of(status: Status | str) -> Phase:
    """The board phase of a (live) status."""
    return _PHASE_OF[Status(status)]


def working_days_left(cal: WorkingCalendar, due_on: date, today: date) -> int:
    """Working days from ``today`` to ``due_on``; negative = working days overdue.

    The same count ``compute_state`` gives for a running clock: 0 on the due
    date, -1 on the first working day after it.
    """
    if today <= due_on:
        return cal.working_days_between(today, due_on)
    return -cal.working_days_between(due_on, today)
