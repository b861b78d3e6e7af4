"""The data the dataset page's charts draw (static/js/charts.js), from a summary."""

from __future__ import annotations

from typing import Any

from responses_app.domain.summary import DatasetSummary

COVERAGE_LABELS = {
    "contributed": "Contributed",
    "partial": "Partial",
    "refused": "Refused",
    "not_held": "Not held",
    "awaiting_review": "Awaiting review",
    "never_answered": "Never answered",
}


def _bar(c) -> dict[str, Any]:
    return {"label": c.category, "low": c.value.lower, "high": c.value.upper}


def _share(c) -> dict[str, Any]:
    return {"label": c.category, "low": round(c.share.low, 1), "high": round(c.share.high, 1)}


def _latest_with(summary: DatasetSummary, dimension: str) -> str | None:
    held = [p for p in summary.periods if summary.dimension(dimension, p)]
    return held[-1] if held else None


def chart_data(summary: DatasetSummary) -> dict[str, Any]:
    """Every chart as {title, kind, unit, items}; low and high differ when suppressed."""
    charts: dict[str, Any] = {
        "trend": {
            "title": "National total by period",
            "kind": "line",
            "unit": "offences",
            "items": [
                {"label": t.period, "low": t.value.lower, "high": t.value.upper}
                for t in summary.trend
                if t.value is not None
            ],
        }
    }
    platform = _latest_with(summary, "platform")
    if platform:
        cells = [c for c in summary.dimension("platform", platform) if c.share is not None]
        charts["platform"] = {
            "title": f"Share of offences by platform, {platform} (where the method was recorded)",
            "kind": "bar",
            "unit": "%",
            "items": [_share(c) for c in sorted(cells, key=lambda c: -c.share.high)],
        }
    age = _latest_with(summary, "age")
    if age:
        charts["age"] = {
            "title": f"Offences by victim's age, {age}",
            "kind": "bar",
            "unit": "offences",
            "items": [_bar(c) for c in summary.dimension("age", age) if c.value is not None],
        }
    if summary.coverage.get("asked"):
        charts["coverage"] = {
            "title": f"Coverage: {summary.coverage['asked']} forces asked",
            "kind": "bar",
            "unit": "forces",
            "items": [
                {"label": label, "low": summary.coverage.get(key, 0),
                 "high": summary.coverage.get(key, 0)}
                for key, label in COVERAGE_LABELS.items()
            ],
        }  # fmt: skip
    return charts
