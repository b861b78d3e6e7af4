"""Working-day calendars: FOIA counts every UK nation's bank holidays, FOISA Scotland's only."""

from datetime import date, timedelta

import holidays
import pytest

from requests_app.domain.calendar import Regime, WorkingCalendar, add_months, calendar_for

FOIA = calendar_for(Regime.FOIA)
FOISA = calendar_for(Regime.FOISA)


def _england_only_due(start: date, n: int) -> date:
    """The wrong answer an England-and-Wales-only calendar gives, counted day by day."""
    england = holidays.country_holidays("GB", subdiv="ENG", years=[start.year])
    day = start
    while n:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in england:
            n -= 1
    return day


class TestWorkedExample:
    def test_received_friday_15_march_2019_is_due_monday_15_april(self):
        assert FOIA.add_working_days(date(2019, 3, 15), 20) == date(2019, 4, 15)

    def test_st_patricks_substitute_day_is_not_a_foia_working_day(self):
        assert not FOIA.is_working_day(date(2019, 3, 18))

    def test_an_england_only_calendar_gives_12_april(self):
        assert _england_only_due(date(2019, 3, 15), 20) == date(2019, 4, 12)

    def test_removing_st_patricks_substitute_day_gives_the_england_answer(self):
        calendar = WorkingCalendar(Regime.FOIA, removed=[date(2019, 3, 18)])
        assert calendar.add_working_days(date(2019, 3, 15), 20) == date(2019, 4, 12)

    def test_a_saturday_receipt_has_the_fridays_deadline(self):
        friday = FOIA.add_working_days(date(2019, 3, 15), 20)
        assert FOIA.add_working_days(date(2019, 3, 16), 20) == friday
        assert FOIA.add_working_days(date(2019, 3, 17), 20) == friday


class TestFoiaCalendar:
    @pytest.mark.parametrize(
        "day",
        [
            date(2019, 1, 2),  # 2 January, Scotland
            date(2019, 3, 18),  # St Patrick's Day substitute, Northern Ireland
            date(2019, 4, 19),  # Good Friday
            date(2019, 4, 22),  # Easter Monday (not Scotland)
            date(2019, 7, 12),  # Battle of the Boyne, Northern Ireland
            date(2019, 8, 5),  # Summer bank holiday, Scotland
            date(2019, 8, 26),  # Late summer bank holiday (not Scotland)
            date(2019, 12, 2),  # St Andrew's Day substitute, Scotland
            date(2020, 5, 8),  # VE Day, moved May bank holiday
            date(2022, 6, 3),  # Platinum Jubilee
            date(2022, 9, 19),  # State funeral
            date(2023, 5, 8),  # Coronation
            date(2023, 3, 17),  # St Patrick's Day on a Friday
        ],
    )
    def test_non_working_days(self, day):
        assert day.weekday() < 5
        assert not FOIA.is_working_day(day)

    @pytest.mark.parametrize("day", [date(2019, 3, 14), date(2019, 7, 11), date(2019, 12, 3)])
    def test_ordinary_weekdays_are_working_days(self, day):
        assert FOIA.is_working_day(day)

    def test_weekends_are_not_working_days(self):
        assert not FOIA.is_working_day(date(2019, 3, 16))
        assert not FOIA.is_working_day(date(2019, 3, 17))

    def test_christmas_boxing_day_and_new_year_run(self):
        # 2022: Christmas Day a Sunday (substitute Tuesday 27th); 2023: New Year's Day a
        # Sunday (substitute Monday 2nd) and 2 January's Scottish substitute Tuesday 3rd.
        assert FOIA.next_working_day(date(2022, 12, 23)) == date(2022, 12, 28)
        assert FOIA.next_working_day(date(2022, 12, 30)) == date(2023, 1, 4)
        assert FOIA.working_days_between(date(2022, 12, 23), date(2023, 1, 4)) == 4

    def test_christmas_2020_boxing_day_substitute(self):
        assert FOIA.next_working_day(date(2020, 12, 24)) == date(2020, 12, 29)

    def test_reasons_name_the_nations_that_observe_a_holiday(self):
        assert FOIA.holiday_reason(date(2019, 3, 18)) == (
            "St Patrick's Day (substitute day), Northern Ireland"
        )
        assert FOIA.holiday_reason(date(2019, 1, 2)) == "2 January, Scotland"
        assert FOIA.holiday_reason(date(2019, 7, 12)) == "Battle of the Boyne, Northern Ireland"
        assert FOIA.holiday_reason(date(2019, 4, 22)) == (
            "Easter Monday, England, Wales and Northern Ireland"
        )

    def test_reasons_of_holidays_all_nations_share_name_no_nation(self):
        assert FOIA.holiday_reason(date(2019, 4, 19)) == "Good Friday"
        assert FOIA.holiday_reason(date(2019, 12, 25)) == "Christmas Day"
        assert FOIA.holiday_reason(date(2022, 12, 27)) == "Christmas Day (substitute day)"

    def test_a_day_with_two_holidays_names_both(self):
        assert FOIA.holiday_reason(date(2023, 1, 2)) == (
            "New Year's Day (substitute day); 2 January, Scotland"
        )

    def test_weekend_holidays_have_a_reason_too(self):
        assert FOIA.holiday_reason(date(2019, 3, 17)) == "St Patrick's Day, Northern Ireland"

    def test_a_working_day_has_no_reason(self):
        assert FOIA.holiday_reason(date(2019, 3, 19)) is None


