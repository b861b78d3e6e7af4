"""The working-day calendar of a regime, with the administrators' closure days."""

from datetime import date

from django.conf import settings

from requests_app.domain.calendar import Regime, WorkingCalendar, calendar_for
from requests_app.domain.lifecycle import ClockPolicy
from requests_app.models import ClosureDay


def calendar(regime: Regime | str) -> WorkingCalendar:
    """The calendar for ``regime`` as the administrators left it (one query)."""
    added: dict[date, str] = {}
    removed: list[date] = []
    for row in ClosureDay.objects.filter(regime=regime).only("date", "action", "reason"):
        if row.action == ClosureDay.Action.ADDED:
            added[row.date] = row.reason
        else:
            removed.append(row.date)
    return calendar_for(Regime(regime), added=added, removed=tuple(sorted(removed)))


def clock_policy() -> ClockPolicy:
    return ClockPolicy(
        arrival_day_is_day_zero=settings.FOI_ARRIVAL_DAY_IS_DAY_ZERO,
        post_receipt_working_days=settings.FOI_POST_RECEIPT_WORKING_DAYS,
    )
