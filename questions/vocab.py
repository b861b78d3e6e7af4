"""Vocabularies: the canonical categories of a dimension and the spellings seen in replies.

Matching ignores case, spacing and punctuation, and, failing that, a trailing
note in brackets (an owner or a footnote). A label a closed vocabulary does not
know gets close suggestions, so the researcher can map it by hand rather than
lose it; an open vocabulary (places, crime types as a force words them) keeps it
as a new category. Which categories a campaign knows is its own data: the
schema (``schema.py``) and the built-in lists (``builtin.py``), never code.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import builtin
from .periods import Period

NOT_RECORDED = "Not recorded"
NOT_RECORDED_SYNONYMS = (
    "Unknown",
    "Not known",
    "Not stated",
    "Blank",
    "No method recorded",
    "Not recorded",
    "Unrecorded",
    "No data",
    "Missing",
    "Not specified",
    "No age recorded",
    "Age not recorded",
    "Age unknown",
)
TOTAL = "total"
MAX_PLAUSIBLE_AGE = 120
ALL = "all"

_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")
#: An open list keeps a new label as a category, but not a sentence (a footnote row).
_MAX_NEW_CATEGORY_WORDS = 12
_FOOTNOTE = re.compile(
    r"(?:\s*(?:\(\s*[a-z0-9]{1,2}\s*\)|\[\s*[a-z0-9]{1,2}\s*\]|[*\u2020\u2021\u00b9\u00b2\u00b3]+))+$"
)


def strip_footnote(text: str) -> str:
    """`Theft (1)`, `2019/20*`, `Hospital [a]` without their footnote markers."""
    stripped = _FOOTNOTE.sub("", text)
    return stripped if stripped.strip() else text


def normalise_label(text: object) -> str:
    """The matching key of a label: lower case, no accents, no punctuation or spaces."""
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    folded = strip_footnote(folded.strip().lower())
    return re.sub(r"[^0-9a-z+]", "", folded)


def _words(text: str) -> set[str]:
    words = re.findall(r"[a-z]+", str(text).lower())
    return {w for w in words} | {w[:-1] for w in words if w.endswith("s") and len(w) > 3}


@dataclass
class Vocabulary:
    """The categories of one dimension, with their synonyms and heading keywords."""

    name: str
    categories: dict[str, tuple[str, ...]]
    keywords: tuple[str, ...] = ()
    _index: dict[str, str] = field(init=False, repr=False, default_factory=dict)
    #: Open: a label the list does not know is kept as a new category (see ``match``).
    open: bool = False
    label: str = ""
    #: The schema kind of the dimension ("list", "place", ...): a place dimension takes
    #: the names printed above per-place tables.
    kind: str = "list"

    def __post_init__(self) -> None:
        self.categories = {c: tuple(s) for c, s in self.categories.items()}
        for canonical, synonyms in self.categories.items():
            for spelling in (canonical, *synonyms):
                key = normalise_label(spelling)
                if key:
                    self._index.setdefault(key, canonical)

    def match(self, label: object) -> str | None:
        """The canonical category for `label`, or None."""
        if label is None:
            return None
        found = self._index.get(normalise_label(label))
        if found is None:
            bare = _TRAILING_NOTE.sub("", str(label))
            if bare.strip() and bare != str(label):
                found = self._index.get(normalise_label(bare))
        if found is None:
            found = self._without_dimension_word(label)
        if found is None and self.open:
            found = self._learn(label)
        return found

    def _without_dimension_word(self, label: object) -> str | None:
        """`Age not known`, `Hospital: unknown`: the label after a word naming the dimension."""
        words = str(label).replace(":", " ").split()
        if len(words) < 2:
            return None
        named = {self.name.lower(), *(k.lower() for k in self.keywords if " " not in k)}
        if words[0].lower() not in named:
            return None
        return self._index.get(normalise_label(" ".join(words[1:])))

    def _learn(self, label: object) -> str | None:
        """An open list's new category: the label as printed, spacing tidied, one case.

        Case and spacing variants of one label give one category (the first spelling
        seen, or the sentence-case form of a label written all in capitals).
        """
        text = " ".join(strip_footnote(str(label)).split())
        key = normalise_label(text)
        if not key or not re.search(r"[A-Za-z]", text) or text.endswith((".", ":")):
            return None
        if len(text.split()) > _MAX_NEW_CATEGORY_WORDS:
            return None
        if text.isupper() or text.islower():
            text = text[:1].upper() + text[1:].lower()
        return self._index.setdefault(key, text)

    def suggest(self, label: object, limit: int = 3) -> tuple[str, ...]:
        """Canonical categories whose spellings are closest to `label`."""
        key = normalise_label(label)
        close = difflib.get_close_matches(key, list(self._index), n=limit * 3, cutoff=0.5)
        out: list[str] = []
        for match in close:
            canonical = self._index[match]
            if canonical not in out:
                out.append(canonical)
        return tuple(out[:limit])

    def names_this_dimension(self, heading: object) -> bool:
        """True when a heading such as `Method of communication` names this dimension."""
        words = _words(str(heading))
        return any(set(k.split()) <= words for k in (*self.keywords, self.name))

    def to_data(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "categories": {c: list(s) for c, s in self.categories.items()},
            "keywords": list(self.keywords),
            "open": self.open,
        }


@dataclass
class AgeVocabulary(Vocabulary):
    """Ages: single ages (`11`), bands `lo-hi`, `Under 11` = `0-10`, and Not recorded."""

    max_age: int | None = None
    min_age: int | None = None

    _SINGLE = re.compile(r"(?:aged?\s*)?(\d{1,3})(?:\.0+)?\s*(?:years?|yrs?|y/?o)?(?:\s*old)?")
    _BAND = re.compile(
        r"(?:aged?\s*)?(\d{1,3})\s*(?:-|to|\u2013)\s*(\d{1,3})\s*(?:years?|yrs?)?(?:\s*old)?"
    )
    _UNDER = re.compile(r"(?:under|below|less than|younger than|<)\s*(\d{1,3})\s*(?:years?|yrs?)?")
    _AT_MOST = re.compile(
        r"(\d{1,3})\s*(?:years?|yrs?)?\s*(?:and|or)\s*(?:under|below|younger)"
        r"|(?:<=|up to)\s*(\d{1,3})"
    )
    _OVER = re.compile(
        r"(\d{1,3})\s*(?:\+|(?:years?|yrs?)?\s*(?:and|or)\s*(?:over|above|older))|(?:over|>=)\s*(\d{1,3})"
    )

    def match(self, label: object) -> str | None:
        if label is None or isinstance(label, bool):
            return None
        if isinstance(label, int | float):
            if float(label).is_integer() and label >= 0:
                return self._within(int(label), int(label), str(int(label)))
            return None
        text = strip_footnote(" ".join(str(label).lower().replace("\u2013", "-").split()))
        found = super().match(text)
        if found is not None:
            return found
        for pattern, build in (
            (self._SINGLE, lambda m: (int(m[1]), int(m[1]), str(int(m[1])))),
            (self._BAND, lambda m: (int(m[1]), int(m[2]), f"{int(m[1])}-{int(m[2])}")),
            (self._UNDER, lambda m: (0, int(m[1]) - 1, f"0-{int(m[1]) - 1}")),
            (self._AT_MOST, lambda m: (0, int(m[1] or m[2]), f"0-{int(m[1] or m[2])}")),
            (self._OVER, lambda m: (int(m[1] or m[2]), None, f"{int(m[1] or m[2])}+")),
        ):
            hit = pattern.fullmatch(text)
            if hit:
                low, high, name = build(hit)
                if high is not None and high < low:
                    return None
                return self._within(low, high, str(low) if low == high else name)
        return None

    def _within(self, low: int, high: int | None, name: str) -> str | None:
        top = high if high is not None else low
        if top > MAX_PLAUSIBLE_AGE:
            return None
        if self.max_age is not None and (top > self.max_age or high is None):
            return None
        if self.min_age is not None and low < self.min_age:
            return None
        return name

    def suggest(self, label: object, limit: int = 3) -> tuple[str, ...]:
        found = super().suggest(label, limit)
        if found or self.max_age is None:
            return found
        return (f"0-{self.max_age}", NOT_RECORDED)[:limit]

    def to_data(self) -> dict[str, Any]:
        return {
            **super().to_data(),
            "kind": "age",
            "max_age": self.max_age,
            "min_age": self.min_age,
        }


TOTAL_SPELLINGS = (
    "Total",
    "Totals",
    "Grand Total",
    "Overall total",
    "Sum",
    "All",
    "All offences",
    "Total offences",
    "Total number of offences",
    "Number of offences",
    "Total recorded",
    "All crimes",
    "Total crimes",
    "Total (all offences)",
)


def default_vocabulary(name: str) -> Vocabulary:
    """What a bare dimension name meant before campaigns had a schema (legacy defaults).

    ``total``; ``age`` (any age, no limit); and the names ``legacy_defaults.json`` lists.
    """
    if name == TOTAL:
        return Vocabulary(TOTAL, {ALL: TOTAL_SPELLINGS}, keywords=("total", "all offences"))
    if name == "age":
        return AgeVocabulary("age", {NOT_RECORDED: NOT_RECORDED_SYNONYMS}, keywords=("age",))
    data = builtin.legacy_defaults()["dimensions"].get(name)
    if data is None or data.get("kind") == "age":
        raise KeyError(f"no default vocabulary for dimension {name!r}")
    if data.get("kind") == "vocabulary":
        return builtin_vocabulary(data["vocabulary"], name)
    categories = {c: tuple(s) for c, s in data["categories"].items()}
    categories.setdefault(NOT_RECORDED, NOT_RECORDED_SYNONYMS)
    return Vocabulary(name, categories, tuple(data.get("keywords") or (name,)))


@dataclass
class OffenceVocabulary(Vocabulary):
    """The Home Office offence list: every level's labels (class to offence) are categories."""

    entries: dict[str, builtin.Offence] = field(default_factory=dict)

    def roll_up(self, category: str, level: str) -> str | None:
        """The class or sub class holding ``category`` (None when coarser or unknown)."""
        if level not in builtin.ROLL_UP_LEVELS:
            raise ValueError(
                f"offences roll up to {' or '.join(builtin.ROLL_UP_LEVELS)}, not {level!r}"
            )
        entry = self.entries.get(self.match(category) or "")
        if entry is None:
            return None
        if level == "class":
            return entry.class_
        return entry.sub_class if entry.level != "class" else None

    def level_of(self, category: str) -> str | None:
        """``class``, ``sub_class``, ``offence_category`` or ``offence``: the level a label is."""
        entry = self.entries.get(self.match(category) or "")
        return entry.level if entry else None


