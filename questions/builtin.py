"""Built-in vocabularies: lists shipped as data files (``questions/data/vocabularies``).

A campaign's schema names one (``"vocabulary": "platforms"``) instead of pasting
its categories. The lists are data with their source named in the folder's
README; this module only reads them, so no category of any list lives in code.

``home_office_offences`` is the Home Office notifiable offence list (Open Government
Licence v3.0): a label matches at the level the force used (class, sub class,
offence category or offence), and ``OffenceVocabulary.roll_up`` names the class or
sub class a category belongs to.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "vocabularies"

OFFENCE_LEVELS = ("class", "sub_class", "offence_category", "offence")
#: Levels the dataset may roll offence figures up to.
ROLL_UP_LEVELS = ("class", "sub_class")
_CATEGORY_CODE = re.compile(r"^\s*(\d+[A-Z]?(?:/\d+)?)\s+(.*\S)\s*$")


class UnknownVocabulary(KeyError):
    """A schema names a built-in vocabulary that is not shipped."""


@dataclass(frozen=True)
class Offence:
    """Where one offence label sits in the Home Office hierarchy."""

    level: str
    class_: str
    sub_class: str
    category: str
    code: str


def names() -> tuple[str, ...]:
    """The built-in vocabularies shipped, by name."""
    found = {p.stem for p in DATA.glob("*.json") if p.stem != "legacy_defaults"}
    found |= {p.stem for p in DATA.glob("*.csv")}
    return tuple(sorted(found))


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _tidy(text: str) -> str:
    return " ".join(str(text).split())


def _cased(text: str) -> str:
    """One spelling for labels the list writes in two cases (a sub class in lower case)."""
    return text[:1].upper() + text[1:]


@cache
def offences() -> tuple[dict[str, tuple[str, ...]], dict[str, Offence]]:
    categories: dict[str, list[str]] = {}
    entries: dict[str, Offence] = {}
    seen: dict[str, str] = {}  # normalised key -> canonical, so case variants merge

    def add(label: str, entry: Offence, *synonyms: str) -> None:
        key = _key(label)
        if not key:
            return
        canonical = seen.setdefault(key, label)
        if canonical == label and canonical not in categories:
            categories[canonical] = []
            entries[canonical] = entry
        for synonym in synonyms:
            if synonym and synonym not in categories[canonical]:
                categories[canonical].append(synonym)

    with (DATA / "home_office_offences.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            klass = _cased(_tidy(row["Class"]))
            sub = _cased(_tidy(row["Sub class"]))
            raw_category = _tidy(row["Offence category"])
            coded = _CATEGORY_CODE.match(raw_category)
            code_prefix, category = (coded[1], coded[2]) if coded else ("", raw_category)
            offence = _tidy(row["Offence"])
            code = _tidy(row["Home Office code"])
            if not klass:
                continue
            add(klass, Offence("class", klass, "", "", ""))
            if sub:
                add(sub, Offence("sub_class", klass, sub, "", ""))
            if category:
                add(
                    category,
                    Offence("offence_category", klass, sub, category, code_prefix),
                    raw_category,
                )
            if offence:
                add(offence, Offence("offence", klass, sub, category, code), code)
    return {c: tuple(s) for c, s in categories.items()}, entries


@cache
def _json(name: str) -> dict[str, Any]:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def builtin_data(name: str) -> dict[str, Any]:
    """A built-in vocabulary as plain data: label, keywords, source and categories."""
    if name == "home_office_offences":
        categories, _ = offences()
        return {
            "name": name,
            "label": "Offence",
            "keywords": ["offence", "crime", "category", "classification", "type"],
            "source": (
                "Home Office notifiable offence list (Counting Rules for Recorded Crime). "
                "Contains public sector information licensed under the Open Government "
                "Licence v3.0."
            ),
            "categories": {c: list(s) for c, s in categories.items()},
        }
    if name not in names() or name == "legacy_defaults":
        raise UnknownVocabulary(name)
    return _json(name)


def legacy_defaults() -> dict[str, Any]:
    """What bare dimension names meant before campaigns had a schema (see the README)."""
    return _json("legacy_defaults")
