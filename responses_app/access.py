"""Who may see and change figures, datasets and releases: ``requests_app.permissions`` applied.

Viewers read the dataset and download it; researchers review figures;
coordinators publish releases. A series is as visible as its least visible
campaign: every campaign in it must be visible to the user (or the page is a
404), so a series never shows another team's figures.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from requests_app.models import Campaign
from requests_app.permissions import (
    ROLE_RANK,
    Role,
    campaign_or_404,
    campaign_q,
    has_role,
    object_or_404,
    require,
    role_for,
)
from responses_app.models import Figure, Finding, Release

__all__ = [
    "Role",
    "campaign_or_404",
    "figure_or_404",
    "figures_for",
    "findings_for",
    "release_or_404",
    "releases_for",
    "series_or_404",
]


def figures_for(user, qs: QuerySet | None = None, at_least: str = Role.VIEWER) -> QuerySet:
    qs = Figure.objects.all() if qs is None else qs
    return qs.filter(campaign_q(user, "campaign", at_least=at_least))


def findings_for(user, qs: QuerySet | None = None) -> QuerySet:
    qs = Finding.objects.all() if qs is None else qs
    return qs.filter(campaign_q(user, "reply__request__campaign"))


def figure_or_404(user, pk: int, role: str = Role.RESEARCHER) -> Figure:
    return object_or_404(user, Figure.objects.select_related("request__campaign"), role, pk=pk)


def series_role(user, series: str) -> str | None:
    """The user's weakest role over the series' campaigns (None if one is hidden or none exist)."""
    roles = [role_for(user, c) for c in Campaign.objects.filter(series=series)]
    if not roles or None in roles:
        return None
    return min(roles, key=lambda r: ROLE_RANK[Role(r)])


def series_or_404(user, series: str, role: str = Role.VIEWER) -> str:
    held = series_role(user, series)
    if held is None:
        raise Http404("No such series.")
    if not has_role(held, role):
        raise PermissionDenied(f"Your role in this series is {held}; this needs {role}.")
    return series


def releases_for(user, qs: QuerySet | None = None) -> QuerySet:
    """Campaign releases of visible campaigns, and series releases of wholly visible series."""
    qs = Release.objects.all() if qs is None else qs
    hidden_series = Campaign.objects.exclude(campaign_q(user)).exclude(series="").values("series")
    return qs.filter(
        campaign_q(user, "campaign") | (Q(campaign__isnull=True) & ~Q(series__in=hidden_series))
    )


def release_or_404(user, pk: int, role: str = Role.VIEWER) -> Release:
    release = Release.objects.select_related("campaign", "created_by").filter(pk=pk).first()
    if release is None:
        raise Http404("No such release.")
    if release.campaign_id:
        require(user, release.campaign, role)
    else:
        series_or_404(user, release.series, role)
    return release