class TestFoisaCalendar:
    @pytest.mark.parametrize(
        "day",
        [
            date(2019, 4, 22),  # Easter Monday
            date(2019, 8, 26),  # Late summer bank holiday (England, Wales, NI)
            date(2019, 3, 18),  # St Patrick's Day substitute
            date(2019, 7, 12),  # Battle of the Boyne
        ],
    )
    def test_other_nations_holidays_are_scottish_working_days(self, day):
        assert FOISA.is_working_day(day)
        assert not FOIA.is_working_day(day)

    @pytest.mark.parametrize(
        "day",
        [
            date(2019, 1, 2),  # 2 January
            date(2019, 4, 19),  # Good Friday (a Scottish bank holiday in the package)
            date(2019, 8, 5),  # Summer bank holiday
            date(2019, 12, 2),  # St Andrew's Day, substitute for Saturday 30 November
            date(2020, 11, 30),  # St Andrew's Day on a Monday
            date(2022, 1, 4),  # 2 January substitute
            date(2019, 12, 25),
            date(2019, 12, 26),
            date(2020, 5, 8),
            date(2022, 6, 3),
            date(2022, 9, 19),
            date(2023, 5, 8),
        ],
    )
    def test_scottish_non_working_days(self, day):
        assert not FOISA.is_working_day(day)

    def test_reasons_do_not_repeat_scotland(self):
        assert FOISA.holiday_reason(date(2019, 1, 2)) == "2 January"
        assert FOISA.holiday_reason(date(2019, 12, 2)) == "St Andrew's Day (substitute day)"

    def test_new_year_run(self):
        assert FOISA.next_working_day(date(2022, 12, 30)) == date(2023, 1, 4)


class TestArithmetic:
    def test_day_zero_is_the_start_whatever_it_is(self):
        sunday = date(2019, 3, 17)
        assert FOIA.add_working_days(sunday, 0) == sunday
        assert FOIA.add_working_days(sunday, 1) == date(2019, 3, 19)

    def test_negative_days_are_refused(self):
        with pytest.raises(ValueError, match="negative"):
            FOIA.add_working_days(date(2019, 3, 15), -1)

    def test_working_days_between_counts_the_half_open_interval(self):
        assert FOIA.working_days_between(date(2019, 3, 15), date(2019, 3, 19)) == 1
        assert FOIA.working_days_between(date(2019, 3, 14), date(2019, 3, 15)) == 1
        assert FOIA.working_days_between(date(2019, 3, 15), date(2019, 3, 15)) == 0
        assert FOIA.working_days_between(date(2019, 3, 19), date(2019, 3, 15)) == 0
        assert FOIA.working_days_between(date(2019, 3, 15), date(2019, 4, 15)) == 20

    def test_next_working_day_is_strictly_after(self):
        assert FOIA.next_working_day(date(2019, 3, 14)) == date(2019, 3, 15)
        assert FOIA.next_working_day(date(2019, 3, 15)) == date(2019, 3, 19)

    def test_non_working_weekdays_lists_only_mondays_to_fridays_in_the_interval(self):
        days = FOIA.non_working_weekdays(date(2019, 3, 15), date(2019, 4, 22))
        assert days == [
            (date(2019, 3, 18), "St Patrick's Day (substitute day), Northern Ireland"),
            (date(2019, 4, 19), "Good Friday"),
            (date(2019, 4, 22), "Easter Monday, England, Wales and Northern Ireland"),
        ]
        assert FOIA.non_working_weekdays(date(2019, 4, 19), date(2019, 4, 21)) == []

    @pytest.mark.parametrize("day", [date(1994, 12, 31), date(2076, 1, 1)])
    def test_dates_outside_the_calendar_are_refused(self, day):
        with pytest.raises(ValueError, match="covers 1995 to 2075"):
            FOIA.is_working_day(day)

    def test_a_deadline_past_the_last_year_is_refused(self):
        with pytest.raises(ValueError, match="after the end"):
            FOIA.add_working_days(date(2075, 12, 20), 20)

    def test_the_year_range_can_be_chosen(self):
        calendar = WorkingCalendar(Regime.FOIA, first_year=2019, last_year=2019)
        assert calendar.add_working_days(date(2019, 3, 15), 20) == date(2019, 4, 15)
        with pytest.raises(ValueError):
            calendar.is_working_day(date(2020, 1, 2))


