"""The data the charts draw (static/js/charts.js): the dataset's, and response times."""

from __future__ import annotations

from typing import Any

from requests_app.domain.response_times import ResponseTimes
from responses_app.domain.ages import roll_up_note
from responses_app.domain.summary import DatasetSummary

#: The dataset charts the home page shows for the latest campaign with figures.
#: (The home page shows the trend, the campaign's first two breakdowns and its coverage.)
HOME_BREAKDOWNS = 2
#: A breakdown with many categories (places, offences) is charted by its largest shares.
MAX_BARS = 20

#: Coverage classes only releases published before "not yet due"/"overdue" recorded.
LEGACY_COVERAGE = ("never_answered",)
COVERAGE_LABELS = {
    "contributed": "Contributed",
    "partial": "Partial",
    "refused": "Refused",
    "not_held": "Not held",
    "awaiting_review": "Awaiting review",
    "not_yet_due": "Not yet due",
    "overdue": "Overdue",
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
    noun = summary.noun
    for dimension in summary.dimensions():
        period = _latest_with(summary, dimension)
        if not period:
            continue
        label = summary.label_of(dimension).lower()
        if dimension == summary.age_dimension:
            # The campaign's bands, youngest first, then "Other bands" (reported bands
            # that fit none) and "Not recorded", each its own bar and table row.
            charts[dimension] = {
                "title": f"{noun.capitalize()} by {label}, {period}",
                "kind": "bar",
                "unit": noun,
                "note": roll_up_note(summary.age_bands, summary.unplaced, period=period),
                "items": [
                    _bar(c) for c in summary.dimension(dimension, period) if c.value is not None
                ],
            }
            continue
        cells = [c for c in summary.dimension(dimension, period) if c.share is not None]
        charts[dimension] = {
            "title": f"Share of {noun} by {label}, {period} (where it was recorded)",
            "kind": "bar",
            "unit": "%",
            "items": [_share(c) for c in sorted(cells, key=lambda c: -c.share.high)][:MAX_BARS],
        }
    if summary.requests_sent and summary.answers_counted:
        charts["coverage"] = {
            "title": f"Coverage: {summary.coverage['asked']} forces asked",
            "kind": "bar",
            "unit": "forces",
            "items": [
                {"label": label, "low": summary.coverage.get(key, 0),
                 "high": summary.coverage.get(key, 0)}
                for key, label in COVERAGE_LABELS.items()
                if key in summary.coverage or key not in LEGACY_COVERAGE
            ],
        }  # fmt: skip
    return charts


def response_time_chart(times: ResponseTimes) -> dict[str, Any]:
    """A histogram of working days to respond, with the statutory limit marked.

    Bins beyond the limit are drawn hatched and their labels say "late", so the
    chart does not rely on colour; the table alternative says the same.
    """
    if times.answered:
        median = f"{times.median:g}"
        note = (
            f"{times.answered} answered; median {median} working days; "
            f"{times.within_limit} ({times.share_within_limit:.0f}%) within "
            f"{times.limit} working days, {times.late} late."
        )
    else:
        note = "No request has been answered yet."
    return {
        "title": "Working days from receipt to first response",
        "kind": "histogram",
        "unit": "requests",
        "axis": "Working days",
        "note": note,
        "limit": {
            "after": times.bins_within_limit,
            "days": times.limit,
            "label": f"{times.limit} working days: the legal limit",
        },
        "items": [
            {
                "label": b.label,
                "long_label": b.long_label + ("" if b.within_limit else " (late)"),
                "low": b.count,
                "high": b.count,
                "late": not b.within_limit,
            }
            for b in times.bins
        ]
        if times.answered
        else [],
    }
