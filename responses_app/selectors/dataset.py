"""The consolidated dataset, summed in the database.

Every function takes a queryset of figure-shaped rows (live approved
``Figure``s, a release's ``ReleaseFigure``s, or a series' latest released
values) and returns aggregate rows: the database does the summing, Python
only reads a few dozen totals.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from requests_app.domain.lifecycle import Outcome, Status
from requests_app.models import Campaign, FoiRequest
from requests_app.selectors.requests import overdue_q
from responses_app.domain.consolidation import COVERAGE_CLASSES, NOT_IN_SHARE_BASE
from responses_app.models import Figure, Release, ReleaseFigure, Reply

TOTAL = "total"
CELL = ("force", "period", "dimension", "category")

LOWER = Coalesce("lower", "value")
UPPER = Coalesce("upper", "value")


# -- sources -----------------------------------------------------------------


def campaign_figures(campaign: Campaign) -> QuerySet:
    """The campaign's approved figures (corrected ones with their corrected value)."""
    return Figure.objects.published().filter(campaign=campaign)


def release_figures(release: Release) -> QuerySet:
    return ReleaseFigure.objects.filter(release=release)


def _same_cell(qs: QuerySet) -> QuerySet:
    return qs.filter(**{f: OuterRef(f) for f in CELL})


def series_figures(series: str) -> QuerySet:
    """One row per force, period, dimension and category across the series' campaigns.

    Each cell comes from the latest campaign release that holds it; where an
    earlier release published a different value, ``earlier_*`` say what and where.
    """
    released = ReleaseFigure.objects.filter(release__campaign__series=series)
    later = _same_cell(released).filter(release_id__gt=OuterRef("release_id"))
    earlier = (
        _same_cell(released)
        .filter(release_id__lt=OuterRef("release_id"))
        .filter(~Q(lower=OuterRef("lower")) | ~Q(upper=OuterRef("upper")))
        .order_by("-release_id")
    )
    return (
        released.filter(~Exists(later))
        .annotate(
            earlier_value=Subquery(earlier.values("value")[:1]),
            earlier_lower=Subquery(earlier.values("lower")[:1]),
            earlier_upper=Subquery(earlier.values("upper")[:1]),
            earlier_release=Subquery(earlier.values("release__number")[:1]),
            earlier_campaign=Subquery(earlier.values("release__campaign__slug")[:1]),
        )
        .select_related("force", "campaign", "release")
    )


# -- aggregates --------------------------------------------------------------


def national_totals(qs: QuerySet, *, by_campaign: bool = False) -> QuerySet:
    """Per period, dimension and category: the sum, its range, and how many forces."""
    keys = ["period", "period_start", "period_end", "dimension", "category"]
    if by_campaign:
        keys.insert(0, "campaign_id")
    return (
        qs.order_by()
        .values(*keys)
        .annotate(
            n_value=Sum("value"),
            n_lower=Sum(LOWER),
            n_upper=Sum(UPPER),
            forces=Count("force", distinct=True),
            figures=Count("pk"),
            suppressed_count=Count("pk", filter=Q(suppressed=True)),
            unknown_count=Count("pk", filter=Q(value__isnull=True, upper__isnull=True)),
        )
        .order_by(*[k for k in keys if k not in ("period", "period_end")])
    )


#: A campaign's groups: dimension -> group name -> member categories (from its schema).
Groups = Mapping[str, Mapping[str, tuple[str, ...]]]


def _group_sums(groups: Groups | None) -> dict:
    sums = {}
    for dimension, named in (groups or {}).items():
        for index, members in enumerate(named.values()):
            where = Q(dimension=dimension, category__in=members)
            sums[f"g{dimension}{index}_lower"] = Sum(LOWER, filter=where)
            sums[f"g{dimension}{index}_upper"] = Sum(UPPER, filter=where)
    return sums


def share_bases(qs: QuerySet, groups: Groups | None = None) -> QuerySet:
    """Per period and dimension: the share base (recorded categories only), all, and groups.

    ``groups`` are the campaign's (its schema's); group ``i`` of dimension ``d`` is
    summed as ``g{d}{i}_lower`` / ``_upper``.
    """
    recorded = ~Q(category__in=NOT_IN_SHARE_BASE)
    return (
        qs.exclude(dimension=TOTAL)
        .order_by()
        .values("period", "period_start", "dimension")
        .annotate(
            base_lower=Sum(LOWER, filter=recorded),
            base_upper=Sum(UPPER, filter=recorded),
            all_lower=Sum(LOWER),
            all_upper=Sum(UPPER),
            forces=Count("force", distinct=True),
            **_group_sums(groups),
        )
        .order_by("period_start", "dimension")
    )