class TestAdministratorChanges:
    def test_an_added_closure_is_not_a_working_day_and_says_why(self):
        calendar = WorkingCalendar(Regime.FOIA, added={date(2019, 3, 20): "Proclaimed holiday"})
        assert not calendar.is_working_day(date(2019, 3, 20))
        assert calendar.holiday_reason(date(2019, 3, 20)) == "Proclaimed holiday"
        assert calendar.add_working_days(date(2019, 3, 15), 20) == date(2019, 4, 16)

    def test_a_removed_bank_holiday_becomes_a_working_day(self):
        calendar = WorkingCalendar(Regime.FOIA, removed=[date(2019, 7, 12)])
        assert calendar.is_working_day(date(2019, 7, 12))
        assert calendar.holiday_reason(date(2019, 7, 12)) is None

    def test_christmas_day_and_good_friday_cannot_be_removed_under_foia(self):
        calendar = WorkingCalendar(Regime.FOIA, removed=[date(2019, 12, 25), date(2019, 4, 19)])
        assert not calendar.is_working_day(date(2019, 12, 25))
        assert not calendar.is_working_day(date(2019, 4, 19))
        assert calendar.is_statutory(date(2019, 4, 19))

    def test_foisa_names_christmas_day_but_not_good_friday(self):
        calendar = WorkingCalendar(Regime.FOISA, removed=[date(2019, 12, 25), date(2019, 4, 19)])
        assert not calendar.is_working_day(date(2019, 12, 25))
        assert calendar.is_working_day(date(2019, 4, 19))

    def test_an_added_day_on_a_holiday_keeps_both_reasons(self):
        calendar = WorkingCalendar(Regime.FOIA, added={date(2019, 4, 19): "Office closed"})
        assert calendar.holiday_reason(date(2019, 4, 19)) == "Good Friday; Office closed"

    def test_changes_outside_the_calendar_are_refused(self):
        with pytest.raises(ValueError, match="outside"):
            WorkingCalendar(Regime.FOIA, added={date(1990, 1, 2): "Too early"})


class TestCalendarFor:
    def test_accepts_the_regime_as_a_string_and_caches(self):
        assert calendar_for("FOIA") is calendar_for(Regime.FOIA)

    def test_equal_changes_share_one_calendar(self):
        one = calendar_for("FOISA", {date(2024, 6, 3): "Proclaimed"}, [date(2024, 8, 5)])
        two = calendar_for("FOISA", {date(2024, 6, 3): "Proclaimed"}, (date(2024, 8, 5),))
        assert one is two
        assert not one.is_working_day(date(2024, 6, 3))
        assert one.is_working_day(date(2024, 8, 5))

    def test_different_changes_give_different_calendars(self):
        assert calendar_for("FOIA", {date(2024, 6, 3): "X"}) is not calendar_for("FOIA")

    def test_an_unknown_regime_is_refused(self):
        with pytest.raises(ValueError):
            calendar_for("GDPR")


class TestAddMonths:
    @pytest.mark.parametrize(
        ("start", "months", "expected"),
        [
            (date(2019, 3, 15), 3, date(2019, 6, 15)),
            (date(2019, 8, 31), 6, date(2020, 2, 29)),
            (date(2019, 11, 30), 3, date(2020, 2, 29)),
            (date(2019, 12, 31), 1, date(2020, 1, 31)),
            (date(2019, 1, 31), 1, date(2019, 2, 28)),
        ],
    )
    def test_same_day_later_or_the_months_last_day(self, start, months, expected):
        assert add_months(start, months) == expected
