"""The consolidated dataset of a campaign, a release or a series, ready for pages and exports.

The sums come from ``responses_app.selectors.dataset`` (the database adds
up the figures); this module turns those few dozen rows into ranges, shares,
year-on-year changes and the headline sentences, with the pure helpers of
``responses_app.domain.consolidation``.
"""

from __future__ import annotations

from django.db.models import QuerySet

from questions.builtin import ROLL_UP_LEVELS
from questions.periods import parse_period_label, year_before
from questions.schema import QuestionSchema
from questions.vocab import OffenceVocabulary
from requests_app.models import Campaign
from requests_app.selectors.questions import question_of, series_question
from responses_app.domain import consolidation as calc
from responses_app.domain.consolidation import Range
from responses_app.domain.summary import Cell, DatasetSummary, ForceRow, GroupShare, PeriodTotal
from responses_app.models import Release
from responses_app.selectors import age_table as ages
from responses_app.selectors import ages as age_selectors
from responses_app.selectors import dataset as selectors

TOTAL = "total"


# -- building ----------------------------------------------------------------


def _trend(
    rows: list[dict], earlier: QuerySet | None, asked: int | None, noun: str
) -> list[PeriodTotal]:
    """National totals by period, earlier periods (from the series) first, with changes.

    ``asked`` is the number of requests the scope sent (None: not recorded); the
    headline says it as it is, never the number of forces that answered in its place.
    """
    mine = {
        r["period"]: (r["period_start"], Range.of(r["n_lower"], r["n_upper"]), r["forces"])
        for r in rows
        if r["dimension"] == TOTAL
    }
    points = {p: (*v, True) for p, v in mine.items()}
    if earlier is not None:
        for r in selectors.national_totals(earlier.filter(dimension=TOTAL)):
            if r["period"] not in points:
                value = Range.of(r["n_lower"], r["n_upper"])
                points[r["period"]] = (r["period_start"], value, r["forces"], False)
    trend: dict[str, PeriodTotal] = {}
    for label, (_start, value, forces, ours) in sorted(points.items(), key=lambda i: i[1][0]):
        entry = PeriodTotal(period=label, value=value, forces=forces, in_dataset=ours)
        previous = trend.get(year_before(label) or "")
        if previous is not None and previous.value is not None and value is not None:
            entry.previous_period, entry.previous = previous.period, previous.value
            entry.change = calc.change(value, previous.value)
        if ours and value is not None:
            entry.headline = calc.headline(
                period=label,
                value=value,
                answered=forces,
                asked=asked,
                previous_period=entry.previous_period,
                previous=entry.previous,
                noun=noun,
            )
        trend[label] = entry
    return list(trend.values())


def build_summary(
    *,
    qs: QuerySet,
    kind: str,
    slug: str,
    title: str,
    coverage: dict[str, int],
    coverage_forces: list[dict] | None = None,
    earlier: QuerySet | None = None,
    release: int | None = None,
    methodology: str = "",
    question: QuestionSchema | None = None,
) -> DatasetSummary:
    """Summarise figure-shaped rows ``qs`` (a fixed number of aggregate queries).

    ``question`` is the campaign's schema: its groups, its noun, and its age
    dimension's bands and headlines. Age categories are rolled into those bands
    nationally; each force row keeps its own.
    """
    question = question or QuestionSchema()
    groups = question.all_groups()
    age = question.age_dimension()
    age_name = age.name if age is not None else None
    noun = question.noun
    rows = list(selectors.national_totals(qs))
    others = _not_asked(rows, question)
    if others:
        qs = qs.exclude(period__in={r["period"] for r in others})
        rows = [r for r in rows if r not in others]
    labels = [p for _, p in sorted({(r["period_start"], r["period"]) for r in rows})]
    index = {(r["period"], r["dimension"], r["category"]): r for r in rows}
    bases = {(b["period"], b["dimension"]): b for b in selectors.share_bases(qs, groups)}
    trend = _trend(rows, earlier, coverage.get("asked"), noun)
    age_categories = ages.categories(rows, age_name)
    forces = _force_rows(qs, coverage_forces, age_categories, groups, age_name)
    age_table = ages.rollup(
        rows,
        forces,
        question.age_bands(),
        dimension=age_name,
        at_most=[h.at_most for h in question.headlines if h.dimension == age_name],
        basis=age.basis if age is not None else "",
    )
    cells = [_cell(r, index, bases) for r in rows]
    return DatasetSummary(
        kind=kind,
        slug=slug,
        title=title,
        periods=labels,
        totals=[t for t in trend if t.in_dataset],
        trend=trend,
        cells=ages.with_harmonised_ages(cells, age_table, labels, age_name),
        groups=_groups(bases, noun, question) + age_table.headlines,
        coverage=coverage,
        forces=forces,
        release=release,
        methodology=methodology,
        age_bands=[b.label for b in age_table.bands],
        unplaced=age_table.unplaced,
        age_note=age_table.note,
        dimension_labels={d.name: d.title for d in question.breakdowns},
        group_names=[g.name for g in question.groups],
        rollups=_rollups(cells, question),
        age_dimension=age_name,
        noun=noun,
        other_periods=[_cell(r, {}, {}) for r in others],
    )


