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
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import ClassVar

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


@dataclass(frozen=True)
class _Off:
    """A clock not started yet, or ended (answered, withdrawn or closed)."""

    state: ClockState


@dataclass(frozen=True)
class _Run:
    """A running clock: the day its working days count from, and the day it is due."""

    count_from: date
    due_on: date
    state: ClassVar[ClockState] = ClockState.RUNNING


@dataclass(frozen=True)
class _Stopped:
    """The clock stopped by the request for clarification of ``asked_on`` (s.1(3))."""

    asked_on: date
    state: ClassVar[ClockState] = ClockState.STOPPED


@dataclass(frozen=True)
class _Paused:
    """The run paused by the fees notice of ``fees_on`` (s.9, s.10(2))."""

    run: _Run
    fees_on: date
    state: ClassVar[ClockState] = ClockState.PAUSED


_NOT_STARTED = _Off(ClockState.NOT_STARTED)
_ENDED = _Off(ClockState.ENDED)


@dataclass(frozen=True)
class _Review:
    """An internal review: asked for on ``asked_on``, due by ``due_on``, answered or not yet."""

    asked_on: date
    due_on: date
    answered_on: date | None = None


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
    clock: _Off | _Run | _Stopped | _Paused = _NOT_STARTED
    phase: _Phase = _Phase.OPEN
    after_clarification: bool = False
    paused: int = 0
    run_paused: int = 0
    extended: bool = False
    responded_on: date | None = None
    answered: _Run | None = None  # the run a response came in, to say if it was late
    last_response_on: date | None = None
    outcome: Outcome | None = None
    exemptions: tuple[str, ...] = ()
    review: _Review | None = None
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

    def _start_run(self, received: date) -> _Run:
        run = _Run(received, self.cal.add_working_days(received, self.policy.response_working_days))
        self.clock = run
        self.run_paused = 0
        self.extended = False
        return run

    def _open_run(self, e: Event, what: str) -> _Run:
        """The running clock that ``e`` (``what``) needs, or why it cannot come now."""
        clock = self.clock
        if isinstance(clock, _Run):
            return clock
        if isinstance(clock, _Stopped):
            raise self._reject(
                e,
                f"the clock is stopped waiting for the clarification asked "
                f"for on {clock.asked_on}.",
            )
        if isinstance(clock, _Paused):
            raise self._reject(e, f"the clock is paused for the fees notice of {clock.fees_on}.")
        if self.last_response_on is None:
            raise self._reject(e, "the case is closed.")
        raise self._reject(
            e,
            f"{what} must come before the response, and the request was answered "
            f"on {self.last_response_on}.",
        )

    def _on_sent(self, e: Event) -> None:
        if self.sent_on is not None:
            raise self._reject(
                e, f"the request was already sent on {self.sent_on}; it is sent only once."
            )
        self.sent_on = e.on
        self.channel = e.channel or Channel.EMAIL
        self._receive(e.on, self._arrival(e))

    def _receive(self, sent_on: date, arrived: date) -> None:
        self.received_on = self._receipt(arrived)
        self._start_run(self.received_on)
        if self.received_on != sent_on or self.channel is Channel.POST:
            line = explain.receipt(
                sent_on,
                self.channel is Channel.POST,
                arrived,
                self.received_on,
                self.acknowledged,
            )
            self.clock_lines[:] = [line]

    def _on_acknowledged(self, e: Event) -> None:
        # A letter's acknowledgement dates its receipt better than a guess at the post.
        # (``apply`` lets no event but the sending itself come before the request is sent.)
        sent_on = self.sent_on
        by_post = self.channel is Channel.POST
        if sent_on is not None and by_post and self.first_run and not self.acknowledged:
            self.acknowledged = True
            self._receive(sent_on, e.on)

    def _on_clarification_requested(self, e: Event) -> None:
        if isinstance(self.clock, _Stopped):
            self.clock_lines.append(explain.clarification_requested(e.on, again=True))
            return
        self._open_run(e, "a request for clarification")
        self.clock = _Stopped(e.on)
        self.first_run = False
        self.clock_lines.append(explain.clarification_requested(e.on, again=False))

    def _on_clarification_sent(self, e: Event) -> None:
        if not isinstance(self.clock, _Stopped):
            raise self._reject(e, "there is no open request for clarification to answer.")
        self.after_clarification = True
        run = self._start_run(self._receipt(self._arrival(e)))
        self.clock_lines.append(
            explain.clarification_received(
                run.count_from, self.policy.response_working_days, run.due_on
            )
        )

    def _on_fees_notice(self, e: Event) -> None:
        run = self._open_run(e, "a fees notice")
        self.clock, self.first_run = _Paused(run, e.on), False
        self.clock_lines.append(explain.fees_notice(e.on, self.lapses_on(e.on)))

    def lapses_on(self, notice: date) -> date:
        """The day a request lapses if the fee asked for on ``notice`` is not paid."""
        return add_months(notice, self.policy.fee_lapse_months)

    def fee_days(self, notice: date, until: date) -> int:
        """Working days from the fees notice to ``until``, both inclusive (s.10(2))."""
        return self.cal.is_working_day(notice) + self.cal.working_days_between(notice, until)

    def _on_fee_paid(self, e: Event) -> None:
        clock = self.clock
        if not isinstance(clock, _Paused):
            raise self._reject(e, "there is no open fees notice for it to pay.")
        disregarded = self.fee_days(clock.fees_on, e.on)
        run = clock.run
        due_on = self.cal.add_working_days(run.due_on, disregarded)
        self.paused += disregarded
        self.run_paused += disregarded
        self.clock_lines.append(explain.fee_paid(clock.fees_on, e.on, disregarded, due_on))
        self.clock = _Run(run.count_from, due_on)

    def _on_extension(self, e: Event) -> None:
        if self.regime is Regime.FOISA:
            raise self._reject(
                e,
                "FOISA has no public interest extension; a Scottish "
                "authority must answer within 20 working days.",
            )
        run = self._open_run(e, "an extension")
        if e.on > run.due_on:
            raise self._reject(
                e, f"an extension must be claimed on or before the due date, {run.due_on}."
            )
        if e.extended_to is not None:
            new_due = e.extended_to
        elif e.extension_days is not None and e.extension_days > 0:
            new_due = self.cal.add_working_days(run.due_on, e.extension_days)
        else:
            raise self._reject(
                e, "give the new due date or a positive number of extra working days."
            )
        if new_due <= run.due_on:
            raise self._reject(
                e, f"the new due date {new_due} is not after the current one, {run.due_on}."
            )
        extra = self.cal.working_days_between(run.due_on, new_due)
        self.clock_lines.append(explain.extension(e.on, run.due_on, new_due, extra))
        self.clock, self.extended, self.first_run = _Run(run.count_from, new_due), True, False

    def _review_open(self) -> _Review | None:
        return self.review if self.review is not None and self.review.answered_on is None else None

    def _on_response(self, e: Event) -> None:
        if e.outcome is None:
            raise self._reject(
                e, "a response needs an outcome: full, partial, refused or not held."
            )
        review = self._review_open()
        if review is not None:
            raise self._reject(
                e,
                f"an internal review was asked for on {review.asked_on}; "
                "record the authority's answer as the review response.",
            )
        late_by = None
        if isinstance(self.clock, _Run):
            late_by = self._signed_days(self.clock.due_on, e.on)
            self.answered = self.clock
        if self.responded_on is None:
            self.responded_on = e.on
        self.clock, self.first_run = _ENDED, False
        self.last_response_on, self.outcome, self.exemptions = e.on, e.outcome, e.exemptions
        if self.phase not in _STICKY:
            self.phase = _Phase.ANSWERED
        self.later_lines.append(explain.response(e.on, e.outcome, e.exemptions, late_by))
        self.later_lines.append(
            explain.review_window(
                self._last_day_to_ask_review(e.on), self.policy.review_request_working_days
            )
        )

    def _signed_days(self, due_on: date, on: date) -> int:
        if on <= due_on:
            return -self.cal.working_days_between(on, due_on)
        return self.cal.working_days_between(due_on, on)

    def _last_day_to_ask_review(self, answered_on: date) -> date:
        return self.cal.add_working_days(answered_on, self.policy.review_request_working_days)

    def last_day_to_request_review(self) -> date | None:
        if self.last_response_on is None:
            return None
        return self._last_day_to_ask_review(self.last_response_on)

    def _on_review_requested(self, e: Event) -> None:
        answered_on = self.last_response_on
        if answered_on is None:
            raise self._reject(
                e,
                "an internal review can only be asked for after a response, and none is recorded.",
            )
        review = self._review_open()
        if review is not None:
            raise self._reject(e, f"an internal review is already open since {review.asked_on}.")
        days = self.policy.review_response_working_days
        late = e.on > self._last_day_to_ask_review(answered_on)
        self.review = _Review(e.on, self.cal.add_working_days(e.on, days))
        if self.phase not in _STICKY:
            self.phase = _Phase.REVIEW
        self.later_lines.append(explain.review_requested(e.on, self.review.due_on, days, late))

    def _on_review_response(self, e: Event) -> None:
        review = self._review_open()
        if review is None:
            raise self._reject(e, "there is no open request for an internal review to answer.")
        self.review = replace(review, answered_on=e.on)
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
        self.phase, self.clock, self.held_since = _Phase.CLOSED, _ENDED, None
        self.later_lines.append(explain.decision_notice(e.on, self.regime))

    def _on_withdrawn(self, e: Event) -> None:
        self.withdrawn_on, self.phase, self.held_since = e.on, _Phase.WITHDRAWN, None
        self.clock = _ENDED
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
    cal, clock = r.cal, r.clock
    lines = list(r.clock_lines)
    paused, lapsed = r.paused, False
    fee_lines: list[str] = []
    if isinstance(clock, _Paused):
        lapses_on = r.lapses_on(clock.fees_on)
        lapsed = today >= lapses_on
        until = min(today, lapses_on - timedelta(days=1))
        paused += r.fee_days(clock.fees_on, until) if until >= clock.fees_on else 0
        if lapsed:
            fee_lines.append(
                explain.fee_lapsed(clock.fees_on, lapses_on, r.policy.fee_lapse_months)
            )
        else:
            fee_lines.append(explain.paused_now(clock.fees_on, paused, lapses_on))
    run = clock if isinstance(clock, _Run) else r.answered
    due_on = very_on = left = None
    overdue = very = False
    now_lines: list[str] = []
    if run is not None:
        due_on = run.due_on
        very_on = cal.add_working_days(run.due_on, r.policy.very_overdue_working_days)
        lines.append(
            explain.due(
                run.due_on,
                r.policy.response_working_days,
                run.count_from,
                r.after_clarification,
                r.run_paused,
                r.extended,
            )
        )
        lines += [
            explain.closure(d, why)
            for d, why in cal.non_working_weekdays(run.count_from, run.due_on)
        ]
        if run is clock:  # still running: how it stands today
            left = -r._signed_days(run.due_on, today)
            overdue, very = today > run.due_on, today > very_on
            if very:
                now_lines.append(explain.very_overdue(-left, very_on))
            elif overdue:
                now_lines.append(explain.overdue(-left, run.due_on, very_on))
            else:
                now_lines.append(explain.days_left(left))
    lines += r.later_lines + now_lines + fee_lines
    review, review_overdue = r.review, False
    if r.phase is _Phase.REVIEW and review is not None and today > review.due_on:
        review_overdue = True
        outer = cal.add_working_days(review.asked_on, 2 * r.policy.review_response_working_days)
        lines.append(explain.review_overdue(review.due_on, outer, r.regime))
    status = _status(r, overdue, very, lapsed, review_overdue)
    on_hold = r.held_since is not None
    if on_hold and status in RUNNING_STATUSES:
        status = Status.ON_HOLD
    return RequestState(
        status=status,
        clock=ClockState.ENDED if lapsed else clock.state,
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
        review_requested_on=review.asked_on if review is not None else None,
        review_due_on=review.due_on if review is not None else None,
        last_day_to_request_review=r.last_day_to_request_review(),
        last_day_to_complain=r.last_to_complain,
        on_hold=on_hold,
        explanation=tuple(lines) + problems,
        problems=problems,
    )


def _status(r: _Replay, overdue: bool, very: bool, lapsed: bool, review_overdue: bool) -> Status:
    if r.phase is _Phase.OPEN:
        if isinstance(r.clock, _Stopped):
            return Status.CLARIFICATION
        if isinstance(r.clock, _Paused):
            return Status.FEE_LAPSED if lapsed else Status.FEES
        return Status.VERY_OVERDUE if very else Status.OVERDUE if overdue else Status.AWAITING
    outcome = r.outcome
    if r.phase is _Phase.ANSWERED and outcome is not None:  # a response always has one
        return _OUTCOME_STATUS[outcome]
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
