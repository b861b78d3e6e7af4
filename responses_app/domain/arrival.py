"""One outcome for a reply that came as several files (a letter, a spreadsheet, the email body).

Pure (no Django). Each file's extraction says full, partial, refused or not
held (or nothing decisive: unknown, clarification); the reply as a whole is:

- the one outcome, when the files agree;
- partial when any file says partial, or when figures were given (full) but
  something else was refused or not held;
- refused when some of it was refused and the rest is not held.

Exemptions are the union of the files', in section order.
"""

from __future__ import annotations

from collections.abc import Iterable

DECIDED = ("full", "partial", "refused", "not_held")


def _section(exemption: str) -> tuple[int, str]:
    digits = "".join(ch for ch in exemption if ch.isdigit())
    return (int(digits) if digits else 999, exemption)


def combine_outcomes(
    readings: Iterable[tuple[str, Iterable[str]]],
) -> tuple[str, list[str]] | None:
    """(outcome, exemptions) for a reply's files, or None when none of them decides."""
    outcomes: set[str] = set()
    exemptions: set[str] = set()
    for outcome, cited in readings:
        if outcome in DECIDED:
            outcomes.add(outcome)
            exemptions.update(cited)
    if not outcomes:
        return None
    if len(outcomes) == 1:
        outcome = outcomes.pop()
    elif "partial" in outcomes or "full" in outcomes:
        outcome = "partial"
    else:
        outcome = "refused"
    return outcome, sorted(exemptions, key=_section)
