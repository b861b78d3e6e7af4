"""The Question section of the campaign form: dimensions, categories, bands, groups, methodology.

The forms only gather plain fields; ``schema_data`` turns them into a schema (the
JSON documented in the README) and ``questions.schema.parse_schema``
checks it, so the page, the API and the command line accept exactly the same
questions. ``initial_from_schema`` fills the forms from a campaign's schema to edit it.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from django import forms

from questions import builtin
from questions.schema import QuestionSchema, SchemaError, parse_schema

from .json_input import json_object

MAX_CATEGORY_CSV_BYTES = 500_000
EXTRA_DIMENSIONS = 3
_FIELD_ERROR = re.compile(r"^dimensions\[(\d+)\]\.([a-z_]+)")


def _kinds() -> list[tuple[str, str]]:
    kinds = [
        ("", "(not asked)"),
        ("list", "A list of categories"),
        ("age", "Ages, in bands"),
        ("place", "Places (hospitals, stations...): an open list"),
    ]
    for name in builtin.names():
        kinds.append((f"vocabulary:{name}", f"Built-in list: {name.replace('_', ' ')}"))
    return kinds


def _comma(value: str) -> list[str]:
    return [p.strip() for p in (value or "").split(",") if p.strip()]


def categories_from_lines(text: str) -> dict[str, list[str]]:
    """One category per line, its other spellings after ``|``: ``Knife | Blade | Bladed``."""
    out: dict[str, list[str]] = {}
    for line in (text or "").splitlines():
        parts = [p.strip() for p in line.split("|") if p.strip()]
        if parts:
            out.setdefault(parts[0], []).extend(parts[1:])
    return out


def lines_from_categories(categories: dict[str, Any]) -> str:
    return "\n".join(" | ".join([c, *(s or [])]) for c, s in categories.items())


class DimensionForm(forms.Form):
    name = forms.CharField(
        required=False,
        max_length=40,
        help_text="Lower case, digits and _ (e.g. weapon, crime_category).",
    )
    kind = forms.ChoiceField(choices=_kinds, required=False)
    label = forms.CharField(required=False, max_length=100, help_text="How pages name it.")
    keywords = forms.CharField(
        required=False,
        help_text="Comma-separated words in a reply's heading that name it (e.g. weapon, type).",
    )
    categories = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One per line; other spellings after |, e.g. Knife | Blade | Bladed article.",
    )
    categories_csv = forms.FileField(
        required=False,
        label="or load categories from a CSV",
        help_text="First column the category, further columns its other spellings.",
    )
    open = forms.BooleanField(
        required=False,
        label="Keep labels the list does not know as new categories",
        help_text="Off: an unknown label is a finding with suggestions.",
    )
    bands = forms.CharField(
        required=False, help_text="Ages only: the national bands, e.g. 0-10, 11-15, 16-17."
    )
    min = forms.IntegerField(required=False, min_value=0, label="Youngest age")
    max = forms.IntegerField(required=False, min_value=0, label="Oldest age")
    limit_reason = forms.CharField(
        required=False,
        label="Why other ages are impossible",
        help_text="Ages only: with a reason, an age outside youngest..oldest is an error "
        "finding saying it (e.g. the offence is against a person under 18).",
    )
    headline_ages = forms.CharField(
        required=False,
        help_text="Ages only: N for the headline 'the share aged N or under' (each N ends a "
        "band), comma-separated.",
    )

    def clean_categories_csv(self):
        upload = self.cleaned_data.get("categories_csv")
        if not upload:
            return {}
        if upload.size > MAX_CATEGORY_CSV_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {MAX_CATEGORY_CSV_BYTES:,}."
            )
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                f"The file is not UTF-8 text (byte {exc.start}); save it as CSV UTF-8."
            ) from exc
        out: dict[str, list[str]] = {}
        for row in csv.reader(io.StringIO(text)):
            cells = [c.strip() for c in row if c.strip()]
            if cells:
                out.setdefault(cells[0], []).extend(cells[1:])
        return out

    def schema_dimension(self) -> tuple[dict | None, list[dict], list[dict]]:
        """(dimension, constraints, headlines) as schema data; None when the row is empty."""
        data = self.cleaned_data
        kind = data.get("kind") or ""
        if not data.get("name") and not kind:
            return None, [], []
        name = (data.get("name") or "").strip()
        out: dict[str, Any] = {"name": name}
        if kind.startswith("vocabulary:"):
            out["kind"], out["vocabulary"] = "vocabulary", kind.split(":", 1)[1]
        elif kind:
            out["kind"] = kind
        for key in ("label",):
            if data.get(key):
                out[key] = data[key].strip()
        if _comma(data.get("keywords", "")):
            out["keywords"] = _comma(data["keywords"])
        categories = categories_from_lines(data.get("categories", ""))
        for canonical, synonyms in (data.get("categories_csv") or {}).items():
            categories.setdefault(canonical, []).extend(synonyms)
        if categories:
            out["categories"] = categories
        if data.get("open"):
            out["open"] = True
        constraints, headlines = [], []
        if kind == "age":
            if _comma(data.get("bands", "")):
                out["bands"] = _comma(data["bands"])
            limits = {k: data[k] for k in ("min", "max") if data.get(k) is not None}
            if data.get("limit_reason") and limits:
                constraints.append(
                    {"dimension": name, **limits, "reason": data["limit_reason"].strip()}
                )
            else:
                out.update(limits)
            for age in _comma(data.get("headline_ages", "")):
                headlines.append({"dimension": name, "at_most": int(age) if age.isdigit() else age})
        else:
            for key in ("bands", "min", "max"):
                if data.get(key) not in (None, ""):
                    out[key] = data[key]
        return out, constraints, headlines


#: At most 12 dimensions; a form claiming more (10**40) is refused after building 12,
#: not a thousand (Django's default ``absolute_max``: seconds of work for one request).
DimensionFormSet = forms.formset_factory(
    DimensionForm, extra=EXTRA_DIMENSIONS, max_num=12, absolute_max=12
)


class QuestionForm(forms.Form):
    groups = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line: name = dimension: category, category (e.g. Sharp = weapon: "
        "Knife, Axe). The dataset reports each group's share.",
    )
    noun = forms.CharField(
        required=False, max_length=40, help_text="What the figures count (default: offences)."
    )
    methodology = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Printed at the head of every export's methodology.",
    )
    schema_json = forms.CharField(
        required=False,
        label="Or paste a whole question (JSON)",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A schema as the README documents it; when given, the fields above are "
        "not used (the periods still come from the Periods field when you give them).",
    )

    def clean_schema_json(self):
        raw = (self.cleaned_data.get("schema_json") or "").strip()
        if not raw:
            return None
        return json_object(raw, "periods and dimensions")

    def schema_groups(self) -> list[dict]:
        out = []
        for number, line in enumerate((self.cleaned_data.get("groups") or "").splitlines(), 1):
            if not line.strip():
                continue
            name, _, rest = line.partition("=")
            dimension, _, members = rest.partition(":")
            if not (name.strip() and dimension.strip() and members.strip()):
                self.add_error(
                    "groups", f"Line {number}: write name = dimension: category, category."
                )
                continue
            out.append(
                {
                    "dimension": dimension.strip(),
                    "name": name.strip(),
                    "categories": _comma(members),
                }
            )
        return out


def schema_data(question: QuestionForm, dimensions: DimensionFormSet, periods: list[str]) -> dict:
    """The schema the valid forms describe (not yet checked: see ``checked_schema``)."""
    pasted = question.cleaned_data.get("schema_json")
    if pasted is not None:
        return {**pasted, "periods": periods or pasted.get("periods", [])}
    rows, constraints, headlines = [{"name": "total"}], [], []
    for form in dimensions.forms:
        dimension, limits, lines = form.schema_dimension()
        if dimension is not None and dimension["name"] != "total":
            rows.append(dimension)
            constraints += limits
            headlines += lines
    data: dict[str, Any] = {"periods": periods, "dimensions": rows}
    groups = question.schema_groups()
    for key, value in (
        ("groups", groups),
        ("constraints", constraints),
        ("headlines", headlines),
    ):
        if value:
            data[key] = value
    if question.cleaned_data.get("methodology"):
        data["methodology"] = question.cleaned_data["methodology"].strip()
    if question.cleaned_data.get("noun"):
        data["noun"] = question.cleaned_data["noun"].strip()
    return data


def checked_schema(
    question: QuestionForm, dimensions: DimensionFormSet, periods: list[str]
) -> QuestionSchema | None:
    """The checked schema, or None with the error put on the field it names."""
    data = schema_data(question, dimensions, periods)
    if question.errors:
        return None
    try:
        return parse_schema(data)
    except SchemaError as exc:
        message = str(exc)
        found = _FIELD_ERROR.match(message)
        pasted = question.cleaned_data.get("schema_json") is not None
        if found and not pasted:
            index = int(found[1]) - 1  # row 0 of the schema is the total
            filled = [f for f in dimensions.forms if f.schema_dimension()[0] is not None]
            field = found[2] if found[2] in DimensionForm.base_fields else None
            if 0 <= index < len(filled):
                filled[index].add_error(field, message)
                return None
        question.add_error("schema_json" if pasted else None, message)
        return None


def initial_from_schema(schema: QuestionSchema) -> tuple[dict, list[dict]]:
    """(QuestionForm initial, DimensionFormSet initial) to edit ``schema`` on the page."""
    limits = {c.dimension: c for c in schema.constraints}
    rows = []
    for d in schema.breakdowns:
        kind = f"vocabulary:{d.vocabulary}" if d.kind == "vocabulary" else d.kind
        limit = limits.get(d.name)
        rows.append(
            {
                "name": d.name,
                "kind": kind,
                "label": d.label,
                "keywords": ", ".join(d.keywords),
                "categories": lines_from_categories(dict(d.categories)),
                "open": d.open,
                "bands": ", ".join(d.bands),
                "min": limit.min if limit else d.min,
                "max": limit.max if limit else d.max,
                "limit_reason": limit.reason if limit else "",
                "headline_ages": ", ".join(
                    str(h.at_most) for h in schema.headlines if h.dimension == d.name
                ),
            }
        )
    groups = "\n".join(
        f"{g.name} = {g.dimension}: {', '.join(g.categories)}" for g in schema.groups
    )
    question = {
        "groups": groups,
        "methodology": schema.methodology,
        "noun": "" if schema.noun == "offences" else schema.noun,
    }
    return question, rows