def builtin_vocabulary(
    name: str,
    dimension: str,
    keywords: tuple[str, ...] = (),
    extra: Mapping[str, Iterable[str]] | None = None,
    *,
    open: bool = False,
) -> Vocabulary:
    """The built-in list ``name`` as the vocabulary of ``dimension``, with a campaign's spellings.

    Raises ``builtin.UnknownVocabulary`` for a list that is not shipped.
    """
    data = builtin.builtin_data(name)
    categories = {c: tuple(s) for c, s in data["categories"].items()}
    for canonical, synonyms in (extra or {}).items():
        categories[canonical] = tuple(dict.fromkeys((*categories.get(canonical, ()), *synonyms)))
    categories.setdefault(NOT_RECORDED, NOT_RECORDED_SYNONYMS)
    words = tuple(keywords) or tuple(data.get("keywords") or (dimension,))
    label = str(data.get("label") or dimension)
    if name == "home_office_offences":
        entries = builtin.offences()[1]
        return OffenceVocabulary(
            dimension, categories, words, open=open, label=label, entries=entries
        )
    return Vocabulary(dimension, categories, words, open=open, label=label)


def vocabulary_from_data(name: str, data: Any = None) -> Vocabulary:
    """A vocabulary from plain data, as a campaign row stores it.

    `None` or `"default"`: the default vocabulary; a list of categories; a
    mapping canonical -> synonyms; or a dict with `categories`, `keywords`,
    and `kind: "age"` (with optional `max_age`, and `bands`: the national age
    bands, read by `ages.campaign_bands`; `bands` alone implies `kind: "age"`).
    """
    if data is None or data == "default":
        return default_vocabulary(name)
    if isinstance(data, list | tuple):
        return Vocabulary(name, {str(c): () for c in data}, keywords=(name,))
    if not isinstance(data, Mapping):
        raise TypeError(f"cannot build vocabulary {name!r} from {type(data).__name__}")
    if not {"categories", "kind", "bands", "keywords", "open"} & set(data):
        return Vocabulary(name, {str(c): tuple(s or ()) for c, s in data.items()}, (name,))
    raw = data.get("categories") or {}
    categories = {str(c): () for c in raw} if isinstance(raw, list) else dict(raw)
    keywords = tuple(data.get("keywords") or (name,))
    if data.get("kind", "age" if "bands" in data else None) == "age":
        categories.setdefault(NOT_RECORDED, NOT_RECORDED_SYNONYMS)
        return AgeVocabulary(name, categories, keywords, max_age=data.get("max_age"))
    kind = "place" if data.get("kind") == "place" else "list"
    return Vocabulary(name, {c: tuple(s or ()) for c, s in categories.items()}, keywords, kind=kind)


