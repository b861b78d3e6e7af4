"""A campaign's question: what it asks, as data the campaign owns (its schema).

The schema is JSON (documented in the README, "The question schema")::

    {"periods": ["2022-23", "2023-24"],
     "dimensions": [{"name": "total"},
                    {"name": "age", "kind": "age", "label": "Age of victim",
                     "bands": ["0-10", "11-15", "16-17"], "min": 0, "max": 17}],
     "groups": [{"dimension": "...", "name": "...", "categories": ["...", "..."]}],
     "constraints": [{"dimension": "age", "max": 15, "reason": "..."}],
     "headlines": [{"dimension": "age", "at_most": 10}],
     "methodology": "..."}

``parse_schema`` checks it and answers one line naming the field that is wrong
(``dimensions[1].bands[0]: "0-x" is not an age band``); ``QuestionSchema.spec``
gives the ``CampaignSpec`` that extraction and validation read. Nothing here
knows any campaign's categories: they come from the schema or a built-in list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import builtin
from .ages import AgeBand, BandsRejected, parse_bands
from .periods import Period, parse_period_label
from .vocab import (
    NOT_RECORDED,
    NOT_RECORDED_SYNONYMS,
    TOTAL,
    AgeVocabulary,
    CampaignSpec,
    Constraint,
    Vocabulary,
    builtin_vocabulary,
    default_vocabulary,
)

KINDS = ("total", "list", "age", "place", "vocabulary")
_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
_TOP_KEYS = {"periods", "dimensions", "groups", "constraints", "headlines", "methodology", "noun"}
_DIMENSION_KEYS = {
    "name",
    "kind",
    "label",
    "keywords",
    "categories",
    "open",
    "bands",
    "min",
    "max",
    "vocabulary",
    "share_basis",
}


class SchemaError(ValueError):
    """The schema cannot be used; the message names the field and what is wrong."""


@dataclass(frozen=True)
class Dimension:
    """One thing figures are broken down by."""

    name: str
    kind: str
    label: str = ""
    keywords: tuple[str, ...] = ()
    categories: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    open: bool = False
    bands: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None
    vocabulary: str | None = None
    #: How a share's base reads: ``where the weapon was recorded``.
    share_basis: str = ""

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()

    @property
    def basis(self) -> str:
        words = (self.label or self.name.replace("_", " ")).lower()
        return self.share_basis or f"where the {words} was recorded"

    def to_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.label:
            out["label"] = self.label
        if self.keywords:
            out["keywords"] = list(self.keywords)
        if self.vocabulary:
            out["vocabulary"] = self.vocabulary
        if self.categories:
            out["categories"] = {c: list(s) for c, s in self.categories.items()}
        if self.kind in ("list", "place", "vocabulary") and self.open:
            out["open"] = True
        if self.bands:
            out["bands"] = list(self.bands)
        for key in ("min", "max"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.share_basis:
            out["share_basis"] = self.share_basis
        return out

    def vocabulary_for_spec(self) -> Vocabulary:
        keywords = self.keywords or (self.name, *self.label.lower().split())
        if self.kind == "total":
            return default_vocabulary(TOTAL)
        if self.kind == "age":
            categories = dict(self.categories)
            categories.setdefault(NOT_RECORDED, NOT_RECORDED_SYNONYMS)
            return AgeVocabulary(
                self.name,
                categories,
                tuple(self.keywords or (self.name,)),
                label=self.label,
                max_age=self.max,
                min_age=self.min,
            )
        if self.kind == "vocabulary":
            return builtin_vocabulary(
                str(self.vocabulary),
                self.name,
                tuple(self.keywords),
                self.categories,
                open=self.open,
            )
        categories = {c: tuple(s) for c, s in self.categories.items()}
        categories.setdefault(NOT_RECORDED, NOT_RECORDED_SYNONYMS)
        return Vocabulary(
            self.name,
            categories,
            tuple(keywords),
            open=self.open,
            label=self.label,
            kind=self.kind,
        )


@dataclass(frozen=True)
class Group:
    """A named sum of categories of one dimension (reported as a share)."""

    dimension: str
    name: str
    categories: tuple[str, ...]

    def to_data(self) -> dict[str, Any]:
        return {"dimension": self.dimension, "name": self.name, "categories": list(self.categories)}


@dataclass(frozen=True)
class Headline:
    """A share the dataset states in words: ``the share aged N or under`` (N from the schema)."""

    dimension: str
    at_most: int

    @property
    def name(self) -> str:
        return f"Aged {self.at_most} or under"

    def to_data(self) -> dict[str, Any]:
        return {"dimension": self.dimension, "at_most": self.at_most}


@dataclass(frozen=True)
class QuestionSchema:
    """What a campaign asks: periods, dimensions, groups, constraints, headlines, methodology."""

    periods: tuple[str, ...] = ()
    dimensions: tuple[Dimension, ...] = ()
    groups: tuple[Group, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    headlines: tuple[Headline, ...] = ()
    methodology: str = ""
    noun: str = "offences"

    @property
    def dimension_names(self) -> list[str]:
        return [d.name for d in self.dimensions]

    def dimension(self, name: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.name == name), None)

    @property
    def breakdowns(self) -> tuple[Dimension, ...]:
        return tuple(d for d in self.dimensions if d.kind != "total")

    def age_dimension(self) -> Dimension | None:
        return next((d for d in self.dimensions if d.kind == "age"), None)

    def age_bands(self) -> tuple[AgeBand, ...]:
        """The national bands of the (first) age dimension; () when it names none."""
        age = self.age_dimension()
        return parse_bands(list(age.bands)) if age is not None and age.bands else ()

    def groups_of(self, dimension: str) -> dict[str, tuple[str, ...]]:
        return {g.name: g.categories for g in self.groups if g.dimension == dimension}

    def all_groups(self) -> dict[str, dict[str, tuple[str, ...]]]:
        out: dict[str, dict[str, tuple[str, ...]]] = {}
        for g in self.groups:
            out.setdefault(g.dimension, {})[g.name] = g.categories
        return out

    def category_names(self, dimension: str) -> list[str]:
        """The categories a dimension knows (its own, or its built-in list's), Not recorded last."""
        found = self.dimension(dimension)
        if found is None or found.kind in ("total", "age"):
            return list(found.bands) if found is not None else []
        names = list(found.vocabulary_for_spec().categories)
        return [n for n in names if n != NOT_RECORDED] + [NOT_RECORDED]

    def with_periods(self, periods: Iterable[str]) -> QuestionSchema:
        return parse_schema({**self.to_data(), "periods": list(periods)})

    def spec(self) -> CampaignSpec:
        """What extraction and validation read: periods, vocabularies and constraints."""
        periods = tuple(Period.from_label(p) for p in self.periods)
        vocabularies = {d.name: d.vocabulary_for_spec() for d in self.dimensions}
        return CampaignSpec(periods, vocabularies, constraints=self.constraints)

    def to_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "periods": list(self.periods),
            "dimensions": [d.to_data() for d in self.dimensions],
        }
        if self.groups:
            out["groups"] = [g.to_data() for g in self.groups]
        if self.constraints:
            out["constraints"] = [c.to_data() for c in self.constraints]
        if self.headlines:
            out["headlines"] = [h.to_data() for h in self.headlines]
        if self.methodology:
            out["methodology"] = self.methodology
        if self.noun != "offences":
            out["noun"] = self.noun
        return out


