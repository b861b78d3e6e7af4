"""The data-entry grid's fields: per dimension, categories (rows) by periods (columns).

Each cell is a text input named ``v-<dimension>-<row>-<period>`` (0-based
positions; extra rows for categories the vocabulary does not list are
``x0``, ``x1``... with their category typed in ``c-<dimension>-x<k>``). The
posted form turns into ``TypedCell``s for ``services.mapping.enter_figures``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from questions.vocab import ALL, TOTAL, AgeVocabulary, CampaignSpec
from responses_app.domain.extraction.typed import TypedCell

EXTRA_ROWS = 2
EXTRA_AGE_ROWS = 6


@dataclass
class GridInput:
    name: str
    label: str
    value: str = ""
    error: str = ""


@dataclass
class GridRow:
    category: str  # the canonical category, or "" for a row whose category is typed
    cells: list[GridInput]
    category_input: GridInput | None = None


@dataclass
class GridBlock:
    index: int
    dimension: str
    periods: list[str]
    source: GridInput
    rows: list[GridRow] = field(default_factory=list)
    age: bool = False


def _rows(dimension: str, spec: CampaignSpec) -> list[tuple[str, str]]:
    """(row key, category) for a dimension: its listed categories, then free rows."""
    vocabulary = spec.dimensions[dimension]
    listed = [ALL] if dimension == TOTAL else list(vocabulary.categories)
    rows = [(str(i), c) for i, c in enumerate(listed)]
    if dimension != TOTAL:
        extra = EXTRA_AGE_ROWS if isinstance(vocabulary, AgeVocabulary) else EXTRA_ROWS
        rows += [(f"x{k}", "") for k in range(extra)]
    return rows


def _shown(dimension: str, category: str) -> str:
    return "Total" if dimension == TOTAL else category


def grid_blocks(spec: CampaignSpec, data=None, errors: dict | None = None) -> list[GridBlock]:
    data, errors = data or {}, errors or {}
    periods = [p.label for p in spec.periods]

    def field_(name: str, label: str) -> GridInput:
        return GridInput(name, label, data.get(name, ""), errors.get(name, ""))

    blocks = []
    for d, dimension in enumerate(spec.dimensions):
        source = field_(f"source-{d}", f"Where the {dimension} figures are, if not as above")
        block = GridBlock(
            d, dimension, periods, source, age=isinstance(spec.dimensions[dimension], AgeVocabulary)
        )
        for key, category in _rows(dimension, spec):
            typed = None
            if not category:
                typed = field_(f"c-{d}-{key}", f"Another {dimension} category")
            name = _shown(dimension, category) if category else f"another {dimension} category"
            cells = [
                field_(f"v-{d}-{key}-{p}", f"{dimension} {name}, {period}")
                for p, period in enumerate(periods)
            ]
            block.rows.append(GridRow(category, cells, typed))
        blocks.append(block)
    return blocks


def typed_cells(spec: CampaignSpec, data) -> list[TypedCell]:
    """Every grid cell of the posted form, blank ones included (they are no figure)."""
    periods = [p.label for p in spec.periods]
    general = (data.get("source") or "").strip()
    cells = []
    for d, dimension in enumerate(spec.dimensions):
        own = (data.get(f"source-{d}") or "").strip()
        for key, category in _rows(dimension, spec):
            category_key = "" if category else f"c-{d}-{key}"
            typed = category or (data.get(category_key) or "")
            for p, period in enumerate(periods):
                name = f"v-{d}-{key}-{p}"
                cells.append(
                    TypedCell(
                        key=name,
                        period=period,
                        dimension=dimension,
                        category=typed,
                        text=data.get(name) or "",
                        source=own or general,
                        category_key=category_key,
                        source_key=f"source-{d}" if own else "source",
                    )
                )
    return cells
