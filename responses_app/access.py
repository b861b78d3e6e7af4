"""Who may see and change figures, datasets and releases: ``requests_app.permissions`` applied.

Viewers read the dataset and download it; researchers review figures;
coordinators publish releases. A series is as visible as its least visible
campaign: every campaign in it must be visible to the user (or the page is a
404), so a series never shows another team's figures.

Reply files (documents) are as visible as their request. Inbound mail on a
request is as visible as the request. Mail on no request (held in the holding
pen, or rejected from it) is unvetted and may belong to anyone: staff see all
of it; a team member with at least the researcher role sees the messages whose
guesses (which include a token hit on one of the team's reply addresses) point
at a request they run, researchers read only, coordinators also assign and
reject. Staff put unmatched mail only on requests of their own teams (as a
researcher or coordinator there), superusers anywhere (``assign_target_problem``).
Viewers see no unmatched mail, and a campaign merely shared with a team
does not bring its mail along (sharing is for reading the data).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from requests_app.models import Campaign, FoiRequest
from requests_app.permissions import (
    ROLE_RANK,
    Role,
    campaign_or_404,
    campaign_q,
    has_role,
    object_or_404,
    request_q,
    require,
    role_for,
    role_for_request,
    team_roles,
    visible_requests,
)
from responses_app.models import (
    Document,
    Figure,
    Finding,
    InboundMessage,
    MailGuess,
    Release,
    ReleaseJob,
)

__all__ = [
    "Role",
    "campaign_or_404",
    "can_use_holding_pen",
    "document_or_404",
    "documents_for",
    "figure_or_404",
    "figures_for",
    "findings_for",
    "assign_target_problem",
    "assignable_requests",
    "message_or_404",
    "messages_for",
    "release_job_or_404",
    "release_or_404",
    "release_q",
    "releases_for",
    "sees_all_mail",
    "series_or_404",
    "series_q",
    "visible_series",
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


def series_q(user, path: str = "series", *, at_least: str = Role.VIEWER) -> Q:
    """Q over ``path`` (a series name) for the series in which ``user`` holds ``at_least``
    in every campaign (as ``series_role``; a series with no campaign is no one's)."""
    in_series = Campaign.objects.exclude(series="")
    held = in_series.filter(campaign_q(user, at_least=at_least))
    missing = in_series.exclude(pk__in=held.values("pk"))
    return Q(**{f"{path}__in": held.values("series")}) & ~Q(
        **{f"{path}__in": missing.values("series")}
    )


def visible_series(user) -> list[str]:
    """The names of the series ``user`` may see, sorted (one query)."""
    names = Campaign.objects.filter(series_q(user)).order_by("series").distinct()
    return list(names.values_list("series", flat=True))


def release_q(user, at_least: str = Role.VIEWER) -> Q:
    """Q over a model with ``campaign`` and ``series`` (a release or a release job): a
    campaign's as visible as the campaign, a series' only with every campaign in it."""
    of_series = Q(campaign__isnull=True) & series_q(user, at_least=at_least)
    return campaign_q(user, "campaign", at_least=at_least) | of_series


def releases_for(user, qs: QuerySet | None = None) -> QuerySet:
    """Campaign releases of visible campaigns, and series releases of wholly visible series."""
    qs = Release.objects.all() if qs is None else qs
    return qs.filter(release_q(user))


def _require_scope(user, owner: Release | ReleaseJob, role: str) -> None:
    """404/403 on the campaign, or the series, a release (or a release job) belongs to."""
    if owner.campaign_id:
        require(user, owner.campaign, role)
    else:
        series_or_404(user, owner.series, role)


def release_or_404(user, pk: int, role: str = Role.VIEWER) -> Release:
    release = Release.objects.select_related("campaign", "created_by").filter(pk=pk).first()
    if release is None:
        raise Http404("No such release.")
    _require_scope(user, release, role)
    return release


def release_job_or_404(user, pk: int, role: str = Role.COORDINATOR) -> ReleaseJob:
    """A request to publish a release, checked like the release it asks for."""
    qs = ReleaseJob.objects.select_related("campaign", "release__campaign")
    job = qs.filter(pk=pk).first()
    if job is None:
        raise Http404("No such release job.")
    _require_scope(user, job, role)
    return job


# -- reply files and inbound mail -------------------------------------------------


def documents_for(user, qs: QuerySet | None = None) -> QuerySet:
    qs = Document.objects.all() if qs is None else qs
    return qs.filter(request_q(user, "request"))


def document_or_404(user, pk: int, role: str = Role.VIEWER) -> Document:
    qs = Document.objects.select_related("stored", "request__campaign")
    return object_or_404(user, qs, role, pk=pk)


def sees_all_mail(user) -> bool:
    """Staff (and superusers) see and decide on all unmatched mail, whoever it may belong to.

    Mail on a request stays as visible as the request, for staff too; superusers see all.
    """
    return bool(user is not None and user.is_active and (user.is_staff or user.is_superuser))


def can_use_holding_pen(user, role: str = Role.RESEARCHER) -> bool:
    """Staff, and members with at least ``role`` (researcher: read; coordinator: decide)."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    if sees_all_mail(user):
        return True
    return any(has_role(held, role) for held in team_roles(user).values())


def _guessed_for(requests: QuerySet) -> Q:
    """Mail the matcher guessed (``MailGuess`` rows, its best few) for one of ``requests``."""
    return Q(pk__in=MailGuess.objects.filter(request__in=requests).values("message"))


def messages_for(user, role: str = Role.VIEWER, qs: QuerySet | None = None) -> QuerySet:
    """Inbound mail ``user`` may see with ``role``: see the module docstring.

    ``role`` viewer reads, coordinator assigns and rejects; mail on no request
    always needs at least the researcher role.
    """
    qs = InboundMessage.objects.all() if qs is None else qs
    if not (user is not None and user.is_authenticated and user.is_active):
        return qs.none()
    if user.is_superuser:
        return qs
    on_request = Q(request__isnull=False) & request_q(user, "request", at_least=role)
    if sees_all_mail(user):  # staff triage every unmatched message, not other teams' mail
        return qs.filter(on_request | Q(request__isnull=True))
    unmatched_role = role if has_role(role, Role.RESEARCHER) else Role.RESEARCHER
    runs = FoiRequest.objects.filter(request_q(user, at_least=unmatched_role))
    return qs.filter(on_request | (Q(request__isnull=True) & _guessed_for(runs)))


def message_or_404(user, pk, role: str = Role.VIEWER, qs: QuerySet | None = None):
    """The message if ``user`` may read it (else 404), checked for ``role`` (else 403)."""
    qs = InboundMessage.objects.all() if qs is None else qs
    message = messages_for(user, Role.VIEWER, qs).filter(pk=pk).first()
    if message is None:
        raise Http404("No such message.")
    if role != Role.VIEWER and not messages_for(user, role).filter(pk=pk).exists():
        needed = "a coordinator" if role == Role.COORDINATOR else f"the {role} role"
        raise PermissionDenied(f"Assigning or rejecting this message needs {needed}.")
    return message


def assignable_requests(user) -> QuerySet:
    """Where ``user`` may look for a request to put a message on (others: "no such request").

    Superusers: every request. Everyone else, staff included: the requests they can
    see, so another team's reference answers exactly as one that does not exist.
    """
    if user is not None and user.is_active and user.is_superuser:
        return FoiRequest.objects.all()
    return visible_requests(user)


def assign_target_problem(user, request: FoiRequest) -> str:
    """Why ``user`` may not put mail on ``request`` (one they can see), or "" when they may.

    The one rule for the holding pen page and the API: superusers anywhere; staff on
    the requests of teams they belong to (researcher or coordinator there), since they
    triage every unmatched message; other members as a coordinator of the request.
    """
    if user.is_superuser:
        return ""
    needed = Role.RESEARCHER if sees_all_mail(user) else Role.COORDINATOR
    held = role_for_request(user, request)
    if has_role(held, needed):
        return ""
    return (
        f"your role on {request.reference} is {held or 'none'}; "
        f"putting mail on a request needs a {needed} of its team"
    )
