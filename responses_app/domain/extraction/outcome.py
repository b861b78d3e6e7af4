"""The outcome of a reply (full, partial, refused, not held, clarification) and the sections cited.

The outcome comes from the letter's decision sentences, not from words anywhere:
quoted text (the request, repeated back in the letter) is ignored, so the
`s.139 of the Criminal Justice Act 1988` of a request is never read as an
exemption, and so is boilerplate (review rights, offers to clarify, a form's
section headings such as `Section 12 - Supplementary Financial Information`).
"""

from __future__ import annotations

import re

from questions.vocab import CampaignSpec

from ..findings import WARNING, Finding
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
_COST = re.compile(
    r"\b(?:not\s+(?:held|kept|recorded|stored)\s+in\s+a\s+readily\s+retrievable\s+"
    r"(?:format|form|way|manner)|"
    r"(?:would|will|to)\s+exceed\s+the\s+(?:appropriate|cost|fees?)\s+limit|"
    r"exceeds?\s+the\s+(?:appropriate|cost|fees?)\s+limit|"
    r"cost\s+of\s+compliance\s+(?:would\s+)?exceeds?)",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"internal\s+review|information\s+commissioner|\bICO\b|right\s+(?:to|of)\s+"
    r"(?:appeal|complain|review)|dissatisfied|not\s+satisfied|complain\w*|section\s+50\b|"
    r"(?:do\s+not|don't)\s+hesitate|if\s+you\s+have\s+any\s+(?:further\s+|other\s+)?"
    r"(?:questions|queries|concerns)|if\s+you\s+(?:require|need|would\s+like)\s+(?:any\s+)?"
    r"(?:further\s+)?(?:clarification|information|help|assistance)|contact\s+us\s+(?:for|if)|"
    r"refusal\s+notice|re-?use\s+of\s+(?:the\s+)?information|copyright",
    re.IGNORECASE,
)
_HEADING = re.compile(
    r"^\s*(?i:section|part|question|appendix|annex)\s+\d+[a-z]?\s*[-\u2013\u2014:.]\s*"
    r"[A-Z][\w,&()'/ -]*$"
)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n\s*\n")
_REFUSE = re.compile(
    r"\b(?:refus\w*|exempt\w*|withh[oe]ld\w*|unable\s+to\s+(?:provide|supply|disclose|comply)|"
    r"(?:not\s+(?:able|obliged)|cannot|can\s*not)\s+(?:to\s+)?(?:provide|comply|disclose))",
    re.IGNORECASE,
)


def without_quotes(text: str) -> str:
    """The text with quoted passages blanked (same length, so offsets still hold)."""
    return _QUOTED.sub(lambda m: " " * len(m.group(0)), text)


def decision_sentences(text: str) -> list[str]:
    """The letter's sentences that may decide the outcome: no quotes, headings or boilerplate."""
    kept_lines = [line for line in without_quotes(text).splitlines() if not _HEADING.match(line)]
    sentences = _SENTENCE.split("\n".join(kept_lines))
    out = []
    for sentence in sentences:
        sentence = " ".join(sentence.split())
        if sentence and not _BOILERPLATE.search(sentence):
            out.append(sentence)
    return out


def _section_key(section: str) -> tuple[int, str]:
    digits = re.match(r"s(\d+)", section)
    return (int(digits.group(1)) if digits else 999, section)


def cited_sections(text: str) -> list[str]:
    """FOI Act exemptions cited, with their subsections (`s12(1)`, `s40(2)`), in section order."""
    found: set[str] = set()
    for match in _CITATION.finditer(text):
        numbers = [(int(match.group(2)), match.group(3))]
        end = match.end()
        if match.group(1).lower().startswith(("sections", "ss")):
            while more := _MORE.match(text, end):
                numbers.append((int(more.group(1)), more.group(2)))
                end = more.end()
        if _OTHER_ACT.match(text, end):
            continue
        for number, subsections in numbers:
            if number in EXEMPTION_SECTIONS:
                found.add(f"s{number}" + "".join((subsections or "").split()).lower())
    general = {s for s in found if any(o != s and o.startswith(s + "(") for o in found)}
    return sorted(found - general, key=_section_key)


def classify_outcome(
    text: str, figures: list[Figure], spec: CampaignSpec, *, letter: bool = True
) -> tuple[str, list[str], list[Finding]]:
    """(outcome, exemptions, findings) from the letter's decision sentences and the figures.

    `letter` is False for a bare file of figures (a spreadsheet with no letter):
    its figures are a full disclosure whatever breakdowns it lacks.
    """
    sentences = decision_sentences(text)
    decided = "\n".join(sentences)
    exemptions = cited_sections(decided)
    if _COST.search(decided) and not any(_section_key(e)[0] == 12 for e in exemptions):
        exemptions = sorted([*exemptions, "s12"], key=_section_key)
    if figures:
        if exemptions or _REFUSE.search(decided):
            return PARTIAL, exemptions, []
        if not letter:
            return FULL, exemptions, []
        dimensions = {f.dimension for f in figures}
        periods = [f.period_range for f in figures]
        complete = all(d in dimensions for d in spec.dimensions) and all(
            any(p.overlaps(asked) for p in periods) for asked in spec.periods
        )
        return (FULL if complete else PARTIAL), exemptions, []
    if exemptions:
        return REFUSED, exemptions, []
    if _NOT_HELD.search(decided):
        return NOT_HELD, exemptions, []
    if _CLARIFY.search(decided):
        return CLARIFICATION, exemptions, []
    if _REFUSE.search(decided):
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
