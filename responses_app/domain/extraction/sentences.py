"""Totals given in sentences: `In 2019/20 we recorded 69 offences and in 2020/21, 68.`

Read only when a reply has no table figures. A sentence is used when it pairs
financial years with numbers one to one; a sentence that also names a
category (a platform, an age) is not guessed at: it becomes a finding.
"""

from __future__ import annotations

import bisect
import re

from questions.periods import find_financial_years
from questions.vocab import ALL, NOT_RECORDED, TOTAL

from ..findings import INFO, WARNING
from ..readers.base import TextLine
from ..values import Value
from .context import Context
from .outcome import without_quotes

_NUMBER = re.compile(r"(?<![\w.,/\u00a3$-])(\d{1,3}(?:,\d{3})+|\d+)(?![\w/%]|[.,]\d)")
_MONTHS = (
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|january|february|march|april|june|"
    r"july|august|september|october|november|december"
)
_NOT_A_COUNT_AFTER = re.compile(
    rf"\s*(?:%|per\s*cent|percent|hours?|hrs?|minutes?|mins?|days?|working|weeks?|months?|"
    rf"years?\s+old|pounds|{_MONTHS})\b",
    re.IGNORECASE,
)
_NOT_A_COUNT_BEFORE = re.compile(
    rf"(?:\bsections?|\bs\.|\u00a3|\bno\.|\bref\w*|\baged?|{_MONTHS}|\bpage|\btable)\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_COUNTING = re.compile(
    r"\b(?:offen[cs]es?|crimes?|recorded|incidents?|cases?|occurrences?|totals?)\b", re.I
)
_ESTIMATE = re.compile(
    r"\b(?:approx\w*|around|about|estimat\w*|roughly|circa|more than|over|in excess of|"
    r"at least|several|some|preliminary|would)\b",
    re.IGNORECASE,
)


def _category_words(ctx: Context) -> re.Pattern | None:
    words: set[str] = set()
    for vocabulary in ctx.spec.breakdowns.values():
        for canonical, synonyms in vocabulary.categories.items():
            if canonical in (NOT_RECORDED, "Other"):
                continue
            words.update(w for w in (canonical, *synonyms) if len(w) >= 5 and " " not in w.strip())
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words)) + r")\b", re.I)


def figures_from_sentences(lines: list[TextLine], ctx: Context) -> None:
    """Observe totals stated in the letter's sentences."""
    if not lines:
        return
    starts, parts, position = [], [], 0
    for line in lines:
        starts.append(position)
        parts.append(line.text)
        position += len(line.text) + 1
    text = without_quotes("\n".join(parts))
    categories = _category_words(ctx)
    offset = 0
    for sentence in _SENTENCE_END.split(text):
        begin = text.find(sentence, offset)
        offset = begin + len(sentence)
        periods = find_financial_years(sentence)
        if not periods:
            continue
        numbers = [m for m in _NUMBER.finditer(sentence) if _is_count(sentence, m, periods)]
        if not numbers:
            continue
        locator = lines[bisect.bisect_right(starts, begin) - 1].locator
        if not _COUNTING.search(sentence):
            continue
        if _ESTIMATE.search(sentence):
            ctx.find(
                "figures_in_text",
                WARNING,
                "a sentence gives an estimate or a bound, not a count: enter it by hand if need be",
                locator,
            )
            continue
        if categories is not None and categories.search(sentence):
            ctx.find(
                "figures_in_text",
                WARNING,
                "a sentence gives figures for a category: enter them by hand",
                locator,
            )
            continue
        for period, number in _pair(periods, numbers):
            where = lines[bisect.bisect_right(starts, begin + number.start()) - 1].locator
            value = Value.exact(int(number.group(1).replace(",", "")))
            ctx.observe(period, (TOTAL, ALL), value, where, group=-1)
            ctx.find(
                "figure_from_text",
                INFO,
                f"the total for {period.label} ({value.value}) was read from a sentence: check it",
                where,
            )


def _is_count(sentence: str, match: re.Match, periods: list) -> bool:
    start, end = match.span()
    if any(p_start <= start < p_end for p_start, p_end, _ in periods):
        return False
    digits = match.group(1).replace(",", "")
    if len(digits) == 4 and 1990 <= int(digits) <= 2100:
        return False
    if _NOT_A_COUNT_AFTER.match(sentence, end):
        return False
    return not _NOT_A_COUNT_BEFORE.search(sentence[max(0, start - 12) : start])


def _pair(periods: list, numbers: list[re.Match]) -> list:
    """Each period with its number: after it (`in 2019/20 we recorded 69`) or before it."""
    if len(numbers) != len(periods):
        return []
    after = numbers[0].start() > periods[0][1]
    pairs = []
    for index, (p_start, p_end, period) in enumerate(periods):
        number = numbers[index]
        following = periods[index + 1][0] if index + 1 < len(periods) else None
        previous = periods[index - 1][1] if index else 0
        if after and (number.start() < p_end or (following and number.start() > following)):
            return []
        if not after and (number.start() > p_start or number.start() < previous):
            return []
        pairs.append((period, number))
    return pairs