def _not_asked(rows: list[dict], question: QuestionSchema) -> list[dict]:
    """Rows whose period is of a kind the campaign did not ask (calendar years when it asked
    financial years): kept apart, never summed into the asked periods' totals."""
    asked = set()
    for label in question.periods:
        period = parse_period_label(label)
        if period is not None:
            asked.add(period.kind)
    if not asked:
        return []
    return [
        r
        for r in rows
        if (period := parse_period_label(r["period"])) is not None and period.kind not in asked
    ]


def _rollups(cells: list[Cell], question: QuestionSchema) -> dict[str, dict[str, list[Cell]]]:
    """Each offence dimension's national figures rolled up to class and sub class."""
    out: dict[str, dict[str, list[Cell]]] = {}
    spec = question.spec() if question.dimensions else None
    for dimension in question.breakdowns:
        vocabulary = spec.dimensions.get(dimension.name) if spec else None
        if not isinstance(vocabulary, OffenceVocabulary):
            continue
        mine = [(c.period, c.category, c.value) for c in cells if c.dimension == dimension.name]
        if not mine:
            continue
        out[dimension.name] = {
            level: [
                Cell(period=p, dimension=dimension.name, category=c, value=v, forces=0)
                for p, c, v in calc.roll_up(
                    mine, lambda c, level=level, v=vocabulary: v.roll_up(c, level)
                )
            ]
            for level in ROLL_UP_LEVELS
        }
    return out


def _cell(row: dict, index: dict, bases: dict) -> Cell:
    value = Range.of(row["n_lower"], row["n_upper"])
    cell = Cell(
        period=row["period"],
        dimension=row["dimension"],
        category=row["category"],
        value=value,
        forces=row["forces"],
        suppressed=row["suppressed_count"],
        unknown=row["unknown_count"],
    )
    base = bases.get((row["period"], row["dimension"]))
    excluded = calc.share_base_excludes(row["dimension"])
    if base and value is not None and row["category"] not in excluded:
        base_range = Range.of(base["base_lower"], base["base_upper"])
        if base_range is not None:
            cell.share = calc.share(value, base_range)
    before = year_before(row["period"])
    prev = index.get((before, row["dimension"], row["category"])) if before else None
    if prev is not None and value is not None:
        cell.previous = Range.of(prev["n_lower"], prev["n_upper"])
        if cell.previous is not None:
            cell.change = calc.change(value, cell.previous)
    return cell