def per_force(qs: QuerySet, groups: Groups | None = None) -> QuerySet:
    """Per force and period: the total (as a range), the campaign's groups, and figures held."""
    total = Q(dimension=TOTAL)
    return (
        qs.order_by()
        .values("force_id", "force__name", "force__ons_code", "period", "period_start")
        .annotate(
            total_lower=Sum(LOWER, filter=total),
            total_upper=Sum(UPPER, filter=total),
            figures=Count("pk"),
            **_group_sums(groups),
        )
        .order_by("force__name", "period_start")
    )


# -- coverage ----------------------------------------------------------------


def _reply_with(outcome: str) -> Exists:
    return Exists(Reply.objects.filter(request=OuterRef("pk"), outcome=outcome))


def coverage_requests(campaign: Campaign) -> QuerySet:
    """The campaign's sent requests, each annotated with its ``coverage`` class.

    contributed / partial: approved figures reach the dataset (partial when the
    request or reply says so); refused / not_held: no figures and that answer;
    awaiting_review: answered, figures not yet approved; then, with no answer yet,
    overdue (past the due date, as the board counts it) or not_yet_due (still inside
    the time limit, or held). ``never_answered`` is only in coverage recorded by
    releases published before these two classes existed.
    """
    today = timezone.localdate()
    approved = Figure.objects.published().filter(request=OuterRef("pk"))

    def said(outcome: str) -> Q:
        return Q(outcome=outcome) | Q(status=outcome) | Q(**{f"reply_{outcome}": True})

    return (
        FoiRequest.objects.filter(campaign=campaign)
        .exclude(status=Status.DRAFT)
        .annotate(
            has_figures=Exists(approved),
            has_reply=Exists(Reply.objects.filter(request=OuterRef("pk"))),
            reply_partial=_reply_with(Outcome.PARTIAL),
            reply_refused=_reply_with(Outcome.REFUSED),
            reply_not_held=_reply_with(Outcome.NOT_HELD),
        )
        .annotate(
            coverage=Case(
                When(Q(has_figures=True) & said(Outcome.PARTIAL), then=Value("partial")),
                When(has_figures=True, then=Value("contributed")),
                When(said(Outcome.REFUSED), then=Value("refused")),
                When(said(Outcome.NOT_HELD), then=Value("not_held")),
                When(
                    Q(responded_on__isnull=False) | Q(has_reply=True), then=Value("awaiting_review")
                ),
                When(overdue_q(today), then=Value("overdue")),
                default=Value("not_yet_due"),
                output_field=CharField(),
            )
        )
    )


def _tally(per_class: Mapping[str, int]) -> dict[str, int]:
    current = [c for c in COVERAGE_CLASSES if c != "never_answered"]
    counts = dict.fromkeys(current, 0) | dict(per_class)
    counts["asked"] = sum(counts.get(c, 0) for c in COVERAGE_CLASSES)
    return counts


def coverage_counts(campaign: Campaign) -> dict[str, int]:
    """How many forces contributed, sent partial data, refused... out of how many asked."""
    rows = coverage_requests(campaign).order_by().values("coverage").annotate(n=Count("pk"))
    return _tally({row["coverage"]: row["n"] for row in rows})


def campaign_coverage(campaign: Campaign) -> tuple[dict[str, int], list[dict]]:
    """``coverage_counts`` and ``coverage_by_force`` together, from the one query of the latter."""
    forces = list(coverage_by_force(campaign))
    return _tally(Counter(row["coverage"] for row in forces)), forces


def series_forces_asked(series: str) -> int:
    """How many forces the series' campaigns actually sent a request (each force once)."""
    return (
        FoiRequest.objects.filter(campaign__series=series)
        .exclude(status=Status.DRAFT)
        .values("force_id")
        .distinct()
        .count()
    )


def coverage_by_force(campaign: Campaign) -> QuerySet:
    return (
        coverage_requests(campaign)
        .values("force_id", "force__name", "force__ons_code", "coverage", "status", "exemptions")
        .order_by("force__name")
    )


def figure_rows(qs: QuerySet, *extra: str) -> QuerySet:
    """The long table the exports write: one row per figure, with force and campaign."""
    return (
        qs.order_by("campaign__slug", "force__name", "period_start", "dimension", "category")
        .annotate(
            campaign_slug=F("campaign__slug"),
            force_name=F("force__name"),
            ons_code=F("force__ons_code"),
        )
        .values(
            "campaign_slug", "force_id", "force_name", "ons_code", "period", "period_start",
            "period_end", "dimension", "category", "value", "suppressed", "lower", "upper",
            "status", "source", *extra,
        )
    )  # fmt: skip
