from datetime import UTC, date, datetime

from requests_app.domain.ical import CalEvent, escape, fold, to_ics

STAMP = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


def unfold(ics: str) -> list[str]:
    return ics.replace("\r\n ", "").split("\r\n")


def test_a_calendar_of_all_day_events_per_rfc_5545():
    ics = to_ics(
        "FOI deadlines: Kent, Essex",
        [CalEvent("r-1-due_on@x", date(2024, 5, 31), "Response due: Kent Police (c/kent)")],
        stamp=STAMP,
    )
    assert ics.endswith("END:VCALENDAR\r\n") and "\n" not in ics.replace("\r\n", "")
    lines = unfold(ics)
    assert lines[:4] == ["BEGIN:VCALENDAR", "VERSION:2.0", lines[2], "CALSCALE:GREGORIAN"]
    assert "X-WR-CALNAME:FOI deadlines: Kent\\, Essex" in lines
    assert "DTSTART;VALUE=DATE:20240531" in lines and "DTEND;VALUE=DATE:20240601" in lines
    assert "DTSTAMP:20240501T093000Z" in lines and "UID:r-1-due_on@x" in lines


def test_text_is_escaped():
    assert escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "é" * 100
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join(p.removeprefix(" ") if i else p for i, p in enumerate(pieces)) == line
