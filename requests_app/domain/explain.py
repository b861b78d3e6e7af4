"""The statutory clock in words: the sentences a page shows under a deadline.

Kept apart from the arithmetic in ``lifecycle`` so the wording can change
without touching the rules, and so every screen, export and chaser says the
same thing the same way. Dates are spelt out in English without the locale,
so a server's LANG cannot change them.
"""

from __future__ import annotations

from datetime import date, timedelta

from .calendar import Regime

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January February March April May June July August September October November December"
).split()

#: What each kind of event is called in a sentence ("the fee payment of ...").
EVENT_LABELS = {
    "sent": "sending of the request",
    "acknowledged": "acknowledgement",
    "clarification_requested": "request for clarification",
    "clarification_sent": "clarification",
    "fees_notice": "fees notice",
    "fee_paid": "fee payment",
    "extension": "extension",
    "response": "response",
    "review_requested": "request for an internal review",
    "review_response": "internal review response",
    "ico_complaint": "complaint to the Commissioner",
    "decision_notice": "decision notice",
    "withdrawn": "withdrawal",
    "held": "hold",
    "resumed": "resumption",
    "chaser": "chaser",
    "note": "note",
}

_OUTCOMES = {
    "full": "information provided in full",
    "partial": "information provided in part",
    "refused": "refused",
    "not_held": "information not held",
}


def long_date(d: date) -> str:
    """'Monday 15 April 2019'."""
    return f"{_DAYS[d.weekday()]} {d.day} {_MONTHS[d.month - 1]} {d.year}"


def plural(n: int, word: str = "working day") -> str:
    """``plural(1)`` -> "1 working day"; ``plural(3, "request")`` -> "3 requests"."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def commissioner(regime: Regime) -> str:
    if regime is Regime.FOISA:
        return "the Scottish Information Commissioner"
    return "the Information Commissioner"


def closure(d: date, reason: str) -> str:
    """'Monday 18 March 2019 is not a working day (St Patrick's Day, substitute day, ...).'"""
    reason = reason.replace(" (substitute day)", ", substitute day")
    return f"{long_date(d)} is not a working day ({reason})."


def receipt(sent: date, by_post: bool, arrived: date, received: date, acknowledged: bool) -> str:
    """How the day of receipt was worked out, when it is not simply the day sent."""
    if by_post and acknowledged:
        arrival = f"Sent by post on {long_date(sent)}; the acknowledgement dates receipt"
    elif by_post:
        arrival = f"Sent by post on {long_date(sent)}; taken to arrive on {long_date(arrived)}"
    else:
        arrival = f"Sent on {long_date(sent)}"
    if received == arrived:
        return f"{arrival} on {long_date(received)}." if acknowledged else f"{arrival}."
    return (
        f"{arrival}; it arrived on a non-working day, so it counts as received on the next "
        f"working day, {long_date(received)} (the 2018 s.45 Code reading)."
    )


def due(
    due_on: date,
    days: int,
    counted_from: date,
    after_clarification: bool,
    paused: int,
    extended: bool,
) -> str:
    start = "the clarification received on" if after_clarification else "receipt on"
    text = f"Due {long_date(due_on)}: {plural(days)} after {start} {long_date(counted_from)}"
    if paused:
        text += f", plus {plural(paused)} paused for fees"
    if extended:
        text += ", as extended for the public interest test"
    return text + "."


def clarification_requested(on: date, again: bool) -> str:
    if again:
        return f"Clarification asked for again on {long_date(on)}; the clock stays stopped."
    return f"Clarification asked for on {long_date(on)}: the clock stopped until it arrives."


def clarification_received(on: date, days: int, due_on: date) -> str:
    return (
        f"Clarification received on {long_date(on)}: a fresh {plural(days)} started, "
        f"to {long_date(due_on)}."
    )


def fees_notice(on: date, lapses_on: date) -> str:
    return (
        f"Fees notice given on {long_date(on)}: the clock is paused until the fee is paid; "
        f"unpaid, the request lapses on {long_date(lapses_on)}."
    )


def fee_paid(notice: date, paid: date, disregarded: int, due_on: date) -> str:
    return (
        f"Paused for fees from {long_date(notice)} to {long_date(paid)}: "
        f"{plural(disregarded)} disregarded, so the due date moved to {long_date(due_on)}."
    )


