"""Who may see and do what: the one place the rules live, for pages, API and admin alike.

Teams own campaigns. A member of the owning team has their role there:

- **viewer** reads boards, dashboards and the dataset, and downloads;
- **researcher** also runs campaigns (creates, sends, logs events, reviews figures);
- **coordinator** also chases, manages forces, calendars and chaser templates, and
  publishes releases.

A campaign shared with another team is visible to that team's members, read only
(a shared team gets at most the viewer role). A campaign without a team (only
possible for rows written outside the services) is visible to superusers only.
A request outside any campaign belongs to the teams of the person who created
it. Superusers see and do everything; anonymous and inactive users nothing.

Querysets are filtered with subqueries (no extra query); a role check costs one
query per user and page (the memberships, cached on the user object), plus one
for a campaign's shared teams when the user is not in the owning team.
Objects a user may not see are answered 404, never 403, so guessing ids or slugs
tells nothing; 403 is for what a user can see but their role may not change.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from requests_app.models import Campaign, FoiRequest, Membership, RequestEvent, Role, Team
from requests_app.models.teams import ROLE_RANK

__all__ = [
    "ROLE_RANK",
    "Role",
    "campaign_q",
    "can_chase",
    "can_chase_request",
    "can_coordinate",
    "can_create_campaign",
    "can_edit",
    "can_edit_request",
    "can_manage_calendars",
    "can_manage_forces",
    "can_publish",
    "can_view",
    "can_view_request",
    "campaign_or_404",
    "editable_teams",
    "has_role",
    "object_or_404",
    "request_or_404",
    "require",
    "request_q",
    "role_for",
    "role_for_object",
    "role_for_request",
    "visible_campaigns",
    "visible_events",
    "visible_requests",
]

_CACHE = "_foi_team_roles"
_NOTHING = Q(pk__in=[])


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _superuser(user) -> bool:
    return _active(user) and user.is_superuser


def team_roles(user) -> dict[int, str]:
    """{team id: role} for ``user`` (one query, cached on the user object)."""
    if not _active(user):
        return {}
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = dict(Membership.objects.filter(user_id=user.pk).values_list("team_id", "role"))
        setattr(user, _CACHE, cached)
    return cached


def forget_roles(user) -> None:
    """Drop the cached roles (after memberships changed within one request or test)."""
    if user is not None and hasattr(user, _CACHE):
        delattr(user, _CACHE)


def _best(roles) -> str | None:
    roles = [r for r in roles if r]
    return max(roles, key=lambda r: ROLE_RANK[Role(r)]) if roles else None


def has_role(role: str | None, needed: str) -> bool:
    """Whether ``role`` can do the work of ``needed`` (None: no access at all)."""
    return role is not None and ROLE_RANK[Role(role)] >= ROLE_RANK[Role(needed)]


# -- roles on objects ----------------------------------------------------------


def role_for(user, campaign: Campaign) -> str | None:
    """The user's role in ``campaign``, or None when they may not see it."""
    if _superuser(user):
        return Role.COORDINATOR
    roles = team_roles(user)
    if not roles:
        return None
    if campaign.team_id in roles:
        return roles[campaign.team_id]
    shared = {t.pk for t in campaign.shared_with.all()}
    return Role.VIEWER if shared & roles.keys() else None


def role_for_request(user, request: FoiRequest) -> str | None:
    """The role for a request: its campaign's; outside campaigns, its creator's teams'."""
    if request.campaign_id is not None:
        return role_for(user, request.campaign)
    if _superuser(user):
        return Role.COORDINATOR
    roles = team_roles(user)
    if not roles or request.created_by_id is None:
        return None
    creator_teams = set(
        Membership.objects.filter(user_id=request.created_by_id).values_list("team_id", flat=True)
    )
    return _best(role for team, role in roles.items() if team in creator_teams)


def role_for_object(user, obj: Model) -> str | None:
    """The role for a campaign, a request, or anything with a ``request`` or ``campaign``.

    Events, documents, replies, figures, releases and inbound messages all lead to
    a request or a campaign. An object with neither (an email still in the
    holding pen) needs a researcher role in some team to be seen at all.
    """
    if isinstance(obj, Campaign):
        return role_for(user, obj)
    if isinstance(obj, FoiRequest):
        return role_for_request(user, obj)
    request = getattr(obj, "request", None)
    if request is not None:
        return role_for_request(user, request)
    campaign = getattr(obj, "campaign", None)
    if campaign is not None:
        return role_for(user, campaign)
    if _superuser(user):
        return Role.COORDINATOR
    best = _best(team_roles(user).values())
    return Role.VIEWER if has_role(best, Role.RESEARCHER) else None


def can_view(user, campaign: Campaign) -> bool:
    return role_for(user, campaign) is not None


def can_edit(user, campaign: Campaign) -> bool:
    """Run the campaign: send, log events, mark sent, repeat, review and map figures."""
    return has_role(role_for(user, campaign), Role.RESEARCHER)


def can_coordinate(user, campaign: Campaign) -> bool:
    """Chase, hold and resume, edit the chaser templates, publish releases."""
    return has_role(role_for(user, campaign), Role.COORDINATOR)


can_chase = can_coordinate
can_publish = can_coordinate