def _groups(bases: dict, noun: str, question: QuestionSchema) -> list[GroupShare]:
    out = []
    for (period, dimension), row in bases.items():
        found = question.dimension(dimension)
        basis = found.basis if found is not None else ""
        for index, name in enumerate(question.groups_of(dimension)):
            value = Range.of(
                row[f"g{dimension}{index}_lower"] or 0, row[f"g{dimension}{index}_upper"] or 0
            )
            base = Range.of(row["base_lower"] or 0, row["base_upper"] or 0)
            sentence = calc.share_sentence(
                name=name,
                part=value,
                base=base,
                period=period,
                dimension=dimension,
                noun=noun,
                basis=basis,
            )
            out.append(
                GroupShare(
                    period=period,
                    dimension=dimension,
                    name=name,
                    value=value,
                    base=base,
                    share=calc.share(value, base),
                    sentence=sentence or "",
                )
            )
    return out


def _force_rows(
    qs: QuerySet,
    coverage_forces: list[dict] | None,
    age_categories: list[str],
    groups: dict[str, dict[str, tuple[str, ...]]],
    age_name: str | None,
) -> list[ForceRow]:
    rows: dict[str, ForceRow] = {}
    for c in coverage_forces or []:
        rows[c["force_id"]] = ForceRow(
            force_id=c["force_id"],
            name=c["force__name"],
            ons_code=c["force__ons_code"],
            coverage=c["coverage"],
        )
    columns = [
        (name, f"g{dimension}{index}")
        for dimension, named in groups.items()
        for index, name in enumerate(named)
    ]
    per_force = selectors.per_force(qs, groups)
    for r in age_selectors.reported_by_force(per_force, age_categories, age_name or ""):
        row = rows.setdefault(
            r["force_id"],
            ForceRow(
                force_id=r["force_id"],
                name=r["force__name"],
                ons_code=r["force__ons_code"],
                coverage="contributed",
            ),
        )
        row.totals[r["period"]] = Range.of(r["total_lower"], r["total_upper"])
        if reported := ages.force_ages(r, age_categories):
            row.ages[r["period"]] = reported
        for name, key in columns:
            row.groups.setdefault(name, {})[r["period"]] = Range.of(
                r[f"{key}_lower"], r[f"{key}_upper"]
            )
    return sorted(rows.values(), key=lambda r: r.name)


# -- the three scopes --------------------------------------------------------


def _earlier_source(campaign: Campaign) -> QuerySet | None:
    if campaign.series:
        return selectors.series_figures(campaign.series).exclude(campaign=campaign)
    if campaign.previous_id:
        return selectors.campaign_figures(campaign.previous)
    return None


def campaign_summary(*, campaign: Campaign) -> DatasetSummary:
    """The live dataset: the campaign's approved figures as they stand now."""
    counts, forces = selectors.campaign_coverage(campaign)
    return build_summary(
        qs=selectors.campaign_figures(campaign),
        kind="campaign",
        slug=campaign.slug,
        title=campaign.title,
        coverage=counts,
        coverage_forces=forces,
        earlier=_earlier_source(campaign),
        methodology=question_of(campaign).methodology,
        question=question_of(campaign),
    )


def release_summary(*, release: Release) -> DatasetSummary:
    """A release as published: its frozen figures and the coverage it recorded.

    A series release made before series releases recorded how many forces were
    asked counts the forces its series' campaigns sent a request, as they stand.
    """
    coverage = release.coverage or {}
    campaign = release.campaign
    earlier = _earlier_source(campaign) if campaign is not None else None
    counts = coverage.get("counts", {})
    if campaign is None and "asked" not in counts:
        counts = {"asked": selectors.series_forces_asked(release.series)}
    return build_summary(
        qs=selectors.release_figures(release),
        kind="release",
        slug=release.scope,
        title=campaign.title if campaign else f"Series {release.series}",
        coverage=counts,
        coverage_forces=coverage.get("forces"),
        earlier=earlier,
        release=release.number,
        methodology=release.methodology,
        question=question_of(campaign) if campaign else series_question(release.series),
    )


def series_summary(*, series: str) -> DatasetSummary:
    """A series' annual table: each period from the latest release that holds it.

    Asked: the forces any of the series' campaigns sent a request, each once.
    """
    return build_summary(
        qs=selectors.series_figures(series),
        kind="series",
        slug=series,
        title=f"Series {series}",
        coverage={"asked": selectors.series_forces_asked(series)},
        question=series_question(series),
    )
