"""The outcome of a reply (full, partial, refused, not held, clarification) and the sections cited.

Quoted text (the request, repeated back in the letter) is ignored, so the
`s.139 of the Criminal Justice Act 1988` of a request is never read as an exemption.
"""

from __future__ import annotations

import re

from ..findings import WARNING, Finding
from ..vocab import CampaignSpec
from .model import Figure

FULL, PARTIAL, REFUSED, NOT_HELD, CLARIFICATION, UNKNOWN = (
    "full",
    "partial",
    "refused",
    "not_held",
    "clarification",
    "unknown",
)
OUTCOMES = (FULL, PARTIAL, REFUSED, NOT_HELD, CLARIFICATION, UNKNOWN)
EXEMPTION_SECTIONS = frozenset({12, 14, *range(21, 45)})

_QUOTED = re.compile(r'"[^"]{20,3000}"|\u201c[^\u201d]{20,3000}\u201d')
_CITATION = re.compile(
    r"\b(sections?\s*|ss?\.\s*|s(?=\d))(\d{1,2})(?![\dA-Za-z])((?:\s*\([0-9a-z]{1,4}\))*)",
    re.IGNORECASE,
)
_MORE = re.compile(
    r"\s*(?:,|and|&|or)\s*(?:s\.?\s*)?(\d{1,2})(?![\dA-Za-z])((?:\s*\([0-9a-z]{1,4}\))*)",
    re.IGNORECASE,
)
_OTHER_ACT = re.compile(
    r"\s*of\s+the\s+(?!Freedom of Information|FOI|Act\b)"
    r"[A-Z][A-Za-z()]*(?:\s+[A-Z][A-Za-z()]*)*\s+Act"
)
_NOT_HELD = re.compile(
    r"\b(?:(?:is|are|was|were)\s+not\s+held|does\s+not\s+hold|do\s+not\s+hold|"
    r"no\s+(?:recorded\s+)?information\s+(?:is\s+)?held|holds?\s+no\s+(?:recorded\s+)?information|"
    r"not\s+recorded\s+in\s+a\s+way)\b",
    re.IGNORECASE,
)
_CLARIFY = re.compile(
    r"\b(?:clarify|clarification|more\s+specific|could\s+you\s+(?:please\s+)?(?:confirm|specify)|"
    r"please\s+(?:confirm|specify)\s+(?:what|which|whether))",
    re.IGNORECASE,
)
_REFUSE = re.compile(
    r"\b(?:refus\w*|exempt\w*|withh[oe]ld\w*|unable\s+to\s+(?:provide|supply|disclose|comply)|"
    r"(?:not\s+(?:able|obliged)|cannot|can\s*not)\s+(?:to\s+)?(?:provide|comply|disclose))",
    re.IGNORECASE,
)


def without_quotes(text: str) -> str:
    """The text with quoted passages blanked (same length, so offsets still hold)."""
    return _QUOTED.sub(lambda m: " " * len(m.group(0)), text)


def cited_sections(text: str) -> list[str]:
    """FOI Act exemptions cited (`s12`, `s40`), in order of section number."""
    found: set[int] = set()
    for match in _CITATION.finditer(text):
        numbers = [int(match.group(2))]
        end = match.end()
        if match.group(1).lower().startswith(("sections", "ss")):
            while more := _MORE.match(text, end):
                numbers.append(int(more.group(1)))
                end = more.end()
        if _OTHER_ACT.match(text, end):
            continue
        found.update(n for n in numbers if n in EXEMPTION_SECTIONS)
    return [f"s{n}" for n in sorted(found)]


def classify_outcome(
    text: str, figures: list[Figure], spec: CampaignSpec
) -> tuple[str, list[str], list[Finding]]:
    """(outcome, exemptions, findings) from the letter's text and the figures it gave."""
    letter = without_quotes(text)
    exemptions = cited_sections(letter)
    if figures:
        dimensions = {f.dimension for f in figures}
        periods = [f.period_range for f in figures]
        complete = all(d in dimensions for d in spec.dimensions) and all(
            any(p.overlaps(asked) for p in periods) for asked in spec.periods
        )
        return (FULL if complete else PARTIAL), exemptions, []
    if exemptions:
        return REFUSED, exemptions, []
    if _NOT_HELD.search(letter):
        return NOT_HELD, exemptions, []
    if _CLARIFY.search(letter):
        return CLARIFICATION, exemptions, []
    if _REFUSE.search(letter):
        finding = Finding(
            "no_sections_cited", WARNING, "the reply refuses the request but cites no section"
        )
        return REFUSED, exemptions, [finding]
    finding = Finding(
        "outcome_unclear",
        WARNING,
        "no figures were found and the letter does not say why: read it and record the outcome",
    )
    return UNKNOWN, exemptions, [finding]