def can_view_request(user, request: FoiRequest) -> bool:
    return role_for_request(user, request) is not None


def can_edit_request(user, request: FoiRequest) -> bool:
    return has_role(role_for_request(user, request), Role.RESEARCHER)


def can_chase_request(user, request: FoiRequest) -> bool:
    return has_role(role_for_request(user, request), Role.COORDINATOR)


def can_create_campaign(user) -> bool:
    return _superuser(user) or has_role(_best(team_roles(user).values()), Role.RESEARCHER)


def can_manage_forces(user) -> bool:
    """Forces, closure-day calendars: a coordinator of any team (or a superuser)."""
    return _superuser(user) or has_role(_best(team_roles(user).values()), Role.COORDINATOR)


can_manage_calendars = can_manage_forces


def editable_teams(user) -> QuerySet:
    """Teams in which ``user`` may create and run campaigns."""
    if _superuser(user):
        return Team.objects.all()
    if not _active(user):
        return Team.objects.none()
    return Team.objects.filter(
        memberships__user_id=user.pk,
        memberships__role__in=[Role.RESEARCHER, Role.COORDINATOR],
    )


# -- querysets -----------------------------------------------------------------


def _prefix(path: str) -> str:
    return f"{path}__" if path else ""


def _my_teams(user, roles: list[str] | None = None) -> QuerySet:
    qs = Membership.objects.filter(user_id=user.pk)
    if roles is not None:
        qs = qs.filter(role__in=roles)
    return qs.values("team_id")


def campaign_q(user, path: str = "", *, at_least: str = Role.VIEWER) -> Q:
    """Q over ``path`` (the way to a Campaign; "" for Campaign itself) for campaigns
    where ``user`` has at least the role ``at_least``.

    e.g. ``Figure.objects.filter(campaign_q(user, "campaign"))``,
    ``Release.objects.filter(campaign_q(user, "campaign", at_least=Role.COORDINATOR))``.
    """
    if _superuser(user):
        return Q()
    if not _active(user):
        return _NOTHING
    p = _prefix(path)
    own_roles = [r for r in Role if has_role(r, at_least)]
    q = Q(**{f"{p}team__in": _my_teams(user, own_roles)})
    if at_least == Role.VIEWER:
        shared = Campaign.shared_with.through.objects.filter(team_id__in=_my_teams(user)).values(
            "campaign_id"
        )
        q |= Q(**{f"{p}pk__in" if not path else f"{path}__in": shared})
    return q


def request_q(user, path: str = "", *, at_least: str = Role.VIEWER) -> Q:
    """Q over ``path`` (the way to a FoiRequest; "" for FoiRequest itself) for visible
    requests, e.g. ``Document.objects.filter(request_q(user, "request"))``."""
    if _superuser(user):
        return Q()
    if not _active(user):
        return _NOTHING
    p = _prefix(path)
    own_roles = [r for r in Role if has_role(r, at_least)]
    teammates = Membership.objects.filter(team_id__in=_my_teams(user, own_roles)).values("user_id")
    standalone = Q(**{f"{p}campaign__isnull": True, f"{p}created_by__in": teammates})
    return campaign_q(user, f"{p}campaign", at_least=at_least) | standalone


def visible_campaigns(user, qs: QuerySet | None = None) -> QuerySet:
    """``qs`` (default every campaign) narrowed to what ``user`` may see."""
    qs = Campaign.objects.all() if qs is None else qs
    return qs.filter(campaign_q(user))


def visible_requests(user, qs: QuerySet | None = None) -> QuerySet:
    qs = FoiRequest.objects.all() if qs is None else qs
    return qs.filter(request_q(user))


def visible_events(user, qs: QuerySet | None = None) -> QuerySet:
    qs = RequestEvent.objects.all() if qs is None else qs
    return qs.filter(request_q(user, "request"))


# -- for views -----------------------------------------------------------------


def require(user, obj: Model, role: str = Role.VIEWER) -> None:
    """404 when ``user`` may not see ``obj``; 403 when they see it but their role is short."""
    held = role_for_object(user, obj)
    if held is None:
        raise Http404("No such page.")
    if not has_role(held, role):
        raise PermissionDenied(f"Your role here is {held}; this needs {role}.")


def object_or_404(user, qs: QuerySet, role: str = Role.VIEWER, **lookup) -> Model:
    """The object of ``qs`` matching ``lookup`` that ``user`` may see, checked for ``role``.

    e.g. ``object_or_404(request.user, Campaign.objects.all(), Role.RESEARCHER, slug=slug)``
    or ``object_or_404(request.user, Document.objects.select_related("request__campaign"),
    pk=pk)`` (select the way to the campaign to save queries).
    """
    obj = qs.filter(**lookup).first()
    if obj is None:
        raise Http404("No such page.")
    require(user, obj, role)
    return obj


def campaign_or_404(user, role: str = Role.VIEWER, **lookup) -> Campaign:
    return object_or_404(user, Campaign.objects.select_related("team"), role, **lookup)


def request_or_404(user, role: str = Role.VIEWER, qs: QuerySet | None = None, **lookup):
    qs = FoiRequest.objects.select_related("force", "campaign") if qs is None else qs
    return object_or_404(user, qs, role, **lookup)
