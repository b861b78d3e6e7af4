"""A Frictionless Data Package: ``datapackage.json`` with table schemas, and the CSVs.

Written to a folder, or to a ``.zip`` holding the same files. ``frictionless
validate datapackage.json`` accepts it (a test runs it).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from django.utils.text import slugify

from responses_app.models import Figure

from . import COLUMNS
from .csv import write_rows
from .data import ExportData

STATUSES = [status.value for status in Figure.PUBLISHED]

_FIGURE_FIELDS: dict[str, dict[str, Any]] = {
    "campaign": {"type": "string", "description": "The campaign (slug) the figure answers."},
    "force_id": {"type": "string", "description": "The force's data.police.uk id."},
    "force_name": {"type": "string"},
    "ons_code": {"type": "string", "description": "The force area's ONS code."},
    "period": {"type": "string", "description": "Financial year YYYY-YY, year, or range."},
    "period_start": {"type": "date"},
    "period_end": {"type": "date"},
    "dimension": {"type": "string", "description": "What the figure is broken down by."},
    "category": {"type": "string", "description": "Canonical category; 'all' for total."},
    "value": {
        "type": "integer",
        "constraints": {"minimum": 0},
        "description": "Empty when suppressed or not available.",
    },
    "suppressed": {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"]},
    "lower": {"type": "integer", "constraints": {"minimum": 0}},
    "upper": {"type": "integer", "constraints": {"minimum": 0}},
    "status": {"type": "string", "constraints": {"enum": STATUSES}},
    "source": {"type": "string", "description": "The document and where in it."},
}
_NATIONAL = [
    ("period", "string"), ("dimension", "string"), ("category", "string"),
    ("value", "integer"), ("lower", "integer"), ("upper", "integer"), ("forces", "integer"),
    ("suppressed_figures", "integer"), ("share_low", "number"), ("share_high", "number"),
]  # fmt: skip
_COVERAGE = [("force_id", "string"), ("force_name", "string"), ("ons_code", "string"),
             ("coverage", "string")]  # fmt: skip


def _schema(fields: list[tuple[str, str]]) -> dict[str, Any]:
    return {"fields": [{"name": n, "type": t} for n, t in fields], "missingValues": [""]}


def _resource(name: str, path: str, schema: dict[str, Any], title: str) -> dict[str, Any]:
    return {
        "name": name,
        "title": title,
        "path": path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "header": True},
        "schema": schema,
    }


def _question_fields(data: ExportData) -> dict[str, dict[str, Any]]:
    """The figure table's dimension and category fields, with the campaign's own enums.

    ``dimension`` is one of the schema's dimensions; ``category`` is one of their
    categories when every breakdown is a closed list (an age dimension or an open
    list takes labels as forces printed them, so there is no enum then).
    """
    question = data.question
    if question is None:
        return {}
    names = question.dimension_names
    fields = {
        "dimension": {
            **_FIGURE_FIELDS["dimension"],
            "description": f"One of the campaign's dimensions: {', '.join(names)}.",
            "constraints": {"enum": names},
        }
    }
    closed = all(d.kind in ("list", "vocabulary") and not d.open for d in question.breakdowns)
    per = [
        f"{d.name}: {', '.join(question.category_names(d.name))}"
        if d.kind in ("list", "vocabulary") and not d.open
        else f"{d.name}: as the force wrote it"
        + (f" (bands {', '.join(d.bands)} nationally)" if d.bands else "")
        for d in question.breakdowns
    ]
    category = {**_FIGURE_FIELDS["category"]}
    if per:
        category["description"] = "Canonical category; 'all' for total. " + "; ".join(per)
    if closed:
        known = ["all"] + [c for d in question.breakdowns for c in question.category_names(d.name)]
        category["constraints"] = {"enum": list(dict.fromkeys(known))}
    fields["category"] = category
    return fields


def files(data: ExportData) -> dict[str, bytes]:
    """The package's files by path: datapackage.json and data/*.csv."""
    figures = io.StringIO()
    write_rows(figures, COLUMNS, data.rows())
    national = io.StringIO()
    write_rows(national, [n for n, _ in _NATIONAL], _national_rows(data))
    coverage = io.StringIO()
    write_rows(
        coverage,
        [n for n, _ in _COVERAGE],
        (
            {"force_id": f.force_id, "force_name": f.name, "ons_code": f.ons_code,
             "coverage": f.coverage}
            for f in data.summary.forces
        ),
    )  # fmt: skip
    descriptor = {
        "profile": "tabular-data-package",
        "name": slugify(data.basename) or "dataset",
        "title": data.title,
        "description": data.methodology_text,
        "created": data.generated_at.isoformat(),
        "version": f"{data.release}.0.0" if data.release else "0.0.0",
        "keywords": ["freedom of information", "police", "uk"],
        "resources": [
            _resource(
                "figures",
                "data/figures.csv",
                {
                    "fields": [
                        {"name": n, **(_question_fields(data).get(n) or _FIGURE_FIELDS[n])}
                        for n in COLUMNS
                    ],
                    "missingValues": [""],
                },
                "One row per figure a force sent",
            ),
            {
                **_resource(
                    "national",
                    "data/national.csv",
                    {**_schema(_NATIONAL), "primaryKey": ["period", "dimension", "category"]},
                    "National totals per period, dimension and category",
                ),
                "description": f"Sums of approved figures. {data.summary.age_note}".strip(),
            },
            {
                **_resource("coverage", "data/coverage.csv", _schema(_COVERAGE), "Who answered"),
                "description": data.summary.coverage_text or "Not recorded.",
            },
        ],
    }
    return {
        "datapackage.json": json.dumps(descriptor, indent=2, ensure_ascii=False).encode(),
        "data/figures.csv": figures.getvalue().encode(),
        "data/national.csv": national.getvalue().encode(),
        "data/coverage.csv": coverage.getvalue().encode(),
    }


def _national_rows(data: ExportData):
    for c in data.summary.cells:
        exact = c.value is not None and c.value.exact
        yield {
            "period": c.period,
            "dimension": c.dimension,
            "category": c.category,
            "value": c.value.lower if exact else None,
            "lower": c.value.lower if c.value else None,
            "upper": c.value.upper if c.value else None,
            "forces": c.forces,
            "suppressed_figures": c.suppressed,
            "share_low": round(c.share.low, 2) if c.share else None,
            "share_high": round(c.share.high, 2) if c.share else None,
        }


def write_datapackage(data: ExportData, path: str | Path) -> Path:
    """Write to ``path``: a zip when it ends in .zip, a folder otherwise."""
    path = Path(path)
    content = files(data)
    if path.suffix == ".zip":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render(data, content))
        return path
    for name, blob in content.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob)
    return path / "datapackage.json"


def render(data: ExportData, content: dict[str, bytes] | None = None) -> bytes:
    """The package as a zip, in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in (content or files(data)).items():
            archive.writestr(name, blob)
    return buffer.getvalue()
