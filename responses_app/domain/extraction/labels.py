"""Row and column labels -> (dimension, canonical category), through the campaign's vocabularies."""

from __future__ import annotations

import re
from collections.abc import Iterable

from questions.vocab import ALL, TOTAL, CampaignSpec

from ..findings import WARNING, Finding
from ..readers.base import RawValue
from .grid import text_of

Mapped = tuple[str, str]
_GENERIC = {
    "offences",
    "offence",
    "crimes",
    "crime",
    "recorded",
    "number",
    "of",
    "all",
    "the",
    "count",
}
_TOTAL_WORDS = {"total", "totals", "grand", "overall", "sum"}
# Words that make a heading about another measure: `Crime Outcome` is about outcomes,
# not crime categories, though it says `crime`.
_OTHER_MEASURES = {
    "outcome",
    "outcomes",
    "result",
    "results",
    "disposal",
    "disposals",
    "status",
    "ethnicity",
    "gender",
    "sex",
    "month",
    "months",
    "day",
    "weekday",
    "time",
    "sentence",
    "penalty",
    "code",
    "ref",
    "reference",
}


def _total_phrase(text: str) -> bool:
    """`Total offences recorded`, `Grand total (all crimes)`: a total whatever the wording."""
    words = [w for w in re.findall(r"[a-z]+", text.lower()) if w not in _GENERIC]
    return (
        bool(words) and set(words) <= _TOTAL_WORDS and bool({"total", "totals", "sum"} & set(words))
    )


class Labels:
    """Resolves labels against a campaign spec, remembering answers (listings repeat labels)."""

    def __init__(self, spec: CampaignSpec) -> None:
        self.spec = spec
        self._cache: dict[tuple[str, str | None, bool], Mapped | None] = {}
        #: Reading a table headed by a place's name: its labels are not places.
        self.within_place = False

    def resolve(self, label: RawValue, dimension: str | None) -> Mapped | None:
        """The (dimension, category) a label names, within `dimension` when one is known."""
        text = text_of(label) if not isinstance(label, int | float) else label
        key = (str(text), dimension, self.within_place)
        if key in self._cache:
            return self._cache[key]
        found = self._resolve(text, dimension)
        if len(self._cache) < 100_000:
            self._cache[key] = found
        return found

    def _resolve(self, text: object, dimension: str | None) -> Mapped | None:
        if isinstance(text, str) and (self.spec.total.match(text) or _total_phrase(text)):
            return (TOTAL, ALL)
        if dimension and dimension != TOTAL:
            vocabulary = self.spec.dimensions.get(dimension)
            category = vocabulary.match(text) if vocabulary else None
            return (dimension, category) if category else None
        matches = [(name, v.match(text)) for name, v in self.spec.breakdowns.items()]
        hits = [(name, category) for name, category in matches if category]
        if self.within_place:
            hits = [(n, c) for n, c in hits if self.spec.dimensions[n].kind != "place"]
        return hits[0] if len(hits) == 1 else None

    def dimension_named(self, heading: object) -> str | None:
        """The dimension a heading names, unless the heading is about another measure.

        `Crime Outcome` names outcomes, not the crime categories its first word
        suggests: a heading with a measure word that the dimension's own keywords
        do not include names no dimension.
        """
        named = self.spec.dimension_named(heading)
        if named is None or named == TOTAL:
            return named
        head = str(heading).split("/")[0]
        words = set(re.findall(r"[a-z]+", head.lower()))
        vocabulary = self.spec.dimensions[named]
        own = {w for k in (*vocabulary.keywords, named) for w in re.findall(r"[a-z]+", k.lower())}
        return None if (words & _OTHER_MEASURES) - own else named

    def other_measure(self, heading: object) -> str | None:
        """What a label column's heading is about when it is another measure the campaign does
        not ask (`Crime Outcome / Financial Year` -> `Crime Outcome`), else None."""
        head = " ".join(str(heading or "").split("/")[0].split())
        words = set(re.findall(r"[a-z]+", head.lower()))
        if not words & _OTHER_MEASURES or self.dimension_named(heading) not in (None, TOTAL):
            return None
        return head

    def resolve_loosely(self, label: RawValue, dimension: str | None) -> Mapped | None:
        """As `resolve`, then in any single dimension that knows the label (mixed tables)."""
        found = self.resolve(label, dimension)
        if found is None and dimension is not None:
            found = self.resolve(label, None)
        return found

    def candidates(self, label: object) -> list[str]:
        """Every breakdown dimension whose vocabulary knows the label."""
        return [n for n, v in self.spec.breakdowns.items() if v.match(label)]

    def closed_candidates(self, label: object) -> list[str]:
        """As `candidates`, among dimensions with fixed categories (an open one takes any word)."""
        return [n for n, v in self.spec.breakdowns.items() if not v.open and v.match(label)]

    def suggestions(self, label: object, dimension: str | None) -> tuple[str, ...]:
        if dimension and dimension in self.spec.dimensions:
            return self.spec.dimensions[dimension].suggest(label)
        out: list[str] = []
        for vocabulary in self.spec.breakdowns.values():
            out.extend(vocabulary.suggest(label, 2))
        return tuple(out[:4])

    def dimension_hint(
        self, labels: Iterable[RawValue], headings: Iterable[str] = (), titles: Iterable[str] = ()
    ) -> str | None:
        """The breakdown a list of labels belongs to, helped by the column heading and title."""
        scores = {name: 0.0 for name in self.spec.breakdowns}
        for label in labels:
            if self.spec.total.match(text_of(label)):
                continue
            found = self.candidates(label)
            for name in found:
                scores[name] += 1.0 if len(found) == 1 else 0.25
        for weight, texts in ((3.0, headings), (1.0, titles)):
            for text in texts:
                named = self.dimension_named(text)
                if named in scores:
                    scores[named] += weight
        if not scores:
            return None
        ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
        if ranked[0][1] <= 0 or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
            return None
        return ranked[0][0]

    def unknown(
        self, label: RawValue, dimension: str | None, locator: str, count: int = 1
    ) -> Finding:
        """The finding for a label no vocabulary knows: never a silent drop."""
        suggestions = self.suggestions(label, dimension)
        where = f" {dimension}" if dimension else ""
        rows = f" ({count} rows)" if count > 1 else ""
        hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
        return Finding(
            "unknown_category",
            WARNING,
            f"unknown{where} category {text_of(label)!r}{rows}: its figures were not mapped{hint}",
            locator,
            suggestions,
        )
