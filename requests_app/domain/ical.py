"""An iCalendar (RFC 5545) feed of all-day deadlines, written by hand.

Only what a calendar needs to show a deadline: one all-day ``VEVENT`` per date
with a stable ``UID`` (so a calendar updates an event when the date moves
rather than adding another), text escaped (RFC 5545 3.3.11), lines folded at
75 octets (3.1) and ended with CRLF.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

__all__ = ["CalEvent", "escape", "fold", "to_ics"]

PRODID = "-//FOI Tracker//Deadlines//EN"


@dataclass(frozen=True)
class CalEvent:
    uid: str
    day: date
    summary: str
    description: str = ""
    url: str = ""


def escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and newlines."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never inside a UTF-8 character."""
    out, piece, size = [], "", 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(piece)
            piece, size, limit = "", 0, 74  # continuation lines start with a space
        piece += char
        size += width
    out.append(piece)
    return "\r\n ".join(out)


def _day(d: date) -> str:
    return f"{d:%Y%m%d}"


def to_ics(name: str, events: Iterable[CalEvent], *, stamp: datetime) -> str:
    """The calendar ``name`` with ``events``; ``stamp`` is the DTSTAMP of every event."""
    stamp_utc = stamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape(event.uid)}",
            f"DTSTAMP:{stamp_utc}",
            f"DTSTART;VALUE=DATE:{_day(event.day)}",
            f"DTEND;VALUE=DATE:{_day(event.day + timedelta(days=1))}",
            f"SUMMARY:{escape(event.summary)}",
            "TRANSP:TRANSPARENT",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape(event.description)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
