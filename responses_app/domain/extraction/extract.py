"""extract(document, spec): every figure a reply holds, its outcome, and what needs a human."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from questions.periods import Period, find_financial_years
from questions.vocab import CampaignSpec

from ..findings import INFO, WARNING
from ..readers.base import Document, RawValue
from ..values import Value
from .context import Context
from .grid import Block, is_blank, non_blank, split_blocks, text_of
from .labels import Labels
from .layout import (
    ListingPlan,
    Plan,
    TransposedPlan,
    WidePlan,
    detect_layout,
    header_period,
    time_key,
    titled_layout,
)
from .listing import read_listing
from .model import Extraction, Observation
from .notes import apply_notes, collect_notes
from .outcome import classify_outcome
from .places import combine_places, place_titles
from .sentences import figures_from_sentences
from .settle import settle, to_figures
from .unasked import check_unasked
from .wide import read_transposed, read_wide


def extract(document: Document, spec: CampaignSpec) -> Extraction:
    """Read the figures of one reply document against what the campaign asked."""
    ctx = Context(spec, Labels(spec), document.source)
    for notice in document.notices:
        ctx.find(notice.code, notice.severity, notice.message, notice.locator)
    tables: list[list[Block]] = []
    for table in document.tables:
        blocks, capped = split_blocks(table)
        if capped:
            ctx.find(
                "too_many_blocks",
                WARNING,
                "the table is split into too many parts: only the first were read",
                table.locator.row(0),
            )
        tables.append(blocks)
    lines = [(line.text, line.locator) for line in document.lines]
    collect_notes([b for blocks in tables for b in blocks], ctx, lines)
    apply_notes(ctx)
    _read_blocks(tables, ctx)
    _tally_to_observations(ctx)
    figures = to_figures(settle(ctx), ctx)
    if not figures:
        ctx.observations.clear()
        figures_from_sentences(document.lines, ctx)
        figures = to_figures(settle(ctx), ctx)
    check_unasked(figures, ctx)
    if ctx.stars_used and not ctx.star_bounds_noted:
        low, high = ctx.star_bounds
        ctx.find(
            "suppression_assumed",
            INFO,
            f"no note says what '*' stands for: read as {low} to {high}",
        )
    text = "\n".join(note for note, _ in ctx.notes)
    outcome, exemptions, outcome_findings = classify_outcome(
        text, figures, spec, letter=bool(document.lines)
    )
    if not figures and not document.tables and not document.lines:
        ctx.find("nothing_to_read", WARNING, "the document holds no text or tables")
    if document.ocr:
        figures = [dataclasses.replace(f, ocr=True) for f in figures]
    return Extraction(
        source=document.source,
        figures=figures,
        outcome=outcome,
        exemptions=exemptions,
        excluded_rows=ctx.tally.excluded,
        findings=[*ctx.findings, *ctx.unknown_findings(), *outcome_findings],
    )


def _read_blocks(tables: list[list[Block]], ctx: Context) -> None:
    previous: Plan | None = None
    group = 0
    places = place_titles(tables)
    place_reads: list[tuple[str, list[Observation]]] = []
    for blocks in tables:
        titled = (
            _single_period([blocks[0].table.title, *blocks[0].table.context]) if blocks else None
        )
        for block in blocks:
            group += 1
            plan = _listing_runs_on(previous, block, ctx)  # the next page of a listing
            if plan is None:
                plan = detect_layout(block.head, ctx.spec, ctx.labels)
            if (
                plan is None
                and previous is not None
                and _continues(previous, block, ctx)
                and not _another_period(previous, titled)
            ):
                plan = dataclasses.replace(previous, header=-1)
            if plan is None:
                heading = _single_period(_title_rows(block))
                if heading is not None and len(_title_rows(block)) == len(block.head):
                    titled = heading
                    continue
                period = heading or titled
                titles = [*_title_rows(block), block.table.title, *block.table.context]
                plan = titled_layout(block.head, period, ctx.labels, titles) if period else None
            if plan is None:
                _note_unread(block, ctx)
                continue
            start = len(ctx.observations)
            ctx.labels.within_place = id(block) in places
            if isinstance(plan, WidePlan):
                read_wide(block, plan, ctx, group)
            elif isinstance(plan, TransposedPlan):
                read_transposed(block, plan, ctx, group)
            else:
                read_listing(block, plan, ctx, group)
            previous = plan
            ctx.labels.within_place = False
            if id(block) in places:
                place_reads.append((places[id(block)], ctx.observations[start:]))
                del ctx.observations[start:]
    combine_places(place_reads, ctx)


def _title_rows(block: Block) -> list[str]:
    """The one-cell rows at the top of a block (a title such as `Offences in 2019/20`)."""
    titles = []
    for row in block.head:
        filled = non_blank(row)
        if len(filled) != 1:
            break
        titles.append(text_of(row[filled[0]]))
    return titles


def _single_period(texts: list[str]) -> Period | None:
    """The one financial year a title names, if it names exactly one."""
    found = {period for text in texts if text for _, _, period in find_financial_years(text)}
    return found.pop() if len(found) == 1 else None


def _cell(row: Sequence[RawValue], col: int | None) -> RawValue:
    return row[col] if col is not None and col < len(row) else None


def _listing_runs_on(plan: Plan | None, block: Block, ctx: Context) -> Plan | None:
    """The listing before, read on, when a block starts with a dated row and reads as more of
    its rows (a page of a 60-page listing): no header to look for, so no layout is tried."""
    if not isinstance(plan, ListingPlan) or not block.head:
        return None
    heading = plan.header_texts[plan.time_col] if plan.header_texts else ""
    if time_key(_cell(block.head[0], plan.time_col), heading) is None:
        return None
    return dataclasses.replace(plan, header=-1) if _continues(plan, block, ctx) else None


def _another_period(plan: Plan, titled: Period | None) -> bool:
    """A table titled with another period than the one-period table before it (a sheet
    named `2020-21` after one named `2019-20`) starts afresh."""
    if titled is None or not isinstance(plan, WidePlan):
        return False
    return set(plan.period_cols.values()) != {titled}


def _continues(plan: Plan, block: Block, ctx: Context) -> bool:
    """A block with no header of its own that reads as more rows of the table before it."""
    rows = [r for r in block.head[:20] if len(non_blank(r)) > 1]
    if not rows:
        return False
    if isinstance(plan, WidePlan):
        first = rows[0]
        headed = [
            c
            for c in plan.period_cols
            if not is_blank(_cell(first, c)) and not isinstance(ctx.parse(_cell(first, c)), Value)
        ]
        if len(headed) * 2 >= len(plan.period_cols):
            return False  # its first row is a header of its own
        hits = sum(
            1
            for r in rows
            if not is_blank(_cell(r, plan.label_col))
            and any(isinstance(ctx.parse(_cell(r, c)), Value) for c in plan.period_cols)
        )
    elif isinstance(plan, TransposedPlan):
        hits = sum(1 for r in rows if header_period(_cell(r, plan.period_col)) is not None)
    else:
        heading = plan.header_texts[plan.time_col] if plan.header_texts else ""
        hits = sum(1 for r in rows if time_key(_cell(r, plan.time_col), heading) is not None)
    return hits >= max(1, 0.8 * len(rows))


def _note_unread(block: Block, ctx: Context) -> None:
    numbers = sum(
        1
        for row in block.head
        if len(non_blank(row)) > 1
        for value in row
        if isinstance(value, int | float)
        or (isinstance(value, str) and isinstance(ctx.parse(value), Value))
    )
    if len(block.head) >= 2 and numbers >= 2:
        first = text_of(block.head[0][0] if block.head[0] else "")
        ctx.find(
            "table_not_read",
            WARNING,
            f"a table starting {first!r} holds numbers, but its periods or categories "
            "were not recognised: map it by hand",
            block.table.locator.rows(block.start, block.start + block.length - 1),
        )


_GRAND_TOTAL = re.compile(
    r"\b(?:grand\s+)?total\b[^0-9.]{0,60}?[:=]?\s*(\d{1,3}(?:,\d{3})+|\d+)\s*\.?$", re.IGNORECASE
)


def _check_listing(ctx: Context) -> None:
    """Rows lost from a listing (gaps in its row numbers) and its printed grand total."""
    tally = ctx.tally
    for low, high, where in tally.gaps:
        missing = f"row {low}" if low == high else f"rows {low}-{high}"
        ctx.find(
            "rows_missing",
            WARNING,
            f"the row numbers skip {missing}: rows may have been lost (at a page break?)",
            where,
        )
    if not tally.spans:
        return
    for text, where in ctx.notes:
        match = _GRAND_TOTAL.search(text)
        if not match:
            continue
        printed = int(match.group(1).replace(",", ""))
        counted = tally.rows
        if printed == counted:
            ctx.find(
                "grand_total_checked",
                INFO,
                f"the {counted} rows counted match the printed total ({printed})",
                where,
            )
        else:
            ctx.find(
                "grand_total_differs",
                WARNING,
                f"{counted} rows were counted but the reply prints a total of {printed}",
                where,
            )
        return


def _tally_to_observations(ctx: Context) -> None:
    _check_listing(ctx)
    tally = ctx.tally
    if tally.spans:
        where = "; ".join(tally.spans[:3]) + (" and more" if len(tally.spans) > 3 else "")
        for (period, dimension, category), count in tally.counts.items():
            ctx.observations.append(
                Observation(
                    period, dimension, category, Value.exact(count), f"{where} (rows counted)", 0
                )
            )
    if tally.excluded:
        ctx.find(
            "rows_outside_periods",
            INFO,
            f"{tally.excluded} row(s) dated outside the periods asked were left out",
        )
    if tally.undated:
        ctx.find(
            "undated_rows",
            WARNING,
            f"{tally.undated} row(s) have no readable date and were not counted",
            tally.undated_at,
        )
    for dimension, count in tally.blanks.items():
        ctx.find(
            "blank_counted_as_not_recorded",
            INFO,
            f"{count} row(s) with a blank {dimension} were counted as Not recorded",
        )
