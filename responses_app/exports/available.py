"""The downloads that exist for what a user may see: live campaigns, their releases, series.

Each is offered in every format (``FORMATS``). A series' own releases
have no download of their own (the series page offers the current table), so
they are not listed. Nothing is rendered here: listing costs a few queries.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse

from requests_app.permissions import visible_campaigns
from responses_app.access import visible_series
from responses_app.models import Release

from . import FORMATS
from .formats import CONTENT_TYPES


@dataclass(frozen=True)
class AvailableExport:
    scope: str  # campaign (live), release (a campaign's release) or series (live)
    campaign: str | None
    series: str | None
    release: int | None
    format: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    def _paths(self) -> tuple[str, str]:
        if self.scope == "series":
            return (
                reverse("api-series-export", args=[self.series, self.format]),
                reverse("dataset-series-export", args=[self.series, self.format]),
            )
        api = reverse("api-dataset-export", args=[self.campaign, self.format])
        page = reverse("dataset-export", args=[self.campaign, self.format])
        query = f"?{urlencode({'release': self.release})}" if self.release else ""
        return api + query, page + query

    @property
    def api_path(self) -> str:
        return self._paths()[0]

    @property
    def page_path(self) -> str:
        return self._paths()[1]


def available_exports(
    user,
    *,
    campaign: str | None = None,
    series: str | None = None,
    release: int | None = None,
    fmt: str | None = None,
) -> list[AvailableExport]:
    """Every download ``user`` may take, narrowed to a campaign (and release), a series, a format.

    A campaign, series or release the user may not see (or that does not exist) is a 404.
    """
    formats = [fmt] if fmt else list(FORMATS)
    scopes: list[tuple[str, str | None, str | None, int | None]] = []
    campaigns = visible_campaigns(user).order_by("slug")
    if campaign:
        campaigns = campaigns.filter(slug=campaign)
        if not campaigns:
            raise Http404(f"There is no campaign {campaign!r}.")
    if not series:
        releases = Release.objects.filter(campaign__in=campaigns).select_related("campaign")
        if release:
            releases = releases.filter(number=release)
            if not releases:
                raise Http404(f"Campaign {campaign} has no release {release}.")
        numbers: dict[str, list[int]] = {}
        for row in releases.order_by("campaign__slug", "number"):
            numbers.setdefault(row.campaign.slug, []).append(row.number)
        for slug in campaigns.values_list("slug", flat=True):
            if not release:
                scopes.append(("campaign", slug, None, None))
            scopes += [("release", slug, None, n) for n in numbers.get(slug, [])]
    if not campaign:
        names = visible_series(user)
        if series:
            names = [n for n in names if n == series]
        if series and not names:
            raise Http404(f"No such series {series!r}.")
        scopes += [("series", None, n, None) for n in names]
    return [AvailableExport(scope, c, s, r, f) for scope, c, s, r in scopes for f in formats]
