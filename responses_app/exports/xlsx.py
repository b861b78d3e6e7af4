"""XLSX: Summary, By force, one sheet per breakdown the campaign has, Coverage, Methodology.

Native charts; a breakdown with no figures gets no sheet.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from responses_app.domain.consolidation import NO_REQUESTS_SENT, Range
from responses_app.domain.summary import Cell

from . import neutralise
from .data import ExportData

BOLD = Font(bold=True)
COVERAGE_LABELS = {
    "contributed": "Contributed figures",
    "partial": "Sent partial data",
    "refused": "Refused",
    "not_held": "Information not held",
    "awaiting_review": "Answered, awaiting review",
    "not_yet_due": "Not yet due (awaiting reply)",
    "overdue": "Overdue",
    "never_answered": "Never answered",
}


def _put(ws: Worksheet, values: Iterable[Any], bold: bool = False) -> int:
    ws.append([neutralise(v) for v in values])
    row = ws.max_row
    if bold:
        for c in ws[row]:
            c.font = BOLD
    return row


def _exact(value: Range | None) -> int | None:
    return value.lower if value is not None and value.exact else None


def _bounds(value: Range | None) -> tuple[int | None, int | None]:
    return (value.lower, value.upper) if value is not None else (None, None)


def _pct(share) -> float | None:
    return round(share.low, 1) if share is not None and share.exact else None


def _widths(ws: Worksheet, widths: Iterable[int]) -> None:
    for index, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + index)].width = width


def _summary(ws: Worksheet, data: ExportData) -> None:
    ws.title = "Summary"
    ws["A1"] = neutralise(data.title)
    ws["A1"].font = Font(bold=True, size=14)
    release = f"release {data.release}" if data.release else "live dataset (approved figures)"
    _put(ws, [f"{data.scope}: {release}, generated {data.generated_at:%Y-%m-%d %H:%M}"])
    _put(ws, [])
    for line in data.summary.headlines:
        _put(ws, [line])
    _put(ws, [])
    header = _put(
        ws, ["Period", "Total", "Lower", "Upper", "Forces", "Change on the year before (%)"], True
    )
    for t in data.summary.trend:
        low, high = _bounds(t.value)
        change = round(t.change.low, 1) if t.change and t.change.exact and t.change.low else None
        _put(ws, [t.period, _exact(t.value), low, high, t.forces, change])
    last = ws.max_row
    if last > header:
        chart = LineChart()
        chart.title = "National trend"
        chart.y_axis.title = data.noun.capitalize()
        chart.x_axis.title = "Period"
        chart.add_data(
            Reference(ws, min_col=4, min_row=header, max_row=last), titles_from_data=True
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=header + 1, max_row=last))
        ws.add_chart(chart, f"H{header}")
    _widths(ws, [14, 12, 10, 10, 8, 28])


def _by_force(ws: Worksheet, data: ExportData) -> None:
    periods = data.summary.periods
    groups = data.summary.group_names
    head = ["Force", "ONS code", "Coverage"]
    for p in periods:
        head += [f"{p} total", f"{p} lower", f"{p} upper", *(f"{p} {g}" for g in groups)]
    _put(ws, head, True)
    for f in data.summary.forces:
        row = [f.name, f.ons_code, COVERAGE_LABELS.get(f.coverage, f.coverage)]
        for p in periods:
            total = f.totals.get(p)
            row += [_exact(total), *_bounds(total)]
            row += [_exact(f.groups.get(g, {}).get(p)) for g in groups]
        _put(ws, row)
    ws.freeze_panes = "B2"
    _widths(ws, [28, 12, 26] + [12] * ((3 + len(groups)) * len(periods)))


def _dimension(ws: Worksheet, data: ExportData, dimension: str, title: str) -> None:
    noun = data.noun.capitalize()
    head = ["Period", "Category", noun, "Lower", "Upper", "Forces"]
    head += ["Share of recorded (%)", "Change on the year before (%)"]
    header = _put(ws, head, True)
    held = [p for p in data.summary.periods if data.summary.dimension(dimension, p)]
    latest = held[-1] if held else None
    first = last = None
    for period in data.summary.periods:
        for c in data.summary.dimension(dimension, period):
            row = _put(ws, _dimension_row(c))
            if period == latest:
                first = first or row
                last = row
    if first is None:
        _put(ws, [f"No {dimension} figures."])
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = f"{title}, {latest} (upper bound where suppressed)"
    chart.add_data(Reference(ws, min_col=5, min_row=first, max_row=last), titles_from_data=False)
    chart.set_categories(Reference(ws, min_col=2, min_row=first, max_row=last))
    chart.legend = None
    chart.height = max(7.5, 0.6 * (last - first + 1))
    ws.add_chart(chart, f"J{header}")
    _widths(ws, [10, 22, 10, 8, 8, 8, 20, 26])


def _dimension_row(c: Cell) -> list[Any]:
    change = round(c.change.low, 1) if c.change and c.change.exact and c.change.low else None
    return [
        c.period,
        c.category,
        _exact(c.value),
        *_bounds(c.value),
        c.forces,
        _pct(c.share),
        change,
    ]


def _coverage(ws: Worksheet, data: ExportData) -> None:
    summary = data.summary
    if summary.asked == 0:
        _put(ws, [f"{NO_REQUESTS_SENT}: no force has been asked."], True)
    elif summary.answers_counted:
        _coverage_counts(ws, summary.coverage)
    elif summary.asked is not None:
        _put(ws, ["Forces asked", summary.asked], True)
    _put(ws, [])
    _put(ws, ["Force", "ONS code", "Coverage"], True)
    for f in data.summary.forces:
        _put(ws, [f.name, f.ons_code, COVERAGE_LABELS.get(f.coverage, f.coverage)])
    _widths(ws, [28, 12, 26])


def _coverage_counts(ws: Worksheet, counts: dict[str, int]) -> None:
    header = _put(ws, ["Forces", "Number"], True)
    for key, label in COVERAGE_LABELS.items():
        if key == "never_answered" and not counts.get(key):
            continue  # recorded only by releases published before not yet due / overdue
        _put(ws, [label, counts.get(key, 0)])
    last = ws.max_row
    _put(ws, ["Asked", counts.get("asked", 0)], True)
    chart = BarChart()
    chart.title = "Coverage"
    chart.add_data(Reference(ws, min_col=2, min_row=header, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=header + 1, max_row=last))
    chart.legend = None
    ws.add_chart(chart, "E2")


def _age(ws: Worksheet, data: ExportData, dimension: str, title: str) -> None:
    """The national age table in the campaign's bands, its note, and each force's own ages."""
    _dimension(ws, data, dimension, title)
    if not data.summary.age_note:
        return
    _put(ws, [])
    _put(ws, [data.summary.age_note])
    _put(ws, [])
    _put(ws, ["Ages as each force reported them"], True)
    _put(ws, ["Period", "Category", data.noun.capitalize(), "Lower", "Upper", "Force"], True)
    for f in data.summary.forces:
        for period, reported in f.ages.items():
            for category, value in reported.items():
                _put(ws, [period, category, _exact(value), *_bounds(value), f.name])
    ws.column_dimensions["F"].width = 28


def _methodology(ws: Worksheet, data: ExportData) -> None:
    _put(ws, ["Methodology"], True)
    for paragraph in data.methodology_text.splitlines():
        _put(ws, [paragraph])
    revisions = data.revisions()
    if revisions:
        _put(ws, [])
        _put(ws, ["Revised figures (the latest release holding a period wins)"], True)
        for r in revisions:
            _put(
                ws,
                [
                    f"{r['force_name']} {r['period']} {r['dimension']} {r['category']}: "
                    f"{r['value']} in {r['campaign']}, published earlier as "
                    f"{r['earlier_value']} (release {r['earlier_release']} of "
                    f"{r['earlier_campaign']})"
                ],
            )
    ws.column_dimensions["A"].width = 110
    for row in ws.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def _sheet_name(label: str, used: set[str]) -> str:
    """A sheet title Excel accepts (31 characters, no []:*?/\\), unique in the book."""
    base = re.sub(r"[\[\]:*?/\\]", " ", label).strip()[:28] or "Breakdown"
    name, n = base, 2
    while name.lower() in used or name.lower() in {"summary", "by force", "coverage"}:
        name, n = f"{base} {n}", n + 1
    used.add(name.lower())
    return name


def write_xlsx(data: ExportData, out: IO[bytes]) -> None:
    book = Workbook()
    _summary(book.active, data)
    _by_force(book.create_sheet("By force"), data)
    summary = data.summary
    used: set[str] = set()
    for dimension in summary.dimensions():
        label = summary.label_of(dimension)
        name = _sheet_name(dimension.replace("_", " ").capitalize(), used)
        title = f"{data.noun.capitalize()} by {label.lower()}"
        sheet = book.create_sheet(name)
        if dimension == summary.age_dimension:
            _age(sheet, data, dimension, title)
        else:
            _dimension(sheet, data, dimension, title)
    _coverage(book.create_sheet("Coverage"), data)
    _methodology(book.create_sheet("Methodology"), data)
    book.save(out)


def render(data: ExportData) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(data, buffer)
    return buffer.getvalue()
