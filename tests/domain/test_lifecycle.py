"""The state calculator: each rule of docs/clock.md, and each event the rules refuse."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from requests_app.domain.calendar import Regime, calendar_for
from requests_app.domain.lifecycle import (
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
    check_new_event,
    compute_state,
)

K = EventKind
FOIA, FOISA = Regime.FOIA, Regime.FOISA
FRIDAY = date(2019, 3, 15)  # received Friday 15 March 2019 -> due Monday 15 April 2019
DUE = date(2019, 4, 15)


def ev(kind: EventKind, on: date, **fields) -> Event:
    return Event(kind, on, **fields)


def sent(on: date = FRIDAY, channel: Channel | None = Channel.EMAIL) -> Event:
    return Event(K.SENT, on, channel=channel)


def response(on: date, outcome: Outcome = Outcome.FULL, exemptions=()) -> Event:
    return Event(K.RESPONSE, on, outcome=outcome, exemptions=tuple(exemptions))


def state(
    events, today: date = date(2019, 4, 1), regime=FOIA, policy: ClockPolicy | None = None
) -> RequestState:
    calendar = calendar_for(regime)
    policy = policy or ClockPolicy()
    return compute_state(events, regime=regime, calendar=calendar, today=today, policy=policy)


def rejection(events, new: Event, regime=FOIA) -> str:
    with pytest.raises(EventRejected) as info:
        check_new_event(events, new, regime=regime)
    assert info.value.event is not None
    return str(info.value)


def wd(start: date, n: int, regime=FOIA) -> date:
    return calendar_for(regime).add_working_days(start, n)


class TestDraft:
    def test_no_events_is_a_draft_with_no_clock(self):
        s = state([])
        assert (s.status, s.clock) == (Status.DRAFT, ClockState.NOT_STARTED)
        assert s.received_on is s.due_on is s.working_days_left is None
        assert s.explanation == ("Not sent yet: the clock has not started.",)

    def test_notes_alone_leave_it_a_draft(self):
        assert state([ev(K.NOTE, FRIDAY)]).status is Status.DRAFT


class TestReceiptAndDueDate:
    def test_worked_example(self):
        s = state([sent()])
        assert (s.status, s.clock) == (Status.AWAITING, ClockState.RUNNING)
        assert (s.received_on, s.due_on) == (FRIDAY, DUE)

    def test_explanation_gives_the_due_date_and_the_holidays_skipped(self):
        s = state([sent()])
        assert s.explanation[0] == (
            "Due Monday 15 April 2019: 20 working days after receipt on Friday 15 March 2019."
        )
        assert (
            "Monday 18 March 2019 is not a working day "
            "(St Patrick's Day, substitute day, Northern Ireland)."
        ) in s.explanation

    @pytest.mark.parametrize("channel", [Channel.EMAIL, Channel.PORTAL, None])
    def test_electronic_requests_are_received_the_day_sent(self, channel):
        assert state([sent(channel=channel)]).received_on == FRIDAY

    def test_post_is_received_two_working_days_after_sending(self):
        s = state([sent(channel=Channel.POST)])
        assert s.received_on == date(2019, 3, 20)  # Monday 18th is not a working day
        assert s.due_on == wd(date(2019, 3, 20), 20)
        assert s.explanation[0].startswith("Sent by post on Friday 15 March 2019")

    def test_post_receipt_days_are_a_setting(self):
        s = state([sent(channel=Channel.POST)], policy=ClockPolicy(post_receipt_working_days=3))
        assert s.received_on == date(2019, 3, 21)

    def test_an_acknowledgement_dates_a_letters_receipt(self):
        s = state([sent(channel=Channel.POST), ev(K.ACKNOWLEDGED, date(2019, 3, 22))])
        assert s.received_on == date(2019, 3, 22)
        assert s.due_on == wd(date(2019, 3, 22), 20)

    def test_an_acknowledgement_does_not_move_an_emails_receipt(self):
        assert state([sent(), ev(K.ACKNOWLEDGED, date(2019, 3, 22))]).due_on == DUE

    def test_saturday_receipt_has_the_fridays_deadline_by_default(self):
        assert state([sent(date(2019, 3, 16))]).due_on == DUE

    def test_the_s45_code_reading_counts_from_the_next_working_day(self):
        policy = ClockPolicy(arrival_day_is_day_zero=False)
        s = state([sent(date(2019, 3, 16))], policy=policy)
        assert s.received_on == date(2019, 3, 19)
        assert s.due_on == date(2019, 4, 16)
        assert "2018 s.45 Code" in s.explanation[0]

    def test_the_s45_code_reading_changes_nothing_for_a_working_day(self):
        assert state([sent()], policy=ClockPolicy(arrival_day_is_day_zero=False)).due_on == DUE

    def test_events_are_taken_in_date_order(self):
        events = [response(date(2019, 4, 1)), sent()]
        assert state(events).status is Status.RESPONDED


class TestOverdue:
    def test_days_left_before_the_due_date(self):
        s = state([sent()], today=date(2019, 4, 1))
        assert (s.working_days_left, s.overdue) == (10, False)
        assert s.explanation[-1] == "10 working days left."

    def test_on_the_due_date_it_is_not_overdue(self):
        s = state([sent()], today=DUE)
        assert (s.status, s.working_days_left, s.overdue) == (Status.AWAITING, 0, False)

    def test_overdue_from_the_day_after(self):
        s = state([sent()], today=DUE + timedelta(days=1))
        assert (s.status, s.working_days_left, s.overdue) == (Status.OVERDUE, -1, True)
        assert not s.very_overdue

    def test_overdue_on_the_weekend_after_a_friday_due_date(self):
        s = state([sent(date(2019, 3, 14))], today=date(2019, 4, 13))
        assert s.due_on == date(2019, 4, 12)
        assert (s.status, s.overdue, s.working_days_left) == (Status.OVERDUE, True, 0)
        assert s.explanation[-1].startswith("Overdue since Saturday 13 April 2019;")

    def test_days_overdue_count_working_days(self):
        s = state([sent()], today=date(2019, 4, 20))  # Good Friday 19th is no working day
        assert s.working_days_left == -3

    def test_very_overdue_20_working_days_after_the_due_date(self):
        very_on = wd(DUE, 20)
        assert state([sent()], today=very_on).very_overdue_on == very_on
        on_the_day = state([sent()], today=very_on)
        after = state([sent()], today=very_on + timedelta(days=1))
        assert (on_the_day.status, on_the_day.very_overdue) == (Status.OVERDUE, False)
        assert (after.status, after.very_overdue, after.overdue) == (
            Status.VERY_OVERDUE,
            True,
            True,
        )
        assert after.explanation[-1].startswith("Very overdue:")


class TestClarification:
    events = [sent(), ev(K.CLARIFICATION_REQUESTED, date(2019, 3, 20))]

    def test_asking_for_clarification_stops_the_clock(self):
        s = state(self.events, today=date(2019, 9, 1))
        assert (s.status, s.clock) == (Status.CLARIFICATION, ClockState.STOPPED)
        assert s.due_on is s.working_days_left is None
        assert not s.overdue

    def test_the_clarification_starts_a_fresh_20_working_days(self):
        s = state([*self.events, ev(K.CLARIFICATION_SENT, date(2019, 3, 25))])
        assert (s.status, s.clock) == (Status.AWAITING, ClockState.RUNNING)
        assert s.due_on == wd(date(2019, 3, 25), 20) == date(2019, 4, 24)
        assert s.received_on == FRIDAY
        assert any("after the clarification received on" in line for line in s.explanation)

    def test_a_posted_clarification_arrives_two_working_days_later(self):
        clarified = ev(K.CLARIFICATION_SENT, date(2019, 3, 25), channel=Channel.POST)
        assert state([*self.events, clarified]).due_on == wd(date(2019, 3, 27), 20)

    def test_asking_again_keeps_the_clock_stopped(self):
        again = ev(K.CLARIFICATION_REQUESTED, date(2019, 3, 22))
        check_new_event(self.events, again, regime=FOIA)
        assert state([*self.events, again]).clock is ClockState.STOPPED

    def test_clarification_without_a_request_for_it_is_refused(self):
        message = rejection([sent()], ev(K.CLARIFICATION_SENT, date(2019, 3, 25)))
        assert message == (
            "Clarification on 2019-03-25: there is no open request for clarification to answer."
        )


class TestFees:
    notice = ev(K.FEES_NOTICE, date(2019, 4, 1))

    def test_a_fees_notice_pauses_the_clock(self):
        s = state([sent(), self.notice], today=date(2019, 4, 3))
        assert (s.status, s.clock) == (Status.FEES, ClockState.PAUSED)
        assert s.due_on is None
        assert s.paused_working_days == 3  # 1, 2 and 3 April so far

    def test_paying_disregards_the_working_days_from_notice_to_payment_inclusive(self):
        s = state([sent(), self.notice, ev(K.FEE_PAID, date(2019, 4, 8))])
        assert s.paused_working_days == 6
        assert s.due_on == wd(DUE, 6) == date(2019, 4, 25)
        assert (s.status, s.clock) == (Status.AWAITING, ClockState.RUNNING)
        assert (
            "Paused for fees from Monday 1 April 2019 to Monday 8 April 2019: "
            "6 working days disregarded"
        ) in " ".join(s.explanation)

    def test_a_notice_on_a_weekend_disregards_only_working_days(self):
        events = [sent(), ev(K.FEES_NOTICE, date(2019, 3, 30)), ev(K.FEE_PAID, date(2019, 4, 1))]
        assert state(events).paused_working_days == 1

    def test_an_unpaid_fee_lapses_after_three_months(self):
        before = state([sent(), self.notice], today=date(2019, 6, 30))
        lapsed = state([sent(), self.notice], today=date(2019, 7, 1))
        assert before.status is Status.FEES
        assert (lapsed.status, lapsed.clock) == (Status.FEE_LAPSED, ClockState.ENDED)
        assert "lapsed on Monday 1 July 2019" in lapsed.explanation[-1]

    def test_the_lapse_period_is_a_setting(self):
        policy = ClockPolicy(fee_lapse_months=1)
        assert state([sent(), self.notice], date(2019, 5, 1), policy=policy).status is (
            Status.FEE_LAPSED
        )

    def test_a_payment_without_a_notice_is_refused(self):
        assert rejection([sent()], ev(K.FEE_PAID, date(2019, 4, 8))) == (
            "Fee payment on 2019-04-08: there is no open fees notice for it to pay."
        )

    def test_a_second_notice_while_paused_is_refused(self):
        message = rejection([sent(), self.notice], ev(K.FEES_NOTICE, date(2019, 4, 2)))
        assert "paused for the fees notice of 2019-04-01" in message


class TestExtension:
    def test_extra_working_days_move_the_due_date(self):
        s = state([sent(), ev(K.EXTENSION, date(2019, 4, 10), extension_days=20)])
        assert s.due_on == wd(DUE, 20)
        assert s.extended
        assert any("Public interest extension" in line for line in s.explanation)

    def test_a_named_date_becomes_the_due_date(self):
        s = state([sent(), ev(K.EXTENSION, DUE, extended_to=date(2019, 5, 1))])
        assert (s.due_on, s.extended) == (date(2019, 5, 1), True)

    def test_more_than_20_further_working_days_is_flagged(self):
        s = state([sent(), ev(K.EXTENSION, DUE, extension_days=25)])
        assert any("no more than 20 further working days" in line for line in s.explanation)

    def test_after_the_due_date_is_refused(self):
        late = ev(K.EXTENSION, DUE + timedelta(days=1), extension_days=20)
        assert rejection([sent()], late) == (
            "Extension on 2019-04-16: an extension must be claimed on or before the due date, "
            "2019-04-15."
        )

    def test_after_a_response_is_refused(self):
        message = rejection(
            [sent(), response(date(2019, 4, 1))],
            ev(K.EXTENSION, date(2019, 4, 2), extension_days=20),
        )
        assert message == (
            "Extension on 2019-04-02: an extension must come before the response, and the "
            "request was answered on 2019-04-01."
        )

    def test_foisa_has_no_extension(self):
        message = rejection(
            [sent()], ev(K.EXTENSION, date(2019, 4, 1), extension_days=20), regime=FOISA
        )
        assert "FOISA has no public interest extension" in message

    def test_an_extension_needs_a_date_or_days(self):
        message = rejection([sent()], ev(K.EXTENSION, date(2019, 4, 1)))
        assert "give the new due date or a positive number" in message

    def test_a_new_due_date_before_the_old_one_is_refused(self):
        message = rejection([sent()], ev(K.EXTENSION, DUE, extended_to=date(2019, 4, 10)))
        assert "is not after the current one, 2019-04-15" in message

    def test_while_the_clock_is_stopped_it_is_refused(self):
        events = [sent(), ev(K.CLARIFICATION_REQUESTED, date(2019, 3, 20))]
        message = rejection(events, ev(K.EXTENSION, date(2019, 3, 21), extension_days=5))
        assert "stopped waiting for the clarification asked for on 2019-03-20" in message


class TestResponse:
    @pytest.mark.parametrize(
        ("outcome", "status"),
        [
            (Outcome.FULL, Status.RESPONDED),
            (Outcome.PARTIAL, Status.PARTIAL),
            (Outcome.REFUSED, Status.REFUSED),
            (Outcome.NOT_HELD, Status.NOT_HELD),
        ],
    )
    def test_the_outcome_sets_the_status_and_ends_the_clock(self, outcome, status):
        s = state([sent(), response(date(2019, 4, 1), outcome)], today=date(2019, 9, 1))
        assert (s.status, s.clock, s.outcome) == (status, ClockState.ENDED, outcome)
        assert s.responded_on == date(2019, 4, 1)
        assert not s.overdue and s.working_days_left is None
        assert s.status in ANSWERED_STATUSES

    def test_the_review_window_is_40_working_days(self):
        s = state([sent(), response(date(2019, 4, 1))])
        assert s.last_day_to_request_review == wd(date(2019, 4, 1), 40)

    def test_exemptions_are_kept_and_explained(self):
        s = state([sent(), response(date(2019, 4, 1), Outcome.REFUSED, ["s.12", "s.40"])])
        assert s.exemptions == ("s.12", "s.40")
        assert any("refused, citing s.12, s.40" in line for line in s.explanation)

    def test_a_late_response_says_how_late_and_keeps_the_due_date(self):
        s = state([sent(), response(date(2019, 4, 18))])
        assert s.due_on == DUE
        assert any("3 working days after the due date" in line for line in s.explanation)

    def test_a_later_response_updates_the_outcome_not_the_first_response_date(self):
        events = [sent(), response(date(2019, 4, 1), Outcome.PARTIAL), response(date(2019, 4, 5))]
        s = state(events)
        assert (s.responded_on, s.outcome) == (date(2019, 4, 1), Outcome.FULL)
        assert s.last_day_to_request_review == wd(date(2019, 4, 5), 40)

    def test_a_response_while_waiting_for_clarification_ends_the_clock(self):
        events = [sent(), ev(K.CLARIFICATION_REQUESTED, date(2019, 3, 20)), response(FRIDAY)]
        assert state(events).clock is ClockState.ENDED

    def test_a_response_needs_an_outcome(self):
        assert rejection([sent()], ev(K.RESPONSE, date(2019, 4, 1))) == (
            "Response on 2019-04-01: a response needs an outcome: full, partial, refused or "
            "not held."
        )


class TestReview:
    answered = [sent(), response(date(2019, 4, 1), Outcome.REFUSED)]
    asked = [*answered, ev(K.REVIEW_REQUESTED, date(2019, 4, 10))]

    def test_asking_for_a_review_puts_it_in_review(self):
        s = state(self.asked, today=date(2019, 4, 11))
        assert s.status is Status.IN_REVIEW
        assert s.review_requested_on == date(2019, 4, 10)
        assert s.review_due_on == wd(date(2019, 4, 10), 20)

    def test_the_review_is_overdue_after_20_working_days(self):
        due = wd(date(2019, 4, 10), 20)
        assert state(self.asked, today=due).status is Status.IN_REVIEW
        late = state(self.asked, today=due + timedelta(days=1))
        assert late.status is Status.REVIEW_OVERDUE
        assert "Information Commissioner" in late.explanation[-1]

    def test_foisa_reviews_also_take_20_working_days(self):
        s = state(self.asked, regime=FOISA)
        assert s.review_due_on == wd(date(2019, 4, 10), 20, FOISA)

    def test_foia_complaint_window_is_six_weeks(self):
        s = state([*self.asked, ev(K.REVIEW_RESPONSE, date(2019, 5, 1))])
        assert s.status is Status.REVIEWED
        assert s.last_day_to_complain == date(2019, 6, 12)

    def test_foisa_appeal_window_is_six_months(self):
        s = state([*self.asked, ev(K.REVIEW_RESPONSE, date(2019, 5, 1))], regime=FOISA)
        assert s.last_day_to_complain == date(2019, 11, 1)
        assert any("Scottish Information Commissioner" in line for line in s.explanation)

    def test_a_review_outcome_replaces_the_outcome(self):
        review = ev(K.REVIEW_RESPONSE, date(2019, 5, 1), outcome=Outcome.PARTIAL)
        assert state([*self.asked, review]).outcome is Outcome.PARTIAL

    def test_a_review_before_any_response_is_refused(self):
        assert rejection([sent()], ev(K.REVIEW_REQUESTED, date(2019, 4, 1))) == (
            "Request for an internal review on 2019-04-01: an internal review can only be "
            "asked for after a response, and none is recorded."
        )

    def test_a_review_response_without_a_review_is_refused(self):
        message = rejection(self.answered, ev(K.REVIEW_RESPONSE, date(2019, 4, 5)))
        assert "no open request for an internal review" in message

    def test_a_second_open_review_is_refused(self):
        message = rejection(self.asked, ev(K.REVIEW_REQUESTED, date(2019, 4, 12)))
        assert "already open since 2019-04-10" in message

    def test_a_response_during_a_review_is_refused(self):
        message = rejection(self.asked, response(date(2019, 4, 20)))
        assert "record the authority's answer as the review response" in message


class TestCommissionerAndEnd:
    def test_a_complaint_puts_it_with_the_commissioner(self):
        s = state([sent(), response(date(2019, 4, 1)), ev(K.ICO_COMPLAINT, date(2019, 4, 5))])
        assert s.status is Status.WITH_COMMISSIONER

    def test_a_complaint_about_no_response_keeps_the_clock_running(self):
        s = state([sent(), ev(K.ICO_COMPLAINT, date(2019, 4, 20))], today=date(2019, 4, 25))
        assert (s.status, s.clock, s.overdue) == (
            Status.WITH_COMMISSIONER,
            ClockState.RUNNING,
            True,
        )

    def test_a_decision_notice_closes_the_case(self):
        events = [
            sent(),
            ev(K.ICO_COMPLAINT, date(2019, 4, 20)),
            ev(K.DECISION_NOTICE, date(2019, 8, 1)),
        ]
        s = state(events, today=date(2019, 9, 1))
        assert (s.status, s.clock, s.overdue) == (Status.CLOSED, ClockState.ENDED, False)
        assert s.status in FINAL_STATUSES

    def test_a_decision_notice_without_a_complaint_is_refused(self):
        message = rejection([sent()], ev(K.DECISION_NOTICE, date(2019, 8, 1)))
        assert "no complaint to the Commissioner" in message

    def test_withdrawal_ends_the_clock(self):
        s = state([sent(), ev(K.WITHDRAWN, date(2019, 3, 20))], today=date(2019, 9, 1))
        assert (s.status, s.clock, s.overdue) == (Status.WITHDRAWN, ClockState.ENDED, False)

    @pytest.mark.parametrize("kind", [K.CHASER, K.HELD, K.ICO_COMPLAINT, K.ACKNOWLEDGED])
    def test_nothing_but_notes_after_withdrawal(self, kind):
        events = [sent(), ev(K.WITHDRAWN, date(2019, 3, 20))]
        message = rejection(events, ev(kind, date(2019, 3, 21)))
        assert message.endswith(
            "on 2019-03-21: the request was withdrawn on 2019-03-20; only notes can follow."
        )
        check_new_event(events, ev(K.NOTE, date(2019, 3, 21)), regime=FOIA)


class TestHold:
    held = [sent(), ev(K.HELD, date(2019, 3, 20))]

    def test_holding_shows_on_hold_while_open(self):
        s = state(self.held, today=date(2019, 5, 1))
        assert (s.status, s.on_hold) == (Status.ON_HOLD, True)
        assert s.overdue  # the facts are still there for whoever looks

    def test_resuming_clears_the_hold(self):
        s = state([*self.held, ev(K.RESUMED, date(2019, 3, 25))], today=date(2019, 5, 1))
        assert (s.status, s.on_hold) == (Status.OVERDUE, False)

    def test_a_hold_does_not_hide_an_answer(self):
        s = state([*self.held, response(date(2019, 4, 1))])
        assert (s.status, s.on_hold) == (Status.RESPONDED, True)

    def test_a_hold_shows_only_over_a_running_clock(self):
        asked = ev(K.CLARIFICATION_REQUESTED, date(2019, 3, 21))
        s = state([*self.held, asked], today=date(2019, 5, 1))
        assert (s.status, s.on_hold) == (Status.CLARIFICATION, True)

    def test_resuming_when_not_held_is_refused(self):
        assert rejection([sent()], ev(K.RESUMED, date(2019, 3, 20))) == (
            "Resumption on 2019-03-20: the request is not on hold, so it cannot be resumed."
        )

    def test_holding_twice_is_refused(self):
        message = rejection(self.held, ev(K.HELD, date(2019, 3, 21)))
        assert "already on hold since 2019-03-20" in message

    def test_same_day_events_keep_their_given_order(self):
        day = date(2019, 3, 20)
        held_then_resumed = state([sent(), ev(K.HELD, day), ev(K.RESUMED, day)])
        resumed_then_held = state([sent(), ev(K.RESUMED, day), ev(K.HELD, day)])
        assert not held_then_resumed.on_hold
        assert resumed_then_held.on_hold and len(resumed_then_held.problems) == 1


class TestChasersAndNotes:
    @pytest.mark.parametrize("today", [date(2019, 4, 1), date(2019, 5, 1), date(2019, 6, 1)])
    def test_chasers_and_notes_never_change_the_state(self, today):
        base = [sent(), response(date(2019, 4, 20))]
        noisy = [*base, ev(K.CHASER, date(2019, 4, 16)), ev(K.NOTE, date(2019, 4, 17))]
        assert state(noisy, today) == state(base, today)
        assert state(noisy[:1] + noisy[2:], today) == state(base[:1], today)


class TestCheckNewEvent:
    @pytest.mark.parametrize("kind", [k for k in EventKind if k not in (K.SENT, K.NOTE)])
    def test_nothing_but_notes_before_the_request_is_sent(self, kind):
        message = rejection([], ev(kind, FRIDAY))
        assert "the request has not been sent yet" in message

    def test_a_note_before_sending_is_fine(self):
        check_new_event([], ev(K.NOTE, FRIDAY), regime=FOIA)
        check_new_event([ev(K.NOTE, FRIDAY)], sent(), regime=FOIA)

    def test_a_second_sending_is_refused(self):
        with pytest.raises(EventRejected, match="already sent on 2019-03-15"):
            check_new_event([sent()], sent(date(2019, 3, 20)), regime=FOIA)

    def test_an_event_before_the_request_was_sent_is_refused(self):
        assert rejection([sent()], ev(K.CHASER, date(2019, 3, 1))) == (
            "The event is dated 2019-03-01, before the request was sent on 2019-03-15."
        )

    def test_an_event_outside_the_calendar_is_refused_not_crashed(self):
        message = rejection([sent()], ev(K.CHASER, date(2099, 3, 1)))
        assert "outside the years the working-day calendar covers" in message

    def test_a_back_dated_event_may_not_invalidate_a_later_one(self):
        events = [sent(), response(date(2019, 4, 1))]
        message = rejection(events, ev(K.WITHDRAWN, date(2019, 3, 20)))
        assert message.startswith("That would make the later response on 2019-04-01 invalid:")

    def test_a_valid_history_is_accepted_event_by_event(self):
        history = [
            sent(),
            ev(K.ACKNOWLEDGED, date(2019, 3, 18)),
            ev(K.FEES_NOTICE, date(2019, 3, 20)),
            ev(K.FEE_PAID, date(2019, 3, 25)),
            ev(K.EXTENSION, date(2019, 4, 10), extension_days=10),
            ev(K.CHASER, date(2019, 5, 1)),
            response(date(2019, 5, 2), Outcome.REFUSED, ["s.31"]),
            ev(K.REVIEW_REQUESTED, date(2019, 5, 10)),
            ev(K.REVIEW_RESPONSE, date(2019, 6, 1)),
            ev(K.ICO_COMPLAINT, date(2019, 6, 20)),
            ev(K.DECISION_NOTICE, date(2019, 12, 1)),
        ]
        for i, event in enumerate(history):
            check_new_event(history[:i], event, regime=FOIA)
        s = state(history, today=date(2020, 1, 1))
        assert (s.status, s.problems) == (Status.CLOSED, ())

    def test_rejections_are_value_errors(self):
        assert issubclass(EventRejected, ValueError)


class TestInvalidLogs:
    def test_a_log_that_breaks_the_rules_is_read_with_the_bad_event_skipped(self):
        s = state([sent(), ev(K.FEE_PAID, date(2019, 3, 20))])
        assert s.due_on == DUE
        assert s.problems == (
            "Ignored: Fee payment on 2019-03-20: there is no open fees notice for it to pay.",
        )
        assert s.explanation[-1] == s.problems[0]


class TestStatusGroups:
    def test_groups_do_not_overlap(self):
        assert not RUNNING_STATUSES & ANSWERED_STATUSES
        assert not RUNNING_STATUSES & FINAL_STATUSES
        assert not ANSWERED_STATUSES & FINAL_STATUSES

    def test_state_is_immutable(self):
        s = state([sent()])
        with pytest.raises(AttributeError):
            s.status = Status.CLOSED  # type: ignore[misc]
        assert replace(s, status=Status.CLOSED).status is Status.CLOSED

    def test_events_accept_the_stored_strings(self):
        event = Event("response", FRIDAY, channel="post", outcome="not_held", exemptions=["s.12"])
        assert (event.kind, event.channel, event.outcome) == (
            EventKind.RESPONSE,
            Channel.POST,
            Outcome.NOT_HELD,
        )
        assert event.exemptions == ("s.12",)
        with pytest.raises(ValueError):
            Event("posted", FRIDAY)

    def test_values_are_the_stored_strings(self):
        assert EventKind.CLARIFICATION_REQUESTED == "clarification_requested"
        assert ClockState.NOT_STARTED == "not_started"
        assert Status.WITH_COMMISSIONER == "with_commissioner"
