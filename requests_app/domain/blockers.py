"""Why a request cannot be emailed or chased: one answer, used everywhere.

The send preflight, the chase sweep's report, "chase now", the overdue board
and the request page all ask ``why_not_chased`` (or ``why_not_emailed`` for a
first send) and say the same sentence, so nobody meets a catch-all list of
maybes. ``None`` means nothing stands in the way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .states import RUNNING_STATUSES, ClockState, Status

__all__ = [
    "Blocker",
    "ChaseFacts",
    "FIX",
    "explain",
    "why_not_chased",
    "why_not_emailed",
]


class Blocker(StrEnum):
    NOT_SENT = "not_sent"
    ANSWERED = "answered"
    ON_HOLD = "on_hold"
    CLARIFICATION = "clarification"
    FEES = "fees"
    NO_ADDRESS = "no_address"
    BOUNCED = "bounced"
    NOT_OVERDUE = "not_overdue"


#: Each reason about one request ("... because it ...") and about many ("... their ...").
_ONE = {
    Blocker.NOT_SENT: "it has not been sent yet",
    Blocker.ANSWERED: "the force has answered it (or it is closed)",
    Blocker.ON_HOLD: "it (or its campaign) is on hold",
    Blocker.CLARIFICATION: "the clock is stopped: the force asked for clarification",
    Blocker.FEES: "the clock is paused: the force sent a fees notice",
    Blocker.NO_ADDRESS: "its force has no FOI email address",
    Blocker.BOUNCED: "its force's FOI email address bounced",
    Blocker.NOT_OVERDUE: "it is not overdue yet",
}
_MANY = {
    Blocker.NOT_SENT: "they have not been sent yet",
    Blocker.ANSWERED: "the forces have answered them",
    Blocker.ON_HOLD: "they (or their campaigns) are on hold",
    Blocker.CLARIFICATION: "their clocks are stopped for clarification",
    Blocker.FEES: "their clocks are paused for fees",
    Blocker.NO_ADDRESS: "their forces have no FOI email address",
    Blocker.BOUNCED: "their forces' FOI email addresses bounced",
    Blocker.NOT_OVERDUE: "they are not overdue yet",
}
#: What puts each reason right, and who can.
FIX = {
    Blocker.NOT_SENT: "send it, or log it as sent",
    Blocker.ANSWERED: "",
    Blocker.ON_HOLD: "a coordinator resumes it on the overdue board",
    Blocker.CLARIFICATION: "record the clarification sent on the request's page",
    Blocker.FEES: "record the fee paid on the request's page",
    Blocker.NO_ADDRESS: "a coordinator adds it on the Forces page, or runs "
    "`manage.py forces import FILE.csv`",
    Blocker.BOUNCED: "a coordinator corrects it on the Forces page, or runs "
    "`manage.py forces import FILE.csv`",
    Blocker.NOT_OVERDUE: "",
}


@dataclass(frozen=True)
class ChaseFacts:
    """What decides whether a request may be chased, as stored on it and its force."""

    status: str
    clock: str
    on_hold: bool
    campaign_on_hold: bool
    foi_email: str
    foi_email_broken: bool
    due_on: date | None


def why_not_emailed(*, foi_email: str, foi_email_broken: bool) -> Blocker | None:
    """Why mail cannot go to a force (None: it can)."""
    if not foi_email:
        return Blocker.NO_ADDRESS
    if foi_email_broken:
        return Blocker.BOUNCED
    return None


def why_not_chased(facts: ChaseFacts, today: date) -> Blocker | None:
    """Why a chaser about a late response cannot go today (None: it can).

    The first reason that applies, in the order a person would put it right:
    a request never sent or already answered (its clock ended) is not a chasing
    matter at all;
    a hold, a stopped or paused clock are decisions; the address comes next;
    and last, whether its due date has passed.
    """
    if facts.status == Status.DRAFT or facts.clock == ClockState.NOT_STARTED:
        return Blocker.NOT_SENT
    if facts.clock == ClockState.ENDED:
        return Blocker.ANSWERED
    if facts.on_hold or facts.campaign_on_hold or facts.status == Status.ON_HOLD:
        return Blocker.ON_HOLD
    if facts.clock == ClockState.STOPPED:
        return Blocker.CLARIFICATION
    if facts.clock == ClockState.PAUSED:
        return Blocker.FEES
    if facts.status not in RUNNING_STATUSES or facts.due_on is None:
        return Blocker.ANSWERED
    address = why_not_emailed(foi_email=facts.foi_email, foi_email_broken=facts.foi_email_broken)
    if address is not None:
        return address
    if facts.due_on >= today:
        return Blocker.NOT_OVERDUE
    return None


def explain(blocker: Blocker, count: int | None = None, *, fix: bool = True) -> str:
    """The reason in words: for one request (``count`` None) or for ``count`` of them."""
    words = _ONE[blocker] if count is None else _MANY[blocker]
    if fix and FIX[blocker]:
        words += f" ({FIX[blocker]})"
    return words
