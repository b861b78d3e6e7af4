"""Reads for review: the queue ordered by the worst finding, and one figure with its history."""

from __future__ import annotations

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from requests_app.models import Campaign
from requests_app.permissions import Role, campaign_q
from responses_app.models import Figure, Finding

SEVERITY_RANK = Case(
    When(findings__severity=Finding.Severity.ERROR, then=Value(0)),
    When(findings__severity=Finding.Severity.WARNING, then=Value(1)),
    When(findings__severity=Finding.Severity.INFO, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)
FINDING_RANK = Case(
    When(severity=Finding.Severity.ERROR, then=Value(0)),
    When(severity=Finding.Severity.WARNING, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
RANK_NAMES = {0: "error", 1: "warning", 2: "info", 3: "none"}


def _waiting(user) -> QuerySet:
    """Waiting figures of the campaigns ``user`` may review."""
    return Figure.objects.pending().filter(campaign_q(user, "campaign", at_least=Role.RESEARCHER))


def review_queue(
    *,
    user,
    campaign: str | None = None,
    force: str | None = None,
    severity: str | None = None,
) -> QuerySet:
    """Figures waiting for ``user``, the most severe finding first (errors, warnings, none)."""
    qs = _waiting(user)
    if campaign:
        qs = qs.filter(campaign__slug=campaign)
    if force:
        qs = qs.filter(force_id=force)
    qs = qs.annotate(
        rank=Min(SEVERITY_RANK),
        errors=Count("findings", filter=Q(findings__severity=Finding.Severity.ERROR)),
    )
    if severity in ("error", "warning", "info", "none"):
        rank = {v: k for k, v in RANK_NAMES.items()}[severity]
        qs = qs.filter(rank=rank)
    return (
        qs.select_related("force", "campaign", "reply__document")
        .prefetch_related(Prefetch("findings", queryset=Finding.objects.order_by("severity", "id")))
        .order_by("rank", "campaign__slug", "force__name", "period_start", "dimension", "category")
    )


def queue_counts(*, user, campaign: str | None = None) -> dict[str, int]:
    """How many waiting figures have an error, a warning, or nothing at worst (one query)."""
    qs = _waiting(user)
    if campaign:
        qs = qs.filter(campaign__slug=campaign)
    worst = (
        Finding.objects.filter(figure=OuterRef("pk"))
        .annotate(rank=FINDING_RANK)
        .order_by("rank")
        .values("rank")[:1]
    )
    rows = (
        qs.annotate(worst=Coalesce(Subquery(worst), Value(3)))
        .order_by()
        .values("worst")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(RANK_NAMES.values(), 0)
    for row in rows:
        counts[RANK_NAMES.get(row["worst"], "none")] += row["n"]
    return counts


def reviewable_campaigns(user) -> QuerySet:
    return Campaign.objects.filter(campaign_q(user, at_least=Role.RESEARCHER)).order_by(
        "-created_at"
    )


def campaigns_with_figures(user) -> QuerySet:
    """Campaigns ``user`` may see that have figures or releases, with their counts."""
    return (
        Campaign.objects.filter(campaign_q(user))
        .annotate(
            waiting=Count("figures", filter=Q(figures__status__in=Figure.PENDING), distinct=True),
            approved=Count(
                "figures",
                filter=Q(figures__status__in=Figure.PUBLISHED),
                distinct=True,
            ),
            release_count=Count("releases", distinct=True),
        )
        .filter(Q(waiting__gt=0) | Q(approved__gt=0) | Q(release_count__gt=0))
        .order_by("-created_at")
    )


def figure_detail(pk: int) -> Figure:
    return (
        Figure.objects.select_related("force", "campaign", "reply__document")
        .prefetch_related("findings")
        .get(pk=pk)
    )
