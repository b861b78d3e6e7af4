"""Per-place tables: a place's name on the line above each table of the same shape.

Each table's figures are read as usual, then put into the dimensions the campaign
has: the place dimension gets each table's total per period (its printed total row,
or the sum of its rows, with a finding when both are given and differ), the
category dimension the sum over places, and the campaign total the sum of the
places' totals. A campaign with no place dimension keeps the sums, with one
finding that the breakdown by place was not kept.
"""

from __future__ import annotations

from collections.abc import Iterable

from questions.periods import Period, find_financial_years
from questions.vocab import ALL, TOTAL

from ..findings import INFO, WARNING
from ..values import Value, total_of
from .context import Context
from .grid import Block, non_blank, text_of
from .model import Observation

#: A place name is a short heading, not a sentence.
_MAX_PLACE_WORDS = 8


def place_title(block: Block, title: str = "") -> str | None:
    """The one-cell heading above a block's own header (or the line printed above its table,
    `title`), when it names no period."""
    titles = []
    for row in block.head:
        filled = non_blank(row)
        if len(filled) != 1:
            break
        titles.append(text_of(row[filled[0]]).strip())
    if len(titles) == len(block.head):
        return None
    title = titles[-1] if titles else " ".join(title.split())
    if not title or len(title.split()) > _MAX_PLACE_WORDS or find_financial_years(title):
        return None
    if any(ch.isdigit() for ch in title) or title.endswith((".", ":")):
        return None
    return title


def place_titles(tables: Iterable[list[Block]]) -> dict[int, str]:
    """Blocks headed by a place name (by id), when at least two places head tables."""
    found = {}
    headers = set()
    for blocks in tables:
        for index, block in enumerate(blocks):
            printed = (block.table.title or "") if index == 0 else ""
            title = place_title(block, printed)
            if title is not None:
                found[id(block)] = title
                headers.add(_header(block))
    # Tables of one shape (the same header row), each headed by another place.
    return found if len(set(found.values())) >= 2 and len(headers) == 1 else {}


def _header(block: Block) -> tuple[str, ...]:
    """The block's first row of more than one cell, as its header's texts."""
    for row in block.head:
        if len(non_blank(row)) > 1:
            return tuple(" ".join(text_of(v).lower().split()) for v in row)
    return ()


def _text(value: Value) -> str:
    if value.value is not None:
        return str(value.value)
    return f"{value.lower}-{value.upper}"


def combine_places(reads: list[tuple[str, list[Observation]]], ctx: Context) -> None:
    """Turn each place's observations into place totals and sums over places."""
    if not reads:
        return
    dimension = ctx.spec.place_dimension
    vocabulary = ctx.spec.dimensions[dimension] if dimension else None
    totals: dict[Period, list[Value]] = {}
    categories: dict[tuple[Period, str, str], list[Observation]] = {}
    for place, observations in reads:
        if not observations:
            continue
        printed = {o.period: o for o in observations if o.dimension == TOTAL}
        rows: dict[Period, list[Observation]] = {}
        first_dimension = next((o.dimension for o in observations if o.dimension != TOTAL), None)
        for o in observations:
            if o.dimension == TOTAL:
                continue
            categories.setdefault((o.period, o.dimension, o.category), []).append(o)
            if o.dimension == first_dimension:
                rows.setdefault(o.period, []).append(o)
        for period in sorted({*printed, *rows}, key=lambda p: p.start):
            summed = total_of(o.value for o in rows.get(period, []))
            given = printed.get(period)
            locator = given.locator if given else rows[period][0].locator
            if given is not None and summed is not None and given.value != summed:
                ctx.find(
                    "place_total_differs",
                    WARNING,
                    f"the rows for {place} in {period.label} add up to {_text(summed)}, "
                    f"but its total row gives {_text(given.value)}: the total row was kept",
                    given.locator,
                )
            value = given.value if given is not None else summed
            assert value is not None
            totals.setdefault(period, []).append(value)
            if vocabulary is not None and dimension is not None:
                category = vocabulary.match(place) or (place if vocabulary.open else None)
                if category is None:
                    ctx.unknown(place, dimension, locator)
                else:
                    ctx.observations.append(
                        Observation(period, dimension, category, value, f"{locator} ({place})")
                    )
    for (period, name, category), found in categories.items():
        value = total_of(o.value for o in found)
        assert value is not None
        where = "; ".join(o.locator for o in found[:3])
        ctx.observations.append(
            Observation(period, name, category, value, f"{where} (summed over places)")
        )
    for period, values in totals.items():
        value = total_of(values)
        assert value is not None
        ctx.observations.append(Observation(period, TOTAL, ALL, value, "summed over places"))
    if dimension is None:
        ctx.find(
            "place_breakdown_not_kept",
            INFO,
            f"the reply gives a table for each of {len(reads)} places "
            f"({', '.join(p for p, _ in reads[:3])}{' and more' if len(reads) > 3 else ''}); "
            "the campaign asks for no place dimension, so only their sums were kept",
        )
