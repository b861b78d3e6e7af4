"""Publish the approved dataset as an immutable, numbered release, and compare releases."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery

from requests_app.models import Campaign
from requests_app.users import acting_user
from responses_app.models import Release, ReleaseFigure
from responses_app.selectors import dataset as selectors

COPIED = (
    "period", "period_start", "period_end", "dimension", "category", "value",
    "suppressed", "lower", "upper", "status", "source",
)  # fmt: skip


class ReleaseError(ValueError):
    """A release that cannot be made; the message says why."""


def _source(campaign: Campaign | None, series: str) -> QuerySet:
    if campaign is not None:
        return selectors.campaign_figures(campaign).values("pk", "campaign_id", "force_id", *COPIED)
    return selectors.series_figures(series).values("figure_id", "campaign_id", "force_id", *COPIED)


def _nothing_to_release(campaign: Campaign | None, series: str) -> str:
    what = f"campaign {campaign.slug}" if campaign else f"series {series}"
    return (
        f"Nothing to release: the {what} has no approved figures"
        + ("" if campaign else " in any campaign release")
        + "."
    )


def check_releasable(*, campaign: Campaign | None = None, series: str = "") -> None:
    """Raise ReleaseError now for what ``create_release`` would refuse (one or two queries).

    For a page that builds the release in the background: a coordinator hears at
    once that there is nothing to release; ``create_release`` checks again.
    """
    if (campaign is None) == (not series):
        raise ReleaseError("A release is of one campaign or of one series: give exactly one.")
    if campaign is None and not Campaign.objects.filter(series=series).exists():
        raise ReleaseError(f"No campaign belongs to the series {series!r}.")
    if not _source(campaign, series).exists():
        raise ReleaseError(_nothing_to_release(campaign, series))


@transaction.atomic
def create_release(
    *, campaign: Campaign | None = None, series: str = "", methodology: str = "", user=None
) -> Release:
    """Freeze the approved figures of a campaign (or a series' annual table) as release N+1."""
    if (campaign is None) == (not series):
        raise ReleaseError("A release is of one campaign or of one series: give exactly one.")
    if campaign is not None:
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        previous = Release.objects.filter(campaign=campaign)
        counts, forces = selectors.campaign_coverage(campaign)
        coverage = {"counts": counts, "forces": forces}
    else:
        list(Campaign.objects.select_for_update().filter(series=series))
        if not Campaign.objects.filter(series=series).exists():
            raise ReleaseError(f"No campaign belongs to the series {series!r}.")
        previous = Release.objects.filter(campaign__isnull=True, series=series)
        coverage = {"counts": {"asked": selectors.series_forces_asked(series)}}
    rows = list(_source(campaign, series))
    if not rows:
        raise ReleaseError(_nothing_to_release(campaign, series))
    number = (previous.aggregate(n=Max("number"))["n"] or 0) + 1
    release = Release.objects.create(
        campaign=campaign,
        series="" if campaign else series,
        number=number,
        methodology=methodology.strip(),
        coverage=coverage,
        figure_count=len(rows),
        created_by=acting_user(user),
    )
    ReleaseFigure.objects.bulk_create(
        [
            ReleaseFigure(
                release=release,
                figure_id=row.get("pk", row.get("figure_id")),
                campaign_id=row["campaign_id"],
                force_id=row["force_id"],
                **{name: row[name] for name in COPIED},
            )
            for row in rows
        ],
        batch_size=1000,
    )
    return release


def previous_release(release: Release) -> Release | None:
    qs = Release.objects.filter(number__lt=release.number)
    if release.campaign_id:
        qs = qs.filter(campaign_id=release.campaign_id)
    else:
        qs = qs.filter(campaign__isnull=True, series=release.series)
    return qs.order_by("-number").first()


@dataclass(frozen=True)
class DiffRow:
    kind: str  # added, removed, changed
    force_id: str
    force_name: str
    period: str
    dimension: str
    category: str
    before: str
    after: str
    before_value: int | None = None
    after_value: int | None = None


def _shown(value, suppressed, lower, upper) -> str:
    if suppressed:
        return f"suppressed ({lower} to {upper})"
    return "not available" if value is None else f"{value:,}"


def release_diff(release: Release, against: Release | None = None) -> list[DiffRow] | None:
    """What changed since ``against`` (the previous release by default); None for the first."""
    against = against or previous_release(release)
    if against is None:
        return None
    old = ReleaseFigure.objects.filter(release=against)
    new = ReleaseFigure.objects.filter(release=release)
    cell = {f: OuterRef(f) for f in selectors.CELL}
    same_old = old.filter(**cell)
    changed = (
        new.annotate(
            had=Exists(same_old),
            old_value=Subquery(same_old.values("value")[:1]),
            old_lower=Subquery(same_old.values("lower")[:1]),
            old_upper=Subquery(same_old.values("upper")[:1]),
            old_suppressed=Subquery(same_old.values("suppressed")[:1]),
        )
        .filter(
            Q(had=False)
            | ~Q(old_lower=F("lower"))
            | ~Q(old_upper=F("upper"))
            | ~Q(old_suppressed=F("suppressed"))
        )
        .select_related("force")
    )
    removed = old.filter(~Exists(new.filter(**cell))).select_related("force")
    rows = []
    for f in changed:
        after = _shown(f.value, f.suppressed, f.lower, f.upper)
        if not f.had:
            rows.append(_row("added", f, "—", after, None, f.value))
        else:
            before = _shown(f.old_value, f.old_suppressed, f.old_lower, f.old_upper)
            rows.append(_row("changed", f, before, after, f.old_value, f.value))
    for f in removed:
        before = _shown(f.value, f.suppressed, f.lower, f.upper)
        rows.append(_row("removed", f, before, "—", f.value, None))
    return sorted(rows, key=lambda r: (r.force_name, r.period, r.dimension, r.category))


def _row(kind, f, before, after, before_value, after_value) -> DiffRow:
    return DiffRow(
        kind=kind,
        force_id=f.force_id,
        force_name=f.force.name,
        period=f.period,
        dimension=f.dimension,
        category=f.category,
        before=before,
        after=after,
        before_value=before_value,
        after_value=after_value,
    )
