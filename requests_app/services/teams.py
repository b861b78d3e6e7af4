"""Teams and memberships: who owns a new campaign, who is in which team."""

from django.db import transaction

from requests_app.models import Membership, Role, Team
from requests_app.permissions import editable_teams, forget_roles
from requests_app.users import is_signed_in

DEFAULT_TEAM = ("default", "Default")


class TeamRejected(ValueError):
    """A team that cannot be used here; the message says why."""


def default_team() -> Team:
    """The "Default" team (made when missing): the owner of campaigns in a one-team deployment."""
    team, _ = Team.objects.get_or_create(slug=DEFAULT_TEAM[0], defaults={"name": DEFAULT_TEAM[1]})
    return team


def team_for_new_campaign(*, user=None, slug: str = "") -> Team:
    """The team a new campaign of ``user`` goes to.

    A named team must be one the user may run campaigns in. Unnamed: the user's
    only such team. For a caller with no such team (a command, a script, a
    superuser) the only team there is, or the Default team when there are none:
    pages and API check ``can_create_campaign`` before they get here.
    """
    authenticated = is_signed_in(user)
    if slug:
        choices = editable_teams(user) if authenticated else Team.objects.all()
        team = choices.filter(slug=slug).first()
        if team is None:
            raise TeamRejected(
                f"team {slug!r}: no such team, or you may not run campaigns in it "
                "(it needs the researcher or coordinator role)."
            )
        return team
    options = list(editable_teams(user).order_by("slug")[:21]) if authenticated else []
    if not options or (authenticated and user.is_superuser):
        options = list(Team.objects.order_by("slug")[:21])
        if not options:
            return default_team()
    if len(options) == 1:
        return options[0]
    names = ", ".join(t.slug for t in options[:20])
    raise TeamRejected(f"Choose the team that owns the campaign (one of: {names}).")


@transaction.atomic
def add_member(*, user, team: Team, role: str = Role.VIEWER) -> Membership:
    """Put ``user`` in ``team`` with ``role`` (or change their role there)."""
    if role not in Role.values:
        raise TeamRejected(f"role {role!r}: use one of {', '.join(Role.values)}.")
    membership, _ = Membership.objects.update_or_create(
        user=user, team=team, defaults={"role": role}
    )
    forget_roles(user)
    return membership
