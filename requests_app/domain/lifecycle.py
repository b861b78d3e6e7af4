"""The request's state and deadlines, worked out from its event log alone.

One pure function, ``compute_state``, is the only place the statutory clock
is read: pages, the API, chasers and exports all call it rather than derive a
status themselves (Alaveteli's state calculator is the model). The rules are
FOIA 2000 s.1(3), s.9, s.10 and s.50, and FOISA 2002 s.10, s.20, s.21, s.47;
the wording of the explanation lives in ``explain``.

``check_new_event`` runs the same rules before an event is stored, so a log
that only ever grew through it replays without complaint; a log that did not
(an edited row) is still readable: ``compute_state`` skips the offending
events and says so in ``problems`` and in the explanation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from . import explain
from .calendar import Regime, WorkingCalendar, add_months, calendar_for
from .states import (
    ANSWERED_STATUSES,
    FINAL_STATUSES,
    RUNNING_STATUSES,
    Channel,
    ClockPolicy,
    ClockState,
    Event,
    EventKind,
    EventRejected,
    Outcome,
    RequestState,
    Status,
)

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
    "check_new_event",
    "compute_state",
]


DEFAULT_POLICY = ClockPolicy()
_OUTCOME_STATUS = {
    Outcome.FULL: Status.RESPONDED,
    Outcome.PARTIAL: Status.PARTIAL,
    Outcome.REFUSED: Status.REFUSED,
    Outcome.NOT_HELD: Status.NOT_HELD,
}


class _Phase(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    REVIEW = "review"
    REVIEWED = "reviewed"
    COMMISSIONER = "commissioner"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


_STICKY = (_Phase.COMMISSIONER, _Phase.CLOSED)


@dataclass
class _Replay:
    """The clock as the events so far leave it; ``apply`` checks an event, then records it."""

    regime: Regime
    cal: WorkingCalendar
    policy: ClockPolicy
    first_sent: date | None  # the log's SENT date, to say when an event comes before it
    sent_on: date | None = None
    channel: Channel = Channel.EMAIL
    received_on: date | None = None
    acknowledged: bool = False
    first_run: bool = True
    clock: ClockState = ClockState.NOT_STARTED
    phase: _Phase = _Phase.OPEN
    count_from: date | None = None
    after_clarification: bool = False
    due_on: date | None = None
    clarification_on: date | None = None
    fees_on: date | None = None
    paused: int = 0
    run_paused: int = 0
    extended: bool = False
    responded_on: date | None = None
    answered_due: date | None = None
    last_response_on: date | None = None
    outcome: Outcome | None = None
    exemptions: tuple[str, ...] = ()
    review_on: date | None = None
    review_due: date | None = None
    review_answered_on: date | None = None
    last_to_complain: date | None = None
    complaint_on: date | None = None
    held_since: date | None = None
    withdrawn_on: date | None = None
    clock_lines: list[str] = field(default_factory=list)
    later_lines: list[str] = field(default_factory=list)

    def apply(self, e: Event) -> None:
        if e.kind is EventKind.NOTE:
            return
        if not self.cal.first_day <= e.on <= self.cal.last_day:
            raise EventRejected(
                f"The event is dated {e.on}, outside the years the working-day calendar covers "
                f"({self.cal.first_day.year} to {self.cal.last_day.year}).",
                e,
            )
        if self.sent_on is None and e.kind is not EventKind.SENT:
            if self.first_sent is not None and e.on < self.first_sent:
                raise EventRejected(
                    f"The event is dated {e.on}, before the request was sent on {self.first_sent}.",
                    e,
                )
            raise self._reject(
                e, "the request has not been sent yet; record when it was sent first."
            )
        if self.withdrawn_on is not None:
            raise self._reject(
                e, f"the request was withdrawn on {self.withdrawn_on}; only notes can follow."
            )
        getattr(self, f"_on_{e.kind.value}")(e)

    def _reject(self, e: Event, why: str) -> EventRejected:
        return EventRejected(explain.rejected(e.kind, e.on, why), e, why)

    def _receipt(self, arrived: date) -> date:
        if self.policy.arrival_day_is_day_zero or self.cal.is_working_day(arrived):
            return arrived
        return self.cal.next_working_day(arrived)

    def _arrival(self, e: Event) -> date:
        if e.channel is Channel.POST:
            return self.cal.add_working_days(e.on, self.policy.post_receipt_working_days)
        return e.on

    def _start_run(self, received: date) -> None:
        self.count_from = received
        self.due_on = self.cal.add_working_days(received, self.policy.response_working_days)
        self.clock = ClockState.RUNNING
        self.run_paused = 0
        self.extended = False

    def _need_open_clock(self, e: Event, what: str) -> None:
        if self.clock is ClockState.ENDED:
            if self.last_response_on is None:
                raise self._reject(e, "the case is closed.")
            raise self._reject(
                e,
                f"{what} must come before the response, and the request was answered "
                f"on {self.last_response_on}.",
            )
        if self.clock is ClockState.STOPPED:
            raise self._reject(
                e,
                f"the clock is stopped waiting for the clarification asked "
                f"for on {self.clarification_on}.",
            )
        if self.clock is ClockState.PAUSED:
            raise self._reject(e, f"the clock is paused for the fees notice of {self.fees_on}.")

    def _on_sent(self, e: Event) -> None:
        if self.sent_on is not None:
            raise self._reject(
                e, f"the request was already sent on {self.sent_on}; it is sent only once."
            )
        self.sent_on = e.on
        self.channel = e.channel or Channel.EMAIL
        self._receive(self._arrival(e))

    def _receive(self, arrived: date) -> None:
        self.received_on = self._receipt(arrived)
        self._start_run(self.received_on)
        if self.received_on != self.sent_on or self.channel is Channel.POST:
            line = explain.receipt(
                self.sent_on,
                self.channel is Channel.POST,
                arrived,
                self.received_on,
                self.acknowledged,
            )
            self.clock_lines[:] = [line]

    def _on_acknowledged(self, e: Event) -> None:
        # A letter's acknowledgement dates its receipt better than a guess at the post.
        if self.channel is Channel.POST and self.first_run and not self.acknowledged:
            self.acknowledged = True
            self._receive(e.on)

    def _on_clarification_requested(self, e: Event) -> None:
        if self.clock is ClockState.STOPPED:
            self.clock_lines.append(explain.clarification_requested(e.on, again=True))
            return
        self._need_open_clock(e, "a request for clarification")
        self.clock, self.due_on, self.clarification_on = ClockState.STOPPED, None, e.on
        self.first_run = False
        self.clock_lines.append(explain.clarification_requested(e.on, again=False))

    def _on_clarification_sent(self, e: Event) -> None:
        if self.clock is not ClockState.STOPPED:
            raise self._reject(e, "there is no open request for clarification to answer.")
        self.clarification_on, self.after_clarification = None, True
        self._start_run(self._receipt(self._arrival(e)))
        self.clock_lines.append(
            explain.clarification_received(
                self.count_from, self.policy.response_working_days, self.due_on
            )
        )

    def _on_fees_notice(self, e: Event) -> None:
        self._need_open_clock(e, "a fees notice")
        self.clock, self.fees_on, self.first_run = ClockState.PAUSED, e.on, False
        self.clock_lines.append(explain.fees_notice(e.on, self.lapses_on()))

    def lapses_on(self) -> date:
        return add_months(self.fees_on, self.policy.fee_lapse_months)

    def fee_days(self, until: date) -> int:
        """Working days from the fees notice to ``until``, both inclusive (s.10(2))."""
        notice = self.fees_on
        return self.cal.is_working_day(notice) + self.cal.working_days_between(notice, until)

    def _on_fee_paid(self, e: Event) -> None:
        if self.clock is not ClockState.PAUSED:
            raise self._reject(e, "there is no open fees notice for it to pay.")
        disregarded = self.fee_days(e.on)
        self.due_on = self.cal.add_working_days(self.due_on, disregarded)
        self.paused += disregarded
        self.run_paused += disregarded
        self.clock_lines.append(explain.fee_paid(self.fees_on, e.on, disregarded, self.due_on))
        self.clock, self.fees_on = ClockState.RUNNING, None

    def _on_extension(self, e: Event) -> None:
        if self.regime is Regime.FOISA:
            raise self._reject(
                e,
                "FOISA has no public interest extension; a Scottish "
                "authority must answer within 20 working days.",
            )
        self._need_open_clock(e, "an extension")
        if e.on > self.due_on:
            raise self._reject(
                e, f"an extension must be claimed on or before the due date, {self.due_on}."
            )
        if e.extended_to is not None:
            new_due = e.extended_to
        elif e.extension_days is not None and e.extension_days > 0:
            new_due = self.cal.add_working_days(self.due_on, e.extension_days)
        else:
            raise self._reject(
                e, "give the new due date or a positive number of extra working days."
            )
        if new_due <= self.due_on:
            raise self._reject(
                e, f"the new due date {new_due} is not after the current one, {self.due_on}."
            )
        extra = self.cal.working_days_between(self.due_on, new_due)
        self.clock_lines.append(explain.extension(e.on, self.due_on, new_due, extra))
        self.due_on, self.extended, self.first_run = new_due, True, False

    def _on_response(self, e: Event) -> None:
        if e.outcome is None:
            raise self._reject(
                e, "a response needs an outcome: full, partial, refused or not held."
            )
        if self.review_on is not None and self.review_answered_on is None:
            raise self._reject(
                e,
                f"an internal review was asked for on {self.review_on}; "
                "record the authority's answer as the review response.",
            )
        late_by = None
        if self.clock is ClockState.RUNNING:
            late_by = self._signed_days(self.due_on, e.on)
            self.answered_due = self.due_on
        if self.responded_on is None:
            self.responded_on = e.on
        self.clock, self.first_run = ClockState.ENDED, False
        self.last_response_on, self.outcome, self.exemptions = e.on, e.outcome, e.exemptions
        if self.phase not in _STICKY:
            self.phase = _Phase.ANSWERED
        self.later_lines.append(explain.response(e.on, e.outcome, e.exemptions, late_by))
        self.later_lines.append(
            explain.review_window(
                self.last_day_to_request_review(), self.policy.review_request_working_days
            )
        )

    def _signed_days(self, due_on: date, on: date) -> int:
        if on <= due_on:
            return -self.cal.working_days_between(on, due_on)
        return self.cal.working_days_between(due_on, on)

    def last_day_to_request_review(self) -> date | None:
        if self.last_response_on is None:
            return None
        days = self.policy.review_request_working_days
        return self.cal.add_working_days(self.last_response_on, days)

    def _on_review_requested(self, e: Event) -> None:
        if self.last_response_on is None:
            raise self._reject(
                e,
                "an internal review can only be asked for after a response, and none is recorded.",
            )
        if self.review_on is not None and self.review_answered_on is None:
            raise self._reject(e, f"an internal review is already open since {self.review_on}.")
        days = self.policy.review_response_working_days
        late = e.on > self.last_day_to_request_review()
        self.review_on, self.review_answered_on = e.on, None
        self.review_due = self.cal.add_working_days(e.on, days)
        if self.phase not in _STICKY:
            self.phase = _Phase.REVIEW
        self.later_lines.append(explain.review_requested(e.on, self.review_due, days, late))

    def _on_review_response(self, e: Event) -> None:
        if self.review_on is None or self.review_answered_on is not None:
            raise self._reject(e, "there is no open request for an internal review to answer.")
        self.review_answered_on = e.on
        if e.outcome is not None:
            self.outcome, self.exemptions = e.outcome, e.exemptions
        if self.regime is Regime.FOISA:
            self.last_to_complain = add_months(e.on, self.policy.foisa_appeal_months)
        else:
            self.last_to_complain = e.on + timedelta(weeks=self.policy.commissioner_weeks)
        if self.phase not in _STICKY:
            self.phase = _Phase.REVIEWED
        self.later_lines.append(explain.review_response(e.on, self.last_to_complain, self.regime))

    def _on_ico_complaint(self, e: Event) -> None:
        self.complaint_on, self.phase = e.on, _Phase.COMMISSIONER
        self.later_lines.append(explain.complaint(e.on, self.regime))

    def _on_decision_notice(self, e: Event) -> None:
        if self.complaint_on is None:
            raise self._reject(e, "no complaint to the Commissioner is recorded for it to decide.")
        self.phase, self.clock, self.held_since = _Phase.CLOSED, ClockState.ENDED, None
        self.later_lines.append(explain.decision_notice(e.on, self.regime))

    def _on_withdrawn(self, e: Event) -> None:
        self.withdrawn_on, self.phase, self.held_since = e.on, _Phase.WITHDRAWN, None
        self.clock = ClockState.ENDED
        self.later_lines.append(explain.withdrawn(e.on))

    def _on_held(self, e: Event) -> None:
        if self.held_since is not None:
            raise self._reject(e, f"the request is already on hold since {self.held_since}.")
        self.held_since = e.on
        self.later_lines.append(explain.held(e.on))

    def _on_resumed(self, e: Event) -> None:
        if self.held_since is None:
            raise self._reject(e, "the request is not on hold, so it cannot be resumed.")
        self.held_since = None
        self.later_lines.append(explain.resumed(e.on))

    def _on_chaser(self, e: Event) -> None:
        """Chasing the authority changes nothing on the clock."""


def _in_date_order(events: Sequence[Event]) -> list[Event]:
    return sorted(events, key=lambda e: e.on)  # stable: same-day events keep their order


def _replay(
    events: Sequence[Event], regime: Regime, cal: WorkingCalendar, policy: ClockPolicy
) -> tuple[_Replay, list[tuple[Event, EventRejected]]]:
    """Apply every event in date order, skipping (and returning) those the rules reject."""
    ordered = _in_date_order(events)
    first_sent = next((e.on for e in ordered if e.kind is EventKind.SENT), None)
    replay = _Replay(Regime(regime), cal, policy, first_sent)
    skipped = []
    for event in ordered:
        try:
            replay.apply(event)
        except EventRejected as exc:
            skipped.append((event, exc))
    return replay, skipped


def check_new_event(
    events: Sequence[Event],
    new: Event,
    *,
    regime: Regime,
    calendar: WorkingCalendar | None = None,
    policy: ClockPolicy = DEFAULT_POLICY,
) -> None:
    """Raise EventRejected if ``new`` may not join the log ``events``.

    The new event is replayed in its place by date (after any events of the
    same day), so a back-dated event is checked against what came before it,
    and is refused if it would make a later, valid event invalid.
    """
    if new.kind is EventKind.NOTE:
        return
    if new.kind is EventKind.SENT:
        sent = next((e.on for e in _in_date_order(events) if e.kind is EventKind.SENT), None)
        if sent is not None:
            raise EventRejected(f"The request was already sent on {sent}; it is sent only once.")
    cal = calendar or calendar_for(regime)
    _, before = _replay(events, regime, cal, policy)
    already_bad = {id(event) for event, _ in before}
    _, after = _replay([*events, new], regime, cal, policy)
    for event, exc in after:
        if event is new:
            raise exc
        if id(event) not in already_bad:
            raise EventRejected(
                f"That would make the later {explain.EVENT_LABELS[event.kind]} on {event.on} "
                f"invalid: {exc.reason}",
                new,
            )


def compute_state(
    events: Sequence[Event],
    *,
    regime: Regime,
    calendar: WorkingCalendar,
    today: date,
    policy: ClockPolicy = DEFAULT_POLICY,
) -> RequestState:
    """The request's status and deadlines as of ``today``, from its events alone."""
    replay, skipped = _replay(events, regime, calendar, policy)
    problems = tuple(explain.ignored(str(exc)) for _, exc in skipped)
    r = replay
    if r.sent_on is None:
        return _draft(problems)
    cal, running = r.cal, r.clock is ClockState.RUNNING
    lines = list(r.clock_lines)
    lapsed = r.clock is ClockState.PAUSED and today >= r.lapses_on()
    paused = r.paused
    if r.clock is ClockState.PAUSED:
        until = min(today, r.lapses_on() - timedelta(days=1))
        paused += r.fee_days(until) if until >= r.fees_on else 0
    due_on = r.due_on if running else r.answered_due
    very_on = left = None
    overdue = very = False
    if due_on is not None:
        very_on = cal.add_working_days(due_on, r.policy.very_overdue_working_days)
        lines.append(
            explain.due(
                due_on,
                r.policy.response_working_days,
                r.count_from,
                r.after_clarification,
                r.run_paused,
                r.extended,
            )
        )
        lines += [
            explain.closure(d, why) for d, why in cal.non_working_weekdays(r.count_from, due_on)
        ]
    lines += r.later_lines
    if running:
        left = -r._signed_days(due_on, today)
        overdue, very = today > due_on, today > very_on
        if very:
            lines.append(explain.very_overdue(-left, very_on))
        elif overdue:
            lines.append(explain.overdue(-left, due_on, very_on))
        else:
            lines.append(explain.days_left(left))
    elif lapsed:
        lines.append(explain.fee_lapsed(r.fees_on, r.lapses_on(), r.policy.fee_lapse_months))
    elif r.clock is ClockState.PAUSED:
        lines.append(explain.paused_now(r.fees_on, paused, r.lapses_on()))
    review_overdue = r.phase is _Phase.REVIEW and r.review_due is not None and today > r.review_due
    if review_overdue:
        outer = cal.add_working_days(r.review_on, 2 * r.policy.review_response_working_days)
        lines.append(explain.review_overdue(r.review_due, outer, r.regime))
    status = _status(r, overdue, very, lapsed, review_overdue)
    on_hold = r.held_since is not None
    if on_hold and status in RUNNING_STATUSES:
        status = Status.ON_HOLD
    return RequestState(
        status=status,
        clock=ClockState.ENDED if lapsed else r.clock,
        received_on=r.received_on,
        due_on=due_on,
        working_days_left=left,
        overdue=overdue,
        very_overdue=very,
        very_overdue_on=very_on,
        responded_on=r.responded_on,
        outcome=r.outcome,
        exemptions=r.exemptions,
        extended=r.extended,
        paused_working_days=paused,
        review_requested_on=r.review_on,
        review_due_on=r.review_due,
        last_day_to_request_review=r.last_day_to_request_review(),
        last_day_to_complain=r.last_to_complain,
        on_hold=on_hold,
        explanation=tuple(lines) + problems,
        problems=problems,
    )


def _status(r: _Replay, overdue: bool, very: bool, lapsed: bool, review_overdue: bool) -> Status:
    if r.phase is _Phase.OPEN:
        if r.clock is ClockState.STOPPED:
            return Status.CLARIFICATION
        if r.clock is ClockState.PAUSED:
            return Status.FEE_LAPSED if lapsed else Status.FEES
        return Status.VERY_OVERDUE if very else Status.OVERDUE if overdue else Status.AWAITING
    if r.phase is _Phase.ANSWERED:
        return _OUTCOME_STATUS[r.outcome]
    if r.phase is _Phase.REVIEW:
        return Status.REVIEW_OVERDUE if review_overdue else Status.IN_REVIEW
    return {
        _Phase.REVIEWED: Status.REVIEWED,
        _Phase.COMMISSIONER: Status.WITH_COMMISSIONER,
        _Phase.CLOSED: Status.CLOSED,
        _Phase.WITHDRAWN: Status.WITHDRAWN,
    }[r.phase]


def _draft(problems: tuple[str, ...]) -> RequestState:
    return RequestState(
        Status.DRAFT,
        ClockState.NOT_STARTED,
        explanation=(explain.not_sent(), *problems),
        problems=problems,
    )
