"""The site search: forces, requests and campaigns matching a term, for one user.

Three queries whatever the term (forces, requests, campaigns), each capped; the
user's visibility is a subquery inside the request and campaign queries, never a
query of its own. Forces are public to every signed-in user, as on the forces list.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import BooleanField, Case, Q, Value, When

from requests_app.models import Campaign, FoiRequest, Force
from requests_app.permissions import visible_campaigns, visible_requests
from requests_app.selectors.requests import with_live_status

LIMIT = 20
MAX_TERM = 100


@dataclass
class SearchResults:
    term: str
    forces: list[Force] = field(default_factory=list)
    requests: list[FoiRequest] = field(default_factory=list)
    campaigns: list[Campaign] = field(default_factory=list)
    more_requests: bool = False  # more requests match than are listed
    more_forces: bool = False
    more_campaigns: bool = False

    @property
    def exact(self) -> FoiRequest | None:
        """The one request whose reference (ours or the force's) is the term, if just one is."""
        exact = [r for r in self.requests if r.exact]
        return exact[0] if len(exact) == 1 else None

    @property
    def empty(self) -> bool:
        return not (self.forces or self.requests or self.campaigns)


def clean_term(raw: str | None) -> str:
    """The term as searched: control characters dropped (PostgreSQL refuses NUL), inner
    whitespace collapsed, trimmed, at most ``MAX_TERM`` characters."""
    kept = "".join(c if c.isprintable() else " " for c in (raw or "")[: MAX_TERM * 4])
    return " ".join(kept.split())[:MAX_TERM]


def _capped(qs, limit: int) -> tuple[list, bool]:
    rows = list(qs[: limit + 1])
    return rows[:limit], len(rows) > limit


def search(*, user, term: str, today: date, limit: int = LIMIT) -> SearchResults:
    """What ``user`` may see matching ``term`` (see ``clean_term``); nothing for an empty term.

    Requests match on our reference or the force's reference; exact matches
    (ignoring case) come first and carry ``exact=True``.
    """
    results = SearchResults(term=term)
    if not term:
        return results
    exact = Q(reference__iexact=term) | Q(force_reference__iexact=term)
    requests = with_live_status(
        visible_requests(user, FoiRequest.objects.select_related("force", "campaign")),
        today,
    ).filter(Q(reference__icontains=term) | Q(force_reference__icontains=term))
    requests = requests.annotate(
        exact=Case(When(exact, then=Value(True)), default=Value(False), output_field=BooleanField())
    ).order_by("-exact", "reference")
    results.requests, results.more_requests = _capped(requests, limit)
    forces = Force.objects.filter(Q(name__icontains=term) | Q(pk__icontains=term))
    results.forces, results.more_forces = _capped(
        forces.order_by("-territorial_england_wales", "name"), limit
    )
    campaigns = visible_campaigns(
        user, Campaign.objects.filter(Q(title__icontains=term) | Q(slug__icontains=term))
    )
    results.campaigns, results.more_campaigns = _capped(campaigns.order_by("title"), limit)
    return results