# -- parsing -----------------------------------------------------------------


def _fail(where: str, what: str) -> SchemaError:
    return SchemaError(f"{where}: {what}" if where else what)


def _text(value: Any, where: str, *, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise _fail(where, "must be a non-empty text" if required else "must be a text")
    return value.strip()


def _texts(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [part for part in value.split(",")]
    if not isinstance(value, list):
        raise _fail(where, "must be a list of texts")
    out = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise _fail(f"{where}[{index}]", "must be a non-empty text")
        out.append(item.strip())
    return tuple(dict.fromkeys(out))


def _whole(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(where, f"{value!r} is not a whole number of 0 or more")
    return value


def _categories(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    """A list of names, or an object name -> synonyms (a list, or a text with `|`)."""
    if value is None:
        return {}
    if isinstance(value, list):
        out: dict[str, tuple[str, ...]] = {}
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise _fail(f"{where}[{index}]", "must be a non-empty text")
            out[item.strip()] = ()
        return out
    if not isinstance(value, Mapping):
        raise _fail(where, "must be a list of categories or an object {category: [synonyms]}")
    out = {}
    for name, synonyms in value.items():
        if not str(name).strip():
            raise _fail(where, "a category has an empty name")
        if isinstance(synonyms, str):
            synonyms = [s for s in synonyms.split("|") if s.strip()]
        out[str(name).strip()] = _texts(synonyms or [], f"{where}.{name}")
    return out


def _periods(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [p for p in value.split(",") if p.strip()]
    if not isinstance(value, list):
        raise _fail("periods", 'must be a list of periods such as ["2022-23", "2023-24"]')
    out = []
    for index, item in enumerate(value):
        period = parse_period_label(str(item).strip()) if isinstance(item, str | int) else None
        if period is None or isinstance(item, bool):
            raise _fail(
                f"periods[{index}]",
                f"{item!r} is not a period (write 2022-23 for a financial year, 2022 for a "
                "calendar year, 2022 Q1 for a quarter, 2022-04 for a month)",
            )
        out.append(period.label)
    return tuple(dict.fromkeys(out))


def _dimension(value: Any, where: str) -> Dimension:
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, Mapping):
        raise _fail(where, 'must be an object such as {"name": "age", "kind": "age"}')
    unknown = sorted(set(value) - _DIMENSION_KEYS)
    if unknown:
        raise _fail(f"{where}.{unknown[0]}", "is not a field of a dimension")
    name = _text(value.get("name"), f"{where}.name", required=True)
    if not _NAME.fullmatch(name):
        raise _fail(
            f"{where}.name",
            f"{name!r} is not a dimension name (lower case letters, digits and _; "
            "e.g. crime_category)",
        )
    kind = value.get("kind") or ("total" if name == TOTAL else "list")
    if kind not in KINDS:
        raise _fail(f"{where}.kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    if (name == TOTAL) != (kind == "total"):
        raise _fail(f"{where}.kind", 'only the dimension named "total" is of kind total')
    label = _text(value.get("label"), f"{where}.label")
    keywords = tuple(k.lower() for k in _texts(value.get("keywords"), f"{where}.keywords"))
    categories = _categories(value.get("categories"), f"{where}.categories")
    is_open = value.get("open", kind == "place")
    if not isinstance(is_open, bool):
        raise _fail(f"{where}.open", "must be true or false")
    low = _whole(value.get("min"), f"{where}.min")
    high = _whole(value.get("max"), f"{where}.max")
    bands = _texts(value.get("bands"), f"{where}.bands")
    vocabulary = value.get("vocabulary")
    if kind != "age":
        for key in ("bands", "min", "max"):
            if value.get(key) is not None:
                raise _fail(f"{where}.{key}", f"only an age dimension has {key}")
    if kind == "vocabulary":
        if vocabulary not in builtin.names():
            raise _fail(
                f"{where}.vocabulary",
                f"{vocabulary!r} is not a built-in vocabulary ({', '.join(builtin.names())})",
            )
    elif vocabulary is not None:
        raise _fail(f"{where}.vocabulary", 'only a dimension of kind "vocabulary" names one')
    if kind == "age":
        if low is not None and high is not None and high < low:
            raise _fail(f"{where}.max", f"{high} is below min {low}")
        _check_bands(bands, low, high, where)
    if kind == "total" and categories:
        raise _fail(f"{where}.categories", "the total has no categories")
    return Dimension(
        name=name,
        kind=kind,
        label=label,
        keywords=keywords,
        categories=categories,
        open=is_open,
        bands=bands,
        min=low,
        max=high,
        vocabulary=vocabulary if kind == "vocabulary" else None,
        share_basis=_text(value.get("share_basis"), f"{where}.share_basis"),
    )


def _check_bands(bands: Sequence[str], low: int | None, high: int | None, where: str) -> None:
    for index, label in enumerate(bands):
        try:
            (band,) = parse_bands([label])
        except BandsRejected:
            raise _fail(
                f"{where}.bands[{index}]",
                f'"{label}" is not an age band (write lo-hi such as 0-10, one age such as 12, '
                "or lo+ such as 18+)",
            ) from None
        if low is not None and band.lower < low:
            raise _fail(f"{where}.bands[{index}]", f'"{label}" starts below min {low}')
        if high is not None and (band.upper is None or band.upper > high):
            raise _fail(f"{where}.bands[{index}]", f'"{label}" goes above max {high}')
    if bands:
        try:
            parse_bands(list(bands))
        except BandsRejected as exc:
            raise _fail(f"{where}.bands", str(exc)) from None


def _groups(value: Any, dimensions: Mapping[str, Dimension]) -> tuple[Group, ...]:
    if value is None:
        return ()
    if isinstance(value, Mapping):  # {"dimension": {"group": [categories]}}
        value = [
            {"dimension": d, "name": n, "categories": c}
            for d, groups in value.items()
            for n, c in (groups.items() if isinstance(groups, Mapping) else [])
        ]
    if not isinstance(value, list):
        raise _fail("groups", "must be a list of {dimension, name, categories}")
    out = []
    for index, item in enumerate(value):
        where = f"groups[{index}]"
        if not isinstance(item, Mapping):
            raise _fail(where, "must be an object {dimension, name, categories}")
        dimension = _text(item.get("dimension"), f"{where}.dimension", required=True)
        if dimension not in dimensions or dimensions[dimension].kind in ("total", "age"):
            raise _fail(
                f"{where}.dimension", f"{dimension!r} is not a list dimension of the campaign"
            )
        name = _text(item.get("name"), f"{where}.name", required=True)
        categories = _texts(item.get("categories"), f"{where}.categories")
        if not categories:
            raise _fail(f"{where}.categories", "name at least one category")
        known = dimensions[dimension]
        if not known.open:
            vocabulary = known.vocabulary_for_spec()
            for c_index, category in enumerate(categories):
                if vocabulary.match(category) != category:
                    raise _fail(
                        f"{where}.categories[{c_index}]",
                        f"{category!r} is not a category of {dimension}",
                    )
        out.append(Group(dimension, name, categories))
    return tuple(out)


def _objects(value: Any, field: str, shape: str) -> list[tuple[str, Mapping]]:
    """The objects of an optional list field, each with where it stands (``field[i]``)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise _fail(field, f"must be a list of objects such as {shape}")
    out = []
    for index, item in enumerate(value):
        where = f"{field}[{index}]"
        if not isinstance(item, Mapping):
            raise _fail(where, f"must be an object such as {shape}")
        out.append((where, item))
    return out


def _age_dimension(item: Mapping, where: str, dimensions: Mapping[str, Dimension]) -> str:
    dimension = _text(item.get("dimension"), f"{where}.dimension", required=True)
    if dimension not in dimensions or dimensions[dimension].kind != "age":
        raise _fail(f"{where}.dimension", f"{dimension!r} is not an age dimension")
    return dimension


def _constraints(value: Any, dimensions: Mapping[str, Dimension]) -> tuple[Constraint, ...]:
    out = []
    for where, item in _objects(value, "constraints", "{dimension, min, max, reason}"):
        dimension = _age_dimension(item, where, dimensions)
        low = _whole(item.get("min"), f"{where}.min")
        high = _whole(item.get("max"), f"{where}.max")
        if low is None and high is None:
            raise _fail(where, "give a min, a max or both")
        if low is not None and high is not None and high < low:
            raise _fail(f"{where}.max", f"{high} is below min {low}")
        reason = _text(item.get("reason"), f"{where}.reason")
        out.append(Constraint(dimension=dimension, min=low, max=high, reason=reason))
    return tuple(out)


def _headlines(value: Any, dimensions: Mapping[str, Dimension]) -> tuple[Headline, ...]:
    out = []
    for where, item in _objects(value, "headlines", '{"dimension": "age", "at_most": 10}'):
        dimension = _age_dimension(item, where, dimensions)
        at_most = _whole(item.get("at_most"), f"{where}.at_most")
        if at_most is None:
            raise _fail(f"{where}.at_most", "give the age N of 'the share aged N or under'")
        bands = dimensions[dimension].bands
        if bands and at_most not in {b.upper for b in parse_bands(list(bands))}:
            raise _fail(
                f"{where}.at_most",
                f"{at_most} does not end a band of {dimension} ({', '.join(bands)}): the "
                "share aged N or under can only be counted where a band ends at N",
            )
        out.append(Headline(dimension, at_most))
    return tuple(out)


def parse_schema(data: Any) -> QuestionSchema:
    """A checked schema from plain data (a dict, as JSON gives it). Raises ``SchemaError``."""
    if not isinstance(data, Mapping):
        raise _fail("", "The schema must be a JSON object with periods and dimensions.")
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise _fail(unknown[0], f"is not a field of a schema ({', '.join(sorted(_TOP_KEYS))})")
    periods = _periods(data.get("periods"))
    raw = data.get("dimensions")
    if raw is None:
        raw = [{"name": TOTAL}]
    if not isinstance(raw, list) or not raw:
        raise _fail("dimensions", "must be a non-empty list of dimensions")
    dimensions: dict[str, Dimension] = {}
    for index, item in enumerate(raw):
        dimension = _dimension(item, f"dimensions[{index}]")
        if dimension.name in dimensions:
            raise _fail(f"dimensions[{index}].name", f"{dimension.name!r} is there twice")
        dimensions[dimension.name] = dimension
    if TOTAL not in dimensions:
        dimensions = {TOTAL: Dimension(TOTAL, "total")} | dimensions
    noun = _text(data.get("noun"), "noun") or "offences"
    return QuestionSchema(
        periods=periods,
        dimensions=tuple(dimensions.values()),
        groups=_groups(data.get("groups"), dimensions),
        constraints=_constraints(data.get("constraints"), dimensions),
        headlines=_headlines(data.get("headlines"), dimensions),
        methodology=_text(data.get("methodology"), "methodology"),
        noun=noun,
    )


def schema_from_legacy(
    periods: Iterable[str], dimensions: Iterable[str], vocabularies: Mapping[str, Any] | None
) -> QuestionSchema:
    """The schema of a campaign described the old way: periods, dimension names, overrides.

    A bare name means what it meant then (``legacy_defaults.json``); an override
    (a list, an object of synonyms, or ``{"kind": "age", "bands": [...], "max_age": N}``)
    wins. The youngest band from 0 gave the age headline, and is kept as one.
    """
    defaults = builtin.legacy_defaults()
    vocabularies = vocabularies or {}
    out: list[dict[str, Any]] = []
    for name in dict.fromkeys(["total", *dimensions]):
        if name == TOTAL:
            out.append({"name": TOTAL})
            continue
        base = dict(defaults["dimensions"].get(name) or {"kind": "list", "open": False})
        override = vocabularies.get(name)
        if isinstance(override, list):
            base = {"kind": "list", "categories": [str(c) for c in override]}
        elif isinstance(override, Mapping) and not {"categories", "kind", "bands"} & set(override):
            base = {
                "kind": "list",
                "categories": {str(c): list(s or []) for c, s in override.items()},
            }
        elif isinstance(override, Mapping):
            kind = override.get("kind", "age" if "bands" in override else "list")
            if kind == "age":
                base = {**base, "kind": "age"} if base.get("kind") == "age" else {"kind": "age"}
                if override.get("bands") is not None:
                    base["bands"] = list(override["bands"])
                if override.get("max_age") is not None:
                    base["max"] = override["max_age"]
            else:
                base = {"kind": "list", "categories": override.get("categories") or {}}
            if override.get("keywords"):
                base["keywords"] = list(override["keywords"])
        out.append({"name": name, **base})
    names = {d["name"] for d in out}
    age = next((d for d in out if d.get("kind") == "age"), None)
    groups = [g for g in defaults.get("groups", []) if g["dimension"] in names]
    groups = [g for g in groups if not (vocabularies.get(g["dimension"]))]
    constraints = [c for c in defaults.get("constraints", []) if c["dimension"] in names]
    headlines = []
    if age is not None:
        if age.get("max") is not None:
            constraints = [
                {**c, "max": age["max"], "reason": ""} if c["dimension"] == age["name"] else c
                for c in constraints
            ]
        youngest = (
            next(
                (b for b in parse_bands(age["bands"]) if b.lower == 0 and b.upper is not None), None
            )
            if age.get("bands")
            else None
        )
        if youngest is not None:
            headlines.append({"dimension": age["name"], "at_most": youngest.upper})
    return parse_schema(
        {
            "periods": [str(p) for p in periods],
            "dimensions": out,
            "groups": groups,
            "constraints": constraints,
            "headlines": headlines,
        }
    )


def with_spellings(
    schema: QuestionSchema, spellings: Iterable[tuple[str, str, str]]
) -> tuple[QuestionSchema, list[str]]:
    """``schema`` with each (dimension, category, spelling) remembered as a synonym.

    Only list, place and built-in vocabulary dimensions take spellings; a spelling the
    dimension already reads as that category is skipped. Returns the new schema and
    what was added (``"Blade" -> Knife``), empty when nothing changed.
    """
    data = schema.to_data()
    added: list[str] = []
    spec = schema.spec()
    for dimension, category, spelling in spellings:
        found = schema.dimension(dimension)
        spelling = " ".join(str(spelling).split())
        if found is None or found.kind in ("total", "age") or not spelling:
            continue
        vocabulary = spec.dimensions[dimension]
        if vocabulary.match(spelling) == category and not found.open:
            continue
        if found.open and spelling.lower() == category.lower():
            continue
        row = next(d for d in data["dimensions"] if d["name"] == dimension)
        categories = row.setdefault("categories", {})
        synonyms = categories.setdefault(category, [])
        if spelling not in synonyms and spelling != category:
            synonyms.append(spelling)
            added.append(f"{spelling!r} -> {category}")
    return (parse_schema(data) if added else schema), added