@dataclass(frozen=True)
class Constraint:
    """A limit the campaign's question puts on a dimension (ages ``min``..``max``), and why."""

    dimension: str
    min: int | None = None
    max: int | None = None
    reason: str = ""

    def to_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"dimension": self.dimension}
        if self.min is not None:
            out["min"] = self.min
        if self.max is not None:
            out["max"] = self.max
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class CampaignSpec:
    """What a campaign asked for: its periods and the dimensions figures are broken down by.

    ``constraints`` are the validation limits its schema sets; none are assumed.
    """

    periods: tuple[Period, ...]
    dimensions: dict[str, Vocabulary]
    constraints: tuple[Constraint, ...] = ()

    def __post_init__(self) -> None:
        if TOTAL not in self.dimensions:
            object.__setattr__(
                self, "dimensions", {TOTAL: default_vocabulary(TOTAL)} | dict(self.dimensions)
            )

    @classmethod
    def from_data(
        cls,
        periods: Iterable[str | Period],
        dimensions: Iterable[str] | Mapping[str, Any],
    ) -> CampaignSpec:
        """Build from plain data: period labels and dimension names (or name -> vocabulary data)."""
        parsed = tuple(p if isinstance(p, Period) else Period.from_label(p) for p in periods)
        if isinstance(dimensions, Mapping):
            items = list(dimensions.items())
        else:
            items = [(name, None) for name in dimensions]
        vocabularies = {name: vocabulary_from_data(name, data) for name, data in items}
        return cls(parsed, vocabularies)

    @property
    def breakdowns(self) -> dict[str, Vocabulary]:
        """The dimensions other than `total`."""
        return {n: v for n, v in self.dimensions.items() if n != TOTAL}

    @property
    def total(self) -> Vocabulary:
        return self.dimensions[TOTAL]

    @property
    def place_dimension(self) -> str | None:
        """The name of the campaign's place dimension (kind "place"), if it has one."""
        return next((n for n, v in self.breakdowns.items() if v.kind == "place"), None)

    def period_holding(self, day: Any) -> Period | None:
        for period in self.periods:
            if period.contains(day):
                return period
        return None

    def dimension_named(self, heading: object) -> str | None:
        """The dimension a heading names (`Victim age` -> `age`), or None."""
        if heading is None or not str(heading).strip():
            return None
        if self.total.match(heading):
            return TOTAL
        named = [n for n, v in self.breakdowns.items() if v.names_this_dimension(heading)]
        return named[0] if len(named) == 1 else None
