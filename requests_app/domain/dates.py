"""Dates people type: ``YYYY-MM-DD`` only, and event days that can have happened.

``date.fromisoformat`` also takes ``20190315`` and ``2024-W01``; a command's help
says ``YYYY-MM-DD``, so that is all ``parse_iso_date`` accepts. An event (a
request sent, a response received) cannot be dated after today, in the
application's time zone, nor before the Freedom of Information Act came into
force on 1 January 2005.
"""

from __future__ import annotations

import re
from datetime import date

__all__ = ["EARLIEST_EVENT", "event_date_problem", "parse_iso_date"]

#: FOIA and FOISA were in force from this day: no request can be older.
EARLIEST_EVENT = date(2005, 1, 1)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_iso_date(text: str) -> date:
    """The date ``text`` spells as ``YYYY-MM-DD`` (ValueError with a sentence otherwise)."""
    value = (text or "").strip()
    if _ISO.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass  # 2019-02-30
    raise ValueError(f"{value!r} is not a date: use YYYY-MM-DD.")


def event_date_problem(on: date, today: date) -> str:
    """Why an event cannot be dated ``on`` (empty when it can)."""
    if on > today:
        return f"{on.isoformat()} is in the future: an event can be dated today at the latest."
    if on < EARLIEST_EVENT:
        return (
            f"{on.isoformat()} is before {EARLIEST_EVENT.isoformat()}, when the Freedom of "
            "Information Acts came into force."
        )
    return ""