def extension(on: date, old_due: date, new_due: date, extra: int) -> str:
    text = (
        f"Public interest extension claimed on {long_date(on)}: due date moved from "
        f"{long_date(old_due)} to {long_date(new_due)} ({plural(extra)} more)."
    )
    if extra > 20:
        text += " The ICO expects no more than 20 further working days."
    return text


def response(on: date, outcome: str, exemptions: tuple[str, ...], late_by: int | None) -> str:
    text = f"Responded on {long_date(on)}: {_OUTCOMES.get(outcome, outcome)}"
    if exemptions:
        text += f", citing {', '.join(exemptions)}"
    if late_by is None:
        return text + "."
    if late_by > 0:
        return text + f", {plural(late_by)} after the due date."
    if late_by == 0:
        return text + ", on the due date."
    return text + f", {plural(-late_by)} before the due date."


def review_window(last_day: date, days: int) -> str:
    return (
        f"An internal review can be asked for until {long_date(last_day)} "
        f"({plural(days)} after the response)."
    )


def review_requested(on: date, due_on: date, days: int, late: bool) -> str:
    text = (
        f"Internal review asked for on {long_date(on)}: the authority should reply by "
        f"{long_date(due_on)} ({plural(days)})."
    )
    if late:
        text += " It was asked for after the usual 40 working days."
    return text


def review_overdue(due_on: date, outer: date, regime: Regime) -> str:
    return (
        f"The internal review is overdue since {long_date(due_on)}; {commissioner(regime)} "
        f"will normally take a complaint if there is still no outcome after "
        f"{long_date(outer)}."
    )


def review_response(on: date, last_day: date, regime: Regime) -> str:
    if regime is Regime.FOISA:
        window = "six months, s.47(4)"
        verb = "an appeal to"
    else:
        window = "six weeks"
        verb = "a complaint to"
    return (
        f"Internal review answered on {long_date(on)}: {verb} {commissioner(regime)} can be "
        f"made until {long_date(last_day)} ({window})."
    )


def complaint(on: date, regime: Regime) -> str:
    return f"Complaint made to {commissioner(regime)} on {long_date(on)}."


def decision_notice(on: date, regime: Regime) -> str:
    return f"Decision notice from {commissioner(regime)} on {long_date(on)}: the case is closed."


def withdrawn(on: date) -> str:
    return f"Withdrawn on {long_date(on)}: the clock ended."


def held(on: date) -> str:
    return f"Put on hold on {long_date(on)}."


def resumed(on: date) -> str:
    return f"Resumed on {long_date(on)}."


def not_sent() -> str:
    return "Not sent yet: the clock has not started."


def days_left(left: int) -> str:
    if left == 0:
        return "Due today."
    return f"{plural(left)} left."


def overdue(by: int, due_on: date, very_after: date) -> str:
    """Overdue from the day after the due date, even before a working day has passed."""
    late = f"by {plural(by)}" if by else f"since {long_date(due_on + timedelta(days=1))}"
    return (
        f"Overdue {late}; very overdue after {long_date(very_after)} "
        f"(20 working days past the due date)."
    )


def very_overdue(by: int, very_after: date) -> str:
    return (
        f"Very overdue: {plural(by)} past the due date (very overdue after "
        f"{long_date(very_after)})."
    )


def paused_now(since: date, so_far: int, lapses_on: date) -> str:
    return (
        f"Paused for fees since {long_date(since)} ({plural(so_far)} so far); "
        f"the request lapses on {long_date(lapses_on)} if the fee is not paid."
    )


def fee_lapsed(notice: date, lapsed_on: date, months: int) -> str:
    return (
        f"The fee asked for on {long_date(notice)} was not paid within "
        f"{plural(months, 'month')}: the request lapsed on {long_date(lapsed_on)}."
    )


def rejected(kind: str, on: date, why: str) -> str:
    """The message of a refused event: what it was, when, and what is wrong."""
    label = EVENT_LABELS.get(kind, kind)
    return f"{label[0].upper()}{label[1:]} on {on.isoformat()}: {why}"


def ignored(message: str) -> str:
    return f"Ignored: {message}"
